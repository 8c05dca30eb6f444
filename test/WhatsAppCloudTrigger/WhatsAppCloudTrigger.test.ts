/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
import { createHmac } from 'crypto';
import { readFileSync } from 'fs';
import { deepCopy } from 'n8n-workflow';
import path from 'path';

import { runAction } from '../../dev/harness/engine';
import { WebhookServer } from '../../dev/harness/webhook-server';
import { startSandbox } from '../../dev/harness/sandbox';
import {
	metaJson,
	SANDBOX_APP_SECRET,
	SANDBOX_WABA_ID,
	type GraphSandbox,
} from '../../dev/sandbox/server';

type Payload = Parameters<GraphSandbox['deliver']>[0];
const fixture = (name: string): Payload =>
	JSON.parse(readFileSync(path.join(__dirname, '../fixtures/webhooks', name), 'utf8'));

/** A fixture rewritten to come from the sandbox's WABA and phone number, with another message id. */
function forNumber(
	payload: Payload,
	wabaId: string,
	phoneNumberId: string,
	idSuffix = '',
): Payload {
	const copy = JSON.parse(JSON.stringify(payload)) as Payload;
	for (const entry of copy.entry) {
		entry.id = wabaId;
		for (const change of entry.changes) {
			const value = change.value as {
				metadata?: { phone_number_id: string };
				messages?: Array<{ id: string }>;
			};
			if (value.metadata) value.metadata.phone_number_id = phoneNumberId;
			for (const m of value.messages ?? []) m.id = `${m.id}${idSuffix}`;
		}
	}
	return copy;
}

