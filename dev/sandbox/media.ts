/**
 * Media: the multipart upload `POST /{phone-number-id}/media`, a media ID's info, its download URL
 * (`/media-files/{id}`, outside the versioned Graph path, like Meta's download URLs), delete, and
 * the Resumable Upload API (`POST /{app-id}/uploads` opens a session, `/upload:<id>` takes the bytes
 * and answers the handle a template header sample or a profile picture is given by). Scripted
 * upload answers play once the whole body has arrived.
 */
import { createHash } from 'crypto';

import { graphError, type Req, type Res } from './graph';
import type { GraphSandbox } from './server';

export class Media {
	private counter = 0;

	constructor(private readonly sandbox: GraphSandbox) {}

	/** Stores a file as an incoming customer media; returns its media ID. */
	add(bytes: Buffer, mimeType: string, filename?: string): string {
		const id = String(900000000000000 + ++this.counter);
		this.sandbox.media.set(id, { bytes, mimeType, filename });
		return id;
	}

	/** `POST /{phone-number-id}/media`, multipart: stores the file part, answers its media ID. */
	upload(req: Req): Res {
		const scripted = this.scriptedUpload(req);
		if (scripted) return scripted;
		const type = String(req.headers['content-type'] ?? '');
		const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
		if (!type.startsWith('multipart/form-data') || !boundary)
			return graphError(400, 100, 'The upload must be multipart/form-data');
		const parts = parseMultipart(req.raw, boundary[1] ?? boundary[2]);
		const file = parts.find((p) => p.name === 'file');
		const product = parts.find((p) => p.name === 'messaging_product')?.data.toString();
		if (product !== 'whatsapp')
			return graphError(400, 100, 'The parameter messaging_product is required.');
		if (!file) return graphError(400, 100, 'The parameter file is required.');
		const mimeType =
			parts.find((p) => p.name === 'type')?.data.toString() ??
			file.contentType ??
			'application/octet-stream';
		const id = this.add(file.data, mimeType, file.filename);
		this.sandbox.uploads.push({ id, mimeType, filename: file.filename, size: file.data.length });
		return { status: 200, body: { id } };
	}

	/** `GET /{media-id}`: where to download the file, its type, SHA-256 and size. */
	info(id: string): Res {
		const media = this.sandbox.media.get(id)!;
		return {
			status: 200,
			body: {
				messaging_product: 'whatsapp',
				url: `${this.sandbox.url}/media-files/${id}?ext=1`,
				mime_type: media.mimeType,
				sha256: createHash('sha256').update(media.bytes).digest('hex'),
				file_size: String(media.bytes.length),
				id,
			},
		};
	}

	/** `DELETE /{media-id}`. */
	delete(id: string): Res {
		this.sandbox.media.delete(id);
		return { status: 200, body: { success: true } };
	}

	/** `GET /media-files/{media-id}`: the bytes, for a valid access token. */
	file(req: Req): Res {
		if (!this.sandbox.options.tokens.includes(req.token))
			return { status: 401, body: { error: 'unauthorized' } };
		const media = this.sandbox.media.get(req.path[1] ?? '');
		if (!media) return { status: 404, body: { error: 'not found' } };
		return { status: 200, body: media.bytes, headers: { 'content-type': media.mimeType } };
	}

	/** `POST /{app-id}/uploads`: opens a resumable upload session for a file of a type Meta takes. */
	createUploadSession(req: Req): Res {
		const fileName = req.query.get('file_name') ?? '';
		const length = Number(req.query.get('file_length'));
		const type = req.query.get('file_type') ?? '';
		if (!['application/pdf', 'image/jpeg', 'image/jpg', 'image/png', 'video/mp4'].includes(type))
			return graphError(400, 100, 'Invalid parameter', {
				error_user_msg: `file_type ${type} is not supported`,
			});
		if (!fileName || !(length > 0))
			return graphError(400, 100, 'file_name and file_length are required');
		const sessions = this.sandbox.uploadSessions;
		const id = `upload:${Buffer.from(`session-${sessions.size + 1}`).toString('base64')}`;
		sessions.set(id, { fileName, length, type, bytes: Buffer.alloc(0) });
		return { status: 200, body: { id } };
	}

	/** `/upload:<id>`: GET says how far the upload got; POST takes the bytes from `file_offset`. */
	resumableUpload(id: string, req: Req): Res {
		const session = this.sandbox.uploadSessions.get(id);
		if (!session) return graphError(400, 100, 'Unknown upload session');
		if (req.method === 'GET')
			return { status: 200, body: { id, file_offset: session.bytes.length } };
		const scripted = this.scriptedUpload(req);
		if (scripted) return scripted;
		const offset = Number(req.headers['file_offset'] ?? req.headers['file-offset'] ?? 0);
		if (offset !== session.bytes.length)
			return graphError(400, 100, `file_offset must be ${session.bytes.length}`);
		session.scheme = String(req.headers.authorization ?? '').split(' ')[0];
		session.bytes = Buffer.concat([session.bytes, req.raw]);
		if (session.bytes.length !== session.length)
			return graphError(400, 100, `Received ${session.bytes.length} of ${session.length} bytes`);
		session.handle = `4::${Buffer.from(`${id}:${session.fileName}`).toString('base64')}`;
		return { status: 200, body: { h: session.handle } };
	}

	/** Records an upload request and plays the next scripted upload answer, if there is one. */
	private scriptedUpload(req: Req): Res | undefined {
		this.sandbox.uploadAttempts.push({ path: `/${req.path.join('/')}`, bytes: req.raw.length });
		const script = this.sandbox.scriptedUploads.shift();
		if (script === 'reset-before') return { status: 0, body: null, reset: true };
		return script;
	}
}

/** A small multipart/form-data reader for the sandbox's upload endpoint. */
export function parseMultipart(
	body: Buffer,
	boundary: string,
): Array<{ name?: string; filename?: string; contentType?: string; data: Buffer }> {
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: Array<{ name?: string; filename?: string; contentType?: string; data: Buffer }> = [];
	let start = body.indexOf(delimiter);
	while (start >= 0) {
		const next = body.indexOf(delimiter, start + delimiter.length);
		if (next < 0) break;
		const part = body.subarray(start + delimiter.length + 2, next - 2); // skip CRLF after delimiter and before the next
		const split = part.indexOf('\r\n\r\n');
		if (split >= 0) {
			const head = part.subarray(0, split).toString();
			parts.push({
				name: /name="([^"]*)"/.exec(head)?.[1],
				filename: /filename="([^"]*)"/.exec(head)?.[1],
				contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1],
				data: part.subarray(split + 4),
			});
		}
		start = next;
	}
	return parts;
}
