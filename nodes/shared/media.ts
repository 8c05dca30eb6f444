import { createHash, randomBytes } from 'crypto';
import type { IBinaryData, IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { credentialId } from './ids';
import type { GraphRequest } from './transport';

/** Kinds of media a message can carry, and what Meta accepts for each (types and sizes). */
export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';

const MB = 1024 * 1024;

export const MEDIA_RULES: Record<MediaKind, { types: string[]; maxBytes: number; label: string }> =
	{
		image: { types: ['image/jpeg', 'image/png'], maxBytes: 5 * MB, label: '5 MB' },
		video: { types: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB, label: '16 MB' },
		audio: {
			types: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
			maxBytes: 16 * MB,
			label: '16 MB',
		},
		document: {
			types: [
				'text/plain',
				'application/pdf',
				'application/msword',
				'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
				'application/vnd.ms-excel',
				'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
				'application/vnd.ms-powerpoint',
				'application/vnd.openxmlformats-officedocument.presentationml.presentation',
			],
			maxBytes: 100 * MB,
			label: '100 MB',
		},
		// animated stickers may be 500 KB, static ones 100 KB; the file does not say which it is
		sticker: { types: ['image/webp'], maxBytes: 500 * 1024, label: '500 KB' },
	};

export const baseMime = (mime: string | undefined) =>
	String(mime ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();

/** The file size of binary data, from its metadata or its base64 length. */
export function binarySize(binary: IBinaryData): number {
	const declared = Number(binary.fileSize);
	if (
		binary.fileSize !== undefined &&
		Number.isFinite(declared) &&
		!/[a-z]/i.test(String(binary.fileSize))
	)
		return declared;
	if (binary.id) return NaN;
	const data = binary.data ?? '';
	const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
	return Math.floor((data.length * 3) / 4) - padding;
}

/** Throws a NodeOperationError naming the item and the field when Meta would refuse the file. */
export function checkMediaFile(
	fns: Pick<IExecuteFunctions, 'getNode'>,
	kind: MediaKind,
	binary: IBinaryData,
	size: number,
	itemIndex: number,
	field: string,
): void {
	const rule = MEDIA_RULES[kind];
	const mime = baseMime(binary.mimeType);
	if (!rule.types.includes(mime)) {
		throw new NodeOperationError(
			fns.getNode(),
			`${field}: WhatsApp does not accept "${mime || 'unknown type'}" as ${kind} [item ${itemIndex}]`,
			{
				itemIndex,
				description: `Accepted ${kind} types: ${rule.types.join(', ')}. File: ${binary.fileName ?? 'unnamed'}. Nothing was sent for this item.`,
			},
		);
	}
	if (Number.isFinite(size) && size > rule.maxBytes) {
		throw new NodeOperationError(
			fns.getNode(),
			`${field}: the file is ${(size / MB).toFixed(1)} MB; WhatsApp allows at most ${rule.label} for ${kind} [item ${itemIndex}]`,
			{
				itemIndex,
				description: `File: ${binary.fileName ?? 'unnamed'}. Nothing was sent for this item.`,
			},
		);
	}
}

function multipartParts(mimeType: string, fileName: string) {
	const boundary = `----n8nWhatsAppCloud${randomBytes(12).toString('hex')}`;
	const field = (name: string, value: string) =>
		`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
	const safeName = fileName.replace(/["\r\n]/g, '_');
	return {
		head: Buffer.from(
			`${field('messaging_product', 'whatsapp')}${field('type', mimeType)}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${safeName}"\r\nContent-Type: ${mimeType}\r\n\r\n`,
		),
		tail: Buffer.from(`\r\n--${boundary}--\r\n`),
		contentType: `multipart/form-data; boundary=${boundary}`,
	};
}

/** The media kind a MIME type belongs to, or undefined when WhatsApp takes it as none. */
export function kindOfMime(mime: string | undefined): MediaKind | undefined {
	const m = baseMime(mime);
	return (Object.keys(MEDIA_RULES) as MediaKind[]).find((k) => MEDIA_RULES[k].types.includes(m));
}

/**
 * How an upload checks its binary field before any request: the field's label for error texts,
 * Meta's media rules, and the name to send when the binary has none.
 */
