/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
import { createHmac } from 'crypto';
import { readdirSync, readFileSync } from 'fs';
import path from 'path';

import {
	MAX_BODY_DEPTH,
	nestedDeeperThan,
	normalize,
	parseEnvelope,
	SeenEvents,
	unprocessedEvent,
	verifySignature,
	type Envelope,
} from '../../nodes/WhatsAppCloudTrigger/webhook';
import { isoFromUnix } from '../../nodes/WhatsAppCloudTrigger/events';

const FIXTURES = path.join(__dirname, '../fixtures/webhooks');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const events = (name: string) => {
	const parsed = parseEnvelope(fixture(name));
	if (!parsed.ok) throw new Error(parsed.reason);
	return normalize(parsed.envelope);
};

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
		expect(parseEnvelope(Buffer.from('{nope'))).toEqual({
			ok: false,
			reason: 'the body is not valid JSON',
		});
		expect(parseEnvelope(Buffer.from('[1]')).ok).toBe(false);
		expect(parseEnvelope(Buffer.from('{"object":"page","entry":[]}'))).toEqual({
			ok: false,
			reason: expect.stringMatching(/not a WhatsApp webhook/),
		});
		expect(parseEnvelope(Buffer.from('{"object":"whatsapp_business_account"}'))).toEqual({
			ok: false,
			reason: 'the body has no entry array',
		});
	});

	test('a WhatsApp envelope nested deeper than MAX_BODY_DEPTH is refused as tooDeep, at any depth, without overflowing the stack', () => {
		for (const depth of [MAX_BODY_DEPTH, 5_000, 1_000_000]) {
			const body = Buffer.from(
				`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"x","value":{"v":${'['.repeat(depth)}${']'.repeat(depth)}}}]}]}`,
			);
			expect(parseEnvelope(body)).toEqual({
				ok: false,
				tooDeep: true,
				reason: `the body nests objects or arrays more than ${MAX_BODY_DEPTH} levels deep`,
			});
		}
		// a deep body that is not a WhatsApp webhook at all stays a plain refusal (400)
		expect(
			parseEnvelope(Buffer.from(`{"object":"page","x":${'['.repeat(5000)}${']'.repeat(5000)}}`)),
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
		const used = parseEnvelope(raw, parsed);
		expect(used.ok && used.envelope).toBe(parsed);
		for (const notEnvelope of [undefined, null, {}, 'text', [], { object: 'page', entry: [] }]) {
			const result = parseEnvelope(raw, notEnvelope);
			expect(result.ok && result.envelope).toEqual(parsed);
			expect(result.ok && result.envelope).not.toBe(notEnvelope);
		}
		// the raw bytes decide when the parsed body is unusable: bad bytes stay a refusal
		expect(parseEnvelope(Buffer.from('{nope'), {})).toEqual({
			ok: false,
			reason: 'the body is not valid JSON',
		});
		// and the depth check covers a parsed body too
		let deep: unknown = [];
		for (let i = 0; i < 100_000; i++) deep = [deep];
		expect(
			parseEnvelope(raw, { ...parsed, entry: [{ changes: [{ field: 'x', value: { deep } }] }] }),
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

	test('every fixture parses and yields at least one event', () => {
		const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
		expect(files.length).toBeGreaterThanOrEqual(30);
		for (const file of files) expect(events(file).length).toBeGreaterThanOrEqual(1);
	});
});

describe('normalisation (the simplified event the trigger emits)', () => {
	test('text message', () => {
		const [e] = events('msg_text__meta_openapi.json');
		expect(e.simplified).toMatchObject({
			event: 'message',
			field: 'messages',
			phoneNumberId: expect.any(String),
			displayPhoneNumber: expect.any(String),
			type: 'text',
			from: expect.any(String),
			contactName: expect.any(String),
			text: expect.any(String),
			media: null,
		});
		expect(e.simplified.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(e.key).toBe(`m:${e.simplified.messageId}`);
	});

	test('image: media fields and caption as text', () => {
		const [e] = events('msg_image__meta_openapi.json');
		expect(e.simplified).toMatchObject({
			type: 'image',
			text: 'Taj Mahal',
			contactName: 'Sheena Nelson',
			timestamp: new Date(1744344496000).toISOString(),
			media: {
				id: '1003383421387256',
				mimeType: 'image/jpeg',
				sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=',
				filename: null,
				caption: 'Taj Mahal',
			},
		});
	});

	test('button and list replies, template quick reply: title as text, id/payload as replyId, context kept', () => {
		const button = events('msg_interactive_button_reply__meta_docs.json')[0].simplified;
		const raw = (button.message as { interactive: { button_reply: { id: string; title: string } } })
			.interactive.button_reply;
		expect(button).toMatchObject({ type: 'interactive', text: raw.title, replyId: raw.id });
		expect(button.context).toEqual(expect.objectContaining({ id: expect.any(String) }));
		const list = events('msg_interactive_list_reply__meta_openapi.json')[0].simplified;
		const listRaw = (list.message as { interactive: { list_reply: { id: string; title: string } } })
			.interactive.list_reply;
		expect(list).toMatchObject({ text: listRaw.title, replyId: listRaw.id });
		const quick = events('msg_button_template_quick_reply__meta_openapi.json')[0].simplified;
		const quickRaw = (quick.message as { button: { payload: string; text: string } }).button;
		expect(quick).toMatchObject({ type: 'button', text: quickRaw.text, replyId: quickRaw.payload });
	});

	test('reaction, location, contacts, order, system, referral, unsupported edit', () => {
		const reaction = events('msg_reaction__meta_openapi.json')[0].simplified;
		expect(reaction.type).toBe('reaction');
		expect(reaction.text).toBe(
			(reaction.message as { reaction: { emoji: string } }).reaction.emoji,
		);
		expect(events('msg_location__meta_openapi.json')[0].simplified.type).toBe('location');
		expect(events('msg_contacts__meta_openapi.json')[0].simplified.type).toBe('contacts');
		expect(events('msg_order__meta_openapi.json')[0].simplified.type).toBe('order');
		expect(events('msg_system__meta_openapi.json')[0].simplified.type).toBe('system');
		expect(
			events('msg_text_referral_ctwa__meta_openapi.json')[0].simplified.referral,
		).toBeDefined();
		const edit = events('msg_unsupported_edit__meta_docs.json')[0].simplified;
		expect(edit).toMatchObject({
			type: 'unsupported',
			errors: [expect.objectContaining({ code: 131051 })],
		});
	});

	test('edits and revokes carry the original message id; an edit its new text', () => {
		const base = JSON.parse(fixture('msg_text__meta_openapi.json').toString()) as Envelope;
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
		const base = JSON.parse(fixture('msg_text__meta_openapi.json').toString()) as Envelope;
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

	test('statuses: status, recipient, pricing, conversation, errors', () => {
		const failed = events('status_failed_131049__meta_docs.json')[0];
		expect(failed.simplified).toMatchObject({
			event: 'status',
			status: 'failed',
			recipientId: '16505551234',
			errors: [expect.objectContaining({ code: 131049 })],
			pricing: null,
			conversation: null,
			bizOpaqueCallbackData: null,
		});
		expect(failed.key).toBe(`s:${failed.simplified.messageId}:failed`);
		const sent = events('status_sent_pmp_marketing__meta_docs.json')[0].simplified;
		expect(sent.pricing).toEqual(expect.objectContaining({ pricing_model: 'PMP' }));
		expect(sent.conversation).toEqual(expect.objectContaining({ id: expect.any(String) }));
	});

	test('value-level errors become error events', () => {
		const [e] = events('value_errors_130429__meta_docs.json');
		expect(e.simplified).toMatchObject({ event: 'error', code: 130429, title: expect.any(String) });
	});

	test('management fields keep the raw value plus the fields a user reaches for', () => {
		const approved = events('message_template_status_update_approved__meta_docs.json')[0]
			.simplified;
		expect(approved).toMatchObject({
			event: 'message_template_status_update',
			newStatus: 'APPROVED',
			templateName: expect.any(String),
			templateId: expect.any(String),
			templateLanguage: expect.any(String),
			value: expect.objectContaining({ event: 'APPROVED' }),
		});
		expect(approved.phoneNumberId).toBeNull();
		const rejected = events('message_template_status_update_rejected__meta_docs.json')[0]
			.simplified;
		expect(rejected).toMatchObject({ newStatus: 'REJECTED', reason: expect.any(String) });
		expect(events('message_template_quality_update__meta_docs.json')[0].simplified).toMatchObject({
			newQuality: expect.any(String),
		});
		expect(
			events('template_category_update_impending__meta_docs.json')[0].simplified,
		).toMatchObject({ correctCategory: expect.any(String) });
		expect(
			events('phone_number_quality_update_throughput_upgrade__meta_docs.json')[0].simplified,
		).toMatchObject({ qualityEvent: 'THROUGHPUT_UPGRADE' });
		expect(events('phone_number_name_update_approved__meta_docs.json')[0].simplified).toMatchObject(
			{ decision: 'APPROVED' },
		);
		expect(events('account_update_partner_added__meta_docs.json')[0].simplified).toMatchObject({
			accountEvent: 'PARTNER_ADDED',
		});
		expect(events('account_review_update_approved__meta_docs.json')[0].simplified).toMatchObject({
			decision: 'APPROVED',
		});
	});

	test('every entry, change and item: a batch of 2 entries x 2 changes with several items', () => {
		const text = JSON.parse(fixture('msg_text__meta_openapi.json').toString()) as Envelope;
		const status = JSON.parse(
			fixture('status_delivered_cbp__meta_docs.json').toString(),
		) as Envelope;
		const value = text.entry[0].changes![0].value!;
		const messages = value.messages as Array<{ id: string }>;
		const three = [0, 1, 2].map((n) => ({ ...messages[0], id: `wamid.M${n}` }));
		const batch: Envelope = {
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
