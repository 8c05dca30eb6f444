import type {
	IDataObject,
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';
import { randomUUID } from 'crypto';
import { z } from 'zod';

import { GRAPH_ID } from '../../../../shared/ids';
import { LIMIT, upToLower } from '../../../helpers/limits';
import { asText, hasEmoji, itemError, readText, text } from '../../../helpers/validation';
import { flowLocator } from '../../common.descriptions';
import type { InteractiveKind } from './form';
import { bodySchema, footerSchema } from './shared';

/**
 * Flow: a button that opens a WhatsApp Flow (screens with a form to fill in). The fields pick the
 * Flow and say how it opens; the customer's answers come back to the trigger with the flow token.
 * The Flows themselves are made and published by the Flow resource (actions/flow).
 */

const show = (extra: IDataObject = {}) => ({ show: { interactiveType: ['flow'], ...extra } });

/** The fields of the Flow kind, shown only when Interactive Type is Flow. */
const flowMessageFields: INodeProperties[] = [
	{
		...flowLocator,
		description:
			'The Flow to open. A draft Flow can be sent only with Mode "Draft" (for testing); by name it is sent as the name, which breaks if the Flow is renamed.',
		modes: [
			...(flowLocator.modes ?? []),
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'Book an appointment',
				hint: "The Flow's name exactly as in WhatsApp Manager > Flows",
			},
		],
		displayOptions: show(),
	},
	{
		displayName: 'Header Text',
		name: 'flowHeaderText',
		type: 'string',
		default: '',
		description: `Optional, ${upToLower(LIMIT.headerText)}`,
		displayOptions: show(),
	},
	{
		displayName: 'Button Text',
		name: 'flowCta',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Book now',
		description: `The button that opens the Flow: ${upToLower(LIMIT.buttonTitle)}, no emoji`,
		displayOptions: show(),
	},
	{
		displayName: 'Mode',
		name: 'flowMode',
		type: 'options',
		default: 'published',
		options: [
			{
				name: 'Draft',
				value: 'draft',
				description: 'Send the Flow as it is now, for testing; the only way to send a draft',
			},
			{ name: 'Published', value: 'published', description: 'Send the published Flow' },
		],
		displayOptions: show(),
	},
	{
		displayName: 'Flow Action',
		name: 'flowAction',
		type: 'options',
		default: 'navigate',
		options: [
			{
				name: 'Data Exchange',
				value: 'data_exchange',
				description: "The Flow's endpoint gives the first screen and its data",
			},
			{
				name: 'Navigate',
				value: 'navigate',
				description: 'Open a screen of the Flow, with data given here',
			},
		],
		displayOptions: show(),
	},
	{
		displayName: 'First Screen',
		name: 'flowScreen',
		type: 'string',
		default: '',
		placeholder: 'BOOKING',
		description:
			"The ID of the screen to open. Empty: the Flow's first screen (then Screen Data must be empty too).",
		displayOptions: show({ flowAction: ['navigate'] }),
	},
	{
		displayName: 'Screen Data',
		name: 'flowScreenData',
		type: 'json',
		default: '',
		placeholder: '{ "name": "Ana" }',
		description:
			'Optional: a JSON object with at least one value, for the first screen (its data). Needs a First Screen.',
		displayOptions: show({ flowAction: ['navigate'] }),
	},
	{
		displayName: 'Flow Token',
		// not "flowToken": n8n's rules mask every field named like a token, and this one is no secret
		name: 'flowReference',
		type: 'string',
		default: '',
		placeholder: 'order-4711',
		description:
			"Comes back with the customer's answers (in the trigger's response JSON), to tell them apart. Empty: a new random one for each message. The output shows it as flowToken.",
		displayOptions: show(),
	},
];

/** Screen Data as an object: text is parsed; empty means none. Fails naming the field and item. */
function readScreenData(fns: IExecuteFunctions, i: number): IDataObject | undefined {
	const raw = fns.getNodeParameter('flowScreenData', i, '');
	let value: unknown = raw;
	if (typeof raw === 'string') {
		if (!raw.trim()) return undefined;
		try {
			value = jsonParse(raw);
		} catch (error) {
			throw itemError(
				fns,
				i,
				`Screen Data is not valid JSON: ${(error as Error).message}`,
				'Give a JSON object such as {"name": "Ana"}.',
				'',
			);
		}
	}
	if (value === null || value === undefined) return undefined;
	if (typeof value !== 'object' || Array.isArray(value))
		throw itemError(fns, i, 'Screen Data must be a JSON object such as {"name": "Ana"}');
	return value as IDataObject;
}

/**
 * The `interactive` object of a Flow message for item `i`, with the flow token given or a new
 * random UUID. Meta's checks run on it afterwards (`flowMessageSchema`).
 */