export type UploadCheck = {
	/** The parameter as error texts name it, e.g. `Input Binary Field "data"`. */
	field: string;
	/** Meta's rules of this media kind; without it, those of the kind the file's type belongs to. */
	kind?: MediaKind;
	/**
	 * The only types this upload takes (a template's header sample, a profile picture), and the
	 * error text for any other (the item is added to it).
	 */
	only?: { types: string[]; refused: (mimeType: string) => string };
	/** The file name without extension when the binary has none, e.g. `file`. */
	fallbackName: string;
};

/**
 * A binary field checked for upload. Its bytes are not read yet: uploadMedia and uploadResumable
 * read them when the item's request is sent, so a run holds at most the files in flight.
 */
export type BinaryUpload = {
	readonly fns: IExecuteFunctions;
	readonly itemIndex: number;
	readonly property: string;
	readonly binary: IBinaryData;
	/** From n8n's metadata for a file on disk, from the data for one in memory; NaN if unknown. */
	readonly size: number;
	readonly mimeType: string;
	readonly fileName: string;
	/** The media kind whose rules the file passed; undefined for a type outside them (`image/jpg`). */
	readonly kind?: MediaKind;
};

/**
 * Reads an item's binary field for upload and checks it against Meta's media rules (type, size),
 * throwing a NodeOperationError that names the item and the field, so a file Meta would refuse
 * fails before any request.
 */
export async function checkBinaryUpload(
	fns: IExecuteFunctions,
	itemIndex: number,
	property: string,
	check: UploadCheck,
): Promise<BinaryUpload> {
	const binary = fns.helpers.assertBinaryData(itemIndex, property);
	const mimeType = baseMime(binary.mimeType);
	if (check.only && !check.only.types.includes(mimeType))
		throw new NodeOperationError(
			fns.getNode(),
			`${check.only.refused(mimeType)} [item ${itemIndex}]`,
			{
				itemIndex,
			},
		);
	const kind = check.kind ?? kindOfMime(mimeType);
	if (!kind && !check.only) {
		throw new NodeOperationError(
			fns.getNode(),
			`${check.field}: WhatsApp does not accept "${mimeType || 'unknown type'}" [item ${itemIndex}]`,
			{
				itemIndex,
				description: `Accepted types: ${Object.values(MEDIA_RULES)
					.flatMap((r) => r.types)
					.join(', ')}. Nothing was uploaded for this item.`,
			},
		);
	}
	// in n8n's filesystem binary mode the file stays on disk, and n8n's metadata knows its size
	const size = binary.id
		? (await fns.helpers.getBinaryMetadata(binary.id)).fileSize
		: binarySize(binary);
	if (kind) checkMediaFile(fns, kind, binary, size, itemIndex, check.field);
	return {
		fns,
		itemIndex,
		property,
		binary,
		size,
		mimeType,
		fileName:
			binary.fileName ??
			`${check.fallbackName}.${binary.fileExtension ?? EXTENSIONS[mimeType] ?? 'bin'}`,
		kind,
	};
}

/**
 * What an upload needs of the action node's OperationContext: its Graph call, retried on
 * throttling and transient errors, which takes a factory so that each attempt gets a new body.
 */
export type UploadClient = {
	readonly config: { appId: string };
	readonly node: INode;
	call<T>(request: () => Promise<GraphRequest>, itemIndex: number): Promise<T>;
};

/** Every upload waits this long for Meta: a 100 MB document over a slow line takes minutes. */
export const UPLOAD_TIMEOUT_MS = 600_000;

/** Slices of a file held in memory, sent one after the other: views of it, not copies. */
const SLICE_BYTES = 256 * 1024;

type BodyStream = NodeJS.ReadableStream & { destroy(error?: Error): void };

/**
 * A class whose static `from` turns an async iterable into a readable Node stream, which the HTTP
 * client sends as it reads it. n8n Cloud's rules forbid importing 'stream'; 'crypto' is allowed,
 * and its Hash objects are Node streams (Transforms) whose class inherits Duplex's `from`: given an
 * async iterable, it makes a stream that only reads.
 */
const StreamClass = createHash('sha256').constructor as unknown as {
	from(source: AsyncIterable<Buffer>): BodyStream;
};

