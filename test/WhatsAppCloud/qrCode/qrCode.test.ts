import { type OperationArgs, runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useRecordingSandbox } from '../../../dev/harness/sandbox';
import { SANDBOX_PHONE_NUMBER_ID, type GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useRecordingSandbox((started) => ({ sandbox, credentials } = started));

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);
const PATH = `/v25.0/${SANDBOX_PHONE_NUMBER_ID}/message_qrdls`;
const graphRequests = () => sandbox.log.filter((l) => l.path.startsWith('/v25.0/'));
const bodyOf = (k: number) => JSON.parse(sandbox.received[k].body.toString('utf8')) as unknown;

describe('QR Code > Create', () => {
	test('posts the message and the PNG format, and puts the PNG image in binary data', async () => {
		const { items, error } = await run('qrCode', 'create', { prefilledMessage: 'Cyber Monday' });
		expect(error).toBeUndefined();
		expect(sandbox.received[0]).toMatchObject({ method: 'POST', path: PATH });
		expect(bodyOf(0)).toEqual({ prefilled_message: 'Cyber Monday', generate_qr_image: 'PNG' });
		const [item] = items;
		const code = String(item.json.code);
		expect(code).toMatch(/^[A-Z0-9]{14}$/);
		expect(item.json).toMatchObject({
			prefilledMessage: 'Cyber Monday',
			deepLinkUrl: `https://wa.me/message/${code}`,
			qrImageUrl: expect.stringMatching(new RegExp(`^${sandbox.url}/qr-images/${code}\\.png\\?`)),
			raw: { code, prefilled_message: 'Cyber Monday' },
		});
		// the image was fetched from its absolute URL
		expect(sandbox.log.map((l) => l.path)).toEqual([PATH, `/qr-images/${code}.png`]);
		const binary = item.binary!.data;
		expect(binary).toMatchObject({ mimeType: 'image/png', fileName: `qr-${code}.png` });
		const bytes = Buffer.from(binary.data, 'base64');
		expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
	});

	test('SVG into a named field; without Download Image no image is fetched', async () => {
		const svg = await run('qrCode', 'create', {
			prefilledMessage: 'Hi',
			imageFormat: 'SVG',
			binaryPropertyName: 'qr',
		});
		expect(svg.error).toBeUndefined();
		expect(bodyOf(0)).toEqual({ prefilled_message: 'Hi', generate_qr_image: 'SVG' });
		expect(svg.items[0].binary!.qr.mimeType).toBe('image/svg+xml');
		expect(Buffer.from(svg.items[0].binary!.qr.data, 'base64').toString()).toMatch(/<svg /);

		sandbox.log.length = 0;
		const plain = await run('qrCode', 'create', { prefilledMessage: 'Hi', downloadImage: false });
		expect(plain.error).toBeUndefined();
		expect(plain.items[0].binary).toBeUndefined();
		expect(plain.items[0].json.qrImageUrl).toMatch(/\/qr-images\//);
		expect(sandbox.log.map((l) => l.path)).toEqual([PATH]);
	});

	test('takes 140 characters, counting an emoji as one', async () => {
		const message = `${'a'.repeat(139)}🎉`;
		const { error } = await run('qrCode', 'create', { prefilledMessage: message });
		expect(error).toBeUndefined();
		expect(bodyOf(0)).toMatchObject({ prefilled_message: message });
	});

	test.each([
		['empty from an expression', '={{ "" }}', /Prefilled Message is empty \[item 0\]/],
		['only spaces', '   ', /Prefilled Message is empty/],
		['141 characters from an expression', '={{ "x".repeat(141) }}', /too long: 141 characters/],
		['141 characters', 'a'.repeat(141), /too long: 141 characters \(WhatsApp takes at most 140\)/],
		[
			'an object from an expression',
			'={{ { a: 1 } }}',
			/must be text, but its expression gave an object/,
		],
	])('refuses a message that is %s before any request', async (_, prefilledMessage, message) => {
		const { error } = await run('qrCode', 'create', { prefilledMessage });
		expect(error?.message).toMatch(message);
		expect(graphRequests()).toEqual([]);
	});

	test('an Image Format from an expression that is not PNG or SVG fails before any request', async () => {
		const { error } = await run('qrCode', 'create', {
			prefilledMessage: 'Hi',
			imageFormat: '={{ "JPEG" }}',
		});
		expect(error?.message).toBe('Image Format must be PNG or SVG, got "JPEG" [item 0]');
		expect(graphRequests()).toEqual([]);
	});

	test("Meta's own refusal of a long message is a NodeApiError", async () => {
		// the sandbox plays Meta's limit too: a direct request shows it
		const res = await fetch(`${sandbox.url}${PATH}`, {
			method: 'POST',
			headers: { authorization: 'Bearer sandbox-token', 'content-type': 'application/json' },
			body: JSON.stringify({ prefilled_message: 'a'.repeat(141), generate_qr_image: 'PNG' }),
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({
			error: {
				code: 100,
				message: '(#100) Invalid prefilled_message length. Maximum 140 characters allowed',
			},
		});
	});
});

describe('QR Code > Get Many', () => {
	const seed = (n: number) => {
		for (let k = 0; k < n; k++) sandbox.qrCodes.add(SANDBOX_PHONE_NUMBER_ID, `message ${k}`);
	};

	test('Return All follows the cursors in pages of 25, newest first', async () => {
		seed(30);
		const { items, error } = await run('qrCode', 'getAll', { returnAll: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(30);
		expect(items[0].json).toMatchObject({ prefilledMessage: 'message 29' });
		expect(items[29].json).toMatchObject({ prefilledMessage: 'message 0' });
		expect(items[0].json).toEqual({
			code: expect.stringMatching(/^[A-Z0-9]{14}$/),
			prefilledMessage: 'message 29',
			deepLinkUrl: `https://wa.me/message/${String(items[0].json.code)}`,
			qrImageUrl: undefined,
			raw: expect.objectContaining({ prefilled_message: 'message 29' }),
		});
		expect(sandbox.received.map((r) => r.query)).toEqual([
			{ fields: 'code,prefilled_message,deep_link_url', limit: '25' },
			expect.objectContaining({ limit: '25', after: expect.any(String) }),
		]);
	});

	test('Limit stops at the limit', async () => {
		seed(30);
		const { items } = await run('qrCode', 'getAll', { returnAll: false, limit: 27 });
		expect(items).toHaveLength(27);
		expect(sandbox.received.map((r) => r.query.limit)).toEqual(['25', '2']);
		const few = await run('qrCode', 'getAll', { returnAll: false, limit: 3 });
		expect(few.items.map((i) => i.json.prefilledMessage)).toEqual([
			'message 29',
			'message 28',
			'message 27',
		]);
	});

	test('a number without codes gives no items', async () => {
		const { items, error } = await run('qrCode', 'getAll', { returnAll: true });
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
	});
});

describe('QR Code > Get, Update, Delete', () => {
	test('Get reads the one code of the list Meta answers', async () => {
		const { code } = sandbox.qrCodes.add(SANDBOX_PHONE_NUMBER_ID, 'Cyber Monday');
		const { items, error } = await run('qrCode', 'get', { code });
		expect(error).toBeUndefined();
		expect(sandbox.received[0]).toMatchObject({
			method: 'GET',
			path: `${PATH}/${code}`,
			query: { fields: 'code,prefilled_message,deep_link_url' },
		});
		expect(items.map((i) => i.json)).toEqual([
			{
				code,
				prefilledMessage: 'Cyber Monday',
				deepLinkUrl: `https://wa.me/message/${code}`,
				qrImageUrl: undefined,
				raw: {
					code,
					prefilled_message: 'Cyber Monday',
					deep_link_url: `https://wa.me/message/${code}`,
				},
			},
		]);
	});

	test('Update posts the code and the new message to the list', async () => {
		const { code } = sandbox.qrCodes.add(SANDBOX_PHONE_NUMBER_ID, 'Cyber Monday');
		const { items, error } = await run('qrCode', 'update', {
			code,
			prefilledMessage: 'Cyber Tuesday',
		});
		expect(error).toBeUndefined();
		expect(sandbox.received[0]).toMatchObject({ method: 'POST', path: PATH });
		expect(bodyOf(0)).toEqual({ code, prefilled_message: 'Cyber Tuesday' });
		expect(items[0].json).toMatchObject({
			code,
			prefilledMessage: 'Cyber Tuesday',
			deepLinkUrl: `https://wa.me/message/${code}`,
		});
		expect(sandbox.qrCodes.byNumber.get(SANDBOX_PHONE_NUMBER_ID)![0].prefilled_message).toBe(
			'Cyber Tuesday',
		);
		const long = await run('qrCode', 'update', { code, prefilledMessage: 'b'.repeat(141) });
		expect(long.error?.message).toMatch(/Prefilled Message is too long/);
		expect(sandbox.received).toHaveLength(1);
	});

	test('Delete removes the code', async () => {
		const { code } = sandbox.qrCodes.add(SANDBOX_PHONE_NUMBER_ID, 'Cyber Monday');
		const { items, error } = await run('qrCode', 'delete', { code });
		expect(error).toBeUndefined();
		expect(sandbox.received[0]).toMatchObject({ method: 'DELETE', path: `${PATH}/${code}` });
		expect(items[0].json).toEqual({ success: true, code, deleted: true });
		expect(sandbox.qrCodes.byNumber.get(SANDBOX_PHONE_NUMBER_ID)).toEqual([]);
	});

	test.each(['get', 'update', 'delete'])(
		"%s of an unknown code is Meta's 803 as a NodeApiError",
		async (operation) => {
			const { error } = await run('qrCode', operation, {
				code: 'AAAAAAAAAAAAAA',
				prefilledMessage: 'x',
			});
			expect(error?.name).toBe('NodeApiError');
			expect(error?.httpCode).toBe('400');
			expect(error?.message).toMatch(/WhatsApp Cloud API error 803/);
			expect(String(error?.message)).toMatch(/AAAAAAAAAAAAAA/);
			expect(String(error?.description)).toMatch(/QR Code > Get Many lists them/);
		},
	);

	test.each([
		['a slash', 'ABCDEFGHIJKL/M'],
		['dots', '..'],
		['a path from an expression', '={{ "../../123/messages" }}'],
		['a query from an expression', '={{ "ABCDEFGHIJKLMN?fields=x" }}'],
		['lower case', 'abcdefghijklmn'],
		['13 characters', 'ABCDEFGHIJKLM'],
		['only spaces from an expression', '={{ "  " }}'],
	])('%s as the code is refused before any request', async (_, code) => {
		for (const operation of ['get', 'update', 'delete']) {
			const { error } = await run('qrCode', operation, { code, prefilledMessage: 'x' });
			expect(error?.message).toMatch(/^QR Code (must be a QR code|is empty)/);
			expect(String(error?.description)).toMatch(/Nothing was sent for this item/);
		}
		expect(graphRequests()).toEqual([]);
	});

	test('a code from an expression is trimmed and used', async () => {
		const { code } = sandbox.qrCodes.add(SANDBOX_PHONE_NUMBER_ID, 'Hi');
		const { error } = await run('qrCode', 'get', { code: '={{ $json.code }}' }, [
			{ json: { code: ` ${code} ` } },
		]);
		expect(error).toBeUndefined();
		expect(sandbox.received[0].path).toBe(`${PATH}/${code}`);
	});
});
