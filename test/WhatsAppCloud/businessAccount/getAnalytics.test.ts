import { DateTime } from 'luxon';

import { type OperationArgs, runOperation } from '../../../dev/harness/engine';
import { RECEIPT_TEMPLATE } from '../../../dev/harness/templates';
import { type SandboxCredentials, useRecordingSandbox } from '../../../dev/harness/sandbox';
import {
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_WABA_ID,
	type GraphSandbox,
} from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useRecordingSandbox((started) => ({ sandbox, credentials } = started));

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);
const graphRequests = () => sandbox.log.filter((l) => l.path.startsWith('/v25.0/'));
const WABA_PATH = `/v25.0/${SANDBOX_WABA_ID}`;

const DAY = 86_400;
/** Midnight UTC, `n` days ago, in Unix seconds. */
const daysAgo = (n: number) => Math.floor(Date.now() / 1000 / DAY) * DAY - n * DAY;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const START = daysAgo(7);
const END = daysAgo(0);
const period = { start: iso(START), end: iso(END) };

/** The `fields` of the analytics request (the second one: the first reads the currency). */
const fieldsOf = (k = 1) => sandbox.received[k]?.query.fields;

describe('WhatsApp Business Account > Get Analytics: the request per kind', () => {
	test.each([
		[
			'messages',
			{
				messageFilters: {
					phoneNumbers: '+1 650-555-0111',
					countryCodes: 'us, in',
					productTypes: ['0', '2'],
				},
			},
			`analytics.start(${START}).end(${END}).granularity(DAY).phone_numbers(["16505550111"]).country_codes(["US","IN"]).product_types([0,2])`,
		],
		[
			'pricing',
			{
				granularity: 'MONTH',
				pricingFilters: {
					pricingCategories: ['MARKETING', 'UTILITY'],
					pricingTypes: ['REGULAR'],
					metricTypes: ['COST', 'VOLUME'],
					dimensions: ['COUNTRY', 'PRICING_CATEGORY', 'TIER'],
				},
			},
			`pricing_analytics.start(${START}).end(${END}).granularity(MONTHLY).pricing_categories(["MARKETING","UTILITY"]).pricing_types(["REGULAR"]).metric_types(["COST","VOLUME"]).dimensions(["COUNTRY","PRICING_CATEGORY","TIER"])`,
		],
		[
			'conversations',
			{
				granularity: 'HALF_HOUR',
				conversationFilters: { conversationDirections: ['USER_INITIATED'], dimensions: ['PHONE'] },
			},
			`conversation_analytics.start(${START}).end(${END}).granularity(HALF_HOUR).conversation_directions(["USER_INITIATED"]).dimensions(["PHONE"])`,
		],
		[
			'templates',
			{
				templateIds: '1924084211297547, 954638012257287',
				templateFilters: { metricTypes: ['SENT', 'COST'], productType: 'CLOUD_API' },
			},
			`template_analytics.start(${START}).end(${END}).granularity(DAILY).template_ids(["1924084211297547","954638012257287"]).metric_types(["SENT","COST"]).product_type(CLOUD_API)`,
		],
		[
			'calls',
			{ callFilters: { directions: ['USER_INITIATED'], dimensions: ['direction'] } },
			`call_analytics.start(${START}).end(${END}).granularity(DAILY).directions(["USER_INITIATED"]).dimensions(["direction"])`,
		],
	])(
		'%s: reads the currency, then asks for the field with its filters',
		async (kind, params, fields) => {
			const { error } = await run('businessAccount', 'getAnalytics', {
				kind,
				...period,
				...params,
			});
			expect(error).toBeUndefined();
			expect(sandbox.received.map((r) => [r.method, r.path])).toEqual([
				['GET', WABA_PATH],
				['GET', WABA_PATH],
			]);
			expect(sandbox.received[0].query).toEqual({ fields: 'currency' });
			expect(sandbox.received[1].query).toEqual({ fields });
			// brackets, quotes, commas and parentheses arrive percent-encoded
			const raw = sandbox.received[1].url;
			expect(raw).not.toMatch(/[[\]"(),]/);
			expect(decodeURIComponent(raw.split('fields=')[1])).toBe(fields);
		},
	);

	test('the account of the node, and the Unix seconds or a Luxon date of an expression', async () => {
		const { error } = await run('businessAccount', 'getAnalytics', {
			businessAccountId: { mode: 'id', value: `={{ "${SANDBOX_WABA_ID}" }}` },
			kind: 'messages',
			start: `={{ ${START} }}`,
			end: `={{ DateTime.fromSeconds(${END}) }}`,
		});
		expect(error).toBeUndefined();
		expect(fieldsOf()).toBe(`analytics.start(${START}).end(${END}).granularity(DAY)`);
	});

	test("Meta's own granularity word from an expression is taken", async () => {
		const { error } = await run('businessAccount', 'getAnalytics', {
			kind: 'pricing',
			...period,
			granularity: '={{ "daily" }}',
		});
		expect(error).toBeUndefined();
		expect(fieldsOf()).toBe(`pricing_analytics.start(${START}).end(${END}).granularity(DAILY)`);
	});
});

describe('WhatsApp Business Account > Get Analytics: one item per data point', () => {
	test('pricing: dimensions, volume and cost, the account currency on every item', async () => {
		sandbox.analytics.currencies.set(SANDBOX_WABA_ID, 'EUR');
		sandbox.analytics.seed(
			'pricing_analytics',
			[
				{
					start: daysAgo(2),
					end: daysAgo(1),
					country: 'IN',
					tier: '0:750000',
					pricing_type: 'REGULAR',
					pricing_category: 'AUTHENTICATION_INTERNATIONAL',
					volume: 2,
					cost: 4.6,
				},
				{
					start: daysAgo(1),
					end: daysAgo(0),
					country: 'DE',
					tier: '0:MAX',
					pricing_type: 'REGULAR',
					pricing_category: 'MARKETING',
					volume: 10,
					cost: 1.31,
				},
			],
			SANDBOX_WABA_ID,
		);
		const { items, error } = await run('businessAccount', 'getAnalytics', {
			kind: 'pricing',
			...period,
			pricingFilters: { dimensions: ['COUNTRY', 'PRICING_CATEGORY', 'PRICING_TYPE', 'TIER'] },
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([
			{
				kind: 'pricing',
				start: iso(daysAgo(2)),
				end: iso(daysAgo(1)),
				granularity: 'DAILY',
				country: 'IN',
				tier: '0:750000',
				pricingType: 'regular',
				pricingCategory: 'authentication_international',
				volume: 2,
				cost: 4.6,
				currency: 'EUR',
				businessAccountId: SANDBOX_WABA_ID,
			},
			{
				kind: 'pricing',
				start: iso(daysAgo(1)),
				end: iso(daysAgo(0)),
				granularity: 'DAILY',
				country: 'DE',
				tier: '0:MAX',
				pricingType: 'regular',
				pricingCategory: 'marketing',
				volume: 10,
				cost: 1.31,
				currency: 'EUR',
				businessAccountId: SANDBOX_WABA_ID,
			},
		]);
	});

	test('the currency is read once per execution, however many items ask', async () => {
		const { items, error } = await run(
			'businessAccount',
			'getAnalytics',
			{ kind: 'messages', ...period },
			[{ json: {} }, { json: {} }, { json: {} }],
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(0);
		const currencyReads = sandbox.received.filter((r) => r.query.fields === 'currency');
		expect(currencyReads).toHaveLength(1);
		expect(sandbox.received).toHaveLength(4);
	});

	test("messages: counted from the sandbox's sent messages, with the filters Meta names", async () => {
		for (let k = 0; k < 3; k++)
			sandbox.accepted.push({
				id: `wamid.${k}`,
				phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
				body: { to: '4915112345678', type: 'text', text: { body: 'hi' } },
				at: (daysAgo(1) + 3600) * 1000,
			});
		const { items, error } = await run('businessAccount', 'getAnalytics', {
			kind: 'messages',
			...period,
			messageFilters: { phoneNumbers: '15550783881' },
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([
			{
				kind: 'messages',
				start: iso(daysAgo(1)),
				end: iso(daysAgo(0)),
				granularity: 'DAY',
				sent: 3,
				delivered: 3,
				phoneNumbers: ['15550783881'],
				currency: 'USD',
				businessAccountId: SANDBOX_WABA_ID,
			},
		]);
	});

	test("pricing derived from the sandbox's sent messages: a utility template charged, a reply in the window not", async () => {
		const templateId = sandbox.addTemplate(RECEIPT_TEMPLATE);
		const at = (daysAgo(1) + 600) * 1000;
		sandbox.accepted.push(
			{
				id: 'wamid.t',
				phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
				body: {
					to: '4915112345678',
					type: 'template',
					template: { name: RECEIPT_TEMPLATE.name, language: { code: 'en_US' } },
				},
				at,
			},
			{
				id: 'wamid.x',
				phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
				body: { to: '4915112345678', type: 'text', text: { body: 'thanks' } },
				at,
			},
		);
		const pricing = await run('businessAccount', 'getAnalytics', {
			kind: 'pricing',
			...period,
			pricingFilters: { dimensions: ['COUNTRY', 'PRICING_CATEGORY', 'PRICING_TYPE'] },
		});
		expect(pricing.error).toBeUndefined();
		expect(pricing.items.map((i) => i.json)).toEqual([
			expect.objectContaining({
				country: 'DE',
				pricingCategory: 'utility',
				pricingType: 'regular',
				volume: 1,
				cost: 0.004,
			}),
			expect.objectContaining({
				country: 'DE',
				pricingCategory: 'service',
				pricingType: 'free_customer_service',
				volume: 1,
				cost: 0,
			}),
		]);
		const templates = await run('businessAccount', 'getAnalytics', {
			kind: 'templates',
			...period,
			templateIds: templateId,
		});
		expect(templates.items.map((i) => i.json)).toEqual([
			expect.objectContaining({ templateId, sent: 1, delivered: 1, start: iso(daysAgo(1)) }),
		]);
	});

	test("a date and time without an offset is the workflow's time zone", async () => {
		// a workflow without settings has n8n's default time zone
		const zone = 'America/New_York';
		const start = DateTime.fromSeconds(START, { zone }).startOf('day');
		const { error } = await run('businessAccount', 'getAnalytics', {
			kind: 'messages',
			start: start.toFormat("yyyy-MM-dd'T'HH:mm:ss"),
			end: period.end,
		});
		expect(error).toBeUndefined();
		expect(fieldsOf()).toBe(`analytics.start(${start.toSeconds()}).end(${END}).granularity(DAY)`);
	});

	test('templates: clicks and cost flattened, and every page followed', async () => {
		sandbox.analytics.pageSize = 2;
		const point = (n: number, templateId: string) => ({
			template_id: templateId,
			start: daysAgo(n + 1),
			end: daysAgo(n),
			sent: 10 + n,
			delivered: 9,
			read: 5,
			clicked: [
				{ type: 'quick_reply_button', button_content: 'Stop', count: 1 },
				{ type: 'url_button', button_content: 'Shop now', count: 3 },
				{ type: 'url_button', button_content: 'Track', count: 2 },
			],
			cost: [
				{ type: 'amount_spent', value: 0.23 },
				{ type: 'cost_per_delivered', value: 0.03 },
				{ type: 'cost_per_url_button_click', value: 0.05 },
			],
		});
		sandbox.analytics.seed(
			'template_analytics',
			[point(4, '111'), point(3, '111'), point(2, '111'), point(1, '111'), point(0, '222')],
			SANDBOX_WABA_ID,
		);
		const { items, error } = await run('businessAccount', 'getAnalytics', {
			kind: 'templates',
			...period,
			templateIds: '111',
		});
		expect(error).toBeUndefined();
		// 4 data points of template 111 in pages of 2: three requests after the currency
		expect(items).toHaveLength(4);
		expect(sandbox.received).toHaveLength(3);
		expect(fieldsOf(2)).toMatch(/\.after\([A-Za-z0-9_=-]+\)$/);
		expect(items[0].json).toEqual({
			kind: 'templates',
			start: iso(daysAgo(5)),
			end: iso(daysAgo(4)),
			granularity: 'DAILY',
			templateId: '111',
			sent: 14,
			delivered: 9,
			read: 5,
			clicked: 6,
			quickReplyButtonClicks: 1,
			urlButtonClicks: 5,
			clicks: [
				{ type: 'quick_reply_button', buttonContent: 'Stop', count: 1 },
				{ type: 'url_button', buttonContent: 'Shop now', count: 3 },
				{ type: 'url_button', buttonContent: 'Track', count: 2 },
			],
			cost: 0.23,
			costPerDelivered: 0.03,
			costPerUrlButtonClick: 0.05,
			productType: 'cloud_api',
			currency: 'USD',
			businessAccountId: SANDBOX_WABA_ID,
		});
		expect(items.map((i) => i.json.start)).toEqual([5, 4, 3, 2].map((n) => iso(daysAgo(n))));
	});

	test('conversations and calls keep their own figures', async () => {
		sandbox.analytics.seed(
			'conversation_analytics',
			[
				{
					start: daysAgo(1),
					end: daysAgo(0),
					conversation: 1558,
					phone_number: '16505550111',
					conversation_direction: 'USER_INITIATED',
					cost: 15.58,
				},
			],
			SANDBOX_WABA_ID,
		);
		sandbox.analytics.seed(
			'call_analytics',
			[{ start: daysAgo(1), end: daysAgo(0), cost: 0.47795, count: 35, average_duration: 106 }],
			SANDBOX_WABA_ID,
		);
		const conversations = await run('businessAccount', 'getAnalytics', {
			kind: 'conversations',
			...period,
		});
		expect(conversations.items.map((i) => i.json)).toEqual([
			expect.objectContaining({
				kind: 'conversations',
				conversations: 1558,
				phoneNumber: '16505550111',
				conversationDirection: 'USER_INITIATED',
				cost: 15.58,
				currency: 'USD',
			}),
		]);
		const calls = await run('businessAccount', 'getAnalytics', {
			kind: 'calls',
			...period,
			callFilters: { directions: ['USER_INITIATED'] },
		});
		expect(calls.items.map((i) => i.json)).toEqual([
			{
				kind: 'calls',
				start: iso(daysAgo(1)),
				end: iso(daysAgo(0)),
				granularity: 'DAILY',
				cost: 0.47795,
				count: 35,
				averageDuration: 106,
				directions: 'USER_INITIATED',
				currency: 'USD',
				businessAccountId: SANDBOX_WABA_ID,
			},
		]);
	});
});

describe('WhatsApp Business Account > Get Analytics: refusals before any request', () => {
	const farBack = iso(daysAgo(400));
	test.each([
		[
			'Start after End',
			{ kind: 'pricing', start: period.end, end: period.start },
			/^Start \(.+\) must be before End \(.+\) \[item 0\]$/,
		],
		[
			'Start equal to End',
			{ kind: 'pricing', start: period.end, end: period.end },
			/must be before End/,
		],
		[
			'Start more than a year back',
			{ kind: 'pricing', start: farBack, end: period.end },
			/^Start \(.+\) is too far back: Meta keeps pricing analytics for 1 year/,
		],
		[
			'template Start more than 90 days back',
			{ kind: 'templates', templateIds: '111', start: iso(daysAgo(91)), end: period.end },
			/is too far back: Meta keeps template analytics for 90 days/,
		],
		[
			'Start from an expression that is no date',
			{ kind: 'messages', start: '={{ "last tuesday" }}', end: period.end },
			/^Start is not a date and time: "last tuesday" \[item 0\]$/,
		],
		[
			'an empty End from an expression',
			{ kind: 'messages', start: period.start, end: '={{ "" }}' },
			/^End is empty; it needs a date and time/,
		],
		[
			'half-hour template analytics',
			{ kind: 'templates', templateIds: '111', ...period, granularity: 'HALF_HOUR' },
			/^Granularity Half Hour is not available for Templates: Meta gives template analytics per day only \[item 0\]$/,
		],
		[
			'a granularity typo from an expression',
			{ kind: 'pricing', ...period, granularity: '={{ "WEEKLY" }}' },
			/^Granularity must be one of Half Hour, Day, Month, got "WEEKLY" \[item 0\]$/,
		],
		[
			'no template IDs',
			{ kind: 'templates', ...period, templateIds: '={{ "" }}' },
			/^Template IDs is empty/,
		],
		[
			'11 template IDs',
			{
				kind: 'templates',
				...period,
				templateIds: '={{ Array.from({ length: 11 }, (_, k) => String(100 + k)) }}',
			},
			/^Template IDs has 11 templates \(Meta takes at most 10 in one request\) \[item 0\]$/,
		],
		[
			'a template ID with a path in it',
			{ kind: 'templates', ...period, templateIds: '111, 222/subscribed_apps' },
			/^Template IDs must be a template ID \(digits only\), got "222\/subscribed_apps" \[item 0\]$/,
		],
		[
			'a pricing category typo from an expression',
			{ kind: 'pricing', ...period, pricingFilters: { pricingCategories: '={{ ["MARKETNG"] }}' } },
			/^Filters > Pricing Categories has "MARKETNG", which is not one of AUTHENTICATION, /,
		],
		[
			'a dimension that would open another field',
			{
				kind: 'pricing',
				...period,
				pricingFilters: { dimensions: '={{ ["COUNTRY).id,name(x"] }}' },
			},
			/^Filters > Break Down By has "COUNTRY\)\.id/,
		],
		[
			'a phone number ID where a phone number goes',
			{ kind: 'messages', ...period, messageFilters: { phoneNumbers: '16505550111, abc' } },
			/^Filters > Phone Numbers has "abc", which is not a phone number \[item 0\]$/,
		],
		[
			'a country code that is not one',
			{ kind: 'pricing', ...period, pricingFilters: { countryCodes: '={{ "USA" }}' } },
			/^Filters > Country Codes has "USA", which is not a two-letter country code/,
		],
		[
			'product type 103 with another one',
			{ kind: 'messages', ...period, messageFilters: { productTypes: ['0', '103'] } },
			/^Filters > Product Types: inbound group messages \(103\) cannot be combined/,
		],
		[
			'country codes with group messages',
			{
				kind: 'messages',
				...period,
				messageFilters: { productTypes: ['101'], countryCodes: 'US' },
			},
			/^Filters > Country Codes cannot be used with group product types/,
		],
		[
			'a product type from an expression that is no product type',
			{
				kind: 'templates',
				templateIds: '111',
				...period,
				templateFilters: { productType: '={{ "WHATSAPP" }}' },
			},
			/^Filters > Product Type must be one of CLOUD_API, MARKETING_MESSAGES_API_FOR_WHATSAPP, got "WHATSAPP"/,
		],
		[
			'an account ID from an expression that is no ID',
			{
				kind: 'pricing',
				...period,
				businessAccountId: { mode: 'id', value: '={{ "123?fields=name" }}' },
			},
			/^WhatsApp Business Account must be a WhatsApp Business Account ID \(digits only\)/,
		],
		[
			'a kind from an expression that is none',
			{ kind: '={{ "toString" }}', ...period, templateIds: '1' },
			/^Kind must be one of/,
		],
	])('%s', async (_, params, message) => {
		const { error } = await run('businessAccount', 'getAnalytics', params);
		expect(error?.message).toMatch(message);
		expect(graphRequests()).toEqual([]);
	});
});

describe("WhatsApp Business Account > Get Analytics: Meta's refusals", () => {
	test('template analytics not turned on: a NodeApiError with the way to turn them on', async () => {
		sandbox.analytics.insightsDisabled.add(SANDBOX_WABA_ID);
		const { error } = await run('businessAccount', 'getAnalytics', {
			kind: 'templates',
			...period,
			templateIds: '111',
		});
		expect(error?.message).toMatch(
			/^WhatsApp Cloud API error 100: Template analytics are not enabled/,
		);
		expect(String(error?.description)).toMatch(/WhatsApp Manager/);
	});

	test('cost on a partner credit line: "Cost not available", with what it means', async () => {
		sandbox.analytics.partnerCredit.add(SANDBOX_WABA_ID);
		const { error } = await run('businessAccount', 'getAnalytics', {
			kind: 'pricing',
			...period,
			pricingFilters: { metricTypes: ['COST'] },
		});
		expect(error?.message).toBe('WhatsApp Cloud API error 100: Cost not available');
		expect(String(error?.description)).toMatch(/Solution Partner's credit line/);
	});

	test.each([
		[
			'a granularity the field does not take',
			`analytics.start(${START}).end(${END}).granularity(DAILY)`,
			/granularity must be one of \{HALF_HOUR, DAY, MONTH\}/,
		],
		[
			'a start beyond the lookback',
			`template_analytics.start(${daysAgo(100)}).end(${END}).granularity(DAILY).template_ids(["1"])`,
			/too far back: template_analytics goes back at most 90 days/,
		],
		[
			'more than 10 template IDs',
			`template_analytics.start(${START}).end(${END}).granularity(DAILY).template_ids([${Array.from({ length: 11 }, (_, k) => `"${k + 1}"`).join(',')}])`,
			/at most 10 template IDs/,
		],
		[
			'product type 103 combined',
			`analytics.start(${START}).end(${END}).granularity(DAY).product_types([0,103])`,
			/103 cannot be combined/,
		],
	])('the sandbox refuses %s as Meta does', async (_, fields, message) => {
		const res = await fetch(`${sandbox.url}${WABA_PATH}?fields=${encodeURIComponent(fields)}`, {
			headers: { authorization: 'Bearer sandbox-token' },
		});
		expect(res.status).toBe(400);
		const body = (await res.json()) as {
			error: { code: number; message: string; error_subcode?: number };
		};
		expect(body.error.code).toBe(100);
		expect(body.error.message).toMatch(message);
		if (/103/.test(fields)) expect(body.error.error_subcode).toBe(2388077);
	});
});