async function* concatenated(
	head: Buffer,
	file: AsyncIterable<Buffer> | Iterable<Buffer>,
	tail: Buffer,
) {
	if (head.length) yield head;
	for await (const chunk of file) yield chunk;
	if (tail.length) yield tail;
}

function* slices(bytes: Buffer) {
	for (let offset = 0; offset < bytes.length; offset += SLICE_BYTES)
		yield bytes.subarray(offset, offset + SLICE_BYTES);
}

/**
 * The bytes of a file for one upload: their exact length, and a new source of them for each
 * attempt, since a stream can be sent only once and a retry sends the whole file again. On disk
 * (n8n's filesystem binary mode: the binary has an `id`) every attempt reads the file anew and no
 * copy of it is held in memory. In memory (n8n's default mode) every attempt decodes the item's
 * base64 anew, a slice at a time.
 */
async function fileBytes(
	file: BinaryUpload,
): Promise<{ length: number; open: () => Promise<AsyncIterable<Buffer> | Iterable<Buffer>> }> {
	const { fns, binary } = file;
	if (binary.id) {
		const id = binary.id;
		return {
			length: file.size,
			open: async () => (await fns.helpers.getBinaryStream(id)) as AsyncIterable<Buffer>,
		};
	}
	const data = binary.data;
	if (typeof data === 'string' && CLEAN_BASE64.test(data)) {
		// n8n holds the file as base64 already: decode it slice by slice as it is sent, so that the
		// upload never holds a decoded copy of the whole file beside it
		return { length: decodedLength(data), open: async () => decodedSlices(data) };
	}
	const bytes = await fns.helpers.getBinaryDataBuffer(file.itemIndex, file.property);
	return { length: bytes.length, open: async () => slices(bytes) };
}

/** Base64 as n8n writes it: no line breaks or spaces, padding only at the end. */
const CLEAN_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Characters of base64 per decoded slice: a multiple of 4, so that every slice decodes alone. */
const SLICE_CHARS = Math.floor(SLICE_BYTES / 3) * 4;

/** The exact number of bytes clean base64 decodes to (a declared fileSize may be anything). */
function decodedLength(base64: string): number {
	const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
	return Math.floor((base64.length * 3) / 4) - padding;
}

function* decodedSlices(base64: string) {
	for (let offset = 0; offset < base64.length; offset += SLICE_CHARS)
		yield Buffer.from(base64.slice(offset, offset + SLICE_CHARS), 'base64');
}

/**
 * One upload request, retried by the client: the body is `head`, the file's bytes and `tail`,
 * streamed with its exact Content-Length, built anew for each attempt.
 */
async function sendFile<T>(
	ctx: UploadClient,
	file: BinaryUpload,
	bytes: Awaited<ReturnType<typeof fileBytes>>,
	request: { path: string; headers: Record<string, string>; head?: Buffer; tail?: Buffer },
): Promise<T> {
	const head = request.head ?? Buffer.alloc(0);
	const tail = request.tail ?? Buffer.alloc(0);
	let body: BodyStream | undefined;
	try {
		return await ctx.call<T>(async () => {
			// the attempt before failed: its stream may be half read, with the file still open
			body?.destroy();
			body = StreamClass.from(concatenated(head, await bytes.open(), tail));
			return {
				method: 'POST',
				path: request.path,
				headers: {
					...request.headers,
					'Content-Length': String(head.length + bytes.length + tail.length),
				},
				body,
				timeoutMs: UPLOAD_TIMEOUT_MS,
				upload: true,
			};
		}, file.itemIndex);
	} finally {
		body?.destroy();
	}
}

/**
 * Uploads a checked binary field with `POST /{phone-number-id}/media` (multipart: the form fields,
 * then the file) and returns the media ID. Media > Upload, Send Media and Send Template's media
 * header all upload through here.
 */
export async function uploadMedia(
	ctx: UploadClient,
	file: BinaryUpload,
	phoneNumberId: string,
): Promise<string> {
	const bytes = await fileBytes(file);
	const { head, tail, contentType } = multipartParts(file.mimeType, file.fileName);
	const uploaded = await sendFile<{ id: string }>(ctx, file, bytes, {
		path: `/${phoneNumberId}/media`,
		headers: { 'Content-Type': contentType },
		head,
		tail,
	});
	return uploaded.id;
}

