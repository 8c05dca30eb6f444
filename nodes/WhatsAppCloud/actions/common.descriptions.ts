import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { phoneNumberModes } from '../../shared/listSearch';
import { LIMIT, upToLower } from '../helpers/limits';
import {
	DEFAULT_MAX_CONCURRENT,
	DEFAULT_MAX_RETRIES,
	DEFAULT_MESSAGES_PER_SECOND,
} from '../transport/throttle';

/*
 * Fields that several operations show. They carry no displayOptions: each operation file places
 * them with one `updateDisplayOptions` call for all its fields.
 */

/** Sender phone number: a list of the account's numbers, or an ID; empty means the credential's. */
export const senderLocator: INodeProperties = {
	displayName: 'Sender Phone Number',
	name: 'sender',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	hint: "Empty: the credential's phone number",
	description: 'The business phone number to send from',
	modes: phoneNumberModes,
};

/** The recipient field every send operation shows first. */
export const recipientField: INodeProperties = {
	displayName: 'To',
	name: 'to',
	type: 'string',
	default: '',
	required: true,
	placeholder: '+4915112345678',
	hint: 'A phone number with country code, or a user ID. Answering a trigger item: {{ $json.replyTo }}',
	description:
		"Recipient phone number in international format with the country code (spaces, dashes and brackets are removed), or a business-scoped user ID such as US.13491208655302741918, sent unchanged. For a customer who shares only a username, use the trigger's replyTo (or fromUserId). Authentication templates need the phone number.",
};

/**
 * A template sent when the 24-hour window is closed: its name, language and body parameters, as
 * Fallback Template and Send and Wait's Template Outside 24-Hour Window both take it (read by
 * message/windowTemplate.ts). The words differ per use; the fields are the same.
 */
export function windowTemplateCollection(words: {
	displayName: string;
	name: string;
	placeholder: string;
	description: string;
	templateName: { placeholder: string; description: string };
	language?: { description: string };
	parameters: { placeholder: string; description: string };
}): INodeProperties {
	return {
		displayName: words.displayName,
		name: words.name,
		type: 'fixedCollection',
		default: {},
		placeholder: words.placeholder,
		description: words.description,
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
						...words.templateName,
					},
					{
						displayName: 'Language Code',
						name: 'language',
						type: 'string',
						default: 'en_US',
						...(words.language ?? {}),
					},
					{
						displayName: 'Body Parameters',
						name: 'parameters',
						type: 'string',
						typeOptions: { rows: 3 },
						default: '',
						...words.parameters,
					},
				],
			},
		],
	};
}

/** Messages that free-form content, so a 24-hour-window failure can fall back to a template. */
const FALLBACK_OPTION = windowTemplateCollection({
	displayName: 'Fallback Template',
	name: 'fallbackTemplate',
	placeholder: 'Add fallback template',
	description:
		'Free-form messages reach a customer only within 24 hours of their last message (error 131047). When Meta refuses this message for that reason, send this approved template instead; the output says so. The template is checked before anything is sent: approved, and variables only in its body.',
	templateName: { placeholder: 'follow_up', description: 'Name of an approved template' },
	language: { description: 'Language of the template, e.g. en_US, de, pt_BR' },
	parameters: {
		placeholder: 'Sheena\norder_id=A-1042',
		description:
			"One value per body variable and line, in order; a named variable can also be given as name=value. An authentication template's one line is its code.",
	},
});

/** Options shared by every send: reply, callback data, fallback template and the bulk controls. */
export function sendOptions(
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
				`Any text ${upToLower(LIMIT.callbackData)} (e.g. an order or ticket ID).` +
				' Meta does not show it to the customer; it comes back in the sent, delivered and read statuses of the trigger as bizOpaqueCallbackData.',
		},
		{
			displayName: 'Messages per Second',
			name: 'messagesPerSecond',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 2 },
			default: DEFAULT_MESSAGES_PER_SECOND,
			description:
				"The most one n8n process sends per second from one phone number: set the number's throughput (80 by default, 1,000 after Meta's automatic upgrade; incoming messages count too), not a share of it. Executions in one process share one pace, the largest set; processes sending from the same number (queue-mode workers) slow down by themselves when Meta answers 130429, to share the number's cap.",
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
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** The `template` resource locator: search the account's templates, or give an ID or name:language. */
export const templateLocator: INodeProperties = {
	displayName: 'Template',
	name: 'template',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: "Only approved templates can be sent; the list shows each template's status",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a template...',
			typeOptions: { searchListMethod: 'searchTemplates', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '1387372356726668',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\d+$', errorMessage: 'A template ID has only digits' },
				},
			],
		},
		{
			displayName: 'By Name and Language',
			name: 'name',
			type: 'string',
			placeholder: 'order_confirmation:en_US',
			hint: "The template's name and language code, separated by a colon",
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^[a-z0-9_]+:[A-Za-z_]+$',
						errorMessage: 'Write name:language, e.g. order_confirmation:en_US',
					},
				},
			],
		},
	],
};

/** The `flow` resource locator: search the account's WhatsApp Flows (name and status), or give an ID. */
export const flowLocator: INodeProperties = {
	displayName: 'Flow',
	name: 'flow',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: "A WhatsApp Flow of the account; the list shows each Flow's status",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a Flow...',
			typeOptions: { searchListMethod: 'searchFlows', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '1197715005513101',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\d+$', errorMessage: 'A Flow ID has only digits' },
				},
			],
		},
	],
};

export const mediaIdField: INodeProperties = {
	displayName: 'Media ID',
	name: 'mediaId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '1037543291543636',
	description:
		"The ID of uploaded media, or of an incoming message's media (in the trigger output: media, then ID)",
};

/** The binary field of the input item that holds a file to upload. */
export const binaryInputField: INodeProperties = {
	displayName: 'Input Binary Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	hint: 'The name of the input binary field holding the file',
};

/** An incoming or sent message, by its WhatsApp message ID. */
export const messageIdField = (description: string): INodeProperties => ({
	displayName: 'Message ID',
	name: 'messageId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'wamid.HBgL...',
	description,
});

/** Meta's template categories. */
export const templateCategories: INodePropertyOptions[] = [
	{ name: 'Authentication', value: 'AUTHENTICATION', description: 'One-time passwords' },
	{ name: 'Marketing', value: 'MARKETING', description: 'Promotions, offers, newsletters' },
	{
		name: 'Utility',
		value: 'UTILITY',
		description: 'Receipts, order and account updates, tickets',
	},
];

/** Return All and Limit, for the Get Many operations that follow Meta's cursors. */
export const returnAllFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/**
 * Options > Text Format, wherever a text is sent that a language model may have written (Send
 * Text, and Send and Wait's message).
 */
export const textFormatOption: INodeProperties = {
	displayName: 'Text Format',
	name: 'textFormat',
	type: 'options',
	default: 'asIs',
	options: [
		{
			name: 'As Is',
			value: 'asIs',
			description: 'Send the text unchanged; WhatsApp formatting (*bold*, _italic_) works as typed',
		},
		{
			name: 'Markdown',
			value: 'markdown',
			description:
				'Convert Markdown, as AI models write it (**bold**, # headings, links, tables, code), to WhatsApp formatting',
		},
	],
	description:
		'Markdown: **bold** becomes *bold*, *italic* _italic_, ~~strike~~ ~strike~, a heading a bold line, a link "text (address)", a table one line per row; code stays as it is, and snake_case or URLs never turn into formatting. The limits apply to the converted text.',
};
