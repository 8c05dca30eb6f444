import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';
import { randomBytes } from 'crypto';
import { z } from 'zod';

import { GRAPH_ID, graphId } from '../../../shared/ids';
import { binarySize } from '../../../shared/media';
import { asText, itemError } from '../../helpers/validation';
import { binaryInputField } from '../common.descriptions';

/**
 * What the Flow operations share: Meta's categories, the Flow picked in the `flow` locator, the
 * Flow JSON read from text or a file and checked before it is sent, the multipart body of a Flow
 * JSON upload, and how Meta's validation errors show in the output.
 */

/** Meta's Flow categories. */
export const FLOW_CATEGORIES: INodePropertyOptions[] = [
	{ name: 'Appointment Booking', value: 'APPOINTMENT_BOOKING' },
	{ name: 'Contact Us', value: 'CONTACT_US' },
	{ name: 'Customer Support', value: 'CUSTOMER_SUPPORT' },
	{ name: 'Lead Generation', value: 'LEAD_GENERATION' },
	{ name: 'Other', value: 'OTHER' },
	{ name: 'Sign In', value: 'SIGN_IN' },
	{ name: 'Sign Up', value: 'SIGN_UP' },
	{ name: 'Survey', value: 'SURVEY' },
];

const CATEGORY_VALUES = FLOW_CATEGORIES.map((c) => String(c.value));

/** What Get asks Meta for (besides the preview link): the Flow, its state and its problems. */
export const FLOW_FIELDS =
	'id,name,status,categories,validation_errors,json_version,data_api_version,endpoint_uri';

/** Meta takes a Flow JSON of at most 10 MB, on create as on upload. */
export const FLOW_JSON_MAX_BYTES = 10 * 1024 * 1024;

/** One problem Meta found in a Flow JSON; the Flow cannot be published while it has any. */
export type FlowValidationError = {
	error?: string;
	error_type?: string;
	message?: string;
	line_start?: number;
	line_end?: number;
	column_start?: number;
	column_end?: number;
};

/** The Flow ID of item `i`, from the `flow` locator (a pick from the list, or an ID). */
export function readFlowId(fns: IExecuteFunctions, i: number): string {
	const id = fns.getNodeParameter('flow', i, '', { extractValue: true });
	if (id === undefined || id === null || String(id).trim() === '') {
		throw itemError(
			fns,
			i,
			'Choose a Flow',
			'Pick the Flow from the list, or give its ID (WhatsApp Manager > Flows).',
		);
	}
	return graphId(fns.getNode(), id, 'Flow', 'flow', i);
}

/**
 * Where a Flow JSON comes from: the fields that choose it and hold it. `none` names the choice of
 * no Flow JSON (an empty draft on create, no change on update).
 */
export function flowJsonFields(
	none: { name: string; description: string },
	defaultSource: 'json' | 'none',
): INodeProperties[] {
	const sources: INodePropertyOptions[] = [
		{
			name: 'Binary File',
			value: 'binary',
			description: 'A Flow JSON file in a binary field of the input item',
		},
		{ name: 'JSON', value: 'json', description: 'The Flow JSON written here or by an expression' },
		{ name: none.name, value: 'none', description: none.description },
	];
	return [
		{
			displayName: 'Flow JSON Source',
			name: 'flowJsonSource',
			type: 'options',
			default: defaultSource,
			options: sources,
		},
		{
			displayName: 'Flow JSON',
			name: 'flowJson',
			type: 'json',
			default: EXAMPLE_FLOW_JSON,
			description:
				'The Flow JSON (up to 10 MB): an object with "version" and "screens", as the Flow Builder in WhatsApp Manager exports it',
			displayOptions: { show: { flowJsonSource: ['json'] } },
		},
		{
			...binaryInputField,
			hint: 'The name of the input binary field holding the flow.json file (up to 10 MB)',
			displayOptions: { show: { flowJsonSource: ['binary'] } },
		},
	];
}

/** A one-screen Flow that Meta accepts, so that the default of the Flow JSON field works. */
const EXAMPLE_FLOW_JSON = JSON.stringify(
	{
		version: '7.0',
		screens: [
			{
				id: 'WELCOME',
				title: 'Welcome',
				terminal: true,
				layout: {
					type: 'SingleColumnLayout',
					children: [
						{ type: 'TextHeading', text: 'Hello' },
						{
							type: 'Footer',
							label: 'Done',
							'on-click-action': { name: 'complete', payload: {} },
						},
					],
				},
			},
		],
	},
	null,
	2,
);

/**
 * The Flow JSON of item `i` as text, from the JSON field or a binary file, or undefined when the
 * source is `none`. It must be at most 10 MB and parse as an object with a `version` and at least
 * one screen; anything else fails here, naming the field and the item. Meta checks the rest and
 * answers with validation errors.
 */
