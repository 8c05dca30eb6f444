import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { GraphApiError } from '../../../shared/transport';
import { z } from 'zod';

import {
	DEFAULT_MAX_CONCURRENT,
	DEFAULT_MAX_RETRIES,
	DEFAULT_MESSAGES_PER_SECOND,
} from '../../transport/throttle';
import {
	asText,
	readText,
	recipientSchema,
	templateParameterProblem,
	text,
	validatePayload,
} from '../../helpers/validation';
import type { OperationContext } from '../../transport/context';

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

/** Messages that free-form content, so a 24-hour-window failure can fall back to a template. */
const FALLBACK_OPTION: INodeProperties = {
	displayName: 'Fallback Template',
	name: 'fallbackTemplate',
	type: 'fixedCollection',
	default: {},
	placeholder: 'Add fallback template',
	description:
		'Free-form messages reach a customer only within 24 hours of their last message (error 131047). When Meta refuses this message for that reason, send this approved template instead; the output says so.',
	options: [
		{
			displayName: 'Template',
			name: 'template',
			values: [
				{
					displayName: 'Template Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: 'follow_up',
					description: 'Name of an approved template',
				},
				{
					displayName: 'Language Code',
					name: 'language',
					type: 'string',
					default: 'en_US',
					description: 'Language of the template, e.g. en_US, de, pt_BR',
				},
				{
					displayName: 'Body Parameters',
					name: 'parameters',
					type: 'string',
					typeOptions: { rows: 3 },
					default: '',
					placeholder: 'Sheena\norder_id=A-1042',
					description:
						'One value per line, in the order of {{1}}, {{2}} ...; for named parameters write name=value',
				},
			],
		},
	],
};

/** Options shared by every send: reply, callback data, fallback template and the bulk controls. */
export function sendOptions(
	operation: string,
	extra: INodeProperties[] = [],
	{ fallback = true } = {},
): INodeProperties {
	const options: INodeProperties[] = [
		...extra,
		...(fallback ? [FALLBACK_OPTION] : []),
		{
			displayName: 'Reply To Message ID',
			name: 'replyToMessageId',
			type: 'string',
			default: '',
			placeholder: 'wamid.HBgL...',
			description: "Quote an earlier message: its ID (wamid), e.g. the trigger's messageId",
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
				'Pace of sending from one phone number. Meta allows 80 per second by default (incoming messages count too) and 1,000 after an automatic upgrade. Executions in this n8n process that send from the same number share one pace: the largest that any of them set.',
		},
		{
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrent',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 500 },
			default: DEFAULT_MAX_CONCURRENT,
			description:
				"Requests in flight at once. Needs to be at least messages per second × Meta's response time (in seconds) to reach the pace.",
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: DEFAULT_MAX_RETRIES,
			description:
				'Retries per message, with growing waits, when Meta says to slow down (130429, 4, 80007) or fails temporarily (5xx, 131000: at most 3; a connection broken mid-call: once, flagged as a possible duplicate). Messages to a recipient hit by the per-recipient limit (131056) wait 1, 4, 16 and 64 seconds, in order; the others keep going. Invalid messages are never retried.',
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
	replyToMessageId?: string;
	bizOpaqueCallbackData?: string;
	fallbackTemplate?: { template?: { name?: string; language?: string; parameters?: string } };
};

/** Sender phone number: a list of the account's numbers, or an ID; empty means the credential's. */
export const SENDER_OPERATIONS = [
	'sendText',
	'sendTemplate',
	'sendMedia',
	'sendInteractive',
	'sendLocation',
	'sendContacts',
	'sendReaction',
	'markAsRead',
];

export const senderField: INodeProperties = {
	displayName: 'Sender Phone Number',
	name: 'sender',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description:
		'The business phone number to send from. Leave empty to use the one in the credential.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a phone number...',
			typeOptions: { searchListMethod: 'getPhoneNumbers', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '106540352242922',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\d+$', errorMessage: 'A phone number ID has only digits' },
				},
			],
		},
	],
	displayOptions: { show: { resource: ['message'], operation: SENDER_OPERATIONS } },
};

/** The sender of item `i`: the chosen number, or the credential's. */
export function senderOf(fns: IExecuteFunctions, i: number, ctx: OperationContext): string {
	const chosen = asText(
		fns,
		fns.getNodeParameter('sender', i, '', { extractValue: true }),
		'Sender Phone Number',
		i,
	).trim();
	const sender = chosen || ctx.config.phoneNumberId;
	if (!sender) {
		throw new NodeOperationError(fns.getNode(), `No sender phone number ID [item ${i}]`, {
			itemIndex: i,
			description:
				'Fill "Phone Number ID" in the WhatsApp Cloud API credential, or choose a Sender Phone Number.',
		});
	}
	return sender;
}

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
	fallback?: IDataObject;
};

const templateParameter = z.object({
	type: z.literal('text'),
	text: text(1024),
	parameter_name: z
		.string()
		.regex(/^[a-z0-9_]+$/)
		.optional(),
});
const fallbackSchema = z.object({
	name: z
		.string()
		.trim()
		.min(1)
		.max(512)
		.regex(
			/^[a-z0-9_]+$/,
			"must be the template's name: lowercase letters, digits and underscores",
		),
	language: z.object({ code: z.string().trim().min(2).max(15) }),
	components: z
		.array(z.object({ type: z.literal('body'), parameters: z.array(templateParameter).min(1) }))
		.optional(),
});

