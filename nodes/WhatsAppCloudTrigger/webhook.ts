import { createHmac, timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import {
	digest,
	EVENTS_BY_FIELD,
	idOf,
	obj,
	simplifyUnknown,
	str,
	type ChangeContext,
	type PerItem,
} from './events';

/**
 * Webhook core of the trigger: signature check over the raw bytes, body parsing, and
 * normalisation of every entry, change and item into one event each, as the events table
 * (events.ts) says. Pure functions, no I/O.
 */

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks `X-Hub-Signature-256` against HMAC-SHA256(appSecret, rawBody), in constant time. The raw
 * bytes must be the ones received: Meta signs its escaped-unicode JSON, and a re-serialised body
 * would not match.
 */
export function verifySignature(
	rawBody: Buffer,
	header: string | string[] | undefined,
	appSecret: string,
): SignatureCheck {
	if (!appSecret)
		return { ok: false, reason: 'no App Secret in the credential to check the signature with' };
	const value = Array.isArray(header) ? header[0] : header;
	if (!value) return { ok: false, reason: 'the X-Hub-Signature-256 header is missing' };
	const match = SIGNATURE.exec(value.trim());
	if (!match)
		return {
			ok: false,
			reason: 'the X-Hub-Signature-256 header is malformed (expected sha256=<64 hex digits>)',
		};
	const expected = createHmac('sha256', appSecret).update(rawBody).digest();
	const received = Buffer.from(match[1].toLowerCase(), 'hex');
	if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
		return {
			ok: false,
			reason:
				'the X-Hub-Signature-256 signature does not match (wrong App Secret, or the body was changed)',
		};
	}
	return { ok: true };
}

export type WebhookBody = {
	object: string;
	entry: Array<{
		id?: string;
		time?: number;
		changes?: Array<{ field?: string; value?: IDataObject }>;
	}>;
};

/** `tooDeep`: a WhatsApp webhook body that is nested too deeply to be passed on as parsed JSON. */
export type ParseResult =
	| { ok: true; body: WebhookBody }
	| { ok: false; reason: string; tooDeep?: true };

/**
 * How deeply a body may nest objects and arrays. Meta's payloads stay near 12 levels (body,
 * entry, change, value, message, interactive reply...). Far deeper JSON still parses (JSON.parse
 * does not recurse), but everything after it does: JSON.stringify (our duplicate keys), n8n's
 * deepCopy of items and the JSON that stores executions all overflow the stack a few thousand
 * levels down, in our webhook() or later in the workflow run, after Meta already had its 200.
 */
export const MAX_BODY_DEPTH = 64;

/**
 * Whether `value` nests objects and arrays more than `limit` levels deep. It recurses, but never
 * more than `limit` + 1 calls deep, whatever the input: a million levels cost 65 frames. No
 * arrays of children or work list are built, as this runs over every node of every body.
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
	return value !== null && typeof value === 'object' && deeper(value as object, 1, limit);
}

function deeper(node: object, level: number, limit: number): boolean {
	if (level > limit) return true;
	if (Array.isArray(node)) {
		for (let i = 0; i < node.length; i++) {
			const child: unknown = node[i];
			if (child !== null && typeof child === 'object' && deeper(child, level + 1, limit))
				return true;
		}
		return false;
	}
	for (const key in node) {
		const child: unknown = (node as Record<string, unknown>)[key];
		if (child !== null && typeof child === 'object' && deeper(child, level + 1, limit)) return true;
	}
	return false;
}

/**
 * Reads a WhatsApp webhook body. `parsed` is the body n8n already parsed from the same raw
 * bytes (JSON bodies only), used when it is a WhatsApp webhook body: parsing the bytes again would
 * give the same tree. Anything else (no parsed body, another content type, n8n's empty default)
 * falls back to parsing the raw bytes, whose result then decides. Either way the depth check
 * runs on the tree that is passed on.
 */
export function parseWebhookBody(rawBody: Buffer, parsed?: unknown): ParseResult {
	let body: unknown = parsed;
	if (!isWebhookBody(body)) {
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			return { ok: false, reason: 'the body is not valid JSON' };
		}
	}
	const b = body as Partial<WebhookBody> | null;
	if (!b || typeof b !== 'object' || Array.isArray(b))
		return { ok: false, reason: 'the body is not a JSON object' };
	if (b.object !== 'whatsapp_business_account') {
		return {
			ok: false,
			reason: `the body is not a WhatsApp webhook (object is ${JSON.stringify(b.object ?? null)})`,
		};
	}
	if (!Array.isArray(b.entry)) return { ok: false, reason: 'the body has no entry array' };
	if (nestedDeeperThan(b, MAX_BODY_DEPTH)) {
		return {
			ok: false,
			tooDeep: true,
			reason: `the body nests objects or arrays more than ${MAX_BODY_DEPTH} levels deep`,
		};
	}
	return { ok: true, body: b as WebhookBody };
}

function isWebhookBody(body: unknown): boolean {
	return (
		body !== null &&
		typeof body === 'object' &&
		(body as Partial<WebhookBody>).object === 'whatsapp_business_account' &&
		Array.isArray((body as Partial<WebhookBody>).entry)
	);
}

