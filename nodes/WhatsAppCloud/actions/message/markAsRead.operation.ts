import type { IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { readText, validatePayload } from '../../helpers/validation';
import { messageIdField } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';

const displayOptions = { show: { resource: ['message'], operation: ['markAsRead'] } };

const properties: INodeProperties[] = [
	messageIdField(
		"The incoming message to mark as read (earlier messages in the chat are marked too), e.g. the trigger's messageId. Not for a message written in a group (the trigger's groupId is set): WhatsApp has no read receipts in groups.",
	),
	{
		displayName: 'Show Typing Indicator',
		name: 'typingIndicator',
		type: 'boolean',
		default: false,
		description:
			'Whether to show "typing…" to the customer until you reply or for 25 seconds. Use it only when a reply follows.',
	},
];

const description = updateDisplayOptions(displayOptions, properties);

const readSchema = z.object({
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
			message_id: readText(this, 'messageId', i, 'Message ID'),
			...(this.getNodeParameter('typingIndicator', i, false) === true
				? { typing_indicator: { type: 'text' } }
				: {}),
		},
		i,
		{ message_id: 'Message ID' },
	);
	const sender = ctx.sender(i);
	return async () => {
		const response = await ctx.send<{ success?: boolean }>(
			{ method: 'POST', path: `/${sender}/messages`, body },
			i,
			{ sender },
		);
		if (response.success !== true) {
			throw new NodeApiError(this.getNode(), response as JsonObject, {
				itemIndex: i,
				message: `Meta did not confirm that message ${body.message_id} was marked as read [item ${i}]`,
				description: `Answer: ${JSON.stringify(response).slice(0, 200)}. Meta answers {"success": true} when it marks a message as read; check that the Message ID is an incoming message of this phone number.`,
			});
		}
		return {
			success: true,
			messageId: body.message_id,
			typingIndicator: Boolean(body.typing_indicator),
			senderPhoneNumberId: sender,
		};
	};
}

export const markAsRead: Operation = { description, paced: true, prepare };
