/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * The one upload path (nodes/shared/media.ts) under n8n-core's real engine, for the five
 * operations that upload a binary file, with the file in memory (n8n's default binary mode: base64
 * in the item) and on disk (the filesystem mode: the item holds an `id`). Every request n8n sends
 * is recorded where n8n-core hands it to its HTTP client, and n8n's BinaryDataService is watched:
 * `getAsBuffer` is the one way to read a whole file into a Buffer, `getAsStream` streams it.
 * Its own test file: it switches n8n-core to the filesystem binary mode, and jest gives each file
 * a fresh module registry.
 */
import { mkdtempSync, rmSync } from 'fs';
import type { IBinaryData, IDataObject, IHttpRequestOptions, INodeParameters } from 'n8n-workflow';
import os from 'os';
import path from 'path';

import type { GraphSandbox } from '../../dev/sandbox/server';

type Engine = typeof import('../../dev/harness/engine');
type BinaryDataService = import('n8n-core').BinaryDataService;

const storage = mkdtempSync(path.join(os.tmpdir(), 'wa-upload-path-'));
const coreDir = path.dirname(require.resolve('n8n-core'));

let engine: Engine;
let service: BinaryDataService;
let sandbox: GraphSandbox;
let credentials: IDataObject;
/** Every request the node made, as n8n-core passed it to its HTTP client. */
const sent: IHttpRequestOptions[] = [];
let getAsBuffer: jest.SpyInstance;
let getAsStream: jest.SpyInstance;

beforeAll(async () => {
	// n8n reads its binary data mode from these before n8n-core starts
	process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
	process.env.N8N_AVAILABLE_BINARY_DATA_MODES = 'default,filesystem';
	process.env.N8N_BINARY_DATA_STORAGE_PATH = storage;
	// the DI container and HTTP client n8n-core itself uses (its own copies)
	const { Container } = (await import(
		require.resolve('@n8n/di', { paths: [coreDir] })
	)) as typeof import('@n8n/di');
	const { OutboundHttp } = (await import(
		require.resolve('@n8n/backend-network', { paths: [coreDir] })
	)) as typeof import('@n8n/backend-network');
	const core = await import('n8n-core');
	engine = await import('../../dev/harness/engine');
	const { startSandbox } = await import('../../dev/harness/sandbox');
	service = Container.get(core.BinaryDataService);
	await service.init();
	({ sandbox, credentials } = await startSandbox());
	credentials.appId = '1234567890123456';

	const requests = OutboundHttp.prototype.requests;
	jest.spyOn(OutboundHttp.prototype, 'requests').mockImplementation(function (
		this: InstanceType<typeof OutboundHttp>,
		...args: Parameters<typeof requests>
	) {
		const client = requests.apply(this, args);
		return {
			...client,
			request: async (options: Parameters<typeof client.request>[0]) => {
				sent.push(options as unknown as IHttpRequestOptions);
				return await client.request(options);
			},
		} as ReturnType<typeof requests>;
	});
	getAsBuffer = jest.spyOn(service, 'getAsBuffer');
	getAsStream = jest.spyOn(service, 'getAsStream');
});
afterAll(async () => {
	jest.restoreAllMocks();
	await sandbox?.stop();
	rmSync(storage, { recursive: true, force: true });
});
beforeEach(() => {
	sent.length = 0;
	sandbox.log.length = 0;
	sandbox.uploadAttempts.length = 0;
	sandbox.scriptedUploads.length = 0;
	getAsBuffer.mockClear();
	getAsStream.mockClear();
});

/** Bytes that differ along the file, so a chunk sent twice, lost or out of order shows. */
function content(header: Buffer, size: number): Buffer {
	const bytes = Buffer.alloc(size);
	for (let i = 0; i < size; i++) bytes[i] = (i * 7 + (i >> 13)) & 0xff;
	header.copy(bytes);
	return bytes;
}

/** More than one chunk from disk (64 KB) and one slice in memory (256 KB), an odd length. */
const SIZE = 3 * 1024 * 1024 + 17;
const PDF = content(Buffer.from('%PDF-1.4\n'), SIZE);
const JPEG = content(Buffer.from([0xff, 0xd8, 0xff, 0xe0]), SIZE);

let templates = 0;

type Case = {
	name: string;
	file: { bytes: Buffer; mimeType: string; fileName: string };
	/** Through the Resumable Upload API (raw bytes) rather than `/{phone-number-id}/media`. */
	resumable: boolean;
	parameters: () => INodeParameters;
	/** What WhatsApp took, as the sandbox stored it. */
	received: (json: IDataObject) => Buffer;
};

const lastMedia = () => sandbox.media.get(sandbox.uploads[sandbox.uploads.length - 1].id)!.bytes;
const lastSession = () => [...sandbox.uploadSessions.values()].pop()!.bytes;

