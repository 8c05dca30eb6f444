/**
 * Flow > Get and Get Many against the sandbox, and the Flow picker of the editor.
 */
import { searchFlows } from '../../../nodes/WhatsAppCloud/methods/listSearch';
import { actionLoadOptions, runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import { rl } from '../../../dev/harness/templates';
import { SEED_FLOWS, type SandboxFlow } from '../../../dev/sandbox/flows';
import type { GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => sandbox.reset(),
);

/** Adds `n` draft Flows to the sandbox's account. */
function addFlows(n: number): void {
	for (let k = 0; k < n; k++) {
		const id = String(1800000000000000 + k);
		const flow: SandboxFlow = {
			id,
			wabaId: String(credentials.businessAccountId),
			name: `Bulk flow ${String(k).padStart(3, '0')}`,
			status: 'DRAFT',
			categories: ['OTHER'],
			validation_errors: [],
		};
		sandbox.flows.set(id, flow);
	}
}

describe('Flow > Get', () => {
	test('a Flow with its status, categories, validation errors and Flow JSON version', async () => {
		const { items, error } = await runOperation(credentials, 'flow', 'get', {
			flow: rl(SEED_FLOWS.invalidDraft),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			id: SEED_FLOWS.invalidDraft,
			name: 'Lead form',
			status: 'DRAFT',
			categories: ['LEAD_GENERATION'],
			validation_errors: [
				expect.objectContaining({
					error: 'MISSING_REQUIRED_PROPERTY',
					message: 'The property "layout" is required at "$root/screens/0".',
				}),
			],
			json_version: '7.0',
		});
		expect(sandbox.log.map((l) => `${l.method} ${l.path}`)).toEqual([
			`GET /v25.0/${SEED_FLOWS.invalidDraft}`,
		]);
	});

	test('with the preview link: its URL and expiry, the same link when asked again', async () => {
		const get = async () =>
			await runOperation(credentials, 'flow', 'get', {
				flow: rl(SEED_FLOWS.published),
				includePreview: true,
			});
		const first = await get();
		expect(first.error).toBeUndefined();
		expect(first.items[0].json).toMatchObject({
			id: SEED_FLOWS.published,
			status: 'PUBLISHED',
			previewUrl: expect.stringMatching(
				new RegExp(
					`^https://business\\.facebook\\.com/wa/manage/flows/${SEED_FLOWS.published}/preview/\\?token=`,
				),
			),
			previewExpiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/),
		});
		expect(first.items[0].json.preview).toBeUndefined();
		const expires = Date.parse(String(first.items[0].json.previewExpiresAt).replace('+0000', 'Z'));
		expect(expires - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
		// invalidate(false): asking again keeps the link already given out
		expect((await get()).items[0].json.previewUrl).toBe(first.items[0].json.previewUrl);
	});

	test('a Flow that does not exist: Meta refuses with code 100', async () => {
		const { error } = await runOperation(credentials, 'flow', 'get', { flow: rl('123') });
		expect(error?.message).toMatch(/^WhatsApp Cloud API error 100: Unsupported get request/);
	});
});

describe('Flow > Get Many', () => {
	test('over several pages with Return All, and up to a limit', async () => {
		addFlows(230);
		const total = sandbox.flows.size;
		const all = await runOperation(credentials, 'flow', 'getAll', { returnAll: true });
		expect(all.error).toBeUndefined();
		expect(all.items).toHaveLength(total);
		expect(new Set(all.items.map((i) => i.json.id)).size).toBe(total);
		expect(sandbox.log.filter((l) => l.path.endsWith('/flows'))).toHaveLength(
			Math.ceil(total / 100),
		);
		expect(all.items[0].json).toEqual({
			id: SEED_FLOWS.published,
			name: 'Book an appointment',
			status: 'PUBLISHED',
			categories: ['APPOINTMENT_BOOKING'],
			validation_errors: [],
		});
		const limited = await runOperation(credentials, 'flow', 'getAll', { limit: 150 });
		expect(limited.items).toHaveLength(150);
	});
});

describe('Flow picker', () => {
	test('lists name and status, searchable by name, paged with Meta cursors', async () => {
		addFlows(120);
		const ctx = actionLoadOptions(
			{ resource: 'flow', operation: 'get' },
			credentials,
			'parameters.flow',
		);
		const first = await searchFlows.call(ctx);
		expect(first.results.slice(0, 3)).toEqual([
			{ name: 'Book an appointment · published', value: SEED_FLOWS.published },
			{ name: 'Customer survey · draft, sent only in Mode "Draft"', value: SEED_FLOWS.draft },
			{ name: 'Lead form · draft, sent only in Mode "Draft"', value: SEED_FLOWS.invalidDraft },
		]);
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBeDefined();
		const second = await searchFlows.call(ctx, undefined, first.paginationToken);
		expect(second.results).toHaveLength(23);
		expect(second.paginationToken).toBeUndefined();
		expect((await searchFlows.call(ctx, 'SURVEY')).results).toEqual([
			{ name: 'Customer survey · draft, sent only in Mode "Draft"', value: SEED_FLOWS.draft },
		]);
	});
});