describe('WhatsApp Cloud Trigger over real HTTP (sandbox as Meta, WebhookContext as n8n)', () => {
	let sandbox: GraphSandbox;
	let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];
	let server: WebhookServer;

	beforeAll(async () => {
		({ sandbox, credentials } = await startSandbox({
			phoneNumbers: [
				{
					id: '106540352242922',
					display_phone_number: '15550783881',
					verified_name: 'Lucky Shrub',
					wabaId: SANDBOX_WABA_ID,
				},
				{
					id: '206540352242922',
					display_phone_number: '15550783882',
					verified_name: 'Lucky Shrub Two',
					wabaId: '202290129340398',
				},
			],
		}));
		server = await new WebhookServer().start();
	});
	afterAll(async () => {
		await server.stop();
		await sandbox.stop();
	});

	const trigger = (parameters: Record<string, unknown> = {}) =>
		server.trigger(
			{ updates: ['*'], verifyToken: 'vt-123', registration: 'manual', ...parameters },
			credentials,
		);

	describe('verify handshake (GET)', () => {
		test('the right token gets exactly hub.challenge as text/plain; anything else 403; never a run', async () => {
			const t = trigger();
			await t.activate();
			const ok = await fetch(
				`${t.url}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=vt-123`,
			);
			expect(ok.status).toBe(200);
			expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
			expect(await ok.text()).toBe('1158201444');
			for (const query of [
				'hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong',
				'hub.challenge=1&hub.verify_token=vt-123',
				'hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=vt-123',
				'',
			]) {
				const refused = await fetch(`${t.url}?${query}`);
				expect(refused.status).toBe(403);
			}
			expect(t.runs).toHaveLength(0);
			await t.deactivate();
		});
	});

	describe('signature (POST)', () => {
		// that a signed delivery of each fixture gets 200 and exactly its items: fixtures.test.ts
		test('wrong, missing or malformed signature: 401, no run', async () => {
			const t = trigger();
			await t.activate();
			const payload = fixture('msg_text__meta_openapi.json');
			expect(
				(await sandbox.deliver(payload, { to: t.url, secret: 'not-the-app-secret' })).status,
			).toBe(401);
			expect((await sandbox.deliver(payload, { to: t.url, signature: 'sha256=zz' })).status).toBe(
				401,
			);
			const unsigned = await fetch(t.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: metaJson(payload),
			});
			expect(unsigned.status).toBe(401);
			expect(t.runs).toHaveLength(0);
			// each rejection is logged with its reason, never with the secret
			expect(t.logs).toEqual([
				expect.stringMatching(/^warn: .*401: the X-Hub-Signature-256 signature does not match/),
				expect.stringMatching(/^warn: .*401: the X-Hub-Signature-256 header is malformed/),
				expect.stringMatching(/^warn: .*401: the X-Hub-Signature-256 header is missing/),
			]);
			expect(t.logs.join('\n')).not.toContain(String(credentials.appSecret));
			await t.deactivate();
		});

		test('the escaped-unicode test vector is accepted over the raw bytes', async () => {
			const t = server.trigger(
				{ updates: ['message'], verifyToken: 'vt', registration: 'manual' },
				{ ...credentials, appSecret: 'my_app_secret' },
			);
			await t.activate();
			const raw =
				'{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Jos\\u00e9"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.TEST","timestamp":"1749416383","type":"text","text":{"body":"Ol\\u00e1 \\ud83d\\udc4b"}}]},"field":"messages"}]}]}';
			const response = await fetch(t.url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'x-hub-signature-256':
						'sha256=64e523ff89e1b27106e0e45d6b9e46c8a06796fb4856db4fa71e1b3b9eabc749',
				},
				body: raw,
			});
			expect(response.status).toBe(200);
			expect(t.items[0].json).toMatchObject({
				contactName: 'José',
				text: 'Olá 👋',
				messageId: 'wamid.TEST',
			});
			await t.deactivate();
		});

		test("an App Secret saved with a stray space or line break still verifies Meta's signatures", async () => {
			const t = server.trigger(
				{ updates: ['*'], verifyToken: 'vt', registration: 'manual' },
				{ ...credentials, appSecret: `  ${SANDBOX_APP_SECRET}\n` },
			);
			await t.activate();
			const delivery = await sandbox.deliver(
				forNumber(
					fixture('msg_text__meta_openapi.json'),
					SANDBOX_WABA_ID,
					'106540352242922',
					'-padded',
				),
				{ to: t.url },
			);
			expect(delivery.status).toBe(200);
			expect(t.items.map((i) => i.json.event)).toEqual(['message']);
			await t.deactivate();
		});

		test('with the check turned off, an unsigned call is accepted (local testing)', async () => {
			const t = trigger({ checkSignature: false });
			await t.activate();
			const response = await fetch(t.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: metaJson(fixture('msg_text__meta_openapi.json')),
			});
			expect(response.status).toBe(200);
			expect(t.items).toHaveLength(1);
			await t.deactivate();
		});
	});

	describe('bodies', () => {
		test('bad JSON or a non-WhatsApp object, even signed: 400, no run', async () => {
			const t = trigger();
			await t.activate();
			const { createHmac } = await import('crypto');
			for (const body of ['{not json', '{"object":"page","entry":[]}', '[]']) {
				const signature = `sha256=${createHmac('sha256', String(credentials.appSecret)).update(body).digest('hex')}`;
				const response = await fetch(t.url, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
					body,
				});
				expect(response.status).toBe(400);
			}
			expect(t.runs).toHaveLength(0);
			await t.deactivate();
		});

		test('a signed event of a kind we do not know: 200 and passed through raw', async () => {
			const t = trigger();
			await t.activate();
			const delivery = await sandbox.deliver(
				{
					object: 'whatsapp_business_account',
					entry: [
						{
							id: SANDBOX_WABA_ID,
							changes: [{ field: 'brand_new_thing', value: { hello: 'world' } }],
						},
					],
				} as Payload,
				{ to: t.url },
			);
			expect(delivery.status).toBe(200);
			expect(t.items[0].json).toMatchObject({
				event: 'brand_new_thing',
				value: { hello: 'world' },
			});
			await t.deactivate();
		});

		test('a batch with several entries, changes and items gives one item each, raw output keeps the value', async () => {
			const t = trigger({ options: { output: 'raw' } });
			await t.activate();
			const message = fixture('msg_text__meta_openapi.json');
			const status = fixture('status_delivered_cbp__meta_docs.json');
			// Meta's examples share one wamid; give the reaction its own so it is not a duplicate
			const reaction = forNumber(
				fixture('msg_reaction__meta_openapi.json'),
				SANDBOX_WABA_ID,
				'106540352242922',
				'-reaction',
			);
			const batch = {
				object: 'whatsapp_business_account',
				entry: [
					message.entry[0],
					{
						...status.entry[0],
						changes: [...status.entry[0].changes, reaction.entry[0].changes[0]],
					},
				],
			} as Payload;
			expect((await sandbox.deliver(batch, { to: t.url })).status).toBe(200);
			expect(t.items.map((i) => i.json.event)).toEqual(['message', 'status', 'message']);
			expect(t.items[1].json.value).toMatchObject({
				statuses: [expect.objectContaining({ status: 'delivered' })],
			});
			await t.deactivate();
		});
	});

	describe('filters and duplicates', () => {
		test('only the chosen events and phone numbers start the workflow', async () => {
			const t = trigger({ updates: ['status'], options: { phoneNumberIds: '106540352242922' } });
			await t.activate();
			expect(
				(await sandbox.deliver(fixture('msg_text__meta_openapi.json'), { to: t.url })).status,
			).toBe(200);
			expect(t.runs).toHaveLength(0);
			const status = forNumber(
				fixture('status_failed_131049__meta_docs.json'),
				SANDBOX_WABA_ID,
				'999999',
			);
			expect((await sandbox.deliver(status, { to: t.url })).status).toBe(200);
			expect(t.runs).toHaveLength(0);
			await sandbox.deliver(forNumber(status, SANDBOX_WABA_ID, '106540352242922'), { to: t.url });
			expect(t.items.map((i) => i.json.status)).toEqual(['failed']);
			await t.deactivate();
		});

		test('a batch redelivered by Meta yields no duplicate items', async () => {
			const t = trigger();
			await t.activate();
			const batch = fixture('msg_image__meta_openapi.json');
			await sandbox.deliver(batch, { to: t.url });
			const again = await sandbox.deliver(batch, { to: t.url });
			expect(again.status).toBe(200);
			expect(t.items).toHaveLength(1);
			// a new status of the same message is a new event
			await sandbox.deliver(fixture('status_sent_pmp_marketing__meta_docs.json'), { to: t.url });
			await sandbox.deliver(fixture('status_delivered_cbp__meta_docs.json'), { to: t.url });
			await sandbox.deliver(fixture('status_delivered_cbp__meta_docs.json'), { to: t.url });
			expect(t.items.map((i) => `${i.json.event}:${i.json.status ?? ''}`)).toEqual([
				'message:',
				'status:sent',
				'status:delivered',
			]);
			await t.deactivate();
		});

		test('with Drop Duplicates off, redeliveries come through', async () => {
			const t = trigger({ options: { dropDuplicates: false } });
			await t.activate();
			const batch = fixture('msg_location__meta_openapi.json');
			await sandbox.deliver(batch, { to: t.url });
			await sandbox.deliver(batch, { to: t.url });
			expect(t.items).toHaveLength(2);
			await t.deactivate();
		});
	});

	describe('customers known by username and business-scoped user ID (BSUID)', () => {
		test('a username-only customer writes: from is null and replyTo is the BSUID; the answer sent to it comes back as a status with recipientUserId', async () => {
			const t = trigger();
			await t.activate();
			const { delivery, messageId } = await sandbox.customerWrites('5511999999999', 'Ana', 'Oi', {
				to: t.url,
				userId: 'BR.8812300144551277',
				username: '@ana.s',
				hidePhone: true,
			});
			expect(delivery.status).toBe(200);
			expect(t.items).toHaveLength(1);
			const item = t.items[0].json;
			expect(item).toMatchObject({
				event: 'message',
				messageId,
				from: null,
				fromUserId: 'BR.8812300144551277',
				parentUserId: null,
				username: '@ana.s',
				contactName: 'Ana',
				replyTo: 'BR.8812300144551277',
				type: 'text',
				text: 'Oi',
			});
			// the phone the sandbox knows stays out of everything the workflow sees
			expect(JSON.stringify(t.items)).not.toContain('5511999999999');

			// the workflow answers at replyTo, which Meta takes as `recipient` (a BSUID)
			const sent = await fetch(`${sandbox.url}/v25.0/106540352242922/messages`, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${String(credentials.accessToken)}`,
					'content-type': 'application/json',
				},
				body: JSON.stringify({
					messaging_product: 'whatsapp',
					recipient_type: 'individual',
					recipient: item.replyTo,
					type: 'text',
					text: { body: 'Olá' },
				}),
			});
			expect(sent.status).toBe(200);
			const answer = (await sent.json()) as { messages: Array<{ id: string }> };
			const answerId = answer.messages[0].id;
			await sandbox.deliverStatus(answerId, 'sent', t.url);
			await sandbox.deliverStatus(answerId, 'delivered', t.url);
			expect(t.items.slice(1).map((i) => i.json)).toEqual([
				expect.objectContaining({
					event: 'status',
					messageId: answerId,
					status: 'sent',
					recipientId: null,
					recipientUserId: 'BR.8812300144551277',
					username: null,
					replyTo: 'BR.8812300144551277',
				}),
				expect.objectContaining({
					event: 'status',
					messageId: answerId,
					status: 'delivered',
					recipientId: null,
					recipientUserId: 'BR.8812300144551277',
					username: '@ana.s',
					replyTo: 'BR.8812300144551277',
				}),
			]);
			await t.deactivate();
		});

		test('a customer with phone and BSUID: from and replyTo stay the phone, fromUserId the BSUID', async () => {
			const t = trigger({ updates: ['message'] });
			await t.activate();
			await sandbox.customerWrites('16505551234', 'Sheena', 'Hello', {
				to: t.url,
				userId: 'US.13491208655302741918',
			});
			expect(t.items.map((i) => i.json)).toEqual([
				expect.objectContaining({
					from: '16505551234',
					fromUserId: 'US.13491208655302741918',
					username: null,
					replyTo: '16505551234',
				}),
			]);
			await t.deactivate();
		});
	});

	describe('IDs that arrive as empty strings (seen during the username rollout) are absent IDs', () => {
		const deliverTo = async (name: string, updates = ['*']) => {
			const t = trigger({ updates });
			await t.activate();
			expect((await sandbox.deliver(fixture(name), { to: t.url })).status).toBe(200);
			await t.deactivate();
			return t.items.map((i) => i.json);
		};

		// what each of these fixtures makes is in its expected file (fixtures.test.ts)
		test('messages with from "": the reply to replyTo reaches each customer at their BSUID', async () => {
			const items = await deliverTo('msg_text_username_only_empty_ids__reported.json');
			// the workflow answers at replyTo with the action node: Meta takes it as `recipient`
			const reply = await runAction(
				{ resource: 'message', operation: 'sendText', to: '={{ $json.replyTo }}', text: 'Olá' },
				credentials,
				items.map((json) => ({ json })),
			);
			expect(reply.error).toBeUndefined();
			expect(sandbox.accepted.slice(-2).map((a) => a.body.recipient)).toEqual([
				'BR.8812300144551277',
				'BR.7700112233445566',
			]);
		});
	});

	describe('media download', () => {
		test('an incoming document lands in binary data with its MIME type and name; the 200 goes out first', async () => {
			const pdf = Buffer.from('%PDF-1.4\n% a receipt\n%%EOF\n');
			const mediaId = sandbox.addMedia(pdf, 'application/pdf');
			const t = trigger({ options: { downloadMedia: true } });
			await t.activate();
			const payload = fixture('msg_image__meta_openapi.json');
			const msg = (
				payload.entry[0].changes[0].value as { messages: Array<Record<string, unknown>> }
			).messages[0];
			msg.id = 'wamid.DOC1';
			msg.type = 'document';
			msg.document = {
				id: mediaId,
				mime_type: 'application/pdf',
				sha256: 'x',
				filename: 'receipt-7.pdf',
				caption: 'Your receipt',
			};
			delete msg.image;
			const before = sandbox.log.length;
			const delivery = await sandbox.deliver(payload, { to: t.url });
			expect(delivery.status).toBe(200);
			await new Promise((r) => setTimeout(r, 50));
			const item = t.items[0];
			expect(item.json).toMatchObject({
				type: 'document',
				text: 'Your receipt',
				media: { id: mediaId, filename: 'receipt-7.pdf' },
			});
			expect(item.binary?.data).toMatchObject({
				mimeType: 'application/pdf',
				fileName: 'receipt-7.pdf',
			});
			expect(Buffer.from(item.binary!.data.data, 'base64').equals(pdf)).toBe(true);
			// ordering: Meta had its answer before the trigger asked for the media
			const mediaCalls = sandbox.log.slice(before).filter((l) => l.path.includes(mediaId));
			expect(mediaCalls.length).toBe(2);
			const post = t.calls.find((c) => c.method === 'POST')!;
			expect(post.answeredAt).toBeGreaterThan(0);
			expect(post.answeredAt).toBeLessThanOrEqual(Math.min(...mediaCalls.map((c) => c.at)));
			await t.deactivate();
		});

		test('a failed download leaves the event with mediaError; it is never dropped', async () => {
			const t = trigger({ options: { downloadMedia: true } });
			await t.activate();
			const payload = fixture('msg_image__meta_openapi.json');
			(payload.entry[0].changes[0].value as { messages: Array<{ id: string }> }).messages[0].id =
				'wamid.IMG-MISSING';
			expect((await sandbox.deliver(payload, { to: t.url })).status).toBe(200);
			await new Promise((r) => setTimeout(r, 50));
			expect(t.items).toHaveLength(1);
			expect(t.items[0].json.mediaError).toMatch(/WhatsApp Cloud API error 100/);
			expect(t.items[0].binary).toBeUndefined();
			await t.deactivate();
		});
	});

	describe('registration: many triggers on one Meta app', () => {
		test('two triggers on two WABAs of one app each receive only their own messages; deactivating one leaves the other working', async () => {
			// one picked from the list, one saved as plain text before the field was a picker
			const one = trigger({
				registration: 'businessAccount',
				businessAccountId: { __rl: true, mode: 'list', value: SANDBOX_WABA_ID },
			});
			const two = trigger({
				registration: 'businessAccount',
				businessAccountId: '202290129340398',
			});
			await one.activate();
			await two.activate();
			// Meta checked each callback with a verify GET when it was registered; both answered
			expect(sandbox.webhooks.wabaOverrides.get(SANDBOX_WABA_ID)?.url).toBe(one.url);
			expect(sandbox.webhooks.wabaOverrides.get('202290129340398')?.url).toBe(two.url);
			expect(one.calls.filter((c) => c.method === 'GET' && c.status === 200)).toHaveLength(1);

			const text = fixture('msg_text__meta_openapi.json');
			await sandbox.deliver(forNumber(text, SANDBOX_WABA_ID, '106540352242922', '-one'));
			await sandbox.deliver(forNumber(text, '202290129340398', '206540352242922', '-two'));
			expect(one.items.map((i) => i.json.phoneNumberId)).toEqual(['106540352242922']);
			expect(two.items.map((i) => i.json.phoneNumberId)).toEqual(['206540352242922']);

			await one.deactivate();
			expect(sandbox.webhooks.wabaOverrides.has(SANDBOX_WABA_ID)).toBe(false);
			expect(sandbox.webhooks.wabaOverrides.get('202290129340398')?.url).toBe(two.url);
			await sandbox.deliver(forNumber(text, '202290129340398', '206540352242922', '-two-again'));
			expect(two.items).toHaveLength(2);
			expect(one.items).toHaveLength(1);
			await two.deactivate();
		});

		test('activation checks existing registrations: a second activation does not register twice', async () => {
			const t = trigger({ registration: 'businessAccount' });
			await t.activate();
			const gets = t.calls.filter((c) => c.method === 'GET').length;
			await t.activate();
			expect(t.calls.filter((c) => c.method === 'GET').length).toBe(gets);
			await t.deactivate();
		});

		test('per phone number: the override routes that number only, and is removed on deactivation', async () => {
			const t = trigger({
				registration: 'phoneNumber',
				phoneNumberId: { __rl: true, mode: 'id', value: '206540352242922' },
			});
			await t.activate();
			expect(sandbox.webhooks.phoneOverrides.get('206540352242922')?.url).toBe(t.url);
			await sandbox.deliver(
				forNumber(
					fixture('msg_text__meta_openapi.json'),
					'202290129340398',
					'206540352242922',
					'-p',
				),
			);
			expect(t.items).toHaveLength(1);
			await t.deactivate();
			expect(sandbox.webhooks.phoneOverrides.has('206540352242922')).toBe(false);
		});

		test('app-wide: registered with the app token; template events reach it; a WABA override does not take them', async () => {
			const app = server.trigger(
				{ updates: ['message_template_status_update'], verifyToken: 'app-vt', registration: 'app' },
				{ ...credentials, appId: '1234567890123456' },
			);
			const waba = trigger({ registration: 'businessAccount' });
			await app.activate();
			await waba.activate();
			expect(sandbox.webhooks.app?.url).toBe(app.url);
			await sandbox.deliver(
				fixture('message_template_status_update_approved__meta_docs.json') as Payload,
			);
			expect(app.items.map((i) => i.json.newStatus)).toEqual(['APPROVED']);
			expect(waba.runs).toHaveLength(0);
			await waba.deactivate();
			await app.deactivate();
			expect(sandbox.webhooks.app).toBeUndefined();
		});

		test('registration errors are clear: no verify token, no App ID for app-wide', async () => {
			const noToken = server.trigger(
				{ updates: ['message'], verifyToken: '', registration: 'businessAccount' },
				credentials,
			);
			await expect(noToken.activate()).rejects.toThrow('Set a Verify Token before activating');
			const noApp = server.trigger(
				{ updates: ['message'], verifyToken: 'x', registration: 'app' },
				{ ...credentials, appId: '' },
			);
			await expect(noApp.activate()).rejects.toThrow(
				'App-wide registration needs the App ID and App Secret',
			);
		});
	});

	describe('testing the trigger of a live workflow leaves its registration alone', () => {
		const text = fixture('msg_text__meta_openapi.json');
		const appCredentials = () => ({ ...credentials, appId: '1234567890123456' });
		test.each([
			[
				'per WhatsApp Business Account',
				{ registration: 'businessAccount' },
				() => sandbox.webhooks.wabaOverrides.get(SANDBOX_WABA_ID)?.url,
				() => forNumber(text, SANDBOX_WABA_ID, '106540352242922', '-live-waba'),
			],
			[
				'per phone number',
				{ registration: 'phoneNumber', phoneNumberId: '206540352242922' },
				() => sandbox.webhooks.phoneOverrides.get('206540352242922')?.url,
				() => forNumber(text, '202290129340398', '206540352242922', '-live-phone'),
			],
			[
				'app-wide',
				{ registration: 'app' },
				() => sandbox.webhooks.app?.url,
				() => forNumber(text, '202290129340398', '206540352242922', '-live-app'),
			],
		])(
			'%s: listening and stopping keep the live registration; the live workflow still receives its events',
			async (_, parameters, registered, message) => {
				const t = server.trigger(
					{ updates: ['message'], verifyToken: 'vt-live', ...parameters },
					parameters.registration === 'app' ? appCredentials() : credentials,
				);
				await t.activate();
				expect(registered()).toBe(t.url);
				await t.startListening();
				expect(registered()).toBe(t.url);
				await t.stopListening();
				expect(registered()).toBe(t.url);
				expect(t.logs.join('\n')).toContain(`Meta sends this`);
				expect(t.logs.join('\n')).toContain(t.url);
				await sandbox.deliver(message());
				expect(t.items).toHaveLength(1);
				await t.deactivate();
				expect(registered()).toBeUndefined();
			},
		);

		test('with no live registration the test listener registers its test URL and removes it when it stops', async () => {
			const t = trigger({ registration: 'phoneNumber', phoneNumberId: '206540352242922' });
			await t.startListening();
			expect(sandbox.webhooks.phoneOverrides.get('206540352242922')?.url).toBe(t.testUrl);
			await t.stopListening();
			expect(sandbox.webhooks.phoneOverrides.has('206540352242922')).toBe(false);
		});

		test("another workflow's live account override is kept when a per-number trigger is tested", async () => {
			const live = trigger({
				registration: 'businessAccount',
				businessAccountId: '202290129340398',
			});
			const tested = trigger({ registration: 'phoneNumber', phoneNumberId: '206540352242922' });
			await live.activate();
			await tested.startListening();
			expect(sandbox.webhooks.phoneOverrides.has('206540352242922')).toBe(false);
			await sandbox.deliver(forNumber(text, '202290129340398', '206540352242922', '-other'));
			expect(live.items).toHaveLength(1);
			await tested.stopListening();
			await live.deactivate();
		});
	});

	describe('test listener ("Listen for test event", mode manual) and production', () => {
		test('the same test payload sent again starts a run again: the test listener never waits in vain', async () => {
			const t = trigger();
			await t.activate();
			const sample = forNumber(
				fixture('msg_text__meta_openapi.json'),
				SANDBOX_WABA_ID,
				'106540352242922',
				'-dashboard-sample',
			);
			for (let n = 0; n < 3; n++)
				expect((await sandbox.deliver(sample, { to: t.testUrl })).status).toBe(200);
			expect(t.runs).toHaveLength(3);
			expect(t.items.map((i) => i.json.messageId)).toEqual(
				Array(3).fill(t.items[0].json.messageId),
			);
			await t.deactivate();
		});

		test('test events are not remembered: production takes the event once and drops only its own redelivery', async () => {
			const t = trigger();
			await t.activate();
			const event = forNumber(
				fixture('msg_text__meta_openapi.json'),
				SANDBOX_WABA_ID,
				'106540352242922',
				'-shared-memory',
			);
			await sandbox.deliver(event, { to: t.testUrl });
			await sandbox.deliver(event, { to: t.url });
			await sandbox.deliver(event, { to: t.url });
			await sandbox.deliver(event, { to: t.testUrl });
			expect(t.calls.map((c) => `${c.status} ${c.items.length}`)).toEqual([
				'200 1',
				'200 1',
				'200 0',
				'200 1',
			]);
			await t.deactivate();
		});
	});

	describe('failures after the signature check: Meta still gets 200, nothing is thrown', () => {
		/** Posts `body` signed with the sandbox's App Secret, as Meta would. */
		const post = async (url: string, body: string) =>
			await fetch(url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'x-hub-signature-256': `sha256=${createHmac('sha256', SANDBOX_APP_SECRET).update(body).digest('hex')}`,
				},
				body,
			});
		const nested = (depth: number) => `${'['.repeat(depth)}"bottom"${']'.repeat(depth)}`;

		test('a signed body with a value nested 5,000 levels deep: 200, a warning, one "unprocessed" item with the body as text', async () => {
			const t = trigger();
			await t.activate();
			const body = `{"object":"whatsapp_business_account","entry":[{"id":"${SANDBOX_WABA_ID}","time":1749416383,"changes":[{"field":"brand_new_thing","value":{"deep":${nested(5000)}}}]}]}`;
			const response = await post(t.url, body);
			expect(response.status).toBe(200);
			expect(t.items).toHaveLength(1);
			expect(t.items[0].json).toEqual({
				event: 'unprocessed',
				reason: 'the body nests objects or arrays more than 64 levels deep',
				receivedAt: expect.any(String),
				rawBody: body,
			});
			// what n8n does with items next (copy them) works: the deep tree never reaches it
			expect(() => deepCopy(t.items)).not.toThrow();
			expect(t.logs).toEqual([
				expect.stringMatching(
					/^warn: .*answered 200 .*"unprocessed" item: the body nests .* more than 64 levels deep$/,
				),
			]);
			await t.deactivate();
		});

		test('a deep value inside an ordinary message is not passed on as a tree n8n cannot copy', async () => {
			const t = trigger();
			await t.activate();
			const message = fixture('msg_text__meta_openapi.json');
			const body = metaJson(message).replace(
				'"text":{"body":',
				`"deep":${nested(5000)},"text":{"body":`,
			);
			expect(body).not.toBe(metaJson(message));
			expect((await post(t.url, body)).status).toBe(200);
			expect(t.items.map((i) => i.json.event)).toEqual(['unprocessed']);
			expect(() => deepCopy(t.items)).not.toThrow();
			await t.deactivate();
		});

		test('an ordinary amount of nesting (30 levels) still comes through parsed', async () => {
			const t = trigger();
			await t.activate();
			const body = `{"object":"whatsapp_business_account","entry":[{"id":"${SANDBOX_WABA_ID}","time":1749416383,"changes":[{"field":"brand_new_thing","value":{"deep":${nested(25)}}}]}]}`;
			expect((await post(t.url, body)).status).toBe(200);
			expect(t.items[0].json).toMatchObject({
				event: 'brand_new_thing',
				value: { deep: JSON.parse(nested(25)) },
			});
			await t.deactivate();
		});

		test('any other failure (here an option whose expression names a node that no longer exists) answers 200, logs the reason without the secret, and passes the body on', async () => {
			const t = trigger({
				options: { phoneNumberIds: '={{ $("Renamed Node").first().json.phoneNumberId }}' },
			});
			await t.activate();
			const body = metaJson(
				forNumber(
					fixture('msg_text__meta_openapi.json'),
					SANDBOX_WABA_ID,
					'106540352242922',
					'-expression',
				),
			);
			const response = await post(t.url, body);
			expect(response.status).toBe(200);
			expect(await response.text()).toBe('OK');
			expect(t.calls.map((c) => c.status)).toEqual([200]);
			expect(t.items).toEqual([
				{
					json: {
						event: 'unprocessed',
						reason: "Referenced node doesn't exist",
						receivedAt: expect.any(String),
						rawBody: body,
					},
				},
			]);
			expect(t.logs).toEqual([
				expect.stringMatching(
					/^error: .*answered 200 but could not process a webhook call.*: Referenced node doesn't exist$/,
				),
			]);
			expect(t.logs.join('\n')).not.toContain(SANDBOX_APP_SECRET);
			await t.deactivate();
		});

		test('a credential that cannot be loaded is answered 500 (Meta retries) and logged, never thrown', async () => {
			const t = trigger();
			delete (t.node as { credentials?: unknown }).credentials;
			await t.activate();
			const response = await sandbox.deliver(fixture('msg_text__meta_openapi.json'), { to: t.url });
			expect(response).toMatchObject({ status: 500, body: 'Could not check the signature' });
			expect(t.runs).toHaveLength(0);
			expect(t.logs).toEqual([
				expect.stringMatching(/^error: .*answered 500, could not load the credential/),
			]);
			await t.deactivate();
		});
	});
});
