/**
 * Send Template through the Cloud API or the Marketing Messages API (Options > Send Through),
 * through the real engine against the sandbox (dev/sandbox/marketing.ts): the path each item
 * takes, the fallbacks to the other API and when they must not happen, the refusals made before
 * anything is sent, the onboarding status read once per run, and no item sent twice under faults.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runAction } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import { rl } from '../../../dev/harness/templates';
import {
	CONTRADICTIONS,
	checkMarketingMessage,
	marketingErrors,
} from '../../../dev/sandbox/marketing';
import {
	type GraphSandbox,
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_TOKEN,
	SANDBOX_WABA_ID,
} from '../../../dev/sandbox/server';
import examplesFixture from '../../fixtures/openapi/marketing-message.examples.json';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
/** A marketing template, one Meta holds unavailable on the Marketing Messages API, a utility one. */
let ids: { sale: string; hold: string; ready: string };
useSandbox(
	(started) => {
		({ sandbox, credentials } = started);
		const body = (text: string) => [{ type: 'BODY', text, example: { body_text: [['Ana']] } }];
		ids = {
			sale: sandbox.addTemplate({
				name: 'autumn_sale',
				language: 'pt_BR',
				category: 'MARKETING',
				components: body('Olá {{1}}, 20% em tudo até domingo!'),
			}),
			hold: sandbox.addTemplate({
				name: 'winter_preview',
				language: 'pt_BR',
				category: 'MARKETING',
				components: body('{{1}}, veja a coleção de inverno antes de todos.'),
			}),
			ready: sandbox.addTemplate({
				name: 'order_ready',
				language: 'pt_BR',
				category: 'UTILITY',
				components: body('{{1}}, seu pedido está pronto para retirada.'),
			}),
		};
	},
	() => sandbox.reset(),
);

const TO = '+5511999999999';
const WABA_GET = `/v25.0/${SANDBOX_WABA_ID}`;

/** Runs Send Template over `input` (each row may name its `template` ID and `phone`). */
const send = async (
	options: IDataObject,
	input: IDataObject[] = [{}],
	{ extra = {}, creds = credentials }: { extra?: IDataObject; creds?: SandboxCredentials } = {},
) =>
	await runAction(
		{
			resource: 'message',
			operation: 'sendTemplate',
			to: `={{ $json.phone || "${TO}" }}`,
			template: rl(`={{ $json.template || "${ids.sale}" }}`),
			templateVariables: {
				mappingMode: 'defineBelow',
				value: { body_1: '={{ $json.name || "Ana" }}' },
				matchingColumns: [],
				schema: [],
			},
			options,
		} as INodeParameters,
		creds,
		input.map((json) => ({ json })),
		extra,
	);

/** The sends that reached the sandbox, as "<endpoint> <status>" (0: connection reset). */
const posts = () =>
	sandbox.log
		.filter((l) => l.method === 'POST')
		.map((l) => `${l.path.split('/').pop()} ${l.status}`);
/** How often the run read the account's onboarding status. */
const onboardingReads = () =>
	sandbox.log.filter((l) => l.method === 'GET' && l.path === WABA_GET).length;
const onboard = (status = 'ONBOARDED') =>
	sandbox.marketingMessages.onboarding.set(SANDBOX_WABA_ID, status);
const continueOnFail = { extra: { onError: 'continueRegularOutput' } };

