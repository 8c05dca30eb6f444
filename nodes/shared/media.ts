import { createHash, randomBytes } from 'crypto';
import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { GraphRequest } from './transport';
import { NodeOperationError } from 'n8n-workflow';

/** Kinds of media a message can carry, and what Meta accepts for each (cloud-api.md 4.2). */
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

/**
 * The multipart body of `POST /{phone-number-id}/media` for a file held in memory: one Buffer,
 * which the HTTP client sends as it is. (A FormData with a Blob costs two more copies: the Blob,
 * and reading it back.)
 */
export function mediaForm(
	file: Buffer,
	mimeType: string,
	fileName: string,
): { body: Buffer; headers: Record<string, string> } {
	const { head, tail, contentType } = multipartParts(mimeType, fileName);
	return { body: Buffer.concat([head, file, tail]), headers: { 'Content-Type': contentType } };
}

/** The media kind a MIME type belongs to, or undefined when WhatsApp takes it as none. */
export function kindOfMime(mime: string | undefined): MediaKind | undefined {
	const m = baseMime(mime);
	return (Object.keys(MEDIA_RULES) as MediaKind[]).find((k) => MEDIA_RULES[k].types.includes(m));
}

/**
 * The multipart body of `POST /{phone-number-id}/media` as a stream: the form fields, then the
 * file's bytes as they come from disk (n8n's filesystem binary mode), so the upload holds no copy
 * of the file in memory. Returns the headers with the exact Content-Length.
 * n8n Cloud's rules forbid importing 'stream', so the body is made with the static `from` that the
 * file stream's own class inherits from Readable.
 */
export function mediaMultipartStream(
	file: NodeJS.ReadableStream,
	size: number,
	mimeType: string,
	fileName: string,
): { body: NodeJS.ReadableStream; headers: Record<string, string> } {
	const { head, tail, contentType } = multipartParts(mimeType, fileName);
	async function* parts() {
		yield head;
		for await (const chunk of file) yield chunk as Buffer;
		yield tail;
	}
	const from = (
		file.constructor as unknown as {
			from: (
				source: AsyncIterable<Buffer>,
				options: { objectMode: boolean },
			) => NodeJS.ReadableStream;
		}
	).from;
	return {
		body: from(parts(), { objectMode: false }),
		headers: {
			'Content-Type': contentType,
			'Content-Length': String(head.length + size + tail.length),
		},
	};
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