function buildFlowMessage(fns: IExecuteFunctions, i: number): IDataObject {
	// the body before the Flow: of two fields that are not text, the body is the one named, as for
	// reply buttons, lists and call-to-action links
	const body = readText(fns, 'body', i, 'Body');
	const locator = fns.getNodeParameter('flow', i, {}) as INodeParameterResourceLocator | string;
	const mode = typeof locator === 'string' ? 'id' : locator.mode;
	const flow = asText(fns, typeof locator === 'string' ? locator : locator.value, 'Flow', i).trim();
	if (!flow)
		throw itemError(
			fns,
			i,
			'Choose a Flow',
			'Pick the Flow from the list, or give its ID or name.',
		);
	const flowToken = readText(fns, 'flowReference', i, 'Flow Token').trim() || randomUUID();
	const action = fns.getNodeParameter('flowAction', i, 'navigate') as string;
	let payload: IDataObject | undefined;
	if (action === 'navigate') {
		const screen = readText(fns, 'flowScreen', i, 'First Screen').trim();
		const data = readScreenData(fns, i);
		if (data && !screen)
			throw itemError(
				fns,
				i,
				'First Screen is empty, but Screen Data needs the screen it is for',
				"Give the ID of the screen (as in the Flow JSON, e.g. BOOKING), or leave Screen Data empty to open the Flow's first screen.",
			);
		if (screen) payload = { screen, ...(data ? { data } : {}) };
	}
	const header = readText(fns, 'flowHeaderText', i, 'Header Text');
	const footer = readText(fns, 'footer', i, 'Footer');
	return {
		type: 'flow',
		...(header ? { header: { type: 'text', text: header } } : {}),
		body: { text: body },
		...(footer ? { footer: { text: footer } } : {}),
		action: {
			name: 'flow',
			parameters: {
				flow_message_version: '3',
				// a Flow picked from the list or given by ID goes by its ID; by name, as flow_name
				...(mode === 'name' ? { flow_name: flow } : { flow_id: flow }),
				flow_cta: readText(fns, 'flowCta', i, 'Button Text'),
				flow_token: flowToken,
				mode: fns.getNodeParameter('flowMode', i, 'published') as string,
				flow_action: action,
				...(payload ? { flow_action_payload: payload } : {}),
			},
		},
	};
}

/**
 * Opens a WhatsApp Flow, named by `flow_id` or `flow_name` (exactly one), with a text header at
 * most. The button text takes at most 20 characters, not 30: Meta's OpenAPI document allows 30
 * and its guide only "advises" 30, while the libraries that send Flows and Meta's partners refuse
 * more than 20, so a text that passes here is one every account takes. `data` for the first
 * screen is sent as an object (Meta's own examples do), never empty.
 */
const flowMessageSchema = z.object({
	type: z.literal('flow'),
	header: z
		.object({
			type: z.literal('text', {
				errorMap: () => ({ message: 'must be text: a Flow message takes a text header only' }),
			}),
			text: text(LIMIT.headerText),
		})
		.optional(),
	body: bodySchema,
	footer: footerSchema,
	action: z.object({
		name: z.literal('flow'),
		parameters: z
			.object({
				flow_message_version: z.literal('3'),
				flow_id: z.string().regex(GRAPH_ID, 'must be a Flow ID (digits only)').optional(),
				flow_name: z.string().trim().min(1).optional(),
				// Meta takes no emoji in the button of a Flow message
				flow_cta: text(LIMIT.buttonTitle).refine((s) => !hasEmoji(s), 'may not contain emoji'),
				flow_token: z.string().min(1),
				mode: z.enum(['draft', 'published']),
				flow_action: z.enum(['navigate', 'data_exchange']),
				flow_action_payload: z
					.object({
						screen: z.string().trim().min(1),
						data: z
							.record(z.string(), z.unknown())
							.refine((d) => Object.keys(d).length > 0, 'must have at least one value')
							.optional(),
					})
					.optional(),
			})
			.superRefine((p, ctx) => {
				if ((p.flow_id === undefined) === (p.flow_name === undefined))
					ctx.addIssue({
						code: z.ZodIssueCode.custom,
						path: ['flow_id'],
						message: 'must be given either by ID or by name (exactly one of them)',
					});
				if (p.flow_action_payload && p.flow_action !== 'navigate')
					ctx.addIssue({
						code: z.ZodIssueCode.custom,
						path: ['flow_action_payload'],
						message: 'only goes with Flow Action "Navigate"',
					});
			}),
	}),
});

/** The flow token a built Flow message carries: the customer's answers come back with it. */
const flowTokenOf = (interactive: IDataObject): string | undefined =>
	((interactive.action as IDataObject | undefined)?.parameters as IDataObject | undefined)
		?.flow_token as string | undefined;

/** Editor labels of the Flow message's parts, for errors. */
const LABELS: Record<string, string> = {
	header: 'Header',
	'header.type': 'Header',
	'header.text': 'Header Text',
	'body.text': 'Body',
	'footer.text': 'Footer',
	'action.parameters.flow_id': 'Flow',
	'action.parameters.flow_name': 'Flow',
	'action.parameters.flow_cta': 'Button Text',
	'action.parameters.flow_token': 'Flow Token',
	'action.parameters.mode': 'Mode',
	'action.parameters.flow_action': 'Flow Action',
	'action.parameters.flow_action_payload': 'First Screen',
	'action.parameters.flow_action_payload.screen': 'First Screen',
	'action.parameters.flow_action_payload.data': 'Screen Data',
};

export const flowMessage: InteractiveKind = {
	option: {
		name: 'Flow',
		value: 'flow',
		description: 'A button that opens a WhatsApp Flow: screens with a form to fill in',
	},
	fields: flowMessageFields,
	schema: flowMessageSchema,
	build: (fns, i) => ({ interactive: buildFlowMessage(fns, i), labels: LABELS }),
	output(interactive) {
		const flowToken = flowTokenOf(interactive);
		return flowToken ? { flowToken } : undefined;
	},
};