export async function readFlowJson(fns: IExecuteFunctions, i: number): Promise<string | undefined> {
	const source = fns.getNodeParameter('flowJsonSource', i, 'json') as string;
	if (source === 'none') return undefined;
	let text: string;
	let field: string;
	if (source === 'binary') {
		const property = asText(
			fns,
			fns.getNodeParameter('binaryPropertyName', i, 'data'),
			'Input Binary Field',
			i,
		).trim();
		field = `Input Binary Field "${property}"`;
		const binary = fns.helpers.assertBinaryData(i, property);
		// the size first: a file far too large is refused without reading it
		const size = binary.id
			? (await fns.helpers.getBinaryMetadata(binary.id)).fileSize
			: binarySize(binary);
		if (Number.isFinite(size)) tooLarge(fns, size, field, i);
		const bytes = await fns.helpers.getBinaryDataBuffer(i, property);
		// a byte-order mark is not part of the JSON
		text = bytes.toString('utf8').replace(/^\uFEFF/, '');
	} else {
		field = 'Flow JSON';
		const value = fns.getNodeParameter('flowJson', i, '');
		text = typeof value === 'string' ? value : JSON.stringify(value);
	}
	tooLarge(fns, Buffer.byteLength(text, 'utf8'), field, i);
	const problem = flowJsonProblem(text);
	if (problem) {
		throw itemError(
			fns,
			i,
			`${field} ${problem}`,
			'A Flow JSON is an object such as {"version": "7.0", "screens": [{"id": "WELCOME", ...}]}; WhatsApp Manager > Flows > your Flow > "Download JSON" gives one.',
		);
	}
	return text;
}

function tooLarge(fns: IExecuteFunctions, bytes: number, field: string, i: number): void {
	if (bytes <= FLOW_JSON_MAX_BYTES) return;
	throw itemError(
		fns,
		i,
		`${field} is too large: ${bytes.toLocaleString('en-US')} bytes (WhatsApp takes a Flow JSON of at most 10 MB, ${FLOW_JSON_MAX_BYTES.toLocaleString('en-US')} bytes)`,
	);
}

/** What is wrong with a Flow JSON at first sight, or undefined. */
function flowJsonProblem(text: string): string | undefined {
	let parsed: unknown;
	try {
		parsed = jsonParse(text);
	} catch (error) {
		return `is not valid JSON: ${(error as Error).message}`;
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
		return 'must be a JSON object with "version" and "screens"';
	const flow = parsed as IDataObject;
	if (typeof flow.version !== 'string' || !flow.version.trim())
		return 'has no "version": give the Flow JSON version as text, e.g. "version": "7.0"';
	if (!Array.isArray(flow.screens) || !flow.screens.length)
		return 'has no "screens": a Flow needs a list of at least one screen';
	return undefined;
}

/**
 * The multipart body of `POST /{flow-id}/assets`: the Flow JSON as the file `flow.json`, with its
 * name and asset type. Built as bytes (not a stream) so that a retry can send it again.
 */
export function flowJsonUpload(json: string): { body: Buffer; contentType: string } {
	const boundary = `----n8nWhatsAppFlow${randomBytes(12).toString('hex')}`;
	const field = (name: string, value: string) =>
		`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
	return {
		body: Buffer.concat([
			Buffer.from(
				`${field('name', 'flow.json')}${field('asset_type', 'FLOW_JSON')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="flow.json"\r\nContent-Type: application/json\r\n\r\n`,
			),
			Buffer.from(json, 'utf8'),
			Buffer.from(`\r\n--${boundary}--\r\n`),
		]),
		contentType: `multipart/form-data; boundary=${boundary}`,
	};
}

/**
 * Meta's validation errors for the output: each one as Meta gave it, and, when there are any, a
 * notice that says in one sentence what they mean for the Flow. They do not fail the item: Meta
 * saved the Flow JSON, and the Flow stays a draft until they are fixed.
 */
export function validationOutput(
	errors: FlowValidationError[] | undefined,
	publishRequested = false,
): IDataObject {
	const list = Array.isArray(errors) ? errors : [];
	if (!list.length) return { validationErrors: [] };
	const where = (e: FlowValidationError) =>
		e.line_start !== undefined
			? `line ${e.line_start}${e.column_start !== undefined ? `, column ${e.column_start}` : ''}: `
			: '';
	const problems = list.map((e) => `${where(e)}${e.message ?? e.error ?? 'unknown problem'}`);
	return {
		validationErrors: list,
		notice: `Meta saved the Flow JSON but found ${list.length} problem${list.length > 1 ? 's' : ''} in it, so the Flow ${publishRequested ? 'was not published and stays' : 'stays'} a draft until ${list.length > 1 ? 'they are' : 'it is'} fixed: ${problems.join('; ')}`,
	};
}

/** Categories as the editor or an expression gives them: a list, or text separated by commas. */
export function readCategories(value: unknown): unknown {
	if (typeof value === 'string')
		return value
			.split(',')
			.map((c) => c.trim())
			.filter(Boolean);
	return value;
}

/** The Flow metadata Meta takes on create and update, with its rules. */
export const flowName = z.string().trim().min(1);

export const flowCategories = z.array(z.string()).superRefine((values, ctx) => {
	if (!values.length)
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			message: 'is empty; choose at least one category',
		});
	for (const value of values)
		if (!CATEGORY_VALUES.includes(value))
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message: `has "${value}", which is not one of Meta's Flow categories (${CATEGORY_VALUES.join(', ')})`,
			});
});

/** Meta calls a Flow's endpoint over HTTPS only. */
export const endpointUri = z
	.string()
	.trim()
	.url('is not a valid URL')
	.regex(/^https:\/\//i, 'must be an https:// URL');

export const flowId = z.string().trim().regex(GRAPH_ID, 'must be a Flow ID (digits only)');
