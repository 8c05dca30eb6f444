import { LoadOptionsContext } from 'n8n-core';
import type { ResourceMapperField } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { getTemplateVariables } from '../../../nodes/WhatsAppCloud/methods/resourceMapping';
import { actionNode, additionalDataFor, nodeTypes, TestNodeTypes } from '../../harness/engine';
import { type SandboxCredentials, useSandbox } from '../../harness/sandbox';
import { addTestTemplates, rl } from '../../harness/templates';
import type { GraphSandbox } from '../../sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
let ids: ReturnType<typeof addTestTemplates>;
useSandbox(
	(started) => {
		({ sandbox, credentials } = started);
		ids = addTestTemplates(sandbox);
	},
	() => {
		sandbox.accepted.length = 0;
		sandbox.log.length = 0;
	},
);

async function fieldsFor(templateId: string): Promise<ResourceMapperField[]> {
	const node = actionNode({
		resource: 'message',
		operation: 'sendTemplate',
		template: rl(templateId),
	});
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes(nodeTypes()),
	});
	const ctx = new LoadOptionsContext(
		workflow,
		node,
		additionalDataFor(credentials),
		'parameters.templateVariables',
	);
	return (await getTemplateVariables.call(ctx)).fields;
}

const summary = (fields: ResourceMapperField[]) =>
	fields.map((f) => [f.id, f.displayName, f.required]);

describe('Template Variables: fields come from the template itself', () => {
	test('positional, with a text header (Meta example coupon_expiration_reminder_number_vars)', async () => {
		expect(summary(await fieldsFor('1304694804498707'))).toEqual([
			['header_1', 'Header {{1}} (e.g. Pablo)', true],
			['body_1', 'Body {{1}} (e.g. SUMMER20)', true],
			['body_2', 'Body {{2}} (e.g. 10)', true],
			['button_1', 'Button "Unsubscribe": reply payload (optional)', false],
		]);
	});

	test('named, with an image header (Meta example reservation_confirmation)', async () => {
		expect(summary(await fieldsFor('1387372356726668'))).toEqual([
			['header_media', 'Header image (link, media ID or binary:data)', true],
			['body_number_of_guests', 'Body {{number_of_guests}} (e.g. 4)', true],
			['body_day', 'Body {{day}} (e.g. Saturday)', true],
			['body_date', 'Body {{date}} (e.g. August 30th, 2025)', true],
			['body_time', 'Body {{time}} (e.g. 7:30 pm)', true],
			['button_2', 'Button "Cancel reservation": reply payload (optional)', false],
		]);
	});

	test('location header, dynamic URL and copy-code buttons', async () => {
		expect(summary(await fieldsFor(ids.location)).map((f) => f[0])).toEqual([
			'header_latitude',
			'header_longitude',
			'header_name',
			'header_address',
			'body_1',
		]);
		expect(summary(await fieldsFor(ids.buttons))).toEqual([
			['body_1', 'Body {{1}} (e.g. Jonas)', true],
			[
				'button_0',
				'Button "Sendung verfolgen": end of the link https://luckyshrub.com/track/{{1}} (e.g. A 1042)',
				true,
			],
			['button_1', 'Button "Copy code": coupon code (e.g. SAVE25)', true],
			['button_2', 'Button "Stop": reply payload (optional)', false],
		]);
	});
});
