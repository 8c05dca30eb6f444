/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * The trigger's events table (nodes/WhatsAppCloudTrigger/events.ts) and everything derived from
 * it: the Events options, the app-wide subscription, the notices and activation warning about
 * events an override never receives, the table against Meta's routing as the sandbox plays it,
 * webhook ingest, and the Flow answers and orders no fixture holds.
 */
import { readFileSync } from 'fs';
import type {
	IDataObject,
	INode,
	INodeParameters,
	INodeProperties,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import path from 'path';

import {
	APP_ONLY_EVENTS,
	callbackOf,
	EVENTS,
	missedByOverride,
	OPTION_EVENTS,
	SUBSCRIBED_FIELDS,
} from '../../nodes/WhatsAppCloudTrigger/events';
import { WhatsAppCloudTrigger } from '../../nodes/WhatsAppCloudTrigger/WhatsAppCloudTrigger.node';
import { WebhookServer, type TriggerHandle } from '../../dev/harness/webhook-server';
import { startSandbox } from '../../dev/harness/sandbox';
import {
	metaJson,
	SANDBOX_APP_ID,
	SANDBOX_WABA_ID,
	type GraphSandbox,
} from '../../dev/sandbox/server';
import { flowAnswerWebhook, META_OVERRIDE_FIELDS, orderWebhook } from '../../dev/sandbox/webhooks';

type Payload = Parameters<GraphSandbox['deliver']>[0];
const fixture = (name: string): Payload =>
	JSON.parse(readFileSync(path.join(__dirname, '../fixtures/webhooks', name), 'utf8'));

/** One management change of `field` for the sandbox's WABA, with this value. */
const change = (field: string, value: Record<string, unknown>, time = 1748454394): Payload =>
	({
		object: 'whatsapp_business_account',
		entry: [{ id: SANDBOX_WABA_ID, time, changes: [{ field, value }] }],
	}) as unknown as Payload;

/** A sample change for every app-only event the trigger offers. */
const APP_ONLY_SAMPLES: Record<string, Payload> = {
	message_template_status_update: fixture(
		'message_template_status_update_approved__meta_docs.json',
	),
	message_template_quality_update: fixture('message_template_quality_update__meta_docs.json'),
	template_category_update: fixture('template_category_update_completed__meta_docs.json'),
	message_template_components_update: change('message_template_components_update', {
		message_template_id: 12345,
		message_template_name: 'order_update',
		message_template_language: 'en_US',
		message_template_element: 'Your order {{1}} shipped',
	}),
	phone_number_quality_update: fixture(
		'phone_number_quality_update_throughput_upgrade__meta_docs.json',
	),
	phone_number_name_update: fixture('phone_number_name_update_approved__meta_docs.json'),
	account_update: fixture('account_update_verified_account__meta_docs.json'),
	account_review_update: fixture('account_review_update_approved__meta_docs.json'),
	account_alerts: change('account_alerts', {
		entity_type: 'WABA',
		entity_id: SANDBOX_WABA_ID,
		alert_severity: 'WARNING',
		alert_status: 'ACTIVE',
		alert_type: 'OBA_APPROVED',
	}),
	business_capability_update: change('business_capability_update', {
		max_daily_conversation_per_phone: 1000,
		max_phone_numbers_per_business: 2,
	}),
	user_preferences: change('user_preferences', {
		messaging_product: 'whatsapp',
		metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
		contacts: [{ wa_id: '16505551234', profile: { name: 'Sheena' } }],
		user_preferences: [
			{
				wa_id: '16505551234',
				detail: 'User requested to stop marketing messages',
				category: 'marketing_messages',
				value: 'stop',
				timestamp: 1748454394,
			},
		],
	}),
};

/** The group fields' events: options of their own, delivered to an override like messages. */
const GROUP_EVENTS = [
	'group_lifecycle_update',
	'group_participants_update',
	'group_settings_update',
	'group_status_update',
];

describe('the events table', () => {
	test('routing matches Meta: only the fields an override can redirect follow one; the rest, phone number quality and name, business capability and user preference updates included, go to the app-wide callback', () => {
		const followsOverride = [...new Set(EVENTS.map((e) => e.field))].filter(
			(f) => callbackOf(f) === 'override',
		);
		expect(followsOverride.sort()).toEqual([...META_OVERRIDE_FIELDS].sort());
		for (const field of [
			'phone_number_quality_update',
			'phone_number_name_update',
			'business_capability_update',
			'user_preferences',
			'message_template_status_update',
			'account_update',
			'security',
			'brand_new_field',
		])
			expect(callbackOf(field)).toBe('app');
		// message, status and error all come in `messages`, so they all follow an override
		expect(EVENTS.filter((e) => e.field === 'messages').map((e) => [e.event, e.callback])).toEqual([
			['message', 'override'],
			['status', 'override'],
			['error', 'override'],
		]);
		// and so do the two of `calls`, which Meta lets an override redirect
		expect(EVENTS.filter((e) => e.field === 'calls').map((e) => [e.event, e.callback])).toEqual([
			['call', 'override'],
			['call_status', 'override'],
		]);
	});

	test('one row per event: unique events, whole-change events named after their field, one callback per field', () => {
		expect(new Set(EVENTS.map((e) => e.event)).size).toBe(EVENTS.length);
		for (const e of EVENTS) {
			if (!e.perItem) expect(e.event).toBe(e.field);
			for (const other of EVENTS.filter((o) => o.field === e.field))
				expect(other.callback).toBe(e.callback);
		}
		// everything the trigger offered before the table, and nothing less
		expect(OPTION_EVENTS.map((e) => e.event)).toEqual([
			'message',
			'status',
			'error',
			// the calls field's two lists: calls that connected or ended, and call statuses
			'call',
			'call_status',
			...Object.keys(APP_ONLY_SAMPLES),
			...GROUP_EVENTS,
		]);
		expect(APP_ONLY_EVENTS.map((e) => e.event)).toEqual(Object.keys(APP_ONLY_SAMPLES));
	});

	test("the node's Events options come from the table; app-only events say so", () => {
		const updates = new WhatsAppCloudTrigger().description.properties.find(
			(p) => p.name === 'updates',
		)!;
		const options = updates.options as Array<{ name: string; value: string; description: string }>;
		expect(options[0].value).toBe('*');
		expect(options.slice(1).map((o) => [o.name, o.value])).toEqual(
			OPTION_EVENTS.map((e) => [e.option.name, e.event]),
		);
		for (const o of options.slice(1)) {
			expect(o.description.endsWith('(app-wide callback only)')).toBe(
				callbackOf(EVENTS.find((e) => e.event === o.value)!.field) === 'app',
			);
		}
	});

	test('an app-wide registration subscribes to every field the trigger offers, each once', () => {
		expect(SUBSCRIBED_FIELDS).toEqual([
			'messages',
			'calls',
			...Object.keys(APP_ONLY_SAMPLES),
			...GROUP_EVENTS,
		]);
	});

	test('missedByOverride names the selected app-only events for account and phone number registrations only', () => {
		const updates = ['message', 'user_preferences', 'phone_number_quality_update'];
		expect(missedByOverride('businessAccount', updates)).toEqual([
			'Phone Number Quality Update',
			'User Preferences',
		]);
		expect(missedByOverride('phoneNumber', updates)).toHaveLength(2);
		expect(missedByOverride('app', updates)).toEqual([]);
		expect(missedByOverride('manual', updates)).toEqual([]);
		expect(missedByOverride('businessAccount', ['message', 'status', 'error'])).toEqual([]);
		expect(missedByOverride('businessAccount', ['*'])).toEqual(
			APP_ONLY_EVENTS.map((e) => e.option.name),
		);
	});
});

describe('the notice in the editor', () => {
	const type = new WhatsAppCloudTrigger();
	const node: Pick<INode, 'typeVersion'> = { typeVersion: 1 };
	const notices = type.description.properties.filter((p) => p.name.startsWith('appOnlyNotice'));

	/** The app-only notices n8n's editor shows for these parameters, by their text. */
	const shown = (parameters: INodeParameters): string[] => {
		const values = NodeHelpers.getNodeParameters(
			type.description.properties,
			parameters,
			true,
			false,
			node,
			type.description,
		)!;
		return notices
			.filter((p: INodeProperties) =>
				NodeHelpers.displayParameter(values, p, node, type.description),
			)
			.map((p) => p.displayName);
	};

	test('none for manual or app-wide registration, whatever is selected', () => {
		for (const registration of ['manual', 'app'])
			for (const updates of [['*'], ['user_preferences'], ['message', 'account_update']])
				expect(shown({ registration, updates, verifyToken: 'x' })).toEqual([]);
		// the default registration is manual
		expect(shown({ updates: ['account_alerts'] })).toEqual([]);
	});

	test('none for an override registration that selects only events overrides receive', () => {
		for (const registration of ['businessAccount', 'phoneNumber'])
			expect(shown({ registration, updates: ['message', 'status', 'error'] })).toEqual([]);
	});

	test('per account or phone number: one notice per selected app-only event, naming it', () => {
		expect(
			shown({ registration: 'businessAccount', updates: ['message', 'user_preferences'] }),
		).toEqual([expect.stringMatching(/^User Preferences events never reach this trigger/)]);
		const both = shown({
			registration: 'phoneNumber',
			updates: ['phone_number_quality_update', 'status', 'account_update'],
		});
		expect(both).toEqual([
			expect.stringMatching(/^Phone Number Quality Update events never reach/),
			expect.stringMatching(/^Account Update events never reach/),
		]);
		for (const text of both) expect(text).toMatch(/App-Wide/);
	});

	test('with All Events, one notice naming every app-only event instead', () => {
		const all = shown({ registration: 'businessAccount', updates: ['*', 'account_update'] });
		expect(all).toHaveLength(1);
		for (const e of APP_ONLY_EVENTS) expect(all[0]).toContain(e.option.name);
	});
});

describe('routing and activation against the sandbox', () => {
	let sandbox: GraphSandbox;
	let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];
	let server: WebhookServer;

	beforeAll(async () => {
		({ sandbox, credentials } = await startSandbox());
		server = await new WebhookServer().start();
	});
	afterAll(async () => {
		await server.stop();
		await sandbox.stop();
	});

	// The sandbox routes by its own list of Meta's override fields, not by the table: this is where
	// a wrong `callback` in the table shows, as a field delivered where the trigger does not expect it.
	test("Meta (the sandbox) routes every field where the table expects it: an override's field to the phone number's override, then the account's; any other field to the app", () => {
		const hooks = sandbox.webhooks;
		const fields = [
			...new Set([...EVENTS.map((e) => e.field), 'security', 'automatic_events', 'brand_new']),
		];
		hooks.app = { url: 'http://app', verifyToken: 'v', fields };
		hooks.subscribedWabas.add(SANDBOX_WABA_ID);
		hooks.wabaOverrides.set(SANDBOX_WABA_ID, { url: 'http://waba', verifyToken: 'v' });
		hooks.phoneOverrides.set('106540352242922', { url: 'http://phone', verifyToken: 'v' });
		try {
			for (const field of fields) {
				const override = callbackOf(field) === 'override';
				expect([field, sandbox.destinationFor(SANDBOX_WABA_ID, field, '106540352242922')]).toEqual([
					field,
					override ? 'http://phone' : 'http://app',
				]);
				expect([field, sandbox.destinationFor(SANDBOX_WABA_ID, field, '999')]).toEqual([
					field,
					override ? 'http://waba' : 'http://app',
				]);
			}
		} finally {
			hooks.app = undefined;
			hooks.subscribedWabas.delete(SANDBOX_WABA_ID);
			hooks.wabaOverrides.delete(SANDBOX_WABA_ID);
			hooks.phoneOverrides.delete('106540352242922');
		}
	});

	test('a per-account trigger with All Events receives messages but none of the app-only events; the app-wide trigger receives each of those', async () => {
		const app = server.trigger(
			{ updates: ['*'], verifyToken: 'app-vt', registration: 'app' },
			{ ...credentials, appId: SANDBOX_APP_ID },
		);
		const waba = server.trigger(
			{ updates: ['*'], verifyToken: 'waba-vt', registration: 'businessAccount' },
			credentials,
		);
		await app.activate();
		await waba.activate();
		try {
			expect(sandbox.webhooks.app?.fields).toEqual(SUBSCRIBED_FIELDS);
			for (const [event, payload] of Object.entries(APP_ONLY_SAMPLES)) {
				const delivery = await sandbox.deliver({
					...payload,
					entry: payload.entry.map((e) => ({ ...e, id: SANDBOX_WABA_ID })),
				});
				expect([event, delivery.url, delivery.status]).toEqual([event, app.url, 200]);
			}
			expect(app.items.map((i) => i.json.event)).toEqual(Object.keys(APP_ONLY_SAMPLES));
			expect(waba.runs).toHaveLength(0);

			const text = fixture('msg_text__meta_openapi.json');
			const message = await sandbox.deliver({
				...text,
				entry: text.entry.map((e) => ({ ...e, id: SANDBOX_WABA_ID })),
			});
			expect(message.url).toBe(waba.url);
			expect(waba.items.map((i) => i.json.event)).toEqual(['message']);
			expect(app.items).toHaveLength(Object.keys(APP_ONLY_SAMPLES).length);
		} finally {
			await waba.deactivate();
			await app.deactivate();
		}
	});

	test('a per-phone-number trigger does not receive user preferences, though they carry its phone number', async () => {
		const app = server.trigger(
			{ updates: ['user_preferences'], verifyToken: 'app-vt', registration: 'app' },
			{ ...credentials, appId: SANDBOX_APP_ID },
		);
		const phone = server.trigger(
			{
				updates: ['message', 'user_preferences'],
				verifyToken: 'phone-vt',
				registration: 'phoneNumber',
			},
			credentials,
		);
		await app.activate();
		await phone.activate();
		try {
			await sandbox.deliver(APP_ONLY_SAMPLES.user_preferences);
			expect(phone.runs).toHaveLength(0);
			expect(app.items.map((i) => [i.json.event, i.json.phoneNumberId])).toEqual([
				['user_preferences', '106540352242922'],
			]);
		} finally {
			await phone.deactivate();
			await app.deactivate();
		}
	});

	test('activation warns, naming the selected app-only events, for account and phone number registrations only', async () => {
		const waba = server.trigger(
			{
				updates: ['message', 'user_preferences', 'business_capability_update'],
				verifyToken: 'vt',
				registration: 'businessAccount',
			},
			credentials,
		);
		await waba.activate();
		await waba.deactivate();
		expect(waba.logs).toEqual([
			expect.stringMatching(
				/^warn: .*an account callback override, it will never receive these selected events, .*: Business Capability Update, User Preferences\. /,
			),
		]);

		const phone = server.trigger(
			{ updates: ['*'], verifyToken: 'vt', registration: 'phoneNumber' },
			credentials,
		);
		await phone.activate();
		await phone.deactivate();
		expect(phone.logs).toHaveLength(1);
		for (const e of APP_ONLY_EVENTS) expect(phone.logs[0]).toContain(e.option.name);

		const quiet = [
			server.trigger(
				{ updates: ['message', 'status'], verifyToken: 'vt', registration: 'businessAccount' },
				credentials,
			),
			server.trigger(
				{ updates: ['user_preferences'], verifyToken: 'vt', registration: 'manual' },
				credentials,
			),
			server.trigger(
				{ updates: ['*'], verifyToken: 'vt', registration: 'app' },
				{ ...credentials, appId: SANDBOX_APP_ID },
			),
		];
		for (const t of quiet) {
			await t.activate();
			await t.deactivate();
			expect(t.logs).toEqual([]);
		}
	});
});

