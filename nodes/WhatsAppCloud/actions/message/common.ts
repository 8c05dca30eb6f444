import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import {
	DEFAULT_MAX_CONCURRENT,
	DEFAULT_MAX_RETRIES,
	DEFAULT_MESSAGES_PER_SECOND,
} from '../../../shared/throttle';
import { recipientSchema, text, validatePayload } from '../../../shared/validation';
import type { OperationContext } from '../types';

/** The recipient field every send operation shows first. */
export function recipientField(operation: string): INodeProperties {
	return {
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+4915112345678',
		description:
			'Recipient phone number in international format with the country code. Spaces, dashes and brackets are removed; the WhatsApp ID from the trigger\'s "from" field works too.',
		displayOptions: { show: { resource: ['message'], operation: [operation] } },
	};
}

/** Options shared by every send: sender, reply, callback data, and the bulk-sending controls. */
export function sendOptions(operation: string, extra: INodeProperties[] = []): INodeProperties {
	const options: INodeProperties[] = [
		...extra,
		{
			displayName: 'Sender Phone Number ID',
			name: 'senderPhoneNumberId',
			type: 'string',
			default: '',
			description: 'Send from this phone number ID instead of the one in the credential',
		},
		{
			displayName: 'Reply To Message ID',
			name: 'replyToMessageId',
			type: 'string',
			default: '',
			placeholder: 'wamid.HBgL...',
			description: 'Quote an earlier message: its ID (wamid), e.g. the trigger\'s messageId',
		},
		{
			displayName: 'Callback Data',
			name: 'bizOpaqueCallbackData',
			type: 'string',
			default: '',
			description:
				'Any text up to 512 characters (e.g. an order or ticket ID). Meta does not show it to the customer; it comes back in the sent, delivered and read statuses of the trigger as bizOpaqueCallbackData.',
		},
		{
			displayName: 'Messages per Second',
			name: 'messagesPerSecond',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 2 },
			default: DEFAULT_MESSAGES_PER_SECOND,
			description:
				'Pace of sending from one phone number. Meta allows 80 per second by default (incoming messages count too) and 1,000 after an automatic upgrade. Executions in this n8n instance that send from the same number share this pace.',
		},
		{
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrent',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 500 },
			default: DEFAULT_MAX_CONCURRENT,
			description:
				'Requests in flight at once. Needs to be at least messages per second × Meta\'s response time (in seconds) to reach the pace.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: DEFAULT_MAX_RETRIES,
			description:
				'Retries with growing waits when Meta says to slow down (130429, 4, 80007) or fails temporarily (5xx, 131000: at most 3). Messages to a recipient hit by the per-recipient limit (131056) wait 1, 4, 16 and 64 seconds; the others keep going. Invalid messages are never retried.',
		},
	];
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { resource: ['message'], operation: [operation] } },
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export type SendOptions = IDataObject & {
	senderPhoneNumberId?: string;
	replyToMessageId?: string;
	bizOpaqueCallbackData?: string;
};

export const readSendOptions = (fns: IExecuteFunctions, i: number) =>
	fns.getNodeParameter('options', i, {}) as SendOptions;

const envelopeSchema = z.object({
	to: recipientSchema,
	context: z.object({ message_id: z.string().trim().min(1) }).optional(),
	biz_opaque_callback_data: text(512).optional(),
});

const ENVELOPE_LABELS: Record<string, string> = {
	to: 'To',
	context: 'Reply To Message ID',
	'context.message_id': 'Reply To Message ID',
	biz_opaque_callback_data: 'Callback Data',
};

export type Envelope = {
	sender: string;
	body: IDataObject & { to: string };
};

/**
 * Reads `to` and the shared options of item `i` and builds the common part of a message body,
 * validated. `content` is merged in: `{ type: 'text', text: {...} }`.
 */
export function buildEnvelope(
	fns: IExecuteFunctions,
	i: number,
	ctx: OperationContext,
	content: IDataObject,
	options: SendOptions = readSendOptions(fns, i),
): Envelope {
	const reply = String(options.replyToMessageId ?? '').trim();
	const callback = String(options.bizOpaqueCallbackData ?? '');
	const head = validatePayload(
		fns,
		envelopeSchema,
		{
			to: String(fns.getNodeParameter('to', i, '') ?? ''),
			context: reply ? { message_id: reply } : undefined,
			biz_opaque_callback_data: callback ? callback : undefined,
		},
		i,
		ENVELOPE_LABELS,
	);
	const sender = String(options.senderPhoneNumberId ?? '').trim() || ctx.config.phoneNumberId;
	if (!sender) {
		throw new NodeOperationError(fns.getNode(), `No sender phone number ID [item ${i}]`, {
			itemIndex: i,
			description: 'Fill "Phone Number ID" in the WhatsApp Cloud API credential, or set the option "Sender Phone Number ID".',
		});
	}
	return {
		sender,
		body: {
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: head.to,
			...(head.context ? { context: head.context } : {}),
			...(head.biz_opaque_callback_data ? { biz_opaque_callback_data: head.biz_opaque_callback_data } : {}),
			...content,
		},
	};
}

type SendResponse = {
	contacts?: Array<{ input?: string; wa_id?: string }>;
	messages?: Array<{ id?: string; message_status?: string }>;
};

/** Sends a built message through the throttle and shapes the item output. */
export async function sendMessage(
	ctx: OperationContext,
	i: number,
	envelope: Envelope,
): Promise<IDataObject> {
	const response = await ctx.send<SendResponse>(
		{ method: 'POST', path: `/${envelope.sender}/messages`, body: envelope.body },
		i,
		{ sender: envelope.sender, recipient: envelope.body.to },
	);
	const message = response.messages?.[0] ?? {};
	const contact = response.contacts?.[0] ?? {};
	return {
		messageId: message.id,
		waId: contact.wa_id,
		to: envelope.body.to,
		...(message.message_status ? { messageStatus: message.message_status } : {}),
		senderPhoneNumberId: envelope.sender,
		type: envelope.body.type,
		sent: envelope.body,
	};
}
