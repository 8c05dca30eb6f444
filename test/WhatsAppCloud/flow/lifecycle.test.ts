/**
 * Publish, Deprecate and Delete against the sandbox, with Meta's lifecycle rules: only a draft
 * without validation errors is published, only a published Flow is deprecated, only a draft is
 * deleted. And the faults of the sandbox on Flow calls: retried like every management call.
 */
import { runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import { rl } from '../../../dev/harness/templates';
import { SEED_FLOWS } from '../../../dev/sandbox/flows';
import type { GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => {
		sandbox.setFaults(undefined);
		sandbox.reset();
	},
);

const run = async (operation: string, id: string) =>
	await runOperation(credentials, 'flow', operation, { flow: rl(id) });

describe('Flow lifecycle', () => {
	test('publish a draft, then deprecate it; neither again', async () => {
		const published = await run('publish', SEED_FLOWS.draft);
		expect(published.error).toBeUndefined();
		expect(published.items[0].json).toEqual({
			success: true,
			id: SEED_FLOWS.draft,
			status: 'PUBLISHED',
		});
		expect(sandbox.flows.get(SEED_FLOWS.draft)?.status).toBe('PUBLISHED');
		expect(sandbox.log.map((l) => `${l.method} ${l.path}`)).toEqual([
			`POST /v25.0/${SEED_FLOWS.draft}/publish`,
		]);

		const again = await run('publish', SEED_FLOWS.draft);
		expect(again.error?.message).toBe(
			'WhatsApp Cloud API error 139002: Publishing Flow in invalid state.',
		);
		expect(String(again.error?.description)).toMatch(/Only a draft without validation errors/);

		const deprecated = await run('deprecate', SEED_FLOWS.draft);
		expect(deprecated.items[0].json).toEqual({
			success: true,
			id: SEED_FLOWS.draft,
			status: 'DEPRECATED',
		});
		expect(sandbox.flows.get(SEED_FLOWS.draft)?.status).toBe('DEPRECATED');
		const twice = await run('deprecate', SEED_FLOWS.draft);
		expect(twice.error?.message).toBe(
			'WhatsApp Cloud API error 139003: Flow is already deprecated.',
		);
	});

	test('a draft with validation errors is not published', async () => {
		const { error } = await run('publish', SEED_FLOWS.invalidDraft);
		expect(error?.message).toBe(
			'WhatsApp Cloud API error 139002: Publishing Flow with validation errors.',
		);
		expect(sandbox.flows.get(SEED_FLOWS.invalidDraft)?.status).toBe('DRAFT');
	});

	test('only a published Flow is deprecated', async () => {
		const { error } = await run('deprecate', SEED_FLOWS.draft);
		expect(error?.message).toBe(
			"WhatsApp Cloud API error 139003: Can't deprecate unpublished flow.",
		);
		expect(String(error?.description)).toMatch(/only a published Flow can be/);
	});

	test('delete a draft; a published Flow is refused with a hint to deprecate it', async () => {
		const deleted = await run('delete', SEED_FLOWS.draft);
		expect(deleted.items[0].json).toEqual({ success: true, id: SEED_FLOWS.draft, deleted: true });
		expect(sandbox.flows.has(SEED_FLOWS.draft)).toBe(false);
		expect(sandbox.log.map((l) => `${l.method} ${l.path}`)).toEqual([
			`DELETE /v25.0/${SEED_FLOWS.draft}`,
		]);
		const published = await run('delete', SEED_FLOWS.published);
		expect(published.error?.message).toBe(
			"WhatsApp Cloud API error 139004: Can't delete published Flow.",
		);
		expect(String(published.error?.description)).toMatch(/Deprecate a published Flow instead/);
		expect(sandbox.flows.has(SEED_FLOWS.published)).toBe(true);
	});

	test("the sandbox's faults reach Flow calls too: Meta's rate limit (80007) and a server error, retried to one Flow", async () => {
		// seed 35 rolls a throttle, then a server error, then nothing
		sandbox.setFaults({ throttle: 0.35, serverError: 0.35, seed: 35 });
		const before = sandbox.flows.size;
		const { items, error } = await runOperation(credentials, 'flow', 'create', {
			flowName: 'Made through faults',
			flowJsonSource: 'none',
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ success: true, status: 'DRAFT' });
		expect(sandbox.log.map((l) => `${l.method} ${l.path} ${l.status}`)).toEqual([
			'POST /v25.0/102290129340398/flows 400',
			'POST /v25.0/102290129340398/flows 500',
			'POST /v25.0/102290129340398/flows 200',
		]);
		expect(sandbox.injected).toMatchObject({ throttle: 1, serverError: 1 });
		expect(sandbox.flows.size).toBe(before + 1);
	});
});
