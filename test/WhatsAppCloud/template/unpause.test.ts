/** Template > Unpause: the request, Meta's success, its refusal with a reason, refusals before any request. */
import { type OperationArgs, runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useRecordingSandbox } from '../../../dev/harness/sandbox';
import { rl } from '../../../dev/harness/templates';
import type { GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useRecordingSandbox((started) => ({ sandbox, credentials } = started));

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);
const seed = (name: string, status: string) =>
	sandbox.addTemplate({
		name,
		language: 'en_US',
		category: 'MARKETING',
		status,
		components: [{ type: 'BODY', text: 'Hi' }],
	});

describe('Template > Unpause', () => {
	test('posts to /{template-id}/unpause and the paused template is approved again', async () => {
		const id = seed('paused_promo', 'PAUSED');
		const { items, error } = await run('template', 'unpause', { template: rl(id) });
		expect(error).toBeUndefined();
		expect(sandbox.received).toHaveLength(1);
		expect(sandbox.received[0]).toMatchObject({ method: 'POST', path: `/v25.0/${id}/unpause` });
		expect(sandbox.received[0].body.length).toBe(0);
		expect(items.map((i) => i.json)).toEqual([{ templateId: id, unpaused: true }]);
		expect(sandbox.templates.get(id)!.status).toBe('APPROVED');
	});

	test('by name and language: the template is looked up first', async () => {
		const id = seed('paused_by_name', 'PAUSED');
		const { items, error } = await run('template', 'unpause', {
			template: rl('paused_by_name:en_US', 'name'),
		});
		expect(error).toBeUndefined();
		expect(sandbox.received.map((r) => `${r.method} ${r.path}`)).toEqual([
			expect.stringMatching(/^GET \/v25.0\/\d+\/message_templates$/),
			`POST /v25.0/${id}/unpause`,
		]);
		expect(items[0].json).toEqual({ templateId: id, unpaused: true });
	});

	test("Meta's success:false on a template that is not paused is an error with Meta's reason", async () => {
		const id = seed('not_paused', 'APPROVED');
		const { error } = await run('template', 'unpause', { template: rl(id) });
		expect(error?.message).toBe(
			`Meta did not unpause template ${id}: Template is not paused. Its status is APPROVED. [item 0]`,
		);
		expect(sandbox.templates.get(id)!.status).toBe('APPROVED');
	});

	test.each([
		['a path from an expression', '={{ "123/unpause" }}'],
		['an object from an expression', '={{ { id: 1 } }}'],
	])('refuses an ID that is %s before any request', async (_, value) => {
		const { error } = await run('template', 'unpause', { template: rl(value) });
		expect(error?.message).toMatch(/Template must be a template ID \(digits only\)/);
		expect(sandbox.received).toEqual([]);
	});
});