const CASES: Case[] = [
	{
		name: 'Media > Upload',
		file: { bytes: PDF, mimeType: 'application/pdf', fileName: 'contract.pdf' },
		resumable: false,
		parameters: () => ({ resource: 'media', operation: 'upload', binaryPropertyName: 'file' }),
		received: (json) => sandbox.media.get(String(json.id))!.bytes,
	},
	{
		name: 'Send Media',
		file: { bytes: PDF, mimeType: 'application/pdf', fileName: 'invoice.pdf' },
		resumable: false,
		parameters: () => ({
			resource: 'message',
			operation: 'sendMedia',
			to: '+491511234567',
			mediaType: 'document',
			mediaSource: 'binary',
			binaryPropertyName: 'file',
		}),
		received: (json) => sandbox.media.get(String(json.uploadedMediaId))!.bytes,
	},
	{
		name: 'Send Template (document header)',
		file: { bytes: PDF, mimeType: 'application/pdf', fileName: 'receipt.pdf' },
		resumable: false,
		parameters: () => ({
			resource: 'message',
			operation: 'sendTemplate',
			to: '+491511234567',
			template: {
				__rl: true,
				mode: 'id',
				value: sandbox.addTemplate({
					name: `upload_path_receipt_${++templates}`,
					language: 'en_US',
					category: 'UTILITY',
					components: [
						{ type: 'HEADER', format: 'DOCUMENT', example: { header_handle: ['4::aW...'] } },
						{ type: 'BODY', text: 'Your receipt is attached.' },
					],
				}),
			},
			templateVariables: {
				mappingMode: 'defineBelow',
				value: { header_media: 'binary:file' },
				matchingColumns: [],
				schema: [],
			},
		}),
		received: () => {
			const sentTemplate = sandbox.accepted[sandbox.accepted.length - 1].body.template as {
				components: Array<{ type: string; parameters: Array<{ document: { id: string } }> }>;
			};
			const header = sentTemplate.components.find((c) => c.type === 'header')!;
			expect(header.parameters[0].document.id).toBe(sandbox.uploads[sandbox.uploads.length - 1].id);
			return lastMedia();
		},
	},
	{
		name: 'Template > Create (header sample)',
		file: { bytes: PDF, mimeType: 'application/pdf', fileName: 'sample.pdf' },
		resumable: true,
		parameters: () => ({
			resource: 'template',
			operation: 'create',
			templateName: `upload_path_sample_${++templates}`,
			language: 'en_US',
			category: 'UTILITY',
			headerFormat: 'DOCUMENT',
			headerBinaryProperty: 'file',
			bodyText: 'Your ticket is attached.',
		}),
		received: () => lastSession(),
	},
	{
		name: 'Business Profile > Update (picture)',
		file: { bytes: JPEG, mimeType: 'image/jpeg', fileName: 'logo.jpg' },
		resumable: true,
		parameters: () => ({
			resource: 'businessProfile',
			operation: 'update',
			updateFields: { profilePicture: 'file' },
		}),
		received: () => lastSession(),
	},
];

const MODES = ['in memory', 'on disk'] as const;
type Mode = (typeof MODES)[number];

/** The file as n8n holds it in each binary mode: base64 in the item, or an `id` of a file on disk. */
async function binaryFor(file: Case['file'], mode: Mode): Promise<IBinaryData> {
	const meta = { mimeType: file.mimeType, fileName: file.fileName };
	if (mode === 'in memory') return { ...meta, data: file.bytes.toString('base64') };
	const stored = await service.store(
		{ type: 'execution', workflowId: 'upload-path', executionId: '1' },
		file.bytes,
		{ ...meta, data: '' },
	);
	expect(stored.id).toMatch(/^filesystem/);
	return stored;
}

async function run(c: Case, mode: Mode) {
	const binary = await binaryFor(c.file, mode);
	return await engine.runAction(c.parameters(), credentials as never, [
		{ json: {}, binary: { file: binary } },
	]);
}

/** The requests that carried the file: `POST /{phone-number-id}/media` or `POST /upload:<id>`. */
const fileRequests = () =>
	sent.filter(
		(r) => r.method === 'POST' && (/\/media$/.test(r.url) || /\/upload(:|%3A)/i.test(r.url)),
	);

const header = (r: IHttpRequestOptions, name: string) =>
	Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

/**
 * How the file was read: streamed from disk for each attempt; in memory, decoded from the item's
 * base64 a slice at a time, never through a whole-file Buffer.
 */
function expectRead(mode: Mode, attempts: number) {
	if (mode === 'on disk') {
		expect(getAsBuffer).not.toHaveBeenCalled();
		expect(getAsStream).toHaveBeenCalledTimes(attempts);
	} else {
		expect(getAsBuffer).not.toHaveBeenCalled();
		expect(getAsStream).not.toHaveBeenCalled();
	}
}

