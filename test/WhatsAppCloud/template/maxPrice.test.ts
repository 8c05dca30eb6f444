/**
 * Max Price (Meta's optimization_spec): Template > Create sends it for marketing templates, the
 * price per message converted to bid_amount per 1,000 deliveries in the currency's smallest unit;
 * refused for other categories and for prices Meta cannot take, before any request; Template >
 * Update changes it only on templates created with one.
 */
import { type OperationArgs, runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useRecordingSandbox } from '../../../dev/harness/sandbox';
import { rl } from '../../../dev/harness/templates';
import { SANDBOX_WABA_ID, type GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useRecordingSandbox((started) => ({ sandbox, credentials } = started));

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);
const bodyOf = (k: number) =>
	JSON.parse(sandbox.received[k].body.toString('utf8')) as Record<string, unknown>;
const posts = () => sandbox.received.filter((r) => r.method === 'POST');
let n = 0;
const marketing = (extra: Record<string, unknown>) => ({
	templateName: `promo_${++n}`,
	language: 'en_US',
	category: 'MARKETING',
	definition: 'json',
	componentsJson: '[{"type":"BODY","text":"Spring sale: 20% off all plants this week."}]',
	...extra,
});
const price = (amount: number | string, decimals: number | string = 2) => ({
	price: { amount, decimals },
});

