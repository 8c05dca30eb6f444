/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets */
import { runAction } from '../../../dev/harness/engine';
import { startSandbox } from '../../../dev/harness/sandbox';
import type { GraphSandbox } from '../../../dev/sandbox/server';

describe('message / sendText through the real engine and the sandbox', () => {
	let sandbox: GraphSandbox;
	let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];

	beforeAll(async () => {
		({ sandbox, credentials } = await startSandbox());
	});
	afterAll(async () => await sandbox.stop());
	beforeEach(() => {
		sandbox.accepted.length = 0;
		sandbox.log.length = 0;
	});

	const params = (extra: Record<string, unknown> = {}) => ({
		resource: 'message',
		operation: 'sendText',
		to: '={{ $json.phone }}',
		text: '={{ $json.text }}',
		...extra,
	});

	test('sends exactly the documented JSON and returns the wamid and wa_id', async () => {
		const { items, error } = await runAction(
			params({ options: { previewUrl: true } }),
			credentials,
			[
				{
					json: {
						phone: '+1 (650) 555-1234',
						text: 'Your order https://shop.example/o/1 has shipped',
					},
				},
			],
		);
		expect(error).toBeUndefined();
		expect(sandbox.accepted).toHaveLength(1);
		expect(sandbox.accepted[0].body).toEqual({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: '+16505551234',
			type: 'text',
			text: { body: 'Your order https://shop.example/o/1 has shipped', preview_url: true },
		});
		expect(sandbox.log.map((l) => `${l.method} ${l.path}`)).toEqual([
			'POST /v25.0/106540352242922/messages',
		]);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			messageId: sandbox.accepted[0].id,
			waId: '16505551234',
			to: '+16505551234',
			type: 'text',
			senderPhoneNumberId: '106540352242922',
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('reply context, callback data and another sender come from the options', async () => {
		sandbox.options.phoneNumbers.push({ ...sandbox.options.phoneNumbers[0], id: '222' });
		const { error } = await runAction(
			params({
				sender: { __rl: true, mode: 'id', value: '222' },
				options: { replyToMessageId: 'wamid.ABC', bizOpaqueCallbackData: 'order-7' },
			}),
			credentials,
			[{ json: { phone: '16505551234', text: 'hi' } }],
		);
		expect(error).toBeUndefined();
		expect(sandbox.accepted[0].phoneNumberId).toBe('222');
		expect(sandbox.accepted[0].body).toMatchObject({
			context: { message_id: 'wamid.ABC' },
			biz_opaque_callback_data: 'order-7',
			to: '16505551234',
		});
		expect(sandbox.accepted[0].body.text).toEqual({ body: 'hi' });
	});

	test('text of 4,096 characters is sent; 4,097 fails before any request, naming item and field', async () => {
		const inside = await runAction(params(), credentials, [
			{ json: { phone: '+491511234567', text: 'x'.repeat(4096) } },
		]);
		expect(inside.error).toBeUndefined();
		expect(sandbox.accepted).toHaveLength(1);
		sandbox.log.length = 0;
		const outside = await runAction(params(), credentials, [
			{ json: { phone: '+491511234567', text: 'ok' } },
			{ json: { phone: '+491511234567', text: 'x'.repeat(4097) } },
		]);
		expect(outside.error?.name).toBe('NodeOperationError');
		expect(outside.error?.message).toBe(
			'Text is too long: 4,097 characters (WhatsApp allows at most 4,096) [item 1]',
		);
		expect(sandbox.log).toHaveLength(0);
	});

	test('emoji count as characters, not UTF-16 units', async () => {
		const { error } = await runAction(params(), credentials, [
			{ json: { phone: '+491511234567', text: '👋'.repeat(4096) } },
		]);
		expect(error).toBeUndefined();
	});

	test('empty text and a bad phone number fail before any request', async () => {
		const empty = await runAction(params(), credentials, [
			{ json: { phone: '+491511234567', text: '' } },
		]);
		expect(empty.error?.message).toBe('Text is empty; it needs a value [item 0]');
		const bad = await runAction(params(), credentials, [
			{ json: { phone: '+49 151 CALL ME', text: 'hi' } },
		]);
		expect(bad.error?.message).toMatch(
			/^To is neither a phone number nor a business-scoped user ID: "\+49 151 CALL ME"/,
		);
		expect(bad.error?.message).toMatch(/\[item 0\]$/);
		const short = await runAction(params(), credentials, [
			{ json: { phone: '12345', text: 'hi' } },
		]);
		expect(short.error?.message).toMatch(
			/^To is neither a phone number nor a business-scoped user ID/,
		);
		expect(sandbox.log).toHaveLength(0);
	});

	test('callback data is limited to 512 characters', async () => {
		const ok = await runAction(
			params({ options: { bizOpaqueCallbackData: 'c'.repeat(512) } }),
			credentials,
			[{ json: { phone: '+491511234567', text: 'a' } }],
		);
		expect(ok.error).toBeUndefined();
		const tooLong = await runAction(
			params({ options: { bizOpaqueCallbackData: 'c'.repeat(513) } }),
			credentials,
			[{ json: { phone: '+491511234567', text: 'a' } }],
		);
		expect(tooLong.error?.message).toMatch(/^Callback Data is too long: 513 characters/);
	});

	test('with continue on fail, a bad item fails alone and the others are sent, in order', async () => {
		const { items, error } = await runAction(
			params(),
			credentials,
			[
				{ json: { phone: '+491511234567', text: 'one' } },
				{ json: { phone: 'nope', text: 'two' } },
				{ json: { phone: '+491511234568', text: 'three' } },
			],
			{ onError: 'continueRegularOutput' },
		);
		expect(error).toBeUndefined();
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.messageId).toBeDefined();
		expect(items[1].json.error).toMatch(
			/^To is neither a phone number nor a business-scoped user ID/,
		);
		expect(items[2].json.messageId).toBeDefined();
		expect(sandbox.accepted.map((m) => (m.body.text as { body: string }).body)).toEqual([
			'one',
			'three',
		]);
	});

	test('a Graph error becomes a NodeApiError with code, details, fbtrace_id and a hint, and no token', async () => {
		const { items } = await runAction(
			params({ sender: { __rl: true, mode: 'id', value: '999' } }),
			credentials,
			[{ json: { phone: '+491511234567', text: 'a' } }],
			{
				onError: 'continueRegularOutput',
			},
		);
		expect(items[0].json.error).toMatch(/^WhatsApp Cloud API error 100: Unsupported post request/);
		expect(items[0].json.errorDetails).toMatchObject({
			code: 100,
			subcode: 33,
			httpCode: 400,
			attempts: 1,
		});
		expect(String((items[0].json.errorDetails as { description: string }).description)).toMatch(
			/Invalid parameter/,
		);
		expect(JSON.stringify(items)).not.toContain(String(credentials.accessToken));

		const failed = await runAction(
			params({ sender: { __rl: true, mode: 'id', value: '999' } }),
			credentials,
			[{ json: { phone: '+491511234567', text: 'a' } }],
		);
		expect(failed.error?.name).toBe('NodeApiError');
		expect(failed.error?.httpCode).toBe('400');
		expect(failed.error?.description).toMatch(/fbtrace_id: Sandbox/);
		expect(JSON.stringify(failed.run.data.resultData)).not.toContain(
			String(credentials.accessToken),
		);
	});

	test('an expired token stops the run with the 190 hint, without leaking the token', async () => {
		sandbox.options.expiredTokens.push('expired-token-123');
		const { error, run } = await runAction(
			params(),
			{ ...credentials, accessToken: 'expired-token-123' },
			[{ json: { phone: '+491511234567', text: 'a' } }],
		);
		expect(error?.message).toMatch(/^WhatsApp Cloud API error 190: Error validating access token/);
		expect(error?.description).toMatch(/permanent system-user token/);
		expect(JSON.stringify(run.data.resultData)).not.toContain('expired-token-123');
	});
});
