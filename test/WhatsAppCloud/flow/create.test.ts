/**
 * Flow > Create against the sandbox: from a Flow JSON written in the node or in a binary file, as
 * a copy of another Flow, published at once or kept a draft, and Meta's validation errors and
 * refusals as the output shows them.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import { sampleFlowJson, SEED_FLOWS } from '../../../dev/sandbox/flows';
import type { GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => sandbox.reset(),
);

const create = async (
	parameters: INodeParameters,
	input?: Array<{ json: IDataObject; binary?: IDataObject }>,
) => await runOperation(credentials, 'flow', 'create', parameters, input);

const fileOf = (text: string) => ({
	json: {},
	binary: {
		data: {
			data: Buffer.from(text).toString('base64'),
			mimeType: 'application/json',
			fileName: 'flow.json',
		},
	},
});

describe('Flow > Create', () => {
	test('from a Flow JSON written in the node: a draft with that JSON, name and categories', async () => {
		const json = sampleFlowJson('BOOKING');
		const { items, error } = await create({
			flowName: 'Book a table',
			categories: ['APPOINTMENT_BOOKING', 'SIGN_UP'],
			flowJsonSource: 'json',
			flowJson: json,
		});
		expect(error).toBeUndefined();
		const id = String(items[0].json.id);
		expect(items[0].json).toEqual({
			id,
			success: true,
			name: 'Book a table',
			categories: ['APPOINTMENT_BOOKING', 'SIGN_UP'],
			status: 'DRAFT',
			validationErrors: [],
		});
		expect(sandbox.flows.get(id)).toMatchObject({
			name: 'Book a table',
			categories: ['APPOINTMENT_BOOKING', 'SIGN_UP'],
			status: 'DRAFT',
			flowJson: json,
		});
		expect(sandbox.log.map((l) => `${l.method} ${l.path}`)).toEqual([
			'POST /v25.0/102290129340398/flows',
		]);
	});

	test('the default Flow JSON of the editor is one Meta publishes', async () => {
		const { items, error } = await create({
			flowName: 'Default',
			options: { publish: true },
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'PUBLISHED', validationErrors: [] });
		expect(sandbox.flows.get(String(items[0].json.id))?.status).toBe('PUBLISHED');
	});

	test('from a binary file, published at once, with an endpoint', async () => {
		const json = sampleFlowJson('WELCOME');
		const { items, error } = await create(
			{
				flowName: 'From a file',
				categories: ['OTHER'],
				flowJsonSource: 'binary',
				binaryPropertyName: 'data',
				options: { publish: true, endpointUri: 'https://example.com/flow' },
			},
			[fileOf(json)],
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'PUBLISHED', validationErrors: [] });
		expect(sandbox.flows.get(String(items[0].json.id))).toMatchObject({
			status: 'PUBLISHED',
			flowJson: json,
			endpoint_uri: 'https://example.com/flow',
		});
	});

	test("asked to publish a Flow JSON with validation errors: the output lists Meta's errors, one per entry, and says it stays a draft", async () => {
		const json = JSON.stringify(
			{ version: '7.0', screens: [{ id: 'ONE', title: 'One' }, { title: 'Two' }] },
			null,
			2,
		);
		const { items, error } = await create({
			flowName: 'Broken',
			categories: ['SURVEY'],
			flowJsonSource: 'json',
			flowJson: json,
			options: { publish: true },
		});
		expect(error).toBeUndefined();
		const out = items[0].json;
		expect(out.status).toBe('DRAFT');
		expect(out.validationErrors).toEqual([
			expect.objectContaining({
				error: 'MISSING_REQUIRED_PROPERTY',
				error_type: 'JSON_SCHEMA_ERROR',
				message: 'The property "layout" is required at "$root/screens/0".',
				line_start: 5,
			}),
			expect.objectContaining({ message: 'The property "id" is required at "$root/screens/1".' }),
			expect.objectContaining({
				message: 'The property "layout" is required at "$root/screens/1".',
			}),
		]);
		expect(out.notice).toMatch(
			/^Meta saved the Flow JSON but found 3 problems in it, so the Flow was not published and stays a draft until they are fixed: line 5, column \d+: The property "layout" is required/,
		);
		expect(sandbox.flows.get(String(out.id))?.status).toBe('DRAFT');
	});

	test('asked to publish a Flow that Meta does not publish for another reason: the status read back, and a notice', async () => {
		// a Flow with data exchange needs an endpoint before it can be published
		const json = JSON.stringify({ ...JSON.parse(sampleFlowJson()), data_api_version: '3.0' });
		const { items, error } = await create({
			flowName: 'Needs an endpoint',
			flowJsonSource: 'json',
			flowJson: json,
			options: { publish: true },
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			status: 'DRAFT',
			validationErrors: [],
			notice:
				"Meta created the Flow but did not publish it (status DRAFT). Run Flow > Publish on it to see Meta's reason.",
		});
		const id = String(items[0].json.id);
		expect(sandbox.log.map((l) => `${l.method} ${l.path}`)).toEqual([
			'POST /v25.0/102290129340398/flows',
			`GET /v25.0/${id}`,
		]);
		const publish = await runOperation(credentials, 'flow', 'publish', {
			flow: { __rl: true, mode: 'id', value: id },
		});
		expect(publish.error?.message).toBe(
			'WhatsApp Cloud API error 139002: Publishing without specifying endpoint_uri is forbidden.',
		);
	});

	test('as a copy of a published Flow: a draft with its Flow JSON', async () => {
		const { items, error } = await create({
			flowName: 'Book an appointment v2',
			categories: ['APPOINTMENT_BOOKING'],
			flowJsonSource: 'none',
			options: { cloneFlowId: SEED_FLOWS.published },
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'DRAFT', clonedFrom: SEED_FLOWS.published });
		expect(sandbox.flows.get(String(items[0].json.id))?.flowJson).toBe(
			sandbox.flows.get(SEED_FLOWS.published)?.flowJson,
		);
	});

	test("Meta's refusals: a name already taken, a copy of a Flow that does not exist", async () => {
		const taken = await create({ flowName: 'Book an appointment', flowJsonSource: 'none' });
		expect(taken.error?.message).toMatch(
			/^WhatsApp Cloud API error 100: Flow name should be unique/,
		);
		const missing = await create({
			flowName: 'Copy',
			flowJsonSource: 'none',
			options: { cloneFlowId: '999' },
		});
		expect(missing.error?.message).toMatch(/not found in your account/);
	});
});
