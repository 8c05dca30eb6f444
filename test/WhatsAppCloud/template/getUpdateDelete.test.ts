/**
 * Template > Get, Update and Delete in one test: get shows the components and variables that
 * update then changes, and delete takes one language of a template or all of them.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runAction } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import { addTestTemplates, rl } from '../../../dev/harness/templates';
import type { GraphSandbox } from '../../../dev/sandbox/server';

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

const manage = async (operation: string, parameters: INodeParameters, input?: IDataObject[]) =>
	await runAction(
		{ resource: 'template', operation, ...parameters },
		credentials,
		(input ?? [{}]).map((json) => ({ json })),
	);

describe('template management against the sandbox', () => {
	test('get by ID returns components and the variables a send needs; update; delete one language or all', async () => {
		const got = await manage('get', { template: rl(ids.buttons) });
		expect(got.items[0].json).toMatchObject({
			name: 'order_shipped',
			language: 'de',
			components: expect.any(Array),
			variables: [
				{ id: 'body_1', label: 'Body {{1}} e.g. Jonas', required: true },
				expect.anything(),
				expect.anything(),
				expect.anything(),
			],
		});

		const components = [
			{
				type: 'BODY',
				text: 'Hallo {{1}}, deine Bestellung ist da.',
				example: { body_text: [['Jonas']] },
			},
		];
		const updated = await manage('update', {
			template: rl(ids.buttons),
			updateFields: { components: JSON.stringify(components) },
		});
		expect(updated.items[0].json).toMatchObject({ success: true, id: ids.buttons });
		expect(sandbox.templates.get(ids.buttons)!.components).toEqual(components);
		const recategorise = await manage('update', {
			template: rl(ids.buttons),
			updateFields: { category: 'UTILITY' },
		});
		expect(recategorise.error?.message).toMatch(
			/category of an approved template cannot be changed/,
		);

		const en = sandbox.addTemplate({
			name: 'multi_lang',
			language: 'en_US',
			category: 'UTILITY',
			components: [{ type: 'BODY', text: 'Hi' }],
		});
		const de = sandbox.addTemplate({
			name: 'multi_lang',
			language: 'de',
			category: 'UTILITY',
			components: [{ type: 'BODY', text: 'Hallo' }],
		});
		const fr = sandbox.addTemplate({
			name: 'multi_lang',
			language: 'fr',
			category: 'UTILITY',
			components: [{ type: 'BODY', text: 'Salut' }],
		});
		expect(
			(await manage('delete', { templateName: 'multi_lang', templateId: de })).items[0].json,
		).toEqual({ success: true, name: 'multi_lang', id: de });
		expect([
			sandbox.templates.has(en),
			sandbox.templates.has(de),
			sandbox.templates.has(fr),
		]).toEqual([true, false, true]);
		expect((await manage('delete', { templateName: 'multi_lang' })).items[0].json).toEqual({
			success: true,
			name: 'multi_lang',
			allLanguages: true,
		});
		expect(sandbox.templates.has(en) || sandbox.templates.has(fr)).toBe(false);
		const missing = await manage('delete', { templateName: 'multi_lang' });
		expect(missing.error?.message).toMatch(/was not found/);
	});
});
