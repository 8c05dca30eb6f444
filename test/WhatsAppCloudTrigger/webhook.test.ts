/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
import { createHmac } from 'crypto';
import { readFileSync } from 'fs';
import type { IDataObject } from 'n8n-workflow';
import path from 'path';

import {
	MAX_BODY_DEPTH,
	nestedDeeperThan,
	normalize,
	parseWebhookBody,
	SeenEvents,
	unprocessedEvent,
	verifySignature,
	type WebhookBody,
} from '../../nodes/WhatsAppCloudTrigger/webhook';
import { isoFromUnix } from '../../nodes/WhatsAppCloudTrigger/events';

const FIXTURES = path.join(__dirname, '../fixtures/webhooks');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

describe('signature', () => {
	// a body as Meta sends and signs it: every non-ASCII character escaped as \uXXXX (lowercase);
	// the signature was computed for this test with the app secret my_app_secret
	const raw = Buffer.from(
		'{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Jos\\u00e9"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.TEST","timestamp":"1749416383","type":"text","text":{"body":"Ol\\u00e1 \\ud83d\\udc4b"}}]},"field":"messages"}]}]}',
		'ascii',
	);
	const header = 'sha256=64e523ff89e1b27106e0e45d6b9e46c8a06796fb4856db4fa71e1b3b9eabc749';

	test('the escaped-unicode test vector passes over the raw bytes', () => {
		expect(verifySignature(raw, header, 'my_app_secret')).toEqual({ ok: true });
		expect(
			verifySignature(raw, header.toUpperCase().replace('SHA256=', 'sha256='), 'my_app_secret'),
		).toEqual({ ok: true });
	});

	test('the same JSON re-serialised as UTF-8 does not match (why the raw bytes matter)', () => {
		const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString())), 'utf8');
		expect(createHmac('sha256', 'my_app_secret').update(reserialised).digest('hex')).toBe(
			'e0630e40dac3d4173acd66825b3c2c4dc22ab6d713f9b1c7601cd41352b66685',
		);
		expect(verifySignature(reserialised, header, 'my_app_secret').ok).toBe(false);
	});

	test('missing, malformed, wrong secret, changed body, no secret: each rejected with its reason', () => {
		expect(verifySignature(raw, undefined, 'my_app_secret')).toEqual({
			ok: false,
			reason: expect.stringMatching(/missing/),
		});
		expect(verifySignature(raw, 'sha1=abc', 'my_app_secret')).toEqual({
			ok: false,
			reason: expect.stringMatching(/malformed/),
		});
		expect(verifySignature(raw, 'sha256=' + 'a'.repeat(63), 'my_app_secret')).toEqual({
			ok: false,
			reason: expect.stringMatching(/malformed/),
		});
		expect(verifySignature(raw, header, 'other_secret')).toEqual({
			ok: false,
			reason: expect.stringMatching(/does not match/),
		});
		const changed = Buffer.from(raw.toString().replace('wamid.TEST', 'wamid.TESU'));
		expect(verifySignature(changed, header, 'my_app_secret').ok).toBe(false);
		expect(verifySignature(raw, header, '')).toEqual({
			ok: false,
			reason: expect.stringMatching(/no App Secret/),
		});
		for (const r of [verifySignature(raw, header, 'other_secret')])
			expect(JSON.stringify(r)).not.toContain('other_secret');
	});
});