describe('webhook ingest: the body n8n parsed, the raw bytes as the fallback', () => {
	const raw = metaJson(fixture('msg_text__meta_openapi.json'));

	/** Just enough of n8n's webhook functions to run webhook() without signature checks. */
	function call(contentType: string | undefined, body: unknown) {
		const sent: Array<{ status: number; body: unknown }> = [];
		let status = 0;
		const res = {
			status: (s: number) => ((status = s), res),
			type: () => res,
			send: (b: unknown) => (sent.push({ status, body: b }), res),
			headersSent: false,
		};
		const parameters: Record<string, unknown> = {
			updates: ['*'],
			checkSignature: false,
			options: {},
		};
		const ctx = {
			getWebhookName: () => 'default',
			getRequestObject: () => ({ rawBody: Buffer.from(raw), headers: {} }),
			getResponseObject: () => res,
			getHeaderData: () => (contentType ? { 'content-type': contentType } : {}),
			getBodyData: () => body,
			getNodeParameter: (name: string, fallback: unknown) => parameters[name] ?? fallback,
			getNode: () => ({ name: 'Trigger', id: 'n' }),
			getWorkflow: () => ({ id: 'w' }),
			getMode: () => 'manual',
			logger: { warn: () => {}, error: () => {}, info: () => {}, debug: () => {} },
		} as unknown as IWebhookFunctions;
		return { run: async () => await new WhatsAppCloudTrigger().webhook.call(ctx), sent };
	}

	/** The parsed body, recognisably different from the raw bytes. */
	const parsed = () => {
		const body = JSON.parse(raw);
		body.entry[0].changes[0].value.messages[0].id = 'wamid.FROM-PARSED-BODY';
		return body;
	};

	test("for a JSON call, the events come from n8n's parsed body, not a second parse of the bytes", async () => {
		for (const type of [
			'application/json',
			'application/json; charset=utf-8',
			'Application/JSON',
		]) {
			const result = await call(type, parsed()).run();
			expect([type, result.workflowData?.[0][0].json.messageId]).toEqual([
				type,
				'wamid.FROM-PARSED-BODY',
			]);
		}
	});

	test("without a usable parsed body (another content type, none, n8n's empty placeholder, text), the raw bytes are parsed", async () => {
		const rawId = JSON.parse(raw).entry[0].changes[0].value.messages[0].id;
		for (const [type, body] of [
			['text/plain', parsed()],
			[undefined, parsed()],
			['application/json', undefined],
			['application/json', {}],
			['application/json', raw],
		] as const) {
			const result = await call(type, body).run();
			expect([type, result.workflowData?.[0][0].json.messageId]).toEqual([type, rawId]);
		}
	});

	test('a parsed body nested too deeply is still caught: 200 and one "unprocessed" item', async () => {
		const body = parsed();
		let deep: unknown = 'bottom';
		for (let i = 0; i < 5000; i++) deep = [deep];
		body.entry[0].changes[0].value.messages[0].deep = deep;
		const { run, sent } = call('application/json', body);
		const result = await run();
		expect(sent).toEqual([{ status: 200, body: 'OK' }]);
		expect(result.workflowData?.[0].map((i) => i.json.event)).toEqual(['unprocessed']);
	});
});

