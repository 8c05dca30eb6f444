/**
 * The limits of the Flow operations: each one with a value just inside, which reaches Meta, and one
 * just outside, which fails before any request, naming the item and the field.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import { rl } from '../../../dev/harness/templates';
import { sampleFlowJson, SEED_FLOWS } from '../../../dev/sandbox/flows';
import type { GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => sandbox.reset(),
);

const MB = 1024 * 1024;

/** A valid Flow JSON of exactly `bytes` bytes (padded inside a screen's data example). */
function flowJsonOfSize(bytes: number): string {
	const base = JSON.parse(sampleFlowJson('BIG')) as { screens: Array<{ data: IDataObject }> };
	base.screens[0].data.pad = { type: 'string', __example__: '' };
	const empty = JSON.stringify(base);
	(base.screens[0].data.pad as IDataObject).__example__ = 'x'.repeat(bytes - empty.length);
	const text = JSON.stringify(base);
	expect(Buffer.byteLength(text)).toBe(bytes);
	return text;
}

const file = (text: string, name = 'data') => ({
	json: {},
	binary: {
		[name]: {
			data: Buffer.from(text).toString('base64'),
			mimeType: 'application/json',
			fileName: 'flow.json',
		},
	},
});

/**
 * One limit: the parameters read `$json.v` where the value under test goes; item 0 gets `first`,
 * item 1 `inside` or `outside`. `input` replaces the items when the value is a file.
 */
type Case = {
	name: string;
	operation: string;
	parameters: INodeParameters;
	values?: { first: unknown; inside: unknown; outside: unknown };
	input?: (ok: boolean) => Array<{ json: IDataObject; binary?: IDataObject }>;
	/** The error of the outside value: it names item 1 (item 0 is always fine). */
	error: RegExp;
};

const v = '={{ $json.v }}';
const draft = rl(SEED_FLOWS.draft);
/** A create whose name differs per item (Meta wants unique names). */
const create = (p: INodeParameters): INodeParameters => ({
	flowName: '={{ "Limits " + $itemIndex }}',
	categories: ['OTHER'],
	flowJsonSource: 'none',
	...p,
});

