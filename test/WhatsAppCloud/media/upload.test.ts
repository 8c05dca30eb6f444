import { createHash } from 'crypto';

import { type OperationArgs, runOperation } from '../../../dev/harness/engine';
import { JPEG, PDF } from '../../../dev/harness/files';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import type { GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => {
		sandbox.log.length = 0;
	},
);

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);

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
});
