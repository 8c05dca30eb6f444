import { runAction } from '../../../dev/harness/engine';
import type { SandboxCredentials } from '../../../dev/harness/sandbox';
import type { GraphSandbox } from '../../../dev/sandbox/server';
import { head, useMessageSandbox, TO } from './send';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
const { sentBody } = useMessageSandbox((started) => ({ sandbox, credentials } = started));

describe('each operation sends exactly the JSON Meta documents', () => {
	test('sendMedia: image by link with caption', async () => {
		expect(
			await sentBody('sendMedia', {
				mediaType: 'image',
				mediaSource: 'link',
				mediaLink: 'https://example.com/p.jpg',
				caption: 'Taj Mahal',
			}),
		).toEqual({
			...head,
			type: 'image',
			image: { link: 'https://example.com/p.jpg', caption: 'Taj Mahal' },
		});
	});

	test('sendMedia: document by media ID with file name and caption', async () => {
		expect(
			await sentBody('sendMedia', {
				mediaType: 'document',
				mediaSource: 'id',
				mediaId: '1037543291543636',
				fileName: 'invoice.pdf',
				caption: 'Your invoice',
			}),
		).toEqual({
			...head,
			type: 'document',
			document: { id: '1037543291543636', caption: 'Your invoice', filename: 'invoice.pdf' },
		});
	});

	test('sendMedia: audio voice note, sticker, video', async () => {
		expect(
			await sentBody('sendMedia', {
				mediaType: 'audio',
				mediaSource: 'id',
				mediaId: '55',
				voice: true,
			}),
		).toEqual({ ...head, type: 'audio', audio: { id: '55', voice: true } });
		sandbox.accepted.length = 0;
		expect(
			await sentBody('sendMedia', {
				mediaType: 'sticker',
				mediaSource: 'link',
				mediaLink: 'https://example.com/s.webp',
			}),
		).toEqual({ ...head, type: 'sticker', sticker: { link: 'https://example.com/s.webp' } });
		sandbox.accepted.length = 0;
		expect(
			await sentBody('sendMedia', { mediaType: 'video', mediaSource: 'id', mediaId: '77' }),
		).toEqual({ ...head, type: 'video', video: { id: '77' } });
	});

	test('sendMedia from a binary property: multipart upload first, then sent by the new ID', async () => {
		const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');
		const { items, error } = await runAction(
			{
				resource: 'message',
				operation: 'sendMedia',
				to: TO,
				mediaType: 'document',
				mediaSource: 'binary',
				binaryPropertyName: 'invoice',
				caption: 'Invoice 1042',
			},
			credentials,
			[
				{
					json: {},
					binary: {
						invoice: {
							data: pdf.toString('base64'),
							mimeType: 'application/pdf',
							fileName: 'invoice-1042.pdf',
						},
					},
				},
			],
		);
		expect(error).toBeUndefined();
		expect(sandbox.log.map((l) => `${l.method} ${l.path}`)).toEqual([
			'POST /v25.0/106540352242922/media',
			'POST /v25.0/106540352242922/messages',
		]);
		expect(sandbox.uploads).toEqual([
			{
				id: expect.any(String),
				mimeType: 'application/pdf',
				filename: 'invoice-1042.pdf',
				size: pdf.length,
			},
		]);
		const id = sandbox.uploads[0].id;
		expect(sandbox.media.get(id)!.bytes.equals(pdf)).toBe(true);
		expect(sandbox.accepted[0].body).toEqual({
			...head,
			type: 'document',
			document: { id, caption: 'Invoice 1042', filename: 'invoice-1042.pdf' },
		});
		expect(items[0].json.uploadedMediaId).toBe(id);
	});
});
