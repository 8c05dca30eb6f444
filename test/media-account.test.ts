/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import path from 'path';

import { runAction } from './harness/engine';
import { startSandbox } from './helpers/sandbox';
import type { GraphSandbox } from './sandbox/server';

let sandbox: GraphSandbox;
let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];

beforeAll(async () => {
	({ sandbox, credentials } = await startSandbox());
	credentials.appId = '1234567890123456';
});
afterAll(async () => await sandbox.stop());
beforeEach(() => {
	sandbox.log.length = 0;
});

const fixture = (name: string) =>
	JSON.parse(readFileSync(path.join(__dirname, 'fixtures/api', name), 'utf8'));
const run = async (
	resource: string,
	operation: string,
	parameters: INodeParameters = {},
	input: Array<{ json: IDataObject; binary?: IDataObject }> = [{ json: {} }],
) => await runAction({ resource, operation, ...parameters }, credentials, input as never);

/** A small but real JPEG (SOI, APP0 JFIF, EOI) and a PDF. */
const JPEG = Buffer.concat([
	Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]),
	Buffer.alloc(3000, 7),
	Buffer.from([0xff, 0xd9]),
]);
const PDF = Buffer.from(
	'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

describe('media: upload, get, download, delete', () => {
	test.each([
		['a PDF', PDF, 'application/pdf', 'receipt.pdf', 'document'],
		['a JPEG', JPEG, 'image/jpeg', 'photo.jpg', 'image'],
	])('%s round-trips byte for byte', async (_name, bytes, mimeType, fileName, kind) => {
		const up = await run('media', 'upload', { binaryPropertyName: 'file' }, [
			{ json: {}, binary: { file: { data: bytes.toString('base64'), mimeType, fileName } } },
		]);
		expect(up.error).toBeUndefined();
		const id = String(up.items[0].json.id);
		expect(up.items[0].json).toEqual({
			id,
			kind,
			fileName,
			mimeType,
			size: bytes.length,
			senderPhoneNumberId: '106540352242922',
		});
		expect(sandbox.uploads[sandbox.uploads.length - 1]).toEqual({
			id,
			mimeType,
			filename: fileName,
			size: bytes.length,
		});

		const info = await run('media', 'get', { mediaId: id });
		expect(info.items[0].json).toEqual({
			id,
			url: expect.stringMatching(/^http/),
			mimeType,
			sha256: createHash('sha256').update(bytes).digest('hex'),
			fileSize: bytes.length,
		});

		const down = await run('media', 'download', { mediaId: id, binaryPropertyName: 'out' });
		expect(down.error).toBeUndefined();
		expect(down.items[0].json).toMatchObject({
			id,
			mimeType,
			fileSize: bytes.length,
			sha256Verified: true,
		});
		const binary = down.items[0].binary!.out;
		expect(binary).toMatchObject({
			mimeType,
			fileName: `whatsapp-${id}.${fileName.split('.').pop()}`,
		});
		expect(Buffer.from(binary.data, 'base64').equals(bytes)).toBe(true);

		const del = await run('media', 'delete', { mediaId: id });
		expect(del.items[0].json).toEqual({ success: true, id });
		expect((await run('media', 'get', { mediaId: id })).error?.message).toMatch(
			/WhatsApp Cloud API error 100/,
		);
	});

	test('an oversize or wrong-type file fails before any request', async () => {
		const big = await run('media', 'upload', { binaryPropertyName: 'data' }, [
			{
				json: {},
				binary: {
					data: {
						data: Buffer.alloc(5 * 1024 * 1024 + 1).toString('base64'),
						mimeType: 'image/png',
						fileName: 'big.png',
					},
				},
			},
		]);
		expect(big.error?.message).toBe(
			'Input Binary Field "data": the file is 5.0 MB; WhatsApp allows at most 5 MB for image [item 0]',
		);
		const gif = await run('media', 'upload', { binaryPropertyName: 'data' }, [
			{
				json: {},
				binary: { data: { data: 'R0lGODlh', mimeType: 'image/gif', fileName: 'a.gif' } },
			},
		]);
		expect(gif.error?.message).toBe(
			'Input Binary Field "data": WhatsApp does not accept "image/gif" [item 0]',
		);
		expect(gif.error?.description).toMatch(/Accepted types: image\/jpeg, image\/png/);
		const missing = await run('media', 'upload', { binaryPropertyName: 'nothing' }, [{ json: {} }]);
		expect(missing.error?.name).toBe('NodeOperationError');
		expect(sandbox.log).toHaveLength(0);
	});

	test('a file damaged on the way fails the SHA-256 check', async () => {
		const id = sandbox.addMedia(PDF, 'application/pdf');
		const stored = sandbox.media.get(id)!;
		const original = stored.bytes;
		// Meta reports the hash of the original; the bytes served are changed
		const realInfo = createHash('sha256').update(original).digest('hex');
		stored.bytes = Buffer.concat([original, Buffer.from('x')]);
		const originalHash = createHash('sha256').update(stored.bytes).digest('hex');
		expect(realInfo).not.toBe(originalHash);
		const sandboxAny = sandbox as unknown as { mediaInfo: (id: string) => { body: IDataObject } };
		const mediaInfo = sandboxAny.mediaInfo.bind(sandbox);
		sandboxAny.mediaInfo = (mediaId: string) => {
			const res = mediaInfo(mediaId);
			res.body.sha256 = realInfo;
			return res;
		};
		try {
			const down = await run('media', 'download', { mediaId: id });
			expect(down.error?.message).toBe(
				`The downloaded file of media ${id} does not match Meta's SHA-256: it was damaged on the way [item 0]`,
			);
		} finally {
			sandboxAny.mediaInfo = mediaInfo;
		}
	});

	test('media IDs are checked before any request', async () => {
		const bad = await run('media', 'get', { mediaId: 'wamid.X' });
		expect(bad.error?.message).toBe(
			'Media ID must be the digits of a media ID, got "wamid.X" [item 0]',
		);
		expect(sandbox.log).toHaveLength(0);
	});
});

describe('phone numbers', () => {
	test("getAll lists the account's numbers with quality, name status, throughput and messaging limit", async () => {
		sandbox.options.phoneNumbers[0] = {
			...sandbox.options.phoneNumbers[0],
			name_status: 'APPROVED',
			whatsapp_business_manager_messaging_limit: 'TIER_250',
			throughput: { level: 'STANDARD' },
		};
		const { items, error } = await run('phoneNumber', 'getAll');
		expect(error).toBeUndefined();
		expect(
			items.map((i) => Object.fromEntries(Object.entries(i.json).filter(([k]) => k !== 'raw'))),
		).toEqual([
			{
				id: '106540352242922',
				displayPhoneNumber: '15550783881',
				verifiedName: 'Lucky Shrub',
				qualityRating: 'GREEN',
				nameStatus: 'APPROVED',
				status: undefined,
				throughputLevel: 'STANDARD',
				messagingLimit: 'TIER_250',
				codeVerificationStatus: 'VERIFIED',
			},
		]);
	});

	test('get explains a limited health status in plain words (Meta example)', async () => {
		sandbox.options.phoneNumbers[0].health_status = fixture(
			'health_status_limited__meta_docs.json',
		).health_status;
		const { items } = await run('phoneNumber', 'get');
		expect(items[0].json.health).toEqual({
			canSendMessage: 'LIMITED',
			summary:
				'Messages can be sent, with limits. The phone number 106540352242922 can send messages with limits. Your display name has not been approved yet. Your message limit will increase after the display name is approved.',
			problems: [expect.objectContaining({ entity: 'PHONE_NUMBER', canSendMessage: 'LIMITED' })],
		});
		expect(items[0].json.webhookConfiguration).toEqual({});
	});

	test("get explains a blocked entity with Meta's error and what to do (Meta example)", async () => {
		sandbox.options.phoneNumbers[0].health_status = fixture(
			'health_status_blocked_template__meta_docs.json',
		).health_status;
		const { items } = await run('phoneNumber', 'get', {
			sender: { __rl: true, mode: 'id', value: '106540352242922' },
		});
		const health = items[0].json.health as IDataObject;
		expect(health.canSendMessage).toBe('BLOCKED');
		expect(health.summary).toBe(
			'Messages cannot be sent. The template 2632273056924580 cannot send messages. Message templates can only be sent out if they are approved. (141002) What to do: Edit or appeal the message template review decision.',
		);
	});

	test("get shows where the number's webhooks go", async () => {
		sandbox.webhooks.app = {
			url: 'https://app.example/hook',
			verifyToken: 'x',
			fields: ['messages'],
		};
		try {
			const { items } = await run('phoneNumber', 'get');
			expect(items[0].json.webhookConfiguration).toEqual({
				application: 'https://app.example/hook',
			});
		} finally {
			sandbox.webhooks.app = undefined;
		}
	});
});

describe('business profile', () => {
	test("get returns Meta's example profile", async () => {
		const { items } = await run('businessProfile', 'get');
		expect(items[0].json).toEqual({
			phoneNumberId: '106540352242922',
			about: 'Succulent specialists!',
			address: '1 Hacker Way, Menlo Park, CA 94025',
			description: 'At Lucky Shrub, we specialize in providing a...',
			email: 'lucky@luckyshrub.com',
			websites: ['https://www.luckyshrub.com/'],
			vertical: 'RETAIL',
			profilePictureUrl: 'https://pps.whatsapp.net/v/t61.24...',
		});
	});

	test('update changes the fields and the picture (uploaded through the Resumable Upload API)', async () => {
		const { items, error } = await run(
			'businessProfile',
			'update',
			{
				updateFields: {
					about: 'Plants that thrive on neglect',
					websites: 'https://luckyshrub.com, https://shop.luckyshrub.com',
					vertical: 'RETAIL',
					profilePicture: 'logo',
				},
			},
			[
				{
					json: {},
					binary: {
						logo: { data: JPEG.toString('base64'), mimeType: 'image/jpeg', fileName: 'logo.jpg' },
					},
				},
			],
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			success: true,
			updated: {
				messaging_product: 'whatsapp',
				about: 'Plants that thrive on neglect',
				websites: ['https://luckyshrub.com', 'https://shop.luckyshrub.com'],
				vertical: 'RETAIL',
				profile_picture_handle: expect.stringMatching(/^4::/),
			},
		});
		const after = await run('businessProfile', 'get');
		expect(after.items[0].json).toMatchObject({
			about: 'Plants that thrive on neglect',
			websites: ['https://luckyshrub.com', 'https://shop.luckyshrub.com'],
			profilePictureUrl: expect.stringMatching(/^https:\/\/pps\.sandbox/),
		});
	});

	test('limits are checked before any request', async () => {
		const cases: Array<[IDataObject, RegExp]> = [
			[
				{ about: 'a'.repeat(140) },
				/^About is too long: 140 characters \(WhatsApp allows at most 139\)/,
			],
			[{ description: 'd'.repeat(513) }, /^Description is too long: 513/],
			[{ email: 'not-an-email' }, /^Email is not a valid email address/],
			[
				{ websites: 'https://a.com, https://b.com, https://c.com' },
				/^Websites has 3 entries \(WhatsApp allows at most 2\)/,
			],
			[{}, /^Nothing to update/],
		];
		for (const [updateFields, message] of cases) {
			const { error } = await run('businessProfile', 'update', {
				updateFields: updateFields as INodeParameters,
			});
			expect(error?.message).toMatch(message);
		}
		expect(sandbox.log).toHaveLength(0);
	});
});
