import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { text as chars, readText, validatePayload } from '../../helpers/validation';
import { LIMIT, upToLower } from '../../helpers/limits';
import { recipientField, sendOptions } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { buildEnvelope, readSendOptions, sendMessage } from './send';

const displayOptions = { show: { resource: ['message'], operation: ['sendText'] } };

const properties: INodeProperties[] = [
	recipientField,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description:
			`Message body, ${upToLower(LIMIT.textBody)}.` +
			' WhatsApp formatting works: *bold*, _italic_, ~strikethrough~, ```monospace```. Free text reaches the customer only within 24 hours of their last message; otherwise send a template.',
	},
	sendOptions([
		{
			displayName: 'Show Link Preview',
			name: 'previewUrl',
			type: 'boolean',
			default: false,
			description: 'Whether to show a preview of the first http(s) link in the text',
		},
	]),
];

const description = updateDisplayOptions(displayOptions, properties);

const textSchema = z.object({
	body: chars(LIMIT.textBody),
	preview_url: z.boolean().optional(),
});

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const options = readSendOptions(this, i);
	const text = validatePayload(
		this,
		textSchema,
		{ body: readText(this, 'text', i, 'Text'), preview_url: options.previewUrl ? true : undefined },
		i,
		{ body: 'Text', preview_url: 'Show Link Preview' },
	);
	const envelope = await buildEnvelope(this, i, ctx, { type: 'text', text }, options);
	return async () => await sendMessage(ctx, i, envelope);
}

export const sendText: Operation = { description, paced: true, prepare };