describe('parsing', () => {
	test('bad JSON, non-objects and non-WhatsApp objects are rejected with a reason', () => {
		expect(parseWebhookBody(Buffer.from('{nope'))).toEqual({
			ok: false,
			reason: 'the body is not valid JSON',
		});
		expect(parseWebhookBody(Buffer.from('[1]')).ok).toBe(false);
		expect(parseWebhookBody(Buffer.from('{"object":"page","entry":[]}'))).toEqual({
			ok: false,
			reason: expect.stringMatching(/not a WhatsApp webhook/),
		});
		expect(parseWebhookBody(Buffer.from('{"object":"whatsapp_business_account"}'))).toEqual({
			ok: false,
			reason: 'the body has no entry array',
		});
	});

	test('a WhatsApp envelope nested deeper than MAX_BODY_DEPTH is refused as tooDeep, at any depth, without overflowing the stack', () => {
		for (const depth of [MAX_BODY_DEPTH, 5_000, 1_000_000]) {
			const body = Buffer.from(
				`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"x","value":{"v":${'['.repeat(depth)}${']'.repeat(depth)}}}]}]}`,
			);
			expect(parseWebhookBody(body)).toEqual({
				ok: false,
				tooDeep: true,
				reason: `the body nests objects or arrays more than ${MAX_BODY_DEPTH} levels deep`,
			});
		}
		// a deep body that is not a WhatsApp webhook at all stays a plain refusal (400)
		expect(
			parseWebhookBody(Buffer.from(`{"object":"page","x":${'['.repeat(5000)}${']'.repeat(5000)}}`)),
		).toEqual({ ok: false, reason: expect.stringMatching(/not a WhatsApp webhook/) });
	});

	test('nestedDeeperThan counts levels of objects and arrays, iteratively', () => {
		expect(nestedDeeperThan({ a: { b: [1] } }, 3)).toBe(false);
		expect(nestedDeeperThan({ a: { b: [[1]] } }, 3)).toBe(true);
		expect(nestedDeeperThan('text', 0)).toBe(false);
		let deep: unknown = [];
		for (let i = 0; i < 1_000_000; i++) deep = [deep];
		expect(nestedDeeperThan(deep, MAX_BODY_DEPTH)).toBe(true);
	});

	test('a parsed body that is a WhatsApp envelope is used as it is; anything else falls back to the raw bytes', () => {
		const raw = fixture('msg_text__meta_openapi.json');
		const parsed = JSON.parse(raw.toString());
		const used = parseWebhookBody(raw, parsed);
		expect(used.ok && used.body).toBe(parsed);
		for (const notEnvelope of [undefined, null, {}, 'text', [], { object: 'page', entry: [] }]) {
			const result = parseWebhookBody(raw, notEnvelope);
			expect(result.ok && result.body).toEqual(parsed);
			expect(result.ok && result.body).not.toBe(notEnvelope);
		}
		// the raw bytes decide when the parsed body is unusable: bad bytes stay a refusal
		expect(parseWebhookBody(Buffer.from('{nope'), {})).toEqual({
			ok: false,
			reason: 'the body is not valid JSON',
		});
		// and the depth check covers a parsed body too
		let deep: unknown = [];
		for (let i = 0; i < 100_000; i++) deep = [deep];
		expect(
			parseWebhookBody(raw, { ...parsed, entry: [{ changes: [{ field: 'x', value: { deep } }] }] }),
		).toMatchObject({ ok: false, tooDeep: true });
	});

	test('unprocessedEvent carries the reason and the body as text', () => {
		expect(unprocessedEvent(Buffer.from('{"a":1}'), 'why')).toEqual({
			event: 'unprocessed',
			reason: 'why',
			receivedAt: expect.stringMatching(/^\d{4}-/),
			rawBody: '{"a":1}',
		});
	});
});

