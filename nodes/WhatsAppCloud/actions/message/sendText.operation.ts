import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	NodeOperationError,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import {
	charCount,
	text as chars,
	itemError,
	readText,
	validatePayload,
} from '../../helpers/validation';
import { LIMIT, upToLower } from '../../helpers/limits';
import { formatText } from '../../helpers/markdown';
import { splitLongText } from '../../helpers/split';
import { sendOptions, textFormatOption } from '../common.descriptions';
import { groupRecipientField, recipientTypeField } from './groups';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { NotSentError } from '../../transport/throttle';
import { buildEnvelope, type Envelope, readSendOptions, sendMessage } from './send';

const displayOptions = { show: { resource: ['message'], operation: ['sendText'] } };

const properties: INodeProperties[] = [
	recipientTypeField,
	groupRecipientField,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description:
			`Message body, ${upToLower(LIMIT.textBody)} (longer with Options > Split Long Text).` +
			' WhatsApp formatting works: *bold*, _italic_, ~strikethrough~, ```monospace```; Markdown with Options > Text Format. Free text reaches the customer only within 24 hours of their last message; otherwise send a template.',
	},
	sendOptions([
		{
			displayName: 'Show Link Preview',
			name: 'previewUrl',
			type: 'boolean',
			default: false,
			description: 'Whether to show a preview of the first http(s) link in the text',
		},
		{
			displayName: 'Split Long Text',
			name: 'splitLongText',
			type: 'boolean',
			default: false,
			description: `Whether to send a text longer than ${LIMIT.textBody.toLocaleString('en-US')} characters as several messages, in order: cut at a paragraph, else a line, a sentence or a word, never inside an emoji, a link or formatting (a bold or code part is closed and opened again). Each part is paced like any message and sent after Meta took the one before. The output lists every part's message ID (messageIds).`,
		},
		textFormatOption,
	]),
];

const description = updateDisplayOptions(displayOptions, properties);

const textSchema = z.object({
	body: chars(LIMIT.textBody),
	preview_url: z.boolean().optional(),
});

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const options = readSendOptions(this, i);
	const markdown = options.textFormat === 'markdown';
	const body = formatText(this, i, readText(this, 'text', i, 'Text'), options.textFormat);
	const split = options.splitLongText === true;
	const label = markdown ? 'Text (converted from Markdown)' : 'Text';
	if (!split && charCount(body) > LIMIT.textBody) {
		throw itemError(
			this,
			i,
			`${label} is too long: ${charCount(body).toLocaleString('en-US')} characters (WhatsApp allows at most ${LIMIT.textBody.toLocaleString('en-US')})`,
			'Shorten it, or turn on Options > Split Long Text to send it as several messages in order.',
		);
	}
	const previewUrl = options.previewUrl ? true : undefined;
	const texts = split ? splitLongText(body).map((p) => p.text) : [body];
	if (!texts.length)
		throw itemError(
			this,
			i,
			`${label} has nothing but spaces and line breaks`,
			'WhatsApp does not send an empty message; check the expression that fills Text.',
		);
	const envelopes: Envelope[] = [];
	for (const [n, part] of texts.entries()) {
		const text = validatePayload(this, textSchema, { body: part, preview_url: previewUrl }, i, {
			body: label,
			preview_url: 'Show Link Preview',
		});
		// the quote and the fallback template belong to the first part only: the rest follow it
		const partOptions =
			n === 0 ? options : { ...options, replyToMessageId: undefined, fallbackTemplate: undefined };
		envelopes.push(await buildEnvelope(this, i, ctx, { type: 'text', text }, partOptions));
	}
	if (!split) return async () => await sendMessage(ctx, i, envelopes[0]);
	return async () => await sendParts(this, ctx, i, envelopes);
}

/**
 * The parts of one split text, one after the other: a part leaves only once Meta took the one
 * before, so they arrive in order. A part that fails ends the item, and its error says which parts
 * went out (with their message IDs) and which did not, so that nobody sends the whole text again.
 */
async function sendParts(
	fns: IExecuteFunctions,
	ctx: OperationContext,
	i: number,
	envelopes: Envelope[],
): Promise<IDataObject> {
	const outputs: IDataObject[] = [];
	for (const [n, envelope] of envelopes.entries()) {
		let failure: unknown;
		try {
			const output = await sendMessage(ctx, i, envelope);
			outputs.push(output);
			// the customer's window was closed: the fallback template went instead, and the other
			// parts would be refused for the same reason
			if (output.fallback) break;
			continue;
		} catch (error) {
			failure = error;
		}
		// nothing went out yet: the item failed as a single message would
		if (!outputs.length) throw failure;
		throw partialError(fns, i, failure as Error, outputs, n, envelopes.length);
	}
	const first = outputs[0];
	return {
		...first,
		messageIds: outputs.map((o) => o.messageId as string),
		parts: outputs.length,
		...(outputs.length > 1 ? { sent: outputs.map((o) => o.sent as IDataObject) } : {}),
	};
}

function partialError(
	fns: IExecuteFunctions,
	i: number,
	error: Error,
	outputs: IDataObject[],
	failed: number,
	total: number,
): NodeOperationError {
	const ids = outputs.map((o) => o.messageId as string);
	const why =
		error instanceof NotSentError ? 'the run stopped after another item failed' : error.message;
	const sent = ids.length === 1 ? 'Part 1' : `Parts 1-${ids.length}`;
	const left = total - failed - 1;
	const after = !left
		? ''
		: left === 1
			? `, and part ${total} was not sent`
			: `, and parts ${failed + 2}-${total} were not sent`;
	const result = itemError(
		fns,
		i,
		`${sent} of ${total} ${ids.length === 1 ? 'was' : 'were'} sent; part ${failed + 1} was not (${why})${after}`,
		`Sent (part: message ID): ${ids.map((id, k) => `${k + 1}: ${id}`).join(', ')}. To finish, send only the text from part ${failed + 1} on: sending the item again would repeat what the customer already has.`,
		'',
	);
	result.context = { ...result.context, partsSent: ids, partsTotal: total };
	if ((error as { mayHaveArrived?: boolean }).mayHaveArrived === true)
		Object.assign(result, { mayHaveArrived: true });
	return result;
}

export const sendText: Operation = { description, paced: true, prepare };