describe('Send Through: Cloud API (the default) sends as before', () => {
	test('a marketing template goes to /messages, with no Marketing Messages API field and no onboarding read', async () => {
		onboard();
		const { error, items } = await send({});
		expect(error).toBeUndefined();
		expect(posts()).toEqual(['messages 200']);
		expect(onboardingReads()).toBe(0);
		const body = sandbox.accepted[0].body;
		expect(body).toEqual({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: TO,
			type: 'template',
			template: {
				name: 'autumn_sale',
				language: { code: 'pt_BR' },
				components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }],
			},
		});
		expect(items[0].json).toMatchObject({
			messageId: sandbox.accepted[0].id,
			sentThrough: 'cloudApi',
			messageStatus: 'accepted',
		});
		expect(items[0].json.fallbackReason).toBeUndefined();
	});

	test.each([
		['Product Policy', { productPolicy: 'STRICT' }],
		['Message Activity Sharing', { messageActivitySharing: true }],
	])(
		'%s with Send Through: Cloud API fails before any send, naming the field',
		async (label, option) => {
			const { error } = await send({ sendThrough: 'cloudApi', ...option }, [{}, {}]);
			expect(error?.message).toBe(
				`${label} applies only to the Marketing Messages API, but Send Through is Cloud API [item 0]`,
			);
			expect(String(error?.description)).toContain(`Field: ${label} (in Options)`);
			expect(posts()).toEqual([]);
		},
	);

	test('131063 (marketing disabled on the Cloud API) fails, saying which option sends it elsewhere; no fallback', async () => {
		onboard();
		sandbox.marketingMessages.disabledOnCloudApi.add(SANDBOX_WABA_ID);
		const { error } = await send({ sendThrough: 'cloudApi' });
		expect(error?.message).toMatch(/^WhatsApp Cloud API error 131063: /);
		expect(String(error?.description)).toContain('Set Options > Send Through to Automatic');
		expect(posts()).toEqual(['messages 400']);
		expect(sandbox.accepted).toHaveLength(0);
	});
});

