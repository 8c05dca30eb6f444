import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import {
	asText,
	isBusinessScopedUserId,
	recipientSchema,
	validatePayload,
} from '../../helpers/validation';
import type { OperationContext } from '../../transport/context';
import type { Operation } from '../types';
import { phoneNumberField } from './common';

/**
 * Phone Number > Get Call Permission: whether the business may call a customer on WhatsApp, and
 * whether it may ask again (`GET /{phone-number-id}/call_permissions`). The customer is a phone
 * number (`user_wa_id`) or a business-scoped user ID (`recipient`). Meta's vocabulary has changed
 * (no_permission, temporary, permanent today; granted, pending, denied, expired in older
 * references), so the status is passed through as Meta gives it, never mapped.
 */

const displayOptions = { show: { resource: ['phoneNumber'], operation: ['getCallPermission'] } };

const properties: INodeProperties[] = [
	phoneNumberField,
	{
		displayName: 'Customer',
		name: 'customer',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+14085551234',
		hint: 'A phone number with country code, or a user ID. From a trigger item: {{ $json.replyTo }}',
		description:
			'The customer to check: a phone number in international format, or a business-scoped user ID such as US.13491208655302741918',
	},
];

const description = updateDisplayOptions(displayOptions, properties);

const customerSchema = z.object({ customer: recipientSchema });

/** Unix seconds as ISO time; null when absent or not a time. */
const iso = (v: unknown): string | null => {
	const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : NaN;
	return Number.isFinite(n) && n > 0 ? new Date(n * 1000).toISOString() : null;
};

/** One action of Meta's answer (start a call, ask for permission) with its limits, readably. */
function actionJson(a: IDataObject): IDataObject {
	const limits = Array.isArray(a.limits) ? (a.limits as IDataObject[]) : [];
	return {
		action: a.action_name ?? null,
		canPerform: typeof a.can_perform_action === 'boolean' ? a.can_perform_action : null,
		limits: limits.map((l) => ({
			timePeriod: l.time_period ?? null,
			maxAllowed: l.max_allowed ?? null,
			currentUsage: l.current_usage ?? null,
			// only when the limit is reached: when the action is allowed again
			limitExpiration: iso(l.limit_expiration_time),
		})),
	};
}

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const phone = ctx.sender(i, 'Phone Number');
	const { customer } = validatePayload(
		this,
		customerSchema,
		{ customer: asText(this, this.getNodeParameter('customer', i, ''), 'Customer', i) },
		i,
		{ customer: 'Customer' },
	);
	const userId = isBusinessScopedUserId(customer);
	// Meta's wa_id is the digits of the number, without the +
	const qs = userId ? { recipient: customer } : { user_wa_id: customer.replace(/^\+/, '') };
	return async () => {
		const answer = await ctx.call<IDataObject>(
			{ method: 'GET', path: `/${phone}/call_permissions`, qs },
			i,
		);
		const permission = (answer.permission ?? {}) as IDataObject;
		const actions = (Array.isArray(answer.actions) ? (answer.actions as IDataObject[]) : []).map(
			actionJson,
		);
		const can = (name: string) => actions.find((a) => a.action === name)?.canPerform ?? null;
		return {
			customer,
			permissionStatus: permission.status ?? null,
			// absent for a permanent permission and when there is none
			expiration: iso(permission.expiration_time),
			canStartCall: can('start_call'),
			canSendPermissionRequest: can('send_call_permission_request'),
			actions,
			raw: answer,
		};
	};
}

export const getCallPermission: Operation = { description, paced: false, prepare };
