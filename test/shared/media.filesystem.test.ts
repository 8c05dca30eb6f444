/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * n8n's filesystem binary mode: the file stays on disk and media > upload streams it into the
 * multipart body. Its own test file: jest gives each file a fresh module registry, so switching
 * n8n-core's binary data mode here does not touch the other tests.
 */
import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';

const storage = mkdtempSync(path.join(os.tmpdir(), 'wa-fs-test-'));
afterAll(() => rmSync(storage, { recursive: true, force: true }));

test('a file n8n keeps on disk is streamed to WhatsApp byte for byte, with the exact Content-Length', async () => {
	process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
	process.env.N8N_AVAILABLE_BINARY_DATA_MODES = 'default,filesystem';
	process.env.N8N_BINARY_DATA_STORAGE_PATH = storage;
	const { Container } = (await import(
		require.resolve('@n8n/di', { paths: [path.dirname(require.resolve('n8n-core'))] })
	)) as typeof import('@n8n/di');
	const { BinaryDataService } = await import('n8n-core');
	const { runAction } = await import('../../dev/harness/engine');
	const { startSandbox } = await import('../../dev/harness/sandbox');
	const service = Container.get(BinaryDataService);
	await service.init();

	const pdf = Buffer.concat([
		Buffer.from('%PDF-1.4\n'),
		Buffer.alloc(3 * 1024 * 1024 + 17, 0x41),
		Buffer.from('\n%%EOF\n'),
	]);
	const stored = await service.store(
		{ type: 'execution', workflowId: 'w', executionId: '1' },
		pdf,
		{ mimeType: 'application/pdf', fileName: 'contract.pdf', fileExtension: 'pdf', data: '' },
	);
	expect(stored.id).toMatch(/^filesystem/);
	expect(stored.data).not.toBe(pdf.toString('base64'));

	const { sandbox, credentials } = await startSandbox();
	try {
		const { items, error } = await runAction(
			{ resource: 'media', operation: 'upload', binaryPropertyName: 'data' },
			credentials,
			[{ json: {}, binary: { data: stored } }],
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			kind: 'document',
			fileName: 'contract.pdf',
			size: pdf.length,
		});
		const uploaded = sandbox.media.get(String(items[0].json.id))!;
		expect(uploaded.mimeType).toBe('application/pdf');
		expect(uploaded.bytes.equals(pdf)).toBe(true);
	} finally {
		await sandbox.stop();
	}
});
