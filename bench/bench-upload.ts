/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * One measurement of `npm run bench`: uploads a document of --mb megabytes (default 100) through
 * n8n-core's real engine, in n8n's default (in-memory) or filesystem binary mode, and prints the
 * process's peak memory growth during the run against the file size. --operation picks what
 * uploads it: media > upload, message > send media (the document from a binary field), or message
 * > send template (the document as its header, `binary:data`), template > create (the document as
 * its header sample) or business profile > update (a JPEG profile picture). Runs in its own process (bench.ts
 * starts it) so each measurement starts from a clean heap; the sandbox runs in yet another
 * process, so what it buffers does not count.
 *
 *   tsx bench/bench-upload.ts --mode default|filesystem --url http://127.0.0.1:PORT [--mb 100]
 *     [--operation upload|sendMedia|sendTemplate|templateSample|profilePicture] [--baseline]
 */
import { mkdtempSync, rmSync } from 'fs';
import type { INodeParameters } from 'n8n-workflow';
import os from 'os';
import path from 'path';

const arg = (name: string, fallback: string) =>
	process.argv.includes(`--${name}`)
		? process.argv[process.argv.indexOf(`--${name}`) + 1]
		: fallback;
const mode = arg('mode', 'default');
const url = arg('url', '');
const mb = Number(arg('mb', '100'));
const operation = arg('operation', 'upload');
/** --baseline: the same input through an operation that does not touch the file (media > get) */
const baselineRun = process.argv.includes('--baseline');
const storage = mkdtempSync(path.join(os.tmpdir(), 'wa-bench-'));

async function main() {
	// n8n reads its binary data mode from these before n8n-core starts
	process.env.N8N_DEFAULT_BINARY_DATA_MODE = mode;
	process.env.N8N_AVAILABLE_BINARY_DATA_MODES = 'default,filesystem';
	process.env.N8N_BINARY_DATA_STORAGE_PATH = storage;
	// the DI container n8n-core itself uses (it has its own copy of @n8n/di)
	const { Container } = (await import(
		require.resolve('@n8n/di', { paths: [path.dirname(require.resolve('n8n-core'))] })
	)) as typeof import('@n8n/di');
	const { BinaryDataService } = await import('n8n-core');
	const { runAction } = await import('../dev/harness/engine');
	const { SANDBOX_TOKEN, SANDBOX_PHONE_NUMBER_ID, SANDBOX_WABA_ID, SANDBOX_APP_ID } =
		await import('../dev/sandbox/server');
	const service = Container.get(BinaryDataService);
	await service.init();

	const size = mb * 1024 * 1024;
	let file: Buffer | undefined = Buffer.alloc(size, 0x25);
	const jpeg = operation === 'profilePicture';
	if (jpeg) Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(file);
	else file.write('%PDF-1.4\n', 0);
	const meta = jpeg
		? {
				mimeType: 'image/jpeg',
				fileName: 'logo.jpg',
				fileExtension: 'jpg',
				fileType: 'image' as const,
			}
		: {
				mimeType: 'application/pdf',
				fileName: 'big.pdf',
				fileExtension: 'pdf',
				fileType: 'pdf' as const,
			};
	// the input as n8n holds it in each mode: base64 in the item, or a reference to a file on disk
	const binary =
		mode === 'filesystem'
			? await service.store({ type: 'execution', workflowId: 'bench', executionId: '1' }, file, {
					...meta,
					data: '',
				})
			: { ...meta, data: file.toString('base64'), fileSize: String(size) };
	file = undefined;
	const gc = (globalThis as { gc?: () => void }).gc;
	// without a collection first, the baseline holds garbage and the growth reads too small
	if (!gc) throw new Error('run with NODE_OPTIONS=--expose-gc');
	gc();
	await new Promise((r) => setTimeout(r, 200));

	const parameters: INodeParameters = baselineRun
		? { resource: 'media', operation: 'get', mediaId: '1' }
		: await parametersFor(operation);

	const baseline = process.memoryUsage().rss;
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
	const started = Date.now();
	const { error } = await runAction(
		parameters,
		{
			accessToken: SANDBOX_TOKEN,
			phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
			businessAccountId: SANDBOX_WABA_ID,
			// the Resumable Upload API (template samples, profile pictures) works per app
			appId: SANDBOX_APP_ID,
			apiVersion: 'v25.0',
			baseUrl: url,
		},
		[{ json: {}, binary: { data: binary } }],
		baselineRun ? { onError: 'continueRegularOutput' } : {},
	);
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage().rss);
	if (error) throw error;
	const growth = peak - baseline;
	console.log(
		JSON.stringify({
			mode,
			operation: baselineRun ? 'baseline (media get, file untouched)' : operation,
			mb,
			seconds: (Date.now() - started) / 1000,
			uploadedBytes: baselineRun ? 0 : await uploadedBytes(),
			peakGrowthMb: growth / 1024 / 1024,
			ratio: growth / size,
		}),
	);
}

/** The node's parameters for each measured operation; all three upload the same document. */
async function parametersFor(name: string): Promise<INodeParameters> {
	const to = '+491511234567';
	if (name === 'upload')
		return { resource: 'media', operation: 'upload', binaryPropertyName: 'data' };
	if (name === 'sendMedia')
		return {
			resource: 'message',
			operation: 'sendMedia',
			to,
			mediaType: 'document',
			mediaSource: 'binary',
			binaryPropertyName: 'data',
		};
	if (name === 'templateSample')
		return {
			resource: 'template',
			operation: 'create',
			// one sandbox serves every measurement, and a name is taken once
			templateName: `bench_sample_${process.pid}`,
			language: 'en_US',
			category: 'UTILITY',
			headerFormat: 'DOCUMENT',
			headerBinaryProperty: 'data',
			bodyText: 'Your ticket is attached.',
		};
	if (name === 'profilePicture')
		return {
			resource: 'businessProfile',
			operation: 'update',
			updateFields: { profilePicture: 'data' },
		};
	if (name !== 'sendTemplate') throw new Error(`unknown --operation ${name}`);
	// an approved template with a document header, added through the sandbox's control API
	const response = await fetch(`${url}/__sandbox/templates`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			name: 'bench_document',
			language: 'en_US',
			category: 'UTILITY',
			components: [
				{ type: 'HEADER', format: 'DOCUMENT', example: { header_handle: ['4::aW...'] } },
				{ type: 'BODY', text: 'Your document is attached.' },
			],
		}),
	});
	const { id } = (await response.json()) as { id: string };
	return {
		resource: 'message',
		operation: 'sendTemplate',
		to,
		template: { __rl: true, mode: 'id', value: id },
		templateVariables: {
			mappingMode: 'defineBelow',
			value: { header_media: 'binary:data' },
			matchingColumns: [],
			schema: [],
		},
	};
}

/**
 * The size of the last file the sandbox took: what reached WhatsApp, not what the node says. A
 * resumable upload (template sample, profile picture) sends the file alone as its body.
 */
async function uploadedBytes(): Promise<number | undefined> {
	const response = await fetch(`${url}/__sandbox/stats`);
	const stats = (await response.json()) as { uploads?: number[]; uploadAttempts?: number[] };
	return RESUMABLE.has(operation) ? stats.uploadAttempts?.pop() : stats.uploads?.pop();
}

const RESUMABLE = new Set(['templateSample', 'profilePicture']);

main()
	.catch((error) => {
		console.error(error);
		process.exitCode = 1;
	})
	.finally(() => rmSync(storage, { recursive: true, force: true }));
