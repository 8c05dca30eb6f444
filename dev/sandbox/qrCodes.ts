/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * QR codes ("message QR links") of a phone number: create, list with cursors, get (a list of one),
 * update by posting the code again, delete, and the image at an absolute URL outside the versioned
 * Graph path, as Meta's signed CDN links are. The prefilled message's 140 characters, the page size
 * of 1 to 25 and an unknown code are refused with Meta's errors.
 */
import { deflateSync } from 'zlib';

import { graphError, refusedBySchema, type Req, type Res, type SandboxPhoneNumber } from './graph';
import type { GraphSandbox } from './server';

export type SandboxQrCode = { code: string; prefilled_message: string; deep_link_url: string };

const MAX_MESSAGE = 140;
const CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export class QrCodes {
	/** By phone number ID, newest first, as Meta lists them. */
	readonly byNumber = new Map<string, SandboxQrCode[]>();

	private counter = 0;

	constructor(private readonly sandbox: GraphSandbox) {}

	reset(): void {
		this.byNumber.clear();
		this.counter = 0;
	}

	/** Stores a code for a number without a request, for tests that list or read. */
	add(phoneNumberId: string, message: string): SandboxQrCode {
		const code = this.newCode();
		const record = {
			code,
			prefilled_message: message,
			deep_link_url: `https://wa.me/message/${code}`,
		};
		this.codes(phoneNumberId).unshift(record);
		return record;
	}

	/** `/{phone-number-id}/message_qrdls[/{code}]`. */
	route(phone: SandboxPhoneNumber, code: string | undefined, req: Req): Res {
		if (code === undefined) {
			if (req.method === 'GET') return this.list(phone.id, req);
			if (req.method === 'POST') return this.save(phone.id, req);
		} else {
			const found = this.codes(phone.id).find((q) => q.code === code);
			if (!found) return notFound(code);
			if (req.method === 'GET') return { status: 200, body: { data: [this.fields(found, req)] } };
			if (req.method === 'DELETE') {
				this.byNumber.set(
					phone.id,
					this.codes(phone.id).filter((q) => q !== found),
				);
				return { status: 200, body: { success: true } };
			}
		}
		return graphError(400, 100, `Unsupported ${req.method.toLowerCase()} request.`);
	}

	/** `GET /qr-images/{code}.{png|svg}`: the image, with no token, as a signed CDN link. */
	image(req: Req): Res {
		const match = /^([A-Z0-9]{14})\.(png|svg)$/.exec(req.path[1] ?? '');
		const known = [...this.byNumber.values()].some((l) => l.some((q) => q.code === match?.[1]));
		if (!match || !known) return { status: 404, body: { error: 'not found' } };
		return match[2] === 'png'
			? { status: 200, body: qrPng(), headers: { 'content-type': 'image/png' } }
			: {
					status: 200,
					body: Buffer.from(qrSvg(match[1])),
					headers: { 'content-type': 'image/svg+xml' },
				};
	}

	/** POST without `code` creates; with `code` changes that code's message (no image then). */
	private save(phoneNumberId: string, req: Req): Res {
		const body = req.json ?? {};
		const allowed = ['code', 'prefilled_message', 'generate_qr_image'];
		const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
		if (unknown.length) return graphError(400, 100, `Param ${unknown[0]} is not a valid parameter`);
		const message = body.prefilled_message;
		if (typeof message !== 'string' || !message)
			return graphError(400, 100, 'The parameter prefilled_message is required');
		if ([...message].length > MAX_MESSAGE)
			return graphError(
				400,
				100,
				`Invalid prefilled_message length. Maximum ${MAX_MESSAGE} characters allowed`,
			);
		const format = body.generate_qr_image;
		if (format !== undefined && format !== 'PNG' && format !== 'SVG')
			return graphError(400, 100, 'Param generate_qr_image must be one of {PNG, SVG}');
		const schema = refusedBySchema('POST /{Version}/{Phone-Number-ID}/message_qrdls', body);
		if (schema) return schema;
		if (body.code !== undefined) {
			if (format !== undefined)
				return graphError(400, 100, 'Param generate_qr_image is not a valid parameter');
			const found = this.codes(phoneNumberId).find((q) => q.code === body.code);
			if (!found) return notFound(String(body.code));
			found.prefilled_message = message;
			return { status: 200, body: { ...found } };
		}
		const record = this.add(phoneNumberId, message);
		return {
			status: 200,
			body: {
				...record,
				...(format
					? {
							qr_image_url: `${this.sandbox.url}/qr-images/${record.code}.${format.toLowerCase()}?oh=sandbox&oe=${Math.floor(Date.now() / 1000) + 3600}`,
						}
					: {}),
			},
		};
	}

	/** `GET /{phone-number-id}/message_qrdls`: pages of 1 to 25 (25 by default), with cursors. */
	private list(phoneNumberId: string, req: Req): Res {
		const raw = req.query.get('limit');
		const limit = raw === null ? 25 : Number(raw);
		if (!Number.isInteger(limit) || limit < 1 || limit > 25)
			return graphError(400, 100, 'Param limit must be a number between 1 and 25');
		const all = this.codes(phoneNumberId);
		const start = req.query.get('after')
			? Number(Buffer.from(String(req.query.get('after')), 'base64').toString())
			: 0;
		const page = all.slice(start, start + limit);
		const after = Buffer.from(String(start + page.length)).toString('base64');
		const more = start + page.length < all.length;
		return {
			status: 200,
			body: {
				data: page.map((q) => this.fields(q, req)),
				...(page.length
					? {
							paging: {
								cursors: { before: Buffer.from(String(start)).toString('base64'), after },
								...(more
									? {
											next: `${this.sandbox.url}/v25.0/${phoneNumberId}/message_qrdls?after=${after}&limit=${limit}`,
										}
									: {}),
							},
						}
					: {}),
			},
		};
	}

	/** `code,prefilled_message,deep_link_url` come whatever `fields` asks. */
	private fields(q: SandboxQrCode, req: Req): Record<string, unknown> {
		void req;
		return { ...q };
	}

	private codes(phoneNumberId: string): SandboxQrCode[] {
		let list = this.byNumber.get(phoneNumberId);
		if (!list) this.byNumber.set(phoneNumberId, (list = []));
		return list;
	}

	/** `4O4YGZ` and 8 more letters and digits of Meta's alphabet, one code per count. */
	private newCode(): string {
		let n = ++this.counter;
		let tail = '';
		for (let k = 0; k < 8; k++) {
			tail = CODE_ALPHABET[n % 32] + tail;
			n = Math.floor(n / 32);
		}
		return `4O4YGZ${tail}`;
	}
}

const notFound = (code: string) =>
	graphError(400, 803, `Some of the aliases you requested do not exist: ${code}`);

/** A real PNG: 21 by 21 black and white modules, the size of a version 1 QR code. */
function qrPng(): Buffer {
	const size = 21;
	const rows: Buffer[] = [];
	for (let y = 0; y < size; y++) {
		const row = Buffer.alloc(1 + size);
		for (let x = 0; x < size; x++) row[1 + x] = (x * 7 + y * 3) % 5 < 2 ? 0 : 255;
		rows.push(row);
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(size, 0);
	header.writeUInt32BE(size, 4);
	header[8] = 8; // bit depth
	header[9] = 0; // greyscale
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(Buffer.concat(rows))),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

function chunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typed));
	return Buffer.concat([length, typed, crc]);
}

function crc32(bytes: Buffer): number {
	let crc = 0xffffffff;
	for (const byte of bytes) {
		crc ^= byte;
		for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
	}
	return (crc ^ 0xffffffff) >>> 0;
}

function qrSvg(code: string): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21" data-code="${code}"><rect width="21" height="21" fill="#fff"/><rect x="0" y="0" width="7" height="7" fill="#000"/></svg>\n`;
}