describe('Send Through: Marketing Messages API', () => {
	test('an onboarded account: the /messages body plus product_policy, answered as a send', async () => {
		onboard();
		const { error, items } = await send({ sendThrough: 'marketingMessagesApi' });
		expect(error).toBeUndefined();
		expect(posts()).toEqual(['marketing_messages 200']);
		// the path is pinned: no onboarding read
		expect(onboardingReads()).toBe(0);
		expect(sandbox.accepted[0].body).toEqual({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: TO,
			type: 'template',
			template: {
				name: 'autumn_sale',
				language: { code: 'pt_BR' },
				components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }],
			},
			product_policy: 'CLOUD_API_FALLBACK',
		});
		expect(sandbox.marketingMessages.sends.get(sandbox.accepted[0].id)?.deliveredThrough).toBe(
			'marketingMessagesApi',
		);
		expect(items[0].json).toMatchObject({
			messageId: sandbox.accepted[0].id,
			sentThrough: 'marketingMessagesApi',
			messageStatus: 'accepted',
			waId: '5511999999999',
			template: { id: ids.sale, category: 'MARKETING' },
		});
	});

	test.each([
		[true, true],
		[false, false],
		['false', false],
	])(
		'Message Activity Sharing %p is sent as the boolean %p, with Product Policy Strict',
		async (value, sent) => {
			onboard();
			const { error } = await send({
				sendThrough: 'marketingMessagesApi',
				productPolicy: 'STRICT',
				messageActivitySharing: value,
			});
			expect(error).toBeUndefined();
			expect(sandbox.accepted[0].body).toMatchObject({
				product_policy: 'STRICT',
				message_activity_sharing: sent,
			});
		},
	);

	test('a business-scoped user ID goes as recipient, with the reply and callback data of the envelope', async () => {
		onboard();
		const { error, items } = await send(
			{
				sendThrough: 'marketingMessagesApi',
				replyToMessageId: 'wamid.IN000000000001',
				bizOpaqueCallbackData: 'campaign-7',
			},
			[{ phone: 'US.13491208655302741918' }],
		);
		expect(error).toBeUndefined();
		expect(sandbox.accepted[0].body).toMatchObject({
			recipient: 'US.13491208655302741918',
			context: { message_id: 'wamid.IN000000000001' },
			biz_opaque_callback_data: 'campaign-7',
		});
		expect(sandbox.accepted[0].body.to).toBeUndefined();
		expect(items[0].json).toMatchObject({
			userId: 'US.13491208655302741918',
			recipientType: 'userId',
			sentThrough: 'marketingMessagesApi',
		});
	});

	test('a utility template fails before anything is sent, naming the item, the field and the template', async () => {
		onboard();
		const { error } = await send({ sendThrough: 'marketingMessagesApi' }, [
			{},
			{ template: ids.ready },
			{},
		]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe(
			'Send Through is Marketing Messages API, but template "order_ready" (pt_BR) is a utility template, and that API sends only marketing templates [item 1]',
		);
		expect(String(error?.description)).toMatch(
			/^Field: Send Through \(in Options\)\. .*Nothing was sent for item 1\.$/,
		);
		// only the template definitions were read: not even item 0 was sent
		expect(posts()).toEqual([]);
		expect(onboardingReads()).toBe(0);
	});

	test('an account that is not onboarded, Cloud API Fallback: Meta takes it and delivers it through the Cloud API', async () => {
		const { error, items } = await send({ sendThrough: 'marketingMessagesApi' });
		expect(error).toBeUndefined();
		expect(posts()).toEqual(['marketing_messages 200']);
		// Meta's answer does not say which API delivered it (the statuses' pricing category does)
		expect(sandbox.marketingMessages.sends.get(sandbox.accepted[0].id)?.deliveredThrough).toBe(
			'cloudApi',
		);
		expect(items[0].json.sentThrough).toBe('marketingMessagesApi');
	});

	test('an account that is not onboarded, Strict: 134102 (HTTP 500) fails the item at once, as not sent', async () => {
		const { items } = await send(
			{ sendThrough: 'marketingMessagesApi', productPolicy: 'STRICT' },
			[{}],
			continueOnFail,
		);
		// not retried like other 5xx, no fallback, and not "may have been sent"
		expect(posts()).toEqual(['marketing_messages 500']);
		expect(sandbox.accepted).toHaveLength(0);
		expect(items[0].json.error).toBe(
			'WhatsApp Cloud API error 134102: Template unavailable for use',
		);
		expect(items[0].json.mayHaveBeenSent).toBeUndefined();
		const details = items[0].json.errorDetails as IDataObject;
		expect(details).toMatchObject({ code: 134102, httpCode: 500, attempts: 1 });
		expect(details.mayHaveArrived).toBeUndefined();
		expect(String(details.description)).toContain(
			'Product Policy is Strict, so the message was not sent through the Cloud API instead.',
		);
	});

	test('a template Meta holds unavailable (134102) under Cloud API Fallback goes through the Cloud API, once', async () => {
		onboard();
		sandbox.marketingMessages.unavailable.add(ids.hold);
		const { error, items } = await send({ sendThrough: 'marketingMessagesApi' }, [
			{ template: ids.hold },
		]);
		expect(error).toBeUndefined();
		expect(posts()).toEqual(['marketing_messages 500', 'messages 200']);
		expect(sandbox.accepted).toHaveLength(1);
		expect(sandbox.accepted[0].body.product_policy).toBeUndefined();
		expect(items[0].json).toMatchObject({
			messageId: sandbox.accepted[0].id,
			sentThrough: 'cloudApi',
			fallbackReason:
				'The Marketing Messages API refused the template before sending it (134102: Template unavailable for use), and Product Policy is Cloud API Fallback, so the Cloud API sent it.',
		});
		expect(items[0].json.possibleDuplicate).toBeUndefined();
	});

	test.each([
		['134100 (v23.0 on)', 25, 134100],
		['131055 (before v23.0)', 22, 131055],
	])(
		'Meta no longer counts the template as marketing, %s: sent through the Cloud API instead',
		async (_, version, code) => {
			onboard();
			sandbox.scripted.push(marketingErrors.notMarketing(version));
			const { error, items } = await send({ sendThrough: 'marketingMessagesApi' });
			expect(error).toBeUndefined();
			expect(posts()).toEqual(['marketing_messages 400', 'messages 200']);
			expect(items[0].json).toMatchObject({ sentThrough: 'cloudApi' });
			expect(String(items[0].json.fallbackReason)).toContain(`(${code}: Only marketing`);
		},
	);

	test('the same refusal under Strict fails without a fallback', async () => {
		onboard();
		sandbox.scripted.push(marketingErrors.notMarketing(25));
		const { error } = await send({ sendThrough: 'marketingMessagesApi', productPolicy: 'STRICT' });
		expect(error?.message).toMatch(/^WhatsApp Cloud API error 134100: /);
		expect(posts()).toEqual(['marketing_messages 400']);
		expect(sandbox.accepted).toHaveLength(0);
	});

	test('a template still syncing (134101) fails at once with what to do: no silent wait, no fallback', async () => {
		onboard();
		sandbox.marketingMessages.syncing.add(ids.sale);
		const started = Date.now();
		const { error } = await send({ sendThrough: 'marketingMessagesApi' });
		expect(Date.now() - started).toBeLessThan(5000);
		expect(error?.message).toBe('WhatsApp Cloud API error 134101: Your template is still syncing');
		expect(String(error?.description)).toContain('run again in about 10 minutes');
		expect(posts()).toEqual(['marketing_messages 400']);
	});

	test('not onboarded, and marketing disabled on the Cloud API: Meta refuses the fallback too (131063)', async () => {
		sandbox.marketingMessages.disabledOnCloudApi.add(SANDBOX_WABA_ID);
		const { error } = await send({ sendThrough: 'marketingMessagesApi' });
		expect(error?.message).toMatch(/^WhatsApp Cloud API error 131063: /);
		expect(String(error?.description)).toContain(
			'The account is not onboarded to the Marketing Messages API',
		);
		expect(posts()).toEqual(['marketing_messages 400']);
	});
});