describe('normalisation (the simplified event the trigger emits)', () => {
	// What each fixture makes, exactly, is in its expected file (fixtures.test.ts); these are the
	// payloads no fixture holds: edits, revokes, broken times and nesting, batches, unknown fields.
	test('edits and revokes carry the original message id; an edit its new text', () => {
		const base = JSON.parse(fixture('msg_text__meta_openapi.json').toString()) as WebhookBody;
		const value = base.entry[0].changes![0].value!;
		const original = (value.messages as Array<Record<string, unknown>>)[0];
		const edit = {
			...original,
			id: 'wamid.E',
			type: 'edit',
			text: undefined,
			edit: {
				original_message_id: 'wamid.O',
				message: { type: 'text', text: { body: 'fixed typo' } },
			},
		};
		const revoke = {
			...original,
			id: 'wamid.R',
			type: 'revoke',
			text: undefined,
			revoke: { original_message_id: 'wamid.O' },
		};
		const [e, r] = normalize({
			object: 'whatsapp_business_account',
			entry: [
				{
					id: 'W',
					changes: [{ field: 'messages', value: { ...value, messages: [edit, revoke] } }],
				},
			],
		});
		expect(e.simplified).toMatchObject({
			type: 'edit',
			text: 'fixed typo',
			originalMessageId: 'wamid.O',
		});
		expect(r.simplified).toMatchObject({
			type: 'revoke',
			text: null,
			originalMessageId: 'wamid.O',
		});
	});

	test("a timestamp out of Date's range (microseconds sent as seconds) does not throw; the time of receipt stands in", () => {
		const base = JSON.parse(fixture('msg_text__meta_openapi.json').toString()) as WebhookBody;
		const value = base.entry[0].changes![0].value!;
		const message = {
			...(value.messages as Array<Record<string, unknown>>)[0],
			timestamp: '1749416383000000',
		};
		const [e] = normalize({
			object: 'whatsapp_business_account',
			entry: [
				{
					id: 'W',
					time: 1e300,
					changes: [
						{ field: 'messages', value: { ...value, messages: [message] } },
						{ field: 'x', value: {} },
					],
				},
			],
		});
		expect(Math.abs(Date.parse(e.simplified.timestamp) - Date.now())).toBeLessThan(60_000);
	});

	test('an edit wrapping edits without end is not followed down (no stack overflow)', () => {
		let edit: Record<string, unknown> = { type: 'text', text: { body: 'innermost' } };
		for (let i = 0; i < 200_000; i++)
			edit = { type: 'edit', edit: { original_message_id: 'wamid.O', message: edit } };
		const [e] = normalize({
			object: 'whatsapp_business_account',
			entry: [
				{
					id: 'W',
					changes: [
						{ field: 'messages', value: { messages: [{ ...edit, id: 'wamid.E', from: '1' }] } },
					],
				},
			],
		});
		expect(e.simplified).toMatchObject({ type: 'edit', text: null, originalMessageId: 'wamid.O' });
	});

	test('every entry, change and item: a batch of 2 entries x 2 changes with several items', () => {
		const text = JSON.parse(fixture('msg_text__meta_openapi.json').toString()) as WebhookBody;
		const status = JSON.parse(
			fixture('status_delivered_cbp__meta_docs.json').toString(),
		) as WebhookBody;
		const value = text.entry[0].changes![0].value!;
		const messages = value.messages as Array<{ id: string }>;
		const three = [0, 1, 2].map((n) => ({ ...messages[0], id: `wamid.M${n}` }));
		const batch: WebhookBody = {
			object: 'whatsapp_business_account',
			entry: [
				{
					id: 'WABA1',
					changes: [
						{ field: 'messages', value: { ...value, messages: three } },
						status.entry[0].changes![0],
					],
				},
				{
					id: 'WABA2',
					changes: [
						{
							field: 'messages',
							value: { ...value, messages: [{ ...messages[0], id: 'wamid.OTHER' }] },
						},
					],
				},
			],
		};
		const all = normalize(batch);
		expect(all.map((e) => [e.event, e.simplified.businessAccountId])).toEqual([
			['message', 'WABA1'],
			['message', 'WABA1'],
			['message', 'WABA1'],
			['status', 'WABA1'],
			['message', 'WABA2'],
		]);
	});

	test('a change of a kind we do not know passes through raw, never throws', () => {
		const all = normalize({
			object: 'whatsapp_business_account',
			entry: [
				{
					id: 'W',
					time: 1,
					changes: [{ field: 'brand_new_field', value: { x: 1 } }, { field: 'messages' } as never],
				},
				null as never,
			],
		});
		expect(all[0].simplified).toMatchObject({ event: 'brand_new_field', value: { x: 1 } });
		expect(all[1].simplified).toMatchObject({ event: 'messages', value: {} });
	});
});

