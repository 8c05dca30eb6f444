/**
 * Template > Update and Meta's edit limits on approved templates (one content edit in 24 hours,
 * ten in 30 days): a second content edit of one approved template in a run is refused before any
 * edit, and Meta's refusal of an edit past its limit says that the limit may be why. Rejected and
 * paused templates are edited without limit.
 */
import type { IDataObject } from 'n8n-workflow';

import { runAction } from '../../../dev/harness/engine';
import { type SandboxCredentials, useRecordingSandbox } from '../../../dev/harness/sandbox';
import { rl } from '../../../dev/harness/templates';
import type { GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useRecordingSandbox((started) => ({ sandbox, credentials } = started));

const posts = () => sandbox.received.filter((r) => r.method === 'POST');
const components = (text: string) => JSON.stringify([{ type: 'BODY', text }]);
let n = 0;
const seed = (status: string) =>
	sandbox.addTemplate({
		name: `edited_${++n}`,
		language: 'en_US',
		category: 'UTILITY',
		status,
		components: [{ type: 'BODY', text: 'Your order has shipped.' }],
	});
const update = async (inputs: IDataObject[], template: ReturnType<typeof rl>) =>
	await runAction(
		{
			resource: 'template',
			operation: 'update',
			template,
			updateFields: { components: '={{ JSON.stringify([{ type: "BODY", text: $json.text }]) }}' },
		},
		credentials,
		inputs.map((json) => ({ json })),
	);

describe('Template > Update and the edit limits', () => {
	test('two items editing one approved template: the second is refused before any edit', async () => {
		const id = seed('APPROVED');
		const { error } = await update(
			[{ text: 'Your order is on its way.' }, { text: 'Your order is on the way.' }],
			rl(id),
		);
		expect(error?.message).toBe(
			`Template ${id} is approved and item 0 already edits its components in this run; Meta allows 1 content edit of an approved template per 24 hours [item 1]`,
		);
		expect(posts()).toEqual([]);
	});

	test('the same for a template named by ID and by name:language in one run', async () => {
		const id = seed('APPROVED');
		const name = sandbox.templates.get(id)!.name;
		const { error } = await runAction(
			{
				resource: 'template',
				operation: 'update',
				template: `={{ $json.byName ? { __rl: true, mode: "name", value: "${name}:en_US" } : { __rl: true, mode: "id", value: "${id}" } }}`,
				updateFields: { components: components('Your order is on its way.') },
			},
			credentials,
			[{ json: { byName: false } }, { json: { byName: true } }],
		);
		expect(error?.message).toMatch(/item 0 already edits its components in this run/);
		expect(posts()).toEqual([]);
	});

	test('a paused template can be edited by several items in one run', async () => {
		const id = seed('PAUSED');
		const { items, error } = await update([{ text: 'One.' }, { text: 'Two.' }], rl(id));
		expect(error).toBeUndefined();
		expect(posts().map((r) => r.path)).toEqual([`/v25.0/${id}`, `/v25.0/${id}`]);
		expect(items.map((i) => i.json.success)).toEqual([true, true]);
	});

	test("Meta's refusal within 24 hours of an edit says the limit is the likely reason", async () => {
		const id = seed('APPROVED');
		const first = await update([{ text: 'Your order is on its way.' }], rl(id));
		expect(first.error).toBeUndefined();
		sandbox.received.length = 0;
		const second = await update([{ text: 'Your order is on the way.' }], rl(id));
		expect(second.error?.name).toBe('NodeApiError');
		expect(second.error?.message).toMatch(/edited in the last 24 hours/);
		expect(String(second.error?.description)).toMatch(
			/This template is approved: Meta allows 1 content edit per 24 hours and 10 per 30 days/,
		);
		expect(posts()).toHaveLength(1);
	});

	test('the sandbox counts 10 edits in 30 days', async () => {
		const id = seed('APPROVED');
		const day = 24 * 3_600_000;
		sandbox.templateLifecycle.edits.set(
			id,
			Array.from({ length: 10 }, (_, k) => Date.now() - (k + 2) * day),
		);
		const { error } = await update([{ text: 'Your order is on its way.' }], rl(id));
		expect(error?.message).toMatch(/edited 10 times in the last 30 days/);
	});

	test('a category-only edit reads nothing before the edit', async () => {
		const id = seed('REJECTED');
		const { error } = await runAction(
			{
				resource: 'template',
				operation: 'update',
				template: rl(id),
				updateFields: { category: 'MARKETING' },
			},
			credentials,
		);
		expect(error).toBeUndefined();
		expect(sandbox.received.map((r) => r.method)).toEqual(['GET', 'POST']);
	});
});