/** The fallback template of item `i`, as the `template` object of a send, validated; or undefined. */
function fallbackTemplate(
	fns: IExecuteFunctions,
	i: number,
	options: SendOptions,
): IDataObject | undefined {
	const t = options.fallbackTemplate?.template;
	const name = asText(fns, t?.name, 'Fallback Template > Template Name', i).trim();
	if (!t || !name) return undefined;
	const lines = asText(fns, t.parameters, 'Fallback Template > Body Parameters', i)
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);
	lines.forEach((line, n) => {
		const problem = templateParameterProblem(line);
		if (problem) {
			throw new NodeOperationError(
				fns.getNode(),
				`Fallback Template > Body Parameters, line ${n + 1}, ${problem} [item ${i}]`,
				{
					itemIndex: i,
					description:
						'Meta refuses such a parameter (error 132018). Nothing was sent for this item.',
				},
			);
		}
	});
	const parameters = lines.map((line) => {
		const named = /^([a-z0-9_]+)=(.*)$/.exec(line);
		return named
			? { type: 'text' as const, parameter_name: named[1], text: named[2] }
			: { type: 'text' as const, text: line };
	});
	return validatePayload(
		fns,
		fallbackSchema,
		{
			name,
			language: {
				code: asText(fns, t.language, 'Fallback Template > Language Code', i).trim() || 'en_US',
			},
			components: parameters.length ? [{ type: 'body', parameters }] : undefined,
		},
		i,
		{
			name: 'Fallback Template > Template Name',
			'language.code': 'Fallback Template > Language Code',
			components: 'Fallback Template > Body Parameters',
		},
	) as IDataObject;
}

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
	const reply = asText(fns, options.replyToMessageId, 'Reply To Message ID', i).trim();
	const callback = asText(fns, options.bizOpaqueCallbackData, 'Callback Data', i);
	const head = validatePayload(
		fns,
		envelopeSchema,
		{
			to: readText(fns, 'to', i, 'To'),
			context: reply ? { message_id: reply } : undefined,
			biz_opaque_callback_data: callback ? callback : undefined,
		},
		i,
		ENVELOPE_LABELS,
	);
	return {
		sender: senderOf(fns, i, ctx),
		fallback: fallbackTemplate(fns, i, options),
		body: {
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: head.to,
			...(head.context ? { context: head.context } : {}),
			...(head.biz_opaque_callback_data
				? { biz_opaque_callback_data: head.biz_opaque_callback_data }
				: {}),
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
	let response: SendResponse | undefined;
	let failure: unknown;
	try {
		response = await ctx.send<SendResponse>(
			{ method: 'POST', path: `/${envelope.sender}/messages`, body: envelope.body },
			i,
			{ sender: envelope.sender, recipient: envelope.body.to },
		);
	} catch (error) {
		failure = error;
	}
	if (response) return messageOutput(ctx, i, envelope, envelope.body, response);
	if (!(failure instanceof GraphApiError) || failure.graphCode !== 131047 || !envelope.fallback)
		throw failure;
	// outside the 24-hour window: send the fallback template instead
	const type = envelope.body.type;
	const templateBody: IDataObject = {
		...envelope.body,
		type: 'template',
		template: envelope.fallback,
	};
	delete templateBody[String(type)];
	const templateResponse = await ctx.send<SendResponse>(
		{ method: 'POST', path: `/${envelope.sender}/messages`, body: templateBody },
		i,
		{ sender: envelope.sender, recipient: envelope.body.to },
	);
	return {
		...messageOutput(ctx, i, envelope, templateBody, templateResponse),
		fallback: {
			used: true,
			reason:
				'The customer has not written in the last 24 hours (131047), so the fallback template was sent instead.',
			refusedType: type,
			template: (envelope.fallback as { name: string }).name,
		},
	};
}

function messageOutput(
	ctx: OperationContext,
	i: number,
	envelope: Envelope,
	sent: IDataObject,
	response: SendResponse,
): IDataObject {
	const message = response.messages?.[0];
	const contact = response.contacts?.[0] ?? {};
	if (typeof message?.id !== 'string' || !message.id) {
		// A 2xx without a message ID proves nothing was accepted, and nothing proves it was not:
		// never output it as sent.
		throw Object.assign(
			new NodeApiError(ctx.node, { message: 'no message ID' } as JsonObject, {
				itemIndex: i,
				message: `Meta's answer has no message ID, so the message is not counted as sent [item ${i}]`,
				description: `Answer: ${JSON.stringify(response).slice(0, 200)}\nA send that Meta accepted always answers with messages[0].id. Check the Base URL in the credential (${ctx.config.baseUrl}) and look for the message in the customer's chat before sending it again.`,
			}),
			{ mayHaveArrived: true },
		);
	}
	return {
		messageId: message.id,
		waId: contact.wa_id,
		to: envelope.body.to,
		...(message.message_status ? { messageStatus: message.message_status } : {}),
		senderPhoneNumberId: envelope.sender,
		type: sent.type,
		sent,
	};
}
