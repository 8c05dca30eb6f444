import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { isOneEmoji, readText, validatePayload } from '../../helpers/validation';
import { messageIdField, recipientField, sendOptions } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { buildEnvelope, readSendOptions, sendMessage } from './send';

const displayOptions = { show: { resource: ['message'], operation: ['sendReaction'] } };

const properties: INodeProperties[] = [
	recipientField,
	messageIdField("The message to react to (at most 30 days old), e.g. the trigger's messageId"),
	{
		displayName: 'Action',
		name: 'reactionAction',
		type: 'options',
		default: 'set',
		options: [
			{ name: 'Set Reaction', value: 'set' },
			{ name: 'Remove Reaction', value: 'remove' },
		],
	},
	{
		displayName: 'Emoji',
		name: 'emoji',
		type: 'string',
		default: '👍',
		required: true,
		description: 'One emoji',
		displayOptions: { show: { reactionAction: ['set'] } },
	},
	sendOptions([], { fallback: false }),
];

const description = updateDisplayOptions(displayOptions, properties);

const reactionSchema = z.object({
	message_id: z.string().trim().min(1),
	emoji: z.string().refine((e) => e === '' || isOneEmoji(e), {
		message: 'must be exactly one emoji (or remove the reaction)',
	}),
});

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const remove = this.getNodeParameter('reactionAction', i, 'set') === 'remove';
	const reaction = validatePayload(
		this,
		reactionSchema,
		{
			message_id: readText(this, 'messageId', i, 'Message ID'),
			// an empty emoji removes the reaction
			emoji: remove ? '' : readText(this, 'emoji', i, 'Emoji', { trim: true }),
		},
		i,
		{ message_id: 'Message ID', emoji: 'Emoji' },
	);
	const envelope = await buildEnvelope(
		this,
		i,
		ctx,
		{ type: 'reaction', reaction },
		readSendOptions(this, i),
	);
	return async () => await sendMessage(ctx, i, envelope);
}

export const sendReaction: Operation = { description, paced: true, prepare };
