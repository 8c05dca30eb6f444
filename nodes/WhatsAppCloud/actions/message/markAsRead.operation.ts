import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { validatePayload } from '../../../shared/validation';
import type { Operation, OperationContext } from '../types';
import { senderOf } from './common';

const show = { resource: ['message'], operation: ['markAsRead'] };

const description: INodeProperties[] = [
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'wamid.HBgL...',
		description: 'The incoming message to mark as read (earlier messages in the chat are marked too), e.g. the trigger\'s messageId',
		displayOptions: { show },
	},
	{
		displayName: 'Show Typing Indicator',
		name: 'typingIndicator',
		type: 'boolean',
		default: false,
		description: 'Whether to show "typing…" to the customer until you reply or for 25 seconds. Use it only when a reply follows.',
		displayOptions: { show },
	},
];

export const readSchema = z.object({
	messaging_product: z.literal('whatsapp'),
	status: z.literal('read'),
	message_id: z.string().trim().min(1),
	typing_indicator: z.object({ type: z.literal('text') }).optional(),
});

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const body = validatePayload(
		this,
		readSchema,
		{
			messaging_product: 'whatsapp',
			status: 'read',
			message_id: String(this.getNodeParameter('messageId', i, '') ?? ''),
			...(this.getNodeParameter('typingIndicator', i, false) === true ? { typing_indicator: { type: 'text' } } : {}),
		},
		i,
		{ message_id: 'Message ID' },
	);
	const sender = senderOf(this, i, ctx);
	return async () => {
		const response = await ctx.send<{ success?: boolean }>({ method: 'POST', path: `/${sender}/messages`, body }, i, { sender });
		return { success: response.success === true, messageId: body.message_id, typingIndicator: Boolean(body.typing_indicator), senderPhoneNumberId: sender };
	};
}

export const markAsRead: Operation = { description, paced: true, prepare };