describe('pricing on status items', () => {
	const PRICING = ['billable', 'pricingCategory', 'pricingType', 'pricingModel', 'pricing'];
	const pricingOf = (e: { simplified: IDataObject }) =>
		Object.fromEntries(PRICING.map((k) => [k, e.simplified[k]]));
	const statusesOf = (name: string) =>
		normalize(JSON.parse(fixture(name).toString()) as WebhookBody).filter(
			(e) => e.simplified.status !== undefined,
		);
	/** A sent status carrying `pricing` as given (or none when undefined). */
	const withPricing = (pricing: unknown) => {
		const [e] = normalize({
			object: 'whatsapp_business_account',
			entry: [
				{
					id: 'W',
					changes: [
						{
							field: 'messages',
							value: {
								statuses: [
									{
										id: 'wamid.P',
										status: 'sent',
										timestamp: '1750030073',
										recipient_id: '16505551234',
										...(pricing === undefined ? {} : { pricing }),
									},
								],
							},
						},
					],
				},
			],
		});
		return e;
	};

	test('a per-message-pricing marketing template, sent: billable, marketing, regular, PMP', () => {
		const [e] = statusesOf('status_sent_pmp_marketing__meta_docs.json');
		expect(pricingOf(e)).toStrictEqual({
			billable: true,
			pricingCategory: 'marketing',
			pricingType: 'regular',
			pricingModel: 'PMP',
			pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' },
		});
	});

	test('a conversation-based delivered status has no type: pricingType is null, not guessed', () => {
		const [e] = statusesOf('status_delivered_cbp__meta_docs.json');
		expect(pricingOf(e)).toStrictEqual({
			billable: true,
			pricingCategory: 'service',
			pricingType: null,
			pricingModel: 'CBP',
			pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
		});
	});

	test('a free service message in the customer service window: not billable, free_customer_service', () => {
		const pricing = {
			billable: false,
			pricing_model: 'PMP',
			type: 'free_customer_service',
			category: 'service',
		};
		expect(pricingOf(withPricing(pricing))).toStrictEqual({
			billable: false,
			pricingCategory: 'service',
			pricingType: 'free_customer_service',
			pricingModel: 'PMP',
			pricing,
		});
	});

	test('a status without pricing (a failed one, a v24 sent one) has all four null', () => {
		const failed = statusesOf('status_failed_131049__meta_docs.json');
		const v24 = statusesOf('status_v24_no_conversation_no_pricing__meta_docs.json');
		expect(failed).toHaveLength(1);
		expect(v24).toHaveLength(1);
		const none = {
			billable: null,
			pricingCategory: null,
			pricingType: null,
			pricingModel: null,
			pricing: null,
		};
		for (const e of [...failed, ...v24, withPricing(undefined)])
			expect(pricingOf(e)).toStrictEqual(none);
	});

	test('without billable (Meta is retiring it) billable is null, not derived from type', () => {
		const e = withPricing({ pricing_model: 'PMP', type: 'free_entry_point', category: 'utility' });
		expect(pricingOf(e)).toMatchObject({
			billable: null,
			pricingCategory: 'utility',
			pricingType: 'free_entry_point',
			pricingModel: 'PMP',
		});
	});

	test('one spelling: the hyphenated or upper-case category and type, a lower-case model', () => {
		const e = withPricing({
			billable: 'true',
			pricing_model: 'pmp',
			type: 'REGULAR',
			category: 'authentication-international',
		});
		expect(pricingOf(e)).toMatchObject({
			billable: null,
			pricingCategory: 'authentication_international',
			pricingType: 'regular',
			pricingModel: 'PMP',
		});
		expect(pricingOf(withPricing({ category: '', type: ' ', pricing_model: '' }))).toMatchObject({
			billable: null,
			pricingCategory: null,
			pricingType: null,
			pricingModel: null,
		});
	});
});

