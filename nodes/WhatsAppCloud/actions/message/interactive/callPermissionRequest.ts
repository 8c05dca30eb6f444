import type { INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { LIMIT, upToLower } from '../../../helpers/limits';
import { readText } from '../../../helpers/validation';
import type { InteractiveKind } from './form';
import { bodySchema } from './shared';

/**
 * Call Permission Request: asks the customer to let the business call them on WhatsApp. Their
 * answer comes back to the trigger as a Call Permission Reply message. Meta allows an optional body
 * and no header or footer; the permission card itself is WhatsApp's and cannot be changed. Meta
 * counts these requests per customer (1 a day, 2 a week; more is refused with 138009).
 */

const CALL_PERMISSION = ['call_permission_request'];

/** The body is optional here: without it the customer sees WhatsApp's permission card alone. */
const callPermissionBodyField: INodeProperties = {
	displayName: 'Body',
	name: 'body',
	type: 'string',
	typeOptions: { rows: 3 },
	default: '',
	description: `Optional text above the request, ${upToLower(LIMIT.interactiveBody)}`,
	displayOptions: { show: { interactiveType: CALL_PERMISSION } },
};

const callPermissionRequestSchema = z
	.object({
		type: z.literal('call_permission_request'),
		body: bodySchema.optional(),
		action: z.object({ name: z.literal('call_permission_request') }).strict(),
	})
	.strict();

export const callPermissionRequestMessage: InteractiveKind = {
	option: {
		name: 'Call Permission Request',
		value: 'call_permission_request',
		description: 'Asks the customer to let you call them on WhatsApp',
	},
	bodyField: callPermissionBodyField,
	fields: [],
	schema: callPermissionRequestSchema,
	build(fns, i) {
		const body = readText(fns, 'body', i, 'Body');
		return {
			interactive: {
				type: 'call_permission_request',
				...(body !== '' ? { body: { text: body } } : {}),
				action: { name: 'call_permission_request' },
			},
			labels: { body: 'Body', 'body.text': 'Body' },
		};
	},
};