const cases: Case[] = [
	{
		name: 'create: the name must not be empty',
		operation: 'create',
		parameters: create({ flowName: v }),
		values: { first: 'A', inside: 'B', outside: '  ' },
		error: /^Name is empty; it needs a value \[item 1\]$/,
	},
	{
		name: 'create: at least one category',
		operation: 'create',
		parameters: create({ categories: v }),
		values: { first: ['OTHER'], inside: ['SURVEY'], outside: [] },
		error: /^Categories is empty; choose at least one category \[item 1\]$/,
	},
	{
		name: "create: only Meta's categories",
		operation: 'create',
		parameters: create({ categories: v }),
		values: { first: 'OTHER', inside: 'SURVEY, SIGN_UP', outside: 'SURVEY, BOOKING' },
		error: /^Categories has "BOOKING", which is not one of Meta's Flow categories .* \[item 1\]$/,
	},
	{
		name: 'create: a Flow JSON of at most 10 MB',
		operation: 'create',
		parameters: create({ flowJsonSource: 'json', flowJson: v }),
		values: {
			first: sampleFlowJson(),
			inside: flowJsonOfSize(10 * MB),
			outside: flowJsonOfSize(10 * MB + 1),
		},
		error:
			/^Flow JSON is too large: 10,485,761 bytes \(WhatsApp takes a Flow JSON of at most 10 MB, 10,485,760 bytes\) \[item 1\]$/,
	},
	{
		name: 'create: a Flow JSON must be JSON',
		operation: 'create',
		parameters: create({ flowJsonSource: 'json', flowJson: v }),
		values: { first: sampleFlowJson(), inside: sampleFlowJson('B'), outside: '{"version": "7.0",' },
		error: /^Flow JSON is not valid JSON: .* \[item 1\]$/,
	},
	{
		name: 'create: a Flow JSON is an object',
		operation: 'create',
		parameters: create({ flowJsonSource: 'json', flowJson: v }),
		values: { first: sampleFlowJson(), inside: sampleFlowJson('B'), outside: '[]' },
		error: /^Flow JSON must be a JSON object with "version" and "screens" \[item 1\]$/,
	},
	{
		name: 'create: a Flow JSON has a version',
		operation: 'create',
		parameters: create({ flowJsonSource: 'json', flowJson: v }),
		values: {
			first: sampleFlowJson(),
			inside: sampleFlowJson('B'),
			outside: '{"screens": [{"id": "A", "layout": {}}]}',
		},
		error:
			/^Flow JSON has no "version": give the Flow JSON version as text, e.g. "version": "7.0" \[item 1\]$/,
	},
	{
		name: 'create: a Flow JSON has screens',
		operation: 'create',
		parameters: create({ flowJsonSource: 'json', flowJson: v }),
		values: {
			first: sampleFlowJson(),
			inside: sampleFlowJson('B'),
			outside: '{"version": "7.0", "screens": []}',
		},
		error: /^Flow JSON has no "screens": a Flow needs a list of at least one screen \[item 1\]$/,
	},
	{
		name: 'create: the endpoint is HTTPS',
		operation: 'create',
		parameters: create({ options: { endpointUri: v } }),
		values: { first: 'https://e.com/a', inside: 'https://e.com/b', outside: 'http://e.com/b' },
		error: /^Options > Endpoint URI must be an https:\/\/ URL \[item 1\]$/,
	},
	{
		name: 'create: a copy is of a Flow ID',
		operation: 'create',
		parameters: create({ options: { cloneFlowId: v } }),
		values: { first: SEED_FLOWS.draft, inside: SEED_FLOWS.published, outside: 'survey' },
		error: /^Options > Clone From Flow ID must be a Flow ID \(digits only\) \[item 1\]$/,
	},
	{
		name: 'create: a Flow JSON or a copy, not both',
		operation: 'create',
		parameters: create({
			flowJsonSource: v,
			flowJson: sampleFlowJson(),
			options: { cloneFlowId: SEED_FLOWS.draft },
		}),
		values: { first: 'none', inside: 'none', outside: 'json' },
		error: /^Give either a Flow JSON or Options > Clone From Flow ID, not both \[item 1\]$/,
	},
	{
		name: 'update: a Flow JSON file of at most 10 MB',
		operation: 'update',
		parameters: { flow: draft, flowJsonSource: 'binary', binaryPropertyName: 'data' },
		input: (ok) => [file(sampleFlowJson()), file(flowJsonOfSize(ok ? 10 * MB : 10 * MB + 1))],
		error:
			/^Input Binary Field "data" is too large: 10,485,761 bytes \(WhatsApp takes a Flow JSON of at most 10 MB, 10,485,760 bytes\) \[item 1\]$/,
	},
	{
		name: 'update: a Flow JSON file has screens',
		operation: 'update',
		parameters: { flow: draft, flowJsonSource: 'binary', binaryPropertyName: 'data' },
		input: (ok) => [file(sampleFlowJson()), file(ok ? sampleFlowJson('B') : '{"version": "7.0"}')],
		error:
			/^Input Binary Field "data" has no "screens": a Flow needs a list of at least one screen \[item 1\]$/,
	},
	{
		name: 'update: the name must not be empty',
		operation: 'update',
		parameters: { flow: draft, updateFields: { name: v } },
		values: { first: 'Survey 2', inside: 'Survey 3', outside: '' },
		error: /^Update Fields > Name is empty; it needs a value \[item 1\]$/,
	},
	{
		name: 'update: categories must not be empty',
		operation: 'update',
		parameters: { flow: draft, updateFields: { categories: v } },
		values: { first: ['OTHER'], inside: ['SURVEY'], outside: [] },
		error: /^Update Fields > Categories is empty; choose at least one category \[item 1\]$/,
	},
	{
		name: 'update: the endpoint is HTTPS',
		operation: 'update',
		parameters: { flow: draft, updateFields: { endpointUri: v } },
		values: { first: 'https://e.com/a', inside: 'https://e.com/b', outside: 'ftp://e.com/b' },
		error: /^Update Fields > Endpoint URI must be an https:\/\/ URL \[item 1\]$/,
	},
	{
		name: 'update: something to update',
		operation: 'update',
		parameters: { flow: draft, updateFields: {}, flowJsonSource: v, flowJson: sampleFlowJson() },
		values: { first: 'json', inside: 'json', outside: 'none' },
		error:
			/^Nothing to update: add a field under Update Fields, or choose a Flow JSON Source \[item 1\]$/,
	},
	{
		name: 'get: a Flow ID',
		operation: 'get',
		parameters: { flow: rl(v) },
		values: { first: SEED_FLOWS.draft, inside: SEED_FLOWS.published, outside: 'Customer survey' },
		error: /^Flow must be a Flow ID \(digits only\), got "Customer survey" \[item 1\]$/,
	},
	{
		name: 'delete: a Flow to delete',
		operation: 'delete',
		parameters: { flow: rl(v) },
		values: { first: SEED_FLOWS.draft, inside: SEED_FLOWS.invalidDraft, outside: '' },
		error: /^Choose a Flow \[item 1\]$/,
	},
];

describe('Flow limits: inside reaches Meta, outside fails before any request, naming field and item', () => {
	test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		const run = async (ok: boolean) => {
			sandbox.reset();
			const input = c.input?.(ok) ?? [
				{ json: { v: c.values!.first } as IDataObject },
				{ json: { v: ok ? c.values!.inside : c.values!.outside } as IDataObject },
			];
			return await runOperation(credentials, 'flow', c.operation, c.parameters, input);
		};
		const inside = await run(true);
		expect(inside.error).toBeUndefined();
		expect(inside.items).toHaveLength(2);
		expect(sandbox.log.length).toBeGreaterThan(0);
		const outside = await run(false);
		expect(outside.error?.message).toMatch(c.error);
		expect(sandbox.log).toEqual([]);
	});
});
