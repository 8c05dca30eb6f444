/**
 * Flow > Update against the sandbox: the metadata of a draft, its Flow JSON uploaded as Meta's
 * multipart asset (from the node or a binary file), Meta's validation errors in the output, and
 * Meta's refusal to change a published Flow.
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

const update = async (
	parameters: INodeParameters,
	input?: Array<{ json: IDataObject; binary?: IDataObject }>,
) => await runOperation(credentials, 'flow', 'update', parameters, input);

describe('Flow > Update', () => {
	test('metadata: name, categories and endpoint of a draft, in one call', async () => {
		const { items, error } = await update({
			flow: rl(SEED_FLOWS.draft),
			updateFields: {
				name: 'Customer survey 2026',
				categories: ['SURVEY', 'CUSTOMER_SUPPORT'],
				endpointUri: 'https://example.com/survey',
			},
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			id: SEED_FLOWS.draft,
			success: true,
			updated: {
				name: 'Customer survey 2026',
				categories: ['SURVEY', 'CUSTOMER_SUPPORT'],
				endpoint_uri: 'https://example.com/survey',
			},
		});
		expect(sandbox.flows.get(SEED_FLOWS.draft)).toMatchObject({
			name: 'Customer survey 2026',
			categories: ['SURVEY', 'CUSTOMER_SUPPORT'],
			endpoint_uri: 'https://example.com/survey',
		});
		expect(sandbox.log.map((l) => `${l.method} ${l.path}`)).toEqual([
			`POST /v25.0/${SEED_FLOWS.draft}`,
		]);
	});

	test('Flow JSON from a binary file: uploaded as the flow.json asset, byte for byte', async () => {
		const json = sampleFlowJson('NEW_SCREEN');
		const { items, error } = await update(
			{ flow: rl(SEED_FLOWS.draft), flowJsonSource: 'binary', binaryPropertyName: 'upload' },
			[
				{
					json: {},
					binary: {
						upload: {
							data: Buffer.from(json).toString('base64'),
							mimeType: 'application/json',
							fileName: 'survey.json',
						},
					},
				},
			],
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			id: SEED_FLOWS.draft,
			success: true,
			flowJsonUploaded: true,
			validationErrors: [],
		});
		expect(sandbox.flows.get(SEED_FLOWS.draft)?.flowJson).toBe(json);
		expect(sandbox.log.map((l) => `${l.method} ${l.path} ${l.status}`)).toEqual([
			`POST /v25.0/${SEED_FLOWS.draft}/assets 200`,
		]);
	});

	test("a Flow JSON with problems: saved, and Meta's validation errors listed one per entry with a notice", async () => {
		const json = JSON.stringify({ version: '7.0', screens: [{ id: 'ONLY' }] }, null, 2);
		const { items, error } = await update({
			flow: rl(SEED_FLOWS.draft),
			updateFields: { name: 'Survey with problems' },
			flowJsonSource: 'json',
			flowJson: json,
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			id: SEED_FLOWS.draft,
			success: true,
			updated: { name: 'Survey with problems' },
			flowJsonUploaded: true,
			validationErrors: [
				{
					error: 'MISSING_REQUIRED_PROPERTY',
					error_type: 'JSON_SCHEMA_ERROR',
					message: 'The property "layout" is required at "$root/screens/0".',
					line_start: 5,
					line_end: 5,
					column_start: 13,
					column_end: 18,
				},
			],
			notice:
				'Meta saved the Flow JSON but found 1 problem in it, so the Flow stays a draft until it is fixed: line 5, column 13: The property "layout" is required at "$root/screens/0".',
		});
		expect(sandbox.flows.get(SEED_FLOWS.draft)?.flowJson).toBe(json);
		// and the draft cannot be published until they are fixed
		const publish = await runOperation(credentials, 'flow', 'publish', {
			flow: rl(SEED_FLOWS.draft),
		});
		expect(publish.error?.message).toBe(
			'WhatsApp Cloud API error 139002: Publishing Flow with validation errors.',
		);
	});

	test('a published Flow cannot be changed: Meta refuses, and the hint says to copy it', async () => {
		const { error } = await update({
			flow: rl(SEED_FLOWS.published),
			updateFields: { name: 'Renamed' },
		});
		expect(error?.message).toBe(
			'WhatsApp Cloud API error 139001: You attempted to update a Flow that has already been published. Create a new Flow with clone_flow_id to change it.',
		);
		expect(String(error?.description)).toMatch(/Create > Clone From Flow ID/);
		expect(sandbox.flows.get(SEED_FLOWS.published)?.name).toBe('Book an appointment');
	});
});