/**
 * Uploads a checked binary field through Meta's Resumable Upload API, for template header samples
 * and profile pictures: a session on the app (`POST /{app-id}/uploads` with the file's length),
 * then the file's raw bytes (`POST /upload:<id>` from offset 0). Returns the handle `h`.
 */
export async function uploadResumable(ctx: UploadClient, file: BinaryUpload): Promise<string> {
	const { itemIndex } = file;
	const appId = credentialId(ctx.node, ctx.config, 'appId', itemIndex);
	if (!appId) {
		throw new NodeOperationError(
			ctx.node,
			`This upload needs the App ID in the credential (Meta's Resumable Upload API works per app) [item ${itemIndex}]`,
			{
				itemIndex,
				description: 'App dashboard > App settings > Basic > App ID.',
			},
		);
	}
	const bytes = await fileBytes(file);
	const session = await ctx.call<{ id: string }>(
		async () => ({
			method: 'POST',
			path: `/${appId}/uploads`,
			qs: { file_name: file.fileName, file_length: bytes.length, file_type: file.mimeType },
		}),
		itemIndex,
	);
	const uploaded = await sendFile<{ h: string }>(ctx, file, bytes, {
		path: `/${session.id}`,
		headers: { file_offset: '0', 'Content-Type': 'application/octet-stream' },
	});
	return uploaded.h;
}

const EXTENSIONS: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'video/mp4': 'mp4',
	'video/3gpp': '3gp',
	'audio/aac': 'aac',
	'audio/amr': 'amr',
	'audio/mpeg': 'mp3',
	'audio/mp4': 'm4a',
	'audio/ogg': 'ogg',
	'application/pdf': 'pdf',
	'text/plain': 'txt',
	'application/msword': 'doc',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
	'application/vnd.ms-excel': 'xls',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
	'application/vnd.ms-powerpoint': 'ppt',
	'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
};

/** The media's own file name, or `whatsapp-<id>.<extension of its type>`. */
export function fileNameFor(media: { id?: unknown; filename?: unknown }, mimeType: string): string {
	if (typeof media.filename === 'string' && media.filename) return media.filename;
	return `whatsapp-${String(media.id)}.${EXTENSIONS[baseMime(mimeType)] ?? 'bin'}`;
}

/** Meta gives a file's SHA-256 as hex (media API) or base64 (webhooks); undefined when it gives none. */
export function sha256Matches(expected: string | undefined, bytes: Buffer): boolean | undefined {
	if (!expected) return undefined;
	const digest = createHash('sha256').update(bytes).digest();
	if (/^[0-9a-f]{64}$/i.test(expected)) return digest.toString('hex') === expected.toLowerCase();
	if (/^[A-Za-z0-9+/]{43}=$/.test(expected)) return digest.toString('base64') === expected;
	return undefined;
}

export type MediaInfo = {
	id?: string;
	url?: string;
	mime_type?: string;
	sha256?: string;
	file_size?: string | number;
};

export type FetchedMedia = {
	info: MediaInfo;
	bytes: Buffer;
	mimeType: string;
	sha256Verified: boolean | undefined;
};

/**
 * Downloads media by ID: `GET /{media-id}` for a URL valid 5 minutes, then the bytes from it with
 * the same token, checked against Meta's SHA-256. `request` is the caller's Graph call (the action
 * node's retries, or the trigger's plain call).
 */
export async function fetchMedia(
	request: <T>(req: GraphRequest) => Promise<T>,
	id: string,
	qs?: IDataObject,
): Promise<FetchedMedia> {
	const info = await request<MediaInfo>({ method: 'GET', path: `/${id}`, qs });
	if (!info.url) throw new Error(`Meta gave no download URL for media ${id}`);
	// Meta's media host refuses some default client user agents
	const bytes = await request<Buffer>({
		method: 'GET',
		path: info.url,
		binary: true,
		headers: { 'User-Agent': 'n8n-nodes-whatsapp-cloud' },
		timeoutMs: 600_000,
	});
	return {
		info,
		bytes,
		mimeType: baseMime(info.mime_type) || 'application/octet-stream',
		sha256Verified: sha256Matches(info.sha256, bytes),
	};
}
