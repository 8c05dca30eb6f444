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

	describe('Options > Text Format', () => {
		const send = (text: string, options: Record<string, unknown>) =>
			runAction(params({ options }), credentials, [{ json: { phone: '+491511234567', text } }]);
		const body = () => (sandbox.accepted[0].body.text as { body: string }).body;

		test('Markdown becomes WhatsApp formatting; a URL and code keep their underscores', async () => {
			const { error } = await send(
				'# Your order\n\n**Shipped** today, see [tracking](https://t.example/a_b) for `A_1`.',
				{ textFormat: 'markdown' },
			);
			expect(error).toBeUndefined();
			expect(body()).toBe(
				'*Your order*\n\n*Shipped* today, see tracking (https://t.example/a_b) for `A_1`.',
			);
		});

		test('As Is (the default) sends Markdown unchanged', async () => {
			await send('**bold**', {});
			await send('**bold**', { textFormat: 'asIs' });
			expect(sandbox.accepted.map((m) => (m.body.text as { body: string }).body)).toEqual([
				'**bold**',
				'**bold**',
			]);
		});

		test('the limit applies to the converted text: 4,098 typed characters can be 4,096 sent, and 4,098 sent fail before any request', async () => {
			const inside = await send(`**${'x'.repeat(4094)}**`, { textFormat: 'markdown' });
			expect(inside.error).toBeUndefined();
			expect(body()).toBe(`*${'x'.repeat(4094)}*`);
			sandbox.log.length = 0;
			const outside = await send(`**${'x'.repeat(4096)}**`, { textFormat: 'markdown' });
			expect(outside.error?.message).toBe(
				'Text (converted from Markdown) is too long: 4,098 characters (WhatsApp allows at most 4,096) [item 0]',
			);
			expect(outside.error?.description).toMatch(/turn on Options > Split Long Text/);
			expect(sandbox.log).toHaveLength(0);
		});

		test('a format from an expression that is not one fails naming the field', async () => {
			const { error } = await send('hi', { textFormat: '={{ "rich" }}' });
			expect(error?.message).toBe(
				'Options > Text Format is "rich", which is not a format [item 0]',
			);
			expect(sandbox.log).toHaveLength(0);
		});
	});

	describe('Options > Split Long Text', () => {
		// ten paragraphs of 1,000 characters: 10,018 in all, which splits at paragraph breaks
		const paragraphs = Array.from({ length: 10 }, (_, n) => `${n}`.repeat(999) + '.');
		const long = paragraphs.join('\n\n');
		const texts = () => sandbox.accepted.map((m) => (m.body.text as { body: string }).body);

		test('a long text goes out as several messages, in order, each within the limit, joined giving the text back', async () => {
			const { items, error } = await runAction(
				params({
					options: {
						splitLongText: true,
						replyToMessageId: 'wamid.Q',
						bizOpaqueCallbackData: 'ticket-9',
					},
				}),
				credentials,
				[{ json: { phone: '+491511234567', text: long } }],
			);
			expect(error).toBeUndefined();
			expect(texts()).toEqual([
				paragraphs.slice(0, 4).join('\n\n'),
				paragraphs.slice(4, 8).join('\n\n'),
				paragraphs.slice(8).join('\n\n'),
			]);
			expect(texts().join('\n\n')).toBe(long);
			// the quote is on the first part only; callback data on each, for its statuses
			expect(sandbox.accepted.map((m) => m.body.context)).toEqual([
				{ message_id: 'wamid.Q' },
				undefined,
				undefined,
			]);
			expect(sandbox.accepted.map((m) => m.body.biz_opaque_callback_data)).toEqual([
				'ticket-9',
				'ticket-9',
				'ticket-9',
			]);
			expect(items).toHaveLength(1);
			expect(items[0].json).toMatchObject({
				messageId: sandbox.accepted[0].id,
				messageIds: sandbox.accepted.map((m) => m.id),
				parts: 3,
			});
			expect(items[0].json.sent).toEqual(sandbox.accepted.map((m) => m.body));
		});

		test('a text within the limit is one message, with its one ID in messageIds', async () => {
			const { items } = await runAction(params({ options: { splitLongText: true } }), credentials, [
				{ json: { phone: '+491511234567', text: 'short' } },
			]);
			expect(texts()).toEqual(['short']);
			expect(items[0].json).toMatchObject({ messageIds: [sandbox.accepted[0].id], parts: 1 });
		});

		test('a long text of only spaces and line breaks fails before any request', async () => {
			const { error } = await runAction(params({ options: { splitLongText: true } }), credentials, [
				{ json: { phone: '+491511234567', text: ' \n'.repeat(3000) } },
			]);
			expect(error?.message).toBe('Text has nothing but spaces and line breaks [item 0]');
			expect(sandbox.log).toHaveLength(0);
		});

		test('Markdown converted first, then split', async () => {
			const { error } = await runAction(
				params({ options: { splitLongText: true, textFormat: 'markdown' } }),
				credentials,
				[
					{
						json: { phone: '+491511234567', text: paragraphs.map((p) => `**${p}**`).join('\n\n') },
					},
				],
			);
			expect(error).toBeUndefined();
			expect(texts()).toHaveLength(3);
			expect(texts()[0].startsWith(`*${paragraphs[0]}*`)).toBe(true);
			expect(texts().join('\n\n')).toBe(paragraphs.map((p) => `*${p}*`).join('\n\n'));
		});

		// Meta takes the first part (a scripted answer), and refuses the second
		const part1Taken = {
			status: 200,
			body: {
				messaging_product: 'whatsapp',
				contacts: [{ input: '+491511234567', wa_id: '491511234567' }],
				messages: [{ id: 'wamid.PART1' }],
			},
		};
		const refused = (code: number, message: string) => ({
			status: 400,
			body: { error: { message, type: 'OAuthException', code, fbtrace_id: 'Sandbox' } },
		});

		test('a part Meta refuses ends the item; the error says which parts went out, and the rest stay unsent', async () => {
			sandbox.scripted.push(part1Taken, refused(131026, '(#131026) Message undeliverable'));
			const { error } = await runAction(params({ options: { splitLongText: true } }), credentials, [
				{ json: { phone: '+491511234567', text: long } },
			]);
			expect(error?.message).toMatch(
				/^Part 1 of 3 was sent; part 2 was not \(WhatsApp Cloud API error 131026[^)]*\), and part 3 was not sent \[item 0\]$/,
			);
			expect(error?.description).toMatch(
				/^Sent \(part: message ID\): 1: wamid\.PART1\. To finish, send only the text from part 2 on/,
			);
			// part 3 never left
			expect(sandbox.log.filter((l) => l.path.endsWith('/messages'))).toHaveLength(2);
		});

		test('with continue-on-fail the item is an error item naming the parts sent', async () => {
			sandbox.scripted.push(part1Taken, refused(100, 'Invalid parameter'));
			const { items, error } = await runAction(
				params({ options: { splitLongText: true } }),
				credentials,
				[{ json: { phone: '+491511234567', text: long } }],
				{ onError: 'continueRegularOutput' },
			);
			expect(error).toBeUndefined();
			expect(items[0].json.error).toMatch(/^Part 1 of 3 was sent; part 2 was not/);
			expect(items[0].json.messageId).toBeUndefined();
		});
	});
});