// What each fixture makes, Raw output included, is in its expected file (fixtures.test.ts); here,
// the answers and carts no fixture holds, built by the sandbox as Meta sends them.
describe('Flow answers, address replies and orders: the items a signed delivery produces', () => {
	let sandbox: GraphSandbox;
	let server: WebhookServer;
	let simplified: TriggerHandle;

	beforeAll(async () => {
		let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];
		({ sandbox, credentials } = await startSandbox());
		server = await new WebhookServer().start();
		const parameters = { updates: ['message'], verifyToken: 'vt', registration: 'manual' };
		simplified = server.trigger({ ...parameters, options: { dropDuplicates: false } }, credentials);
		await simplified.activate();
	});
	afterAll(async () => {
		await simplified.deactivate();
		await server.stop();
		await sandbox.stop();
	});

	/** Delivers `payload` signed, as Meta does, to the trigger: its one item, after Meta got 200. */
	async function receive(payload: Payload, trigger = simplified): Promise<IDataObject> {
		const before = trigger.items.length;
		const delivery = await sandbox.deliver(payload, { to: trigger.url });
		expect(delivery.status).toBe(200);
		expect(trigger.items.length).toBe(before + 1);
		return trigger.items[before].json;
	}

	const firstMessage = (payload: Payload) =>
		(payload.entry[0].changes[0].value.messages as IDataObject[])[0];

	test('a response_json that is JSON but not an object, missing, or nested too deeply: kept as received, with a note saying why', async () => {
		const deep = `{"a":${'['.repeat(40)}${']'.repeat(40)}}`;
		const cases: Array<[unknown, unknown, string]> = [
			['[1,2]', '[1,2]', "The reply's response_json is an array, not a JSON object;"],
			['42', '42', "The reply's response_json is a number, not a JSON object;"],
			['"text"', '"text"', "The reply's response_json is a string, not a JSON object;"],
			['null', 'null', "The reply's response_json is null, not a JSON object;"],
			[7, 7, "The reply's response_json is a number, not a JSON object;"],
			[undefined, null, 'The reply has no response_json.'],
			[deep, deep, "The reply's response_json nests more than 32 levels deep;"],
		];
		let n = 0;
		for (const [responseJson, kept, note] of cases) {
			const item = await receive(
				flowAnswerWebhook(
					{ from: '16505551234', name: 'Sheena Nelson', messageId: `wamid.BAD${n++}` },
					{ responseJson, flowToken: null },
				),
			);
			expect([responseJson, item.type, item.flowResponse, item.flowToken]).toEqual([
				responseJson,
				'flowResponse',
				null,
				null,
			]);
			expect(item.flowResponseRaw).toEqual(kept);
			expect(String(item.note).startsWith(note)).toBe(true);
		}
		// nesting a Flow could produce still comes through parsed
		const nested = { a: JSON.parse(`${'['.repeat(20)}1${']'.repeat(20)}`) };
		const item = await receive(
			flowAnswerWebhook(
				{ from: '16505551234', name: 'Sheena Nelson', messageId: 'wamid.NESTED' },
				{ response: nested, flowToken: 'deep-ok' },
			),
		);
		expect([item.flowToken, item.flowResponse, item]).toEqual([
			'deep-ok',
			nested,
			expect.not.objectContaining({ note: expect.anything() }),
		]);
	});

	test('a Flow answer without a flow_token or with another name stays a flowResponse (flowToken null, flowName as sent); no name and the address form values make an addressShared', async () => {
		const customer = (id: string) => ({
			from: '16505551234',
			name: 'Sheena Nelson',
			messageId: `wamid.${id}`,
		});
		const noToken = await receive(
			flowAnswerWebhook(customer('NOTOKEN'), { response: { rating: '4' }, flowToken: null }),
		);
		expect(noToken).toMatchObject({
			type: 'flowResponse',
			flowName: 'flow',
			flowToken: null,
			flowResponse: { rating: '4' },
		});
		expect(noToken).not.toHaveProperty('note');
		expect(noToken).not.toHaveProperty('address');

		const otherName = await receive(
			flowAnswerWebhook(customer('OTHERNAME'), {
				response: { rating: '5' },
				flowToken: 'survey-9',
				name: 'survey_v2',
			}),
		);
		expect(otherName).toMatchObject({
			type: 'flowResponse',
			flowName: 'survey_v2',
			flowToken: 'survey-9',
			flowResponse: { rating: '5' },
		});

		const unnamedAddress = await receive(
			flowAnswerWebhook(customer('UNNAMEDADDRESS'), {
				response: { values: { city: 'Mumbai', in_pin_code: '400063' } },
				flowToken: null,
				name: null,
				body: 'Mumbai 400063',
			}),
		);
		expect(unnamedAddress).toMatchObject({
			type: 'addressShared',
			text: 'Mumbai 400063',
			flowName: null,
			flowToken: null,
			address: { city: 'Mumbai', in_pin_code: '400063' },
			savedAddressId: null,
		});

		// without a name, a token makes it a Flow answer even if a field is called values
		const unnamedFlow = await receive(
			flowAnswerWebhook(customer('UNNAMEDFLOW'), {
				response: { values: { a: 1 } },
				flowToken: 't-1',
				name: null,
			}),
		);
		expect(unnamedFlow).toMatchObject({ type: 'flowResponse', flowName: null, flowToken: 't-1' });
		expect(unnamedFlow).not.toHaveProperty('address');

		// a malformed address reply keeps its text, with empty address fields
		const badAddress = await receive(
			flowAnswerWebhook(customer('BADADDRESS'), {
				responseJson: '{"values":',
				name: 'address_message',
			}),
		);
		expect(badAddress).toMatchObject({
			type: 'addressShared',
			flowResponse: null,
			flowResponseRaw: '{"values":',
			note: expect.stringMatching(/not valid JSON/),
			address: null,
			savedAddressId: null,
		});
	});

	test('an order without a note (Meta leaves the text out): text null; numbers sent as text are read as numbers', async () => {
		const built = orderWebhook(
			{ from: '16505551234', name: 'Sheena Nelson', messageId: 'wamid.NONOTE' },
			{
				catalogId: '194836987003835',
				items: [{ productId: 'di9ozbzfi4', quantity: 1, price: 30, currency: 'EUR' }],
				text: null,
			},
		);
		const m = firstMessage(built);
		const items = (m.order as IDataObject).product_items as IDataObject[];
		items.push({
			product_retailer_id: 'as-text',
			quantity: '2',
			item_price: '9.50',
			currency: 'EUR',
		});
		items.push({ product_retailer_id: 'broken', quantity: 'two', item_price: null });
		const noNote = await receive(built);
		expect([noNote.text, noNote.order]).toEqual([
			null,
			{
				catalogId: '194836987003835',
				items: [
					{ productId: 'di9ozbzfi4', quantity: 1, price: 30, currency: 'EUR' },
					{ productId: 'as-text', quantity: 2, price: 9.5, currency: 'EUR' },
					{ productId: 'broken', quantity: null, price: null, currency: null },
				],
				text: null,
			},
		]);
	});

	test("the sandbox's builders make the Flow answer and the order Meta sends", async () => {
		const customer = {
			from: '5511999999999',
			name: 'Ana',
			messageId: 'wamid.BUILT-FLOW',
			timestamp: '1762000200',
		};
		const answer = flowAnswerWebhook(customer, {
			response: { slot: '2026-12-01T10:00' },
			flowToken: 'order-4711',
			replyTo: 'wamid.FLOW-SENT',
		});
		// Meta's shape: context first, response_json as text holding the token
		expect(firstMessage(answer)).toEqual({
			context: { from: '15550783881', id: 'wamid.FLOW-SENT' },
			from: '5511999999999',
			id: 'wamid.BUILT-FLOW',
			timestamp: '1762000200',
			type: 'interactive',
			interactive: {
				type: 'nfm_reply',
				nfm_reply: {
					name: 'flow',
					body: 'Sent',
					response_json: '{"flow_token":"order-4711","slot":"2026-12-01T10:00"}',
				},
			},
		});
		expect(await receive(answer)).toMatchObject({
			contactName: 'Ana',
			replyTo: '5511999999999',
			type: 'flowResponse',
			context: { from: '15550783881', id: 'wamid.FLOW-SENT' },
			flowToken: 'order-4711',
			flowResponse: { slot: '2026-12-01T10:00' },
		});

		const cart = orderWebhook(
			{ ...customer, messageId: 'wamid.BUILT-ORDER', timestamp: '1762000300' },
			{
				catalogId: '194836987003835',
				items: [{ productId: 'vrpj01fvwp', quantity: 2, price: 30, currency: 'USD' }],
			},
		);
		expect(firstMessage(cart)).toEqual({
			from: '5511999999999',
			id: 'wamid.BUILT-ORDER',
			timestamp: '1762000300',
			type: 'order',
			order: {
				catalog_id: '194836987003835',
				text: '',
				product_items: [
					{ product_retailer_id: 'vrpj01fvwp', quantity: 2, item_price: 30, currency: 'USD' },
				],
			},
		});
		expect((await receive(cart)).order).toEqual({
			catalogId: '194836987003835',
			items: [{ productId: 'vrpj01fvwp', quantity: 2, price: 30, currency: 'USD' }],
			text: '',
		});
	});
});