describe('Template > Create with Max Price', () => {
	test.each([
		[0.05, 2, 5000],
		[0.87, 2, 87000],
		[8, 0, 8000],
		[0.125, 3, 125000],
	])('%s with %s decimals is sent as bid_amount %s', async (amount, decimals, bid) => {
		const { items, error } = await run(
			'template',
			'create',
			marketing({ maxPrice: price(amount, decimals) }),
		);
		expect(error).toBeUndefined();
		expect(sandbox.received[0]).toMatchObject({
			method: 'POST',
			path: `/v25.0/${SANDBOX_WABA_ID}/message_templates`,
		});
		expect(bodyOf(0).optimization_spec).toEqual({
			bid_amount: bid,
			bid_strategy: 'LOWEST_COST_WITH_BID_CAP',
		});
		expect(items[0].json.optimizationSpec).toEqual({
			bid_amount: bid,
			bid_strategy: 'LOWEST_COST_WITH_BID_CAP',
		});
		expect(sandbox.templates.get(String(items[0].json.id))!.optimization_spec).toEqual({
			bid_amount: bid,
			bid_strategy: 'LOWEST_COST_WITH_BID_CAP',
		});
	});

	test('without Max Price no optimization_spec is sent', async () => {
		const { items, error } = await run('template', 'create', marketing({}));
		expect(error).toBeUndefined();
		expect(bodyOf(0)).not.toHaveProperty('optimization_spec');
		expect(items[0].json).not.toHaveProperty('optimizationSpec');
	});

	test.each([
		[
			'on a Utility template (category from an expression)',
			{ category: '={{ "UTILITY" }}', maxPrice: price(0.05) },
			/^Max Price is only for Marketing templates, not UTILITY \[item 0\]$/,
		],
		['of 0', { maxPrice: price(0) }, /Price per Message must be a number above 0, got 0/],
		[
			'from an expression that is text',
			{ maxPrice: price('={{ "cheap" }}') },
			/Price per Message must be a number above 0, got "cheap"/,
		],
		[
			'with more decimals than the bid holds',
			{ maxPrice: price(0.000051) },
			/Price per Message 0.000051 has more decimals than Meta's bid can hold \(5 for this currency\)/,
		],
		[
			'past int32',
			{ maxPrice: price(30000) },
			/bid_amount 3000000000 \(Meta allows at most 2147483647\)/,
		],
		[
			'with 1 decimal from an expression',
			{ maxPrice: price(0.05, '={{ 1 }}') },
			/Currency Decimals must be 0, 2 or 3, got 1/,
		],
	])('refuses a max price %s before any request', async (_, parameters, message) => {
		const { error } = await run('template', 'create', marketing(parameters));
		expect(error?.message).toMatch(message);
		expect(sandbox.received).toEqual([]);
	});

	test('Meta refuses an optimization_spec on a non-marketing template (the sandbox plays it)', async () => {
		const res = await fetch(`${sandbox.url}/v25.0/${SANDBOX_WABA_ID}/message_templates`, {
			method: 'POST',
			headers: { authorization: 'Bearer sandbox-token', 'content-type': 'application/json' },
			body: JSON.stringify({
				name: 'direct_utility',
				language: 'en_US',
				category: 'UTILITY',
				components: [{ type: 'BODY', text: 'Your order has shipped.' }],
				optimization_spec: { bid_amount: 5000, bid_strategy: 'LOWEST_COST_WITH_BID_CAP' },
			}),
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({
			error: {
				code: 100,
				error_user_msg: 'optimization_spec is only supported for MARKETING templates.',
			},
		});
	});
});

describe('Template > Update of Max Price', () => {
	const seed = (spec?: Record<string, unknown>) =>
		sandbox.addTemplate({
			name: `priced_${++n}`,
			language: 'en_US',
			category: 'MARKETING',
			components: [{ type: 'BODY', text: 'Spring sale.' }],
			...(spec ? { optimization_spec: spec } : {}),
		});

	test('a template created with a max price gets the new one', async () => {
		const id = seed({ bid_amount: 5000, bid_strategy: 'LOWEST_COST_WITH_BID_CAP' });
		const { items, error } = await run('template', 'update', {
			template: rl(id),
			updateFields: { maxPrice: price(0.07) },
		});
		expect(error).toBeUndefined();
		expect(sandbox.received.map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /v25.0/${id}`,
			`GET /v25.0/${id}`,
			`POST /v25.0/${id}`,
		]);
		expect(sandbox.received[1].query).toEqual({ fields: 'id,optimization_spec' });
		expect(bodyOf(2)).toEqual({
			optimization_spec: { bid_amount: 7000, bid_strategy: 'LOWEST_COST_WITH_BID_CAP' },
		});
		expect(items[0].json).toMatchObject({ success: true, id });
		expect(sandbox.templates.get(id)!.optimization_spec).toEqual({
			bid_amount: 7000,
			bid_strategy: 'LOWEST_COST_WITH_BID_CAP',
		});
	});

	test('a template created without one is refused before the edit', async () => {
		const id = seed();
		const { error } = await run('template', 'update', {
			template: rl(id),
			updateFields: { maxPrice: price(0.07) },
		});
		expect(error?.message).toBe(
			`Template ${id} was created without a max price, so Meta does not let one be added [item 0]`,
		);
		expect(posts()).toEqual([]);
	});

	test('a bad price is refused before any request', async () => {
		const id = seed({ bid_amount: 5000, bid_strategy: 'LOWEST_COST_WITH_BID_CAP' });
		const { error } = await run('template', 'update', {
			template: rl(id),
			updateFields: { maxPrice: price('={{ -1 }}') },
		});
		expect(error?.message).toMatch(
			/Update Fields > Max Price > Price per Message must be a number above 0, got -1/,
		);
		expect(sandbox.received).toEqual([]);
	});
});

describe('Send Template of a template with a max price', () => {
	test('through the Cloud API Meta answers 131061, and the hint names the Marketing Messages API', async () => {
		const id = sandbox.addTemplate({
			name: 'priced_send',
			language: 'en_US',
			category: 'MARKETING',
			components: [{ type: 'BODY', text: 'Spring sale.' }],
			optimization_spec: { bid_amount: 5000, bid_strategy: 'LOWEST_COST_WITH_BID_CAP' },
		});
		const { error } = await run('message', 'sendTemplate', {
			to: '+4915112345678',
			template: rl(id),
			templateVariables: { mappingMode: 'defineBelow', value: {}, matchingColumns: [], schema: [] },
		});
		expect(error?.message).toMatch(/WhatsApp Cloud API error 131061/);
		expect(String(error?.description)).toMatch(/Send Through "Marketing Messages API"/);
		expect(sandbox.accepted).toEqual([]);
	});
});
