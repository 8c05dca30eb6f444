import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { NUMBER_FIELDS, phoneNumberField, phoneNumberJson } from './common';

const displayOptions = { show: { resource: ['phoneNumber'], operation: ['get'] } };

const properties: INodeProperties[] = [phoneNumberField];

const description = updateDisplayOptions(displayOptions, properties);

type Entity = {
	entity_type?: string;
	id?: string;
	can_send_message?: string;
	additional_info?: string[];
	errors?: Array<{ error_code?: number; error_description?: string; possible_solution?: string }>;
};

const ENTITY_NAMES: Record<string, string> = {
	PHONE_NUMBER: 'The phone number',
	MESSAGE_TEMPLATE: 'The template',
	WABA: 'The WhatsApp Business Account',
	BUSINESS: 'The business portfolio',
	APP: 'The app',
};

/** health_status in plain words: whether messages can be sent, and what holds each entity back. */
export function explainHealth(
	health: { can_send_message?: string; entities?: Entity[] } | undefined,
): IDataObject {
	if (!health)
		return {
			canSendMessage: null,
			summary: 'Meta returned no health status for this number.',
			problems: [],
		};
	const problems = (health.entities ?? [])
		.filter((e) => e.can_send_message && e.can_send_message !== 'AVAILABLE')
		.map((e) => {
			const who = ENTITY_NAMES[String(e.entity_type)] ?? String(e.entity_type);
			const state =
				e.can_send_message === 'BLOCKED' ? 'cannot send messages' : 'can send messages with limits';
			const reasons = [
				...(e.additional_info ?? []),
				...(e.errors ?? []).map(
					(x) =>
						`${x.error_description ?? 'Error'}${x.error_code ? ` (${x.error_code})` : ''}${x.possible_solution ? ` What to do: ${x.possible_solution}` : ''}`,
				),
			];
			return {
				entity: e.entity_type,
				id: e.id,
				canSendMessage: e.can_send_message,
				explanation:
					`${who} ${e.id ?? ''} ${state}.${reasons.length ? ` ${reasons.join(' ')}` : ''}`
						.replace(/\s+/g, ' ')
						.trim(),
			};
		});
	const status = health.can_send_message ?? null;
	const summary =
		status === 'AVAILABLE'
			? 'Messages can be sent: every entity (number, account, business, app) is available.'
			: status === 'LIMITED'
				? `Messages can be sent, with limits. ${problems.map((p) => p.explanation).join(' ')}`
				: `Messages cannot be sent. ${problems.map((p) => p.explanation).join(' ')}`;
	return { canSendMessage: status, summary: summary.trim(), problems };
}

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = ctx.sender(i, 'Phone Number');
	return async () => {
		const p = await ctx.call<IDataObject>(
			{
				method: 'GET',
				path: `/${id}`,
				qs: { fields: `${NUMBER_FIELDS},health_status,webhook_configuration` },
			},
			i,
		);
		return {
			...phoneNumberJson(p),
			health: explainHealth(p.health_status as never),
			webhookConfiguration: p.webhook_configuration ?? null,
		};
	};
}

export const get: Operation = { description, paced: false, prepare };