describe('identity: phones, business-scoped user IDs (BSUID) and usernames', () => {
	// What each fixture makes, exactly, is in its expected file (fixtures.test.ts); these are the
	// variations of a fixture that no payload of Meta's shows.
	test('with several contacts, a phoneless message is paired with its contact by BSUID', () => {
		const base = JSON.parse(
			fixture('msg_text_username_only_bsuid__meta_bsuid.json').toString(),
		) as WebhookBody;
		const value = base.entry[0].changes![0].value!;
		const other = { profile: { name: 'Someone else', username: '@other' }, user_id: 'BR.1' };
		const [e] = normalize({
			...base,
			entry: [
				{
					...base.entry[0],
					changes: [
						{
							field: 'messages',
							value: { ...value, contacts: [other, ...(value.contacts as unknown[])] },
						},
					],
				},
			],
		});
		expect(e.simplified).toMatchObject({ contactName: 'Ana', username: '@ana.s' });
	});

	test('changed number with BSUIDs: still type system, replyTo the new number, the previous and new BSUIDs', () => {
		const name = 'msg_system__meta_openapi.json';
		const base = JSON.parse(fixture(name).toString()) as WebhookBody;
		const value = base.entry[0].changes![0].value!;
		const message = (value.messages as Array<Record<string, unknown>>)[0];
		const [e] = normalize({
			...base,
			entry: [
				{
					...base.entry[0],
					changes: [
						{
							field: 'messages',
							value: {
								...value,
								messages: [
									{
										...message,
										from_user_id: 'US.22',
										system: {
											...(message.system as object),
											previous_user_id: 'US.11',
											user_id: 'US.22',
											previous_parent_user_id: 'US.ENT.1',
										},
									},
								],
							},
						},
					],
				},
			],
		});
		expect(e.simplified).toMatchObject({
			type: 'system',
			fromUserId: 'US.22',
			replyTo: '12195555358',
			previousUserId: 'US.11',
			newUserId: 'US.22',
			previousParentUserId: 'US.ENT.1',
			newParentUserId: null,
		});
	});

	test("a status with the parent BSUID under today's name (the fixture has its pre-May-2026 name) is read too", () => {
		const name = 'status_delivered_contacts_username__meta_bsuid.json';
		const base = JSON.parse(fixture(name).toString()) as WebhookBody;
		const value = base.entry[0].changes![0].value!;
		const [e] = normalize({
			...base,
			entry: [
				{
					...base.entry[0],
					changes: [
						{
							field: 'messages',
							value: {
								...value,
								contacts: undefined,
								statuses: [
									{
										id: 'wamid.S',
										status: 'read',
										recipient_id: '5511999999999',
										recipient_user_id: 'BR.8812300144551277',
										recipient_parent_user_id: 'BR.ENT.1',
									},
								],
							},
						},
					],
				},
			],
		});
		expect(e.simplified).toMatchObject({
			recipientId: '5511999999999',
			recipientUserId: 'BR.8812300144551277',
			recipientParentUserId: 'BR.ENT.1',
			username: null,
			replyTo: '5511999999999',
		});
	});

	test('contact-info reply with origin on the message (older payloads) is read too; a hand-shared card stays contacts', () => {
		const name = 'msg_contacts_contact_request_reply__meta_bsuid.json';
		const base = JSON.parse(fixture(name).toString()) as WebhookBody;
		const value = base.entry[0].changes![0].value!;
		const message = (value.messages as Array<Record<string, unknown>>)[0];
		const card = (message.contacts as Array<Record<string, unknown>>)[0];
		const withMessage = (m: Record<string, unknown>) =>
			normalize({
				...base,
				entry: [
					{
						...base.entry[0],
						changes: [{ field: 'messages', value: { ...value, messages: [m] } }],
					},
				],
			})[0].simplified;
		const older = withMessage({
			...message,
			origin: 'contact_request',
			contacts: [{ ...card, origin: undefined }],
		});
		expect(older).toMatchObject({
			type: 'contactShared',
			sharedPhone: '+55 11 99999-9999',
			sharedWaId: '5511999999999',
			origin: 'contact_request',
		});
		const other = withMessage({ ...message, contacts: [{ ...card, origin: 'other' }] });
		expect(other.type).toBe('contacts');
		expect(other).not.toHaveProperty('sharedPhone');
		expect(other).not.toHaveProperty('origin');
	});

	test('a hand-shared card keeps its BSUIDs: phones[].wa_id and any user_id stay in the message', () => {
		const base = JSON.parse(fixture('msg_contacts__meta_openapi.json').toString()) as WebhookBody;
		const value = base.entry[0].changes![0].value!;
		const message = (value.messages as Array<Record<string, unknown>>)[0];
		const withUser = {
			...message,
			contacts: [
				{
					name: { formatted_name: 'Ana' },
					phones: [{ phone: '+55 11 99999-9999', wa_id: '5511999999999', type: 'CELL' }],
					user_id: 'BR.8812300144551277',
				},
			],
		};
		const [e] = normalize({
			...base,
			entry: [
				{
					...base.entry[0],
					changes: [{ field: 'messages', value: { ...value, messages: [withUser] } }],
				},
			],
		});
		expect(e.simplified.type).toBe('contacts');
		expect(e.simplified.message).toEqual(withUser);
		expect((e.simplified.message as typeof withUser).contacts[0]).toMatchObject({
			user_id: 'BR.8812300144551277',
			phones: [expect.objectContaining({ wa_id: '5511999999999' })],
		});
	});

	test('user_preferences and message echoes name the customer: userId and replyTo', () => {
		const change = (field: string, value: IDataObject) =>
			normalize({
				object: 'whatsapp_business_account',
				entry: [{ id: 'W', time: 1762000000, changes: [{ field, value }] }],
			})[0].simplified;
		expect(
			change('user_preferences', {
				user_preferences: [
					{ user_id: 'BR.8812300144551277', category: 'marketing_messages', value: 'stop' },
				],
			}),
		).toMatchObject({ waId: null, userId: 'BR.8812300144551277', replyTo: 'BR.8812300144551277' });
		expect(
			change('user_preferences', {
				user_preferences: [{ wa_id: '16505551234', value: 'resume' }],
			}),
		).toMatchObject({ waId: '16505551234', userId: null, replyTo: '16505551234' });
		const echo = change('message_echoes', {
			message_echoes: [
				{ from: '15550783881', to_user_id: 'BR.8812300144551277', id: 'wamid.E', type: 'text' },
			],
		});
		expect(echo).toMatchObject({
			event: 'message_echoes',
			to: null,
			userId: 'BR.8812300144551277',
			replyTo: 'BR.8812300144551277',
			value: expect.any(Object),
		});
		expect(
			change('smb_message_echoes', {
				message_echoes: [{ to: '16505551234', to_user_id: 'US.1' }],
			}),
		).toMatchObject({ to: '16505551234', userId: 'US.1', replyTo: '16505551234' });
	});
});