describe('Send Through: Automatic', () => {
	const mixed = (n: number) =>
		Array.from({ length: n }, (_, i) => ({
			template: i % 2 ? ids.ready : ids.sale,
			phone: `+55119${String(i).padStart(8, '0')}`,
		}));

	test('onboarded: marketing templates through the Marketing Messages API, the rest through the Cloud API; one status read for the run', async () => {
		onboard();
		const { error, items } = await send({ sendThrough: 'automatic' }, mixed(10));
		expect(error).toBeUndefined();
		expect(onboardingReads()).toBe(1);
		expect(items.map((item) => item.json.sentThrough)).toEqual(
			mixed(10).map((row) => (row.template === ids.sale ? 'marketingMessagesApi' : 'cloudApi')),
		);
		expect(posts().sort()).toEqual([
			...Array(5).fill('marketing_messages 200'),
			...Array(5).fill('messages 200'),
		]);
		expect(items.every((item) => item.json.fallbackReason === undefined)).toBe(true);
	});

	test('not onboarded: everything through the Cloud API, no fallback reason (nothing was refused)', async () => {
		onboard('ELIGIBLE');
		const { error, items } = await send({ sendThrough: 'automatic' }, mixed(6));
		expect(error).toBeUndefined();
		expect(onboardingReads()).toBe(1);
		expect(posts()).toEqual(Array(6).fill('messages 200'));
		expect(items.map((item) => [item.json.sentThrough, item.json.fallbackReason])).toEqual(
			Array(6).fill(['cloudApi', undefined]),
		);
		// the sends are those of Send Through: Cloud API
		expect(sandbox.accepted.every((m) => m.body.product_policy === undefined)).toBe(true);
	});

	test('utility templates only: the status is never read', async () => {
		onboard();
		const { error } = await send({ sendThrough: 'automatic' }, [{ template: ids.ready }]);
		expect(error).toBeUndefined();
		expect(onboardingReads()).toBe(0);
		expect(posts()).toEqual(['messages 200']);
	});

	test('a template Meta holds unavailable (134102) goes through the Cloud API with the reason', async () => {
		onboard();
		sandbox.marketingMessages.unavailable.add(ids.hold);
		const { error, items } = await send({ sendThrough: 'automatic' }, [{ template: ids.hold }]);
		expect(error).toBeUndefined();
		expect(posts()).toEqual(['marketing_messages 500', 'messages 200']);
		expect(items[0].json).toMatchObject({ sentThrough: 'cloudApi' });
		expect(String(items[0].json.fallbackReason)).toMatch(
			/^The Marketing Messages API refused the template before sending it \(134102/,
		);
	});

	test('the Cloud API refuses a template as marketing (131063) and the account is onboarded: the Marketing Messages API sends it', async () => {
		onboard();
		// Meta now counts the utility template as marketing (recategorised after the run read it) and
		// the account sends marketing only through the Marketing Messages API, which takes it
		sandbox.scripted.push(marketingErrors.disabledOnCloudApi(), {
			status: 200,
			body: {
				messaging_product: 'whatsapp',
				contacts: [{ input: TO, wa_id: '5511999999999' }],
				messages: [{ id: 'wamid.MM0000000001', message_status: 'accepted' }],
			},
		});
		const { error, items } = await send({ sendThrough: 'automatic' }, [{ template: ids.ready }]);
		expect(error).toBeUndefined();
		expect(posts()).toEqual(['messages 400', 'marketing_messages 200']);
		expect(onboardingReads()).toBe(1);
		expect(items[0].json).toMatchObject({
			messageId: 'wamid.MM0000000001',
			sentThrough: 'marketingMessagesApi',
			fallbackReason:
				'The Cloud API refused the template before sending it (131063: Marketing templates are disabled for Cloud API), and the account is onboarded to the Marketing Messages API, so that API sent it.',
		});
		expect((items[0].json.sent as IDataObject).product_policy).toBe('CLOUD_API_FALLBACK');
	});

	test('one fallback at most: refused by both APIs, the item fails without going back to the Cloud API', async () => {
		onboard();
		// the sandbox still has the template as utility, so the Marketing Messages API refuses it too
		sandbox.scripted.push(marketingErrors.disabledOnCloudApi());
		const { error } = await send({ sendThrough: 'automatic' }, [{ template: ids.ready }]);
		expect(error?.message).toMatch(/^WhatsApp Cloud API error 134100: /);
		expect(posts()).toEqual(['messages 400', 'marketing_messages 400']);
		expect(sandbox.accepted).toHaveLength(0);
	});

	test('131063 for an account that is not onboarded: the item fails, saying why it could not go elsewhere', async () => {
		sandbox.marketingMessages.disabledOnCloudApi.add(SANDBOX_WABA_ID);
		const { error } = await send({ sendThrough: 'automatic' });
		expect(error?.message).toMatch(/^WhatsApp Cloud API error 131063: /);
		expect(String(error?.description)).toContain(
			'The account is not onboarded to the Marketing Messages API (status ELIGIBLE)',
		);
		expect(posts()).toEqual(['messages 400']);
		expect(onboardingReads()).toBe(1);
	});

	test('the status cannot be read: every item fails before any send, from one read', async () => {
		const elsewhere = { ...credentials, businessAccountId: '999000111222333' };
		const { error } = await send({ sendThrough: 'automatic' }, [{}, {}, {}], { creds: elsewhere });
		expect(error?.message).toBe(
			'Could not read whether the WhatsApp Business Account is onboarded to the Marketing Messages API [item 0]',
		);
		expect(String(error?.description)).toContain(
			'choose Cloud API or Marketing Messages API in Send Through',
		);
		expect(posts()).toEqual([]);
		expect(sandbox.log.filter((l) => l.path === '/v25.0/999000111222333')).toHaveLength(1);
	});
});

describe('no item is sent twice', () => {
	test('90 items under throttling, 500s and resets: each accepted at most once, each output is its one message', async () => {
		onboard();
		sandbox.marketingMessages.unavailable.add(ids.hold);
		sandbox.setFaults({ throttle: 0.1, serverError: 0.05, resetBefore: 0.05, seed: 11 });
		try {
			const rows = Array.from({ length: 90 }, (_, i) => ({
				template: [ids.sale, ids.hold, ids.ready][i % 3],
				phone: `+55118${String(i).padStart(8, '0')}`,
			}));
			const { error, items } = await send(
				{ sendThrough: 'automatic', maxConcurrent: 8 },
				rows,
				continueOnFail,
			);
			expect(error).toBeUndefined();
			expect(items).toHaveLength(90);
			expect(
				sandbox.injected.throttle + sandbox.injected.serverError + sandbox.injected.resetBefore,
			).toBeGreaterThan(10);
			expect(onboardingReads()).toBe(1);
			// each path carried its share; an item fails only after an attempt that may have been taken
			expect(
				items.filter((x) => x.json.sentThrough === 'marketingMessagesApi').length,
			).toBeGreaterThan(25);
			expect(items.filter((x) => x.json.fallbackReason).length).toBeGreaterThan(25);
			for (const failed of items.filter((x) => x.json.error))
				expect(failed.json.mayHaveBeenSent).toBe(true);
			const byPhone = new Map<string, string[]>();
			for (const m of sandbox.accepted) {
				const phone = String(m.body.to);
				byPhone.set(phone, [...(byPhone.get(phone) ?? []), m.id]);
			}
			rows.forEach((row, i) => {
				const json = items[i].json;
				const ids_ = byPhone.get(row.phone) ?? [];
				expect([i, ids_.length <= 1]).toEqual([i, true]);
				if (json.messageId === undefined) {
					// failed: nothing of it was taken
					expect([i, ids_]).toEqual([i, []]);
					return;
				}
				expect([i, ids_]).toEqual([i, [json.messageId]]);
				const expected =
					row.template === ids.sale
						? ['marketingMessagesApi', false]
						: row.template === ids.hold
							? ['cloudApi', true]
							: ['cloudApi', false];
				expect([i, json.sentThrough, json.fallbackReason !== undefined]).toEqual([i, ...expected]);
				expect([i, sandbox.marketingMessages.sends.has(String(json.messageId))]).toEqual([
					i,
					row.template === ids.sale,
				]);
			});
		} finally {
			sandbox.setFaults(undefined);
		}
	}, 60_000);

	test('a Marketing Messages API attempt that may have been taken is never followed by a Cloud API send', async () => {
		onboard();
		// the first attempt is taken but its answer lost; the retry is refused as unavailable
		sandbox.scripted.push('reset-after', marketingErrors.unavailable());
		const { items } = await send({ sendThrough: 'automatic' }, [{}], continueOnFail);
		expect(posts()).toEqual(['marketing_messages 0', 'marketing_messages 500']);
		expect(sandbox.accepted).toHaveLength(1);
		expect(items[0].json).toMatchObject({ mayHaveBeenSent: true });
		expect(items[0].json.error).toMatch(/134102/);
	});

	test('a generic 500 on the Marketing Messages API is retried as before, never turned into a fallback', async () => {
		onboard();
		const generic = {
			status: 500,
			body: {
				error: {
					message: 'An unknown error has occurred.',
					type: 'OAuthException',
					code: 1,
					is_transient: true,
					fbtrace_id: 'Sbx',
				},
			},
		};
		sandbox.scripted.push(generic, generic, generic, generic);
		const { items } = await send({ sendThrough: 'marketingMessagesApi' }, [{}], continueOnFail);
		expect(posts()).toEqual(Array(4).fill('marketing_messages 500'));
		expect(sandbox.accepted).toHaveLength(0);
		expect(items[0].json).toMatchObject({ mayHaveBeenSent: true });
	}, 30_000);

	test('a run stopped by a refusal lists nothing as sent or unknown', async () => {
		const { error } = await send({ sendThrough: 'marketingMessagesApi', productPolicy: 'STRICT' }, [
			{},
			{},
			{},
		]);
		expect(error?.message).toMatch(
			/^WhatsApp Cloud API error 134102: Template unavailable for use \(run stopped: 0 sent, \d+ not sent\)$/,
		);
		const batch = (error as { context?: { batch?: IDataObject } }).context?.batch;
		expect(batch).toMatchObject({ sent: [], unknown: [] });
		expect(sandbox.accepted).toHaveLength(0);
	});
});

describe("the sandbox's Marketing Messages API answers as Meta's", () => {
	const call = async (method: string, path: string, body?: unknown, version = 'v25.0') => {
		const response = await fetch(`${sandbox.url}/${version}${path}`, {
			method,
			headers: { authorization: `Bearer ${SANDBOX_TOKEN}`, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: response.status, body: (await response.json()) as IDataObject };
	};
	const template = (name: string, text = 'Ana') => ({
		messaging_product: 'whatsapp',
		recipient_type: 'individual',
		to: '16315552222',
		type: 'template',
		template: {
			name,
			language: { code: 'pt_BR' },
			components: [{ type: 'body', parameters: [{ type: 'text', text }] }],
		},
	});
	const codeOf = (body: IDataObject) => (body.error as IDataObject).code;

	test("Meta's three request examples pass the schema check", () => {
		const examples = examplesFixture.examples as Record<string, Record<string, unknown>>;
		expect(Object.keys(examples)).toHaveLength(3);
		for (const [name, body] of Object.entries(examples))
			expect([name, checkMarketingMessage(body)]).toEqual([name, []]);
	});

	test.each<[string, Record<string, unknown>, string]>([
		['an unknown field', { ...template('autumn_sale'), ttl: 60 }, '$.ttl: is not allowed here'],
		[
			'an unknown product policy',
			{ ...template('autumn_sale'), product_policy: 'LOOSE' },
			'$.product_policy: expected one of "CLOUD_API_FALLBACK", "STRICT"; got "LOOSE"',
		],
		[
			'activity sharing as text',
			{ ...template('autumn_sale'), message_activity_sharing: 'yes' },
			'$.message_activity_sharing: expected boolean, got string',
		],
		[
			'a malformed user ID',
			{ ...template('autumn_sale'), to: undefined, recipient: 'us.1' },
			'$.recipient: expected to match',
		],
	])('%s is refused with 100, naming the path', async (_, body, problem) => {
		const answer = await call('POST', `/${SANDBOX_PHONE_NUMBER_ID}/marketing_messages`, body);
		expect(answer.status).toBe(400);
		expect(codeOf(answer.body)).toBe(100);
		expect(
			String(((answer.body.error as IDataObject).error_data as IDataObject).details),
		).toContain(problem);
	});

	test('every contradiction with the OpenAPI document follows the docs by a patch', () => {
		for (const c of CONTRADICTIONS)
			expect([c.id, c.follow, typeof c.patch]).toEqual([c.id, 'docs', 'function']);
	});

	test('the onboarding status, and a field the account does not have', async () => {
		onboard('PENDING_VALID_PAYMENT_METHOD');
		expect(
			await call('GET', `/${SANDBOX_WABA_ID}?fields=marketing_messages_onboarding_status`),
		).toEqual({
			status: 200,
			body: {
				id: SANDBOX_WABA_ID,
				marketing_messages_onboarding_status: 'PENDING_VALID_PAYMENT_METHOD',
			},
		});
		const unknown = await call('GET', `/${SANDBOX_WABA_ID}?fields=colour`);
		expect([unknown.status, codeOf(unknown.body)]).toEqual([400, 100]);
	});

	test('a text message, a utility template by API version, and the faults of every send', async () => {
		const text = await call('POST', `/${SANDBOX_PHONE_NUMBER_ID}/marketing_messages`, {
			messaging_product: 'whatsapp',
			to: '16315552222',
			type: 'text',
			text: { body: 'hi' },
		});
		expect([text.status, (text.body.error as IDataObject).message]).toEqual([
			400,
			'(#100) Message must be a template message.',
		]);
		const utility = template('order_ready');
		expect(
			codeOf((await call('POST', `/${SANDBOX_PHONE_NUMBER_ID}/marketing_messages`, utility)).body),
		).toBe(134100);
		expect(
			codeOf(
				(await call('POST', `/${SANDBOX_PHONE_NUMBER_ID}/marketing_messages`, utility, 'v22.0'))
					.body,
			),
		).toBe(131055);
		onboard();
		sandbox.setFaults({ throttle: 1, seed: 1 });
		try {
			const throttled = await call(
				'POST',
				`/${SANDBOX_PHONE_NUMBER_ID}/marketing_messages`,
				template('autumn_sale'),
			);
			expect(codeOf(throttled.body)).toBe(130429);
		} finally {
			sandbox.setFaults(undefined);
		}
		expect(sandbox.accepted).toHaveLength(0);
	});
});
