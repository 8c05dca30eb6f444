/**
 * Template > Compare: the request (the other template in template_ids, a window ending now), one
 * flat item per metric, Meta's refusals, and each refusal before any request.
 */
import { type OperationArgs, runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useRecordingSandbox } from '../../../dev/harness/sandbox';
import type { GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useRecordingSandbox((started) => ({ sandbox, credentials } = started));

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);
const seed = (name: string, sends: number, blockRate: number, topBlockReason: string) => {
	const id = sandbox.addTemplate({
		name,
		language: 'en_US',
		category: 'MARKETING',
		components: [{ type: 'BODY', text: 'Hi' }],
	});
	sandbox.templateLifecycle.stats.set(id, { sends, blockRate, topBlockReason });
	return id;
};

describe('Template > Compare', () => {
	test('asks for the last 30 days by default and gives one item per metric', async () => {
		const a = seed('spring_a', 1840, 0.04, 'SPAM');
		const b = seed('spring_b', 2210, 0.01, 'NO_LONGER_NEEDED');
		const before = Math.floor(Date.now() / 1000);
		const { items, error } = await run('template', 'compare', { templateIds: `${a}, ${b}` });
		const after = Math.floor(Date.now() / 1000);
		expect(error).toBeUndefined();
		expect(sandbox.received).toHaveLength(1);
		const [request] = sandbox.received;
		expect(request).toMatchObject({ method: 'GET', path: `/v25.0/${a}/compare` });
		expect(request.query.template_ids).toBe(`["${b}"]`);
		const end = Number(request.query.end);
		expect(end).toBeGreaterThanOrEqual(before);
		expect(end).toBeLessThanOrEqual(after);
		expect(end - Number(request.query.start)).toBe(30 * 86400);
		const window = {
			templateIds: [a, b],
			days: 30,
			start: new Date((end - 30 * 86400) * 1000).toISOString(),
			end: new Date(end * 1000).toISOString(),
		};
		expect(items.map((i) => i.json)).toEqual([
			{ metric: 'BLOCK_RATE', lowestFirst: [b, a], ...window },
			{ metric: 'MESSAGE_SENDS', values: { [a]: 1840, [b]: 2210 }, ...window },
			{ metric: 'TOP_BLOCK_REASON', values: { [a]: 'SPAM', [b]: 'NO_LONGER_NEEDED' }, ...window },
		]);
	});

	test('a 90-day window from an expression list', async () => {
		const a = seed('autumn_a', 5000, 0.02, 'OTHER');
		const b = seed('autumn_b', 5000, 0.03, 'SPAM');
		const { error } = await run('template', 'compare', {
			templateIds: `={{ ["${a}", ${b}] }}`,
			window: 90,
		});
		expect(error).toBeUndefined();
		const { start, end } = sandbox.received[0].query;
		expect(Number(end) - Number(start)).toBe(90 * 86400);
	});

	test('an answer without metrics gives one item that says so', async () => {
		const a = seed('empty_a', 5000, 0.01, 'SPAM');
		const b = seed('empty_b', 5000, 0.02, 'SPAM');
		sandbox.templateLifecycle.compare = () => ({ status: 200, body: { data: [] } });
		try {
			const { items, error } = await run('template', 'compare', { templateIds: `${a},${b}` });
			expect(error).toBeUndefined();
			expect(items.map((i) => i.json)).toEqual([
				expect.objectContaining({
					metric: null,
					templateIds: [a, b],
					note: 'Meta returned no metrics for these templates and window',
				}),
			]);
		} finally {
			delete (sandbox.templateLifecycle as { compare?: unknown }).compare;
		}
	});

	test("Meta's refusal of a template with fewer than 1,000 sends is a NodeApiError", async () => {
		const a = seed('few_a', 999, 0.01, 'SPAM');
		const b = seed('few_b', 4000, 0.02, 'SPAM');
		const { error } = await run('template', 'compare', { templateIds: `${a},${b}` });
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(new RegExp(`Template ${a} was sent fewer than 1,000 times`));
	});

	test.each([
		['one ID', (a: string) => a, /exactly 2 different templates, got 1/],
		['the same ID twice', (a: string) => `${a}, ${a}`, /exactly 2 different templates, got 1/],
		[
			'three IDs',
			(a: string, b: string) => `${a},${b},1234`,
			/exactly 2 different templates, got 3/,
		],
		[
			'three IDs from an expression',
			(a: string, b: string) => `={{ ["${a}", "${b}", "9"] }}`,
			/got 3/,
		],
		['an ID with a path', (a: string) => `={{ "${a}, 1/compare" }}`, /must be a template ID/],
	])('refuses %s before any request', async (_, ids, message) => {
		const a = seed('refuse_a', 5000, 0.01, 'SPAM');
		const b = seed('refuse_b', 5000, 0.01, 'SPAM');
		const { error } = await run('template', 'compare', { templateIds: ids(a, b) });
		expect(error?.message).toMatch(message);
		expect(sandbox.received).toEqual([]);
	});

	test('refuses a window Meta does not compare, from an expression, before any request', async () => {
		const a = seed('window_a', 5000, 0.01, 'SPAM');
		const b = seed('window_b', 5000, 0.01, 'SPAM');
		const { error } = await run('template', 'compare', {
			templateIds: `${a},${b}`,
			window: '={{ 14 }}',
		});
		expect(error?.message).toBe('Time Window must be 7, 30, 60, 90 days, got 14 [item 0]');
		expect(sandbox.received).toEqual([]);
	});

	test("the sandbox plays Meta's window and pair rules", async () => {
		const a = seed('rules_a', 5000, 0.01, 'SPAM');
		const b = seed('rules_b', 5000, 0.01, 'SPAM');
		const now = Math.floor(Date.now() / 1000);
		const ask = async (qs: Record<string, string>) => {
			const res = await fetch(`${sandbox.url}/v25.0/${a}/compare?${new URLSearchParams(qs)}`, {
				headers: { authorization: 'Bearer sandbox-token' },
			});
			return ((await res.json()) as { error?: { error_user_msg?: string } }).error?.error_user_msg;
		};
		const day = 86400;
		expect(await ask({ template_ids: `[${b}]`, start: `${now - 14 * day}`, end: `${now}` })).toBe(
			'The time range must be the last 7, 30, 60 or 90 days.',
		);
		expect(
			await ask({ template_ids: `[${b},${a}]`, start: `${now - 7 * day}`, end: `${now}` }),
		).toBe('A comparison takes exactly 2 templates: give one ID in template_ids.');
		expect(await ask({ template_ids: `[${a}]`, start: `${now - 7 * day}`, end: `${now}` })).toBe(
			'Compare two different templates.',
		);
		expect(await ask({ template_ids: `[${b}]`, start: `${now - 7 * day}`, end: `${now}` })).toBe(
			undefined,
		);
	});
});