describe('timestamps', () => {
	test('the same second twice gives the same text; an invalid one in between is not remembered', () => {
		const a = isoFromUnix('1749416383');
		expect(a).toBe('2025-06-08T20:59:43.000Z');
		expect(isoFromUnix('1749416383')).toBe(a);
		expect(isoFromUnix(1749416383)).toBe(a);
		const now = isoFromUnix('not a time');
		expect(Math.abs(Date.parse(now) - Date.now())).toBeLessThan(60_000);
		expect(isoFromUnix('not a time')).not.toBe(a);
		expect(isoFromUnix(undefined)).not.toBe(a);
		expect(isoFromUnix('1749416384')).toBe('2025-06-08T20:59:44.000Z');
		expect(isoFromUnix('1749416383')).toBe(a);
	});
});

describe('SeenEvents', () => {
	test('drops a repeat within the window, not after it, and stays bounded', () => {
		const seen = new SeenEvents(3, 1000);
		expect(seen.firstTime('a', 0)).toBe(true);
		expect(seen.firstTime('a', 500)).toBe(false);
		expect(seen.firstTime('a', 1500)).toBe(true);
		for (const k of ['b', 'c', 'd', 'e']) seen.firstTime(k, 1600);
		expect(seen.size).toBe(3);
		expect(seen.firstTime('b', 1700)).toBe(true); // evicted as the oldest
	});

	test('once full, each new key evicts exactly the oldest, through many rounds of eviction', () => {
		const max = 1_000;
		const seen = new SeenEvents(max, 1_000_000);
		for (let n = 0; n < 20 * max; n++) seen.firstTime(`k${n}`, n);
		expect(seen.size).toBe(max);
		// the last `max` keys are remembered, the one before them is not
		for (const n of [20 * max - 1, 19 * max]) expect(seen.firstTime(`k${n}`, 20 * max)).toBe(false);
		expect(seen.firstTime(`k${19 * max - 1}`, 20 * max)).toBe(true);
		// a key that expired and came back counts as new: it is evicted last, not first
		const short = new SeenEvents(3, 10);
		short.firstTime('a', 0);
		short.firstTime('b', 5);
		short.firstTime('c', 6);
		expect(short.firstTime('a', 12)).toBe(true); // expired, now the newest
		short.firstTime('d', 13); // evicts b, the oldest
		expect(short.firstTime('c', 14)).toBe(false);
		expect(short.firstTime('a', 14)).toBe(false);
		expect(short.firstTime('b', 14)).toBe(true);
	});
});