/**
 * The item for a signed call the trigger could not turn into events: the reason and the body as
 * received, as text (text, unlike the parsed tree, n8n can always copy and store). Meta had its
 * 200 and will not send it again, so the workflow gets it rather than nobody.
 */
export function unprocessedEvent(rawBody: Buffer, reason: string): IDataObject {
	return {
		event: 'unprocessed',
		reason,
		receivedAt: new Date().toISOString(),
		rawBody: rawBody.toString('utf8'),
	};
}

/** The event kinds the trigger emits: message, status, error, or a management field's name. */
export type WhatsAppEvent = IDataObject & {
	event: string;
	field: string;
	businessAccountId: string;
	phoneNumberId: string | null;
	displayPhoneNumber: string | null;
	timestamp: string;
};

/**
 * One event: its kind, its duplicate key, its simplified item, and (`raw`) Meta's change value
 * narrowed to it, for the Raw output. `raw` is built when first read: the simplified output,
 * the default, never needs the per-event copy of the change value.
 */
export class RawEvent {
	constructor(
		readonly event: string,
		readonly field: string,
		readonly key: string,
		readonly simplified: WhatsAppEvent,
		private readonly value: IDataObject,
		private readonly item?: { element: IDataObject; narrow: PerItem['raw'] },
	) {}

	get raw(): IDataObject {
		return this.item ? this.item.narrow(this.item.element, this.value) : this.value;
	}
}

/**
 * Every entry, every change, every item of messages, statuses and errors, as one event each,
 * dispatched by the events table (events.ts). Never throws: a change we do not know, or one whose
 * lists are empty, is passed through with its raw value.
 */
export function normalize(webhook: WebhookBody): RawEvent[] {
	const events: RawEvent[] = [];
	for (const entry of webhook.entry) {
		if (!entry || typeof entry !== 'object') continue;
		const businessAccountId = idOf(entry.id) ?? '';
		for (const change of Array.isArray(entry.changes) ? entry.changes : []) {
			if (!change || typeof change !== 'object') continue;
			const field = String(change.field ?? 'unknown');
			const value = obj(change.value);
			const metadata = obj(value.metadata);
			const phoneNumberId = idOf(metadata.phone_number_id) ?? null;
			const displayPhoneNumber = str(metadata.display_phone_number) ?? null;
			const context: ChangeContext = {
				businessAccountId,
				time: entry.time,
				value,
				contacts: Array.isArray(value.contacts) ? value.contacts : [],
			};
			const rows = EVENTS_BY_FIELD.get(field);
			let emitted = 0;
			for (const spec of rows?.perItem ?? []) {
				const { list, key, raw } = spec.perItem!;
				const elements = value[list];
				if (!Array.isArray(elements)) continue;
				for (const element of elements) {
					const item = obj(element);
					const simplified = {
						event: spec.event,
						field,
						businessAccountId,
						phoneNumberId,
						displayPhoneNumber,
						...spec.simplify(item, context),
					} as WhatsAppEvent;
					events.push(
						new RawEvent(spec.event, field, key(item, context), simplified, value, {
							element: item,
							narrow: raw,
						}),
					);
					emitted++;
				}
			}
			if (emitted) continue;
			const simplify = rows?.whole?.simplify ?? simplifyUnknown;
			const simplified = {
				event: field,
				field,
				businessAccountId,
				phoneNumberId,
				displayPhoneNumber,
				...simplify(value, context),
			} as WhatsAppEvent;
			const key = `f:${field}:${businessAccountId}:${entry.time ?? ''}:${digest(value)}`;
			events.push(new RawEvent(field, field, key, simplified, value));
		}
	}
	return events;
}

/**
 * Remembers event keys for a bounded time and count, to drop Meta's redeliveries (up to 7 days)
 * and duplicate sends to several apps. Lives in this process's memory.
 */
export class SeenEvents {
	private readonly seen = new Map<string, number>();

	/**
	 * Walks the keys from the oldest, across calls. A Map leaves a hole for each deleted key until
	 * it compacts, and a fresh `keys()` starts at the first slot: taking the oldest key with a new
	 * iterator each time scanned every earlier hole, tens of thousands per event once the memory
	 * was full. A live Map iterator moves past each hole once and follows compaction and keys
	 * added later. Every key before its position has been deleted (by this eviction; a key that
	 * expires and comes back is added again at the end), so it always points at the oldest key.
	 */
	private oldest: Iterator<string> = this.seen.keys();

	constructor(
		private readonly maxEntries = 50_000,
		private readonly maxAgeMs = 7 * 24 * 3600 * 1000,
	) {}

	/** True the first time a key is offered within the window; false for a repeat. */
	firstTime(key: string, now = Date.now()): boolean {
		const at = this.seen.get(key);
		if (at !== undefined && now - at < this.maxAgeMs) return false;
		if (at !== undefined) this.seen.delete(key);
		this.seen.set(key, now);
		// Map keeps insertion order: the first keys are the oldest
		while (this.seen.size > this.maxEntries) {
			const next = this.oldest.next();
			if (next.done) {
				// not reached while the invariant holds; a fresh walk is still correct, only slower
				this.oldest = this.seen.keys();
				continue;
			}
			this.seen.delete(next.value);
		}
		return true;
	}

	get size(): number {
		return this.seen.size;
	}
}