const cases = CASES.flatMap((c) => MODES.map((mode) => [c.name, mode, c] as const));

describe('one upload path for every operation that uploads a binary file', () => {
	test('base64 with line breaks (as some tools wrap it) is decoded whole by n8n, and arrives exact', async () => {
		const c = CASES[0];
		const wrapped = c.file.bytes.toString('base64').replace(/(.{76})/g, '$1\r\n');
		const { items, error } = await engine.runAction(c.parameters(), credentials as never, [
			{
				json: {},
				binary: { file: { mimeType: c.file.mimeType, fileName: c.file.fileName, data: wrapped } },
			},
		]);
		expect(error).toBeUndefined();
		expect(c.received(items[0].json).equals(c.file.bytes)).toBe(true);
		expect(getAsBuffer).toHaveBeenCalledTimes(1);
	});

	test.each(cases)(
		'%s, file %s: WhatsApp gets the exact bytes, streamed with their Content-Length and the upload timeout; a file on disk is never read into one Buffer',
		async (_name, mode, c) => {
			const { items, error } = await run(c, mode);
			expect(error).toBeUndefined();
			expect(c.received(items[0].json).equals(c.file.bytes)).toBe(true);
			const [request, ...more] = fileRequests();
			expect(more).toHaveLength(0);
			expect(typeof (request.body as { pipe?: unknown }).pipe).toBe('function');
			expect(request).toMatchObject({ timeout: 600_000, disableFollowRedirect: true });
			expect(sandbox.uploadAttempts).toHaveLength(1);
			expect(Number(header(request, 'Content-Length'))).toBe(sandbox.uploadAttempts[0].bytes);
			if (c.resumable) expect(sandbox.uploadAttempts[0].bytes).toBe(c.file.bytes.length);
			else expect(sandbox.uploadAttempts[0].bytes).toBeGreaterThan(c.file.bytes.length);
			expectRead(mode, 1);
		},
	);

	test.each(cases)(
		'%s, file %s: after a transient error the retry builds a new stream and sends the whole file again',
		async (_name, mode, c) => {
			sandbox.scriptedUploads.push({
				status: 500,
				body: {
					error: {
						message: 'An unknown error has occurred.',
						type: 'OAuthException',
						code: 1,
						is_transient: true,
						fbtrace_id: 'SandboxUpload500',
					},
				},
			});
			const { items, error } = await run(c, mode);
			expect(error).toBeUndefined();
			expect(sandbox.scriptedUploads).toHaveLength(0);
			expect(c.received(items[0].json).equals(c.file.bytes)).toBe(true);
			const [first, second, ...more] = fileRequests();
			expect(more).toHaveLength(0);
			expect(second.body).not.toBe(first.body);
			// both attempts carried the whole body, not a stream already read
			expect(sandbox.uploadAttempts.map((a) => a.bytes)).toEqual([
				Number(header(first, 'Content-Length')),
				Number(header(second, 'Content-Length')),
			]);
			expect(sandbox.uploadAttempts[1].bytes).toBe(sandbox.uploadAttempts[0].bytes);
			// each attempt reads the file anew: from the item's base64, or from disk
			expectRead(mode, 2);
		},
		// a stream sent a second time has no bytes left: that request would wait for its body until
		// the upload timeout, so a short limit makes such a failure show quickly
		20_000,
	);

	test.each(MODES)(
		'file %s: the same checks before any request (type, and size per Meta rules: from n8n metadata on disk)',
		async (mode) => {
			const big = {
				bytes: Buffer.alloc(5 * 1024 * 1024 + 1, 1),
				mimeType: 'image/png',
				fileName: 'big.png',
			};
			const image = {
				...CASES[1],
				file: big,
				parameters: () => ({ ...CASES[1].parameters(), mediaType: 'image' }),
			};
			const tooBig = await run(image, mode);
			expect(tooBig.error?.message).toBe(
				'Input Binary Field "file": the file is 5.0 MB; WhatsApp allows at most 5 MB for image [item 0]',
			);
			const gif = await run(
				{
					...CASES[4],
					file: { bytes: Buffer.from('GIF89a'), mimeType: 'image/gif', fileName: 'a.gif' },
				},
				mode,
			);
			expect(gif.error?.message).toBe(
				'Profile Picture must be a JPEG or PNG image, not "image/gif" [item 0]',
			);
			const sample = await run(
				{
					...CASES[3],
					file: { bytes: big.bytes, mimeType: 'image/png', fileName: 'sample.png' },
				},
				mode,
			);
			expect(sample.error?.message).toBe(
				'Header Sample File: the file is 5.0 MB; WhatsApp allows at most 5 MB for image [item 0]',
			);
			expect(sandbox.log).toHaveLength(0);
			expect(getAsBuffer).not.toHaveBeenCalled();
			expect(getAsStream).not.toHaveBeenCalled();
		},
	);
});
