import { createHash, createHmac, timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * Webhook core of the trigger: signature check over the raw bytes, envelope parsing, and
 * normalisation of every entry, change and item into one event each. Pure functions, no I/O.
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

export type Envelope = {
	object: string;
	entry: Array<{
		id?: string;
		time?: number;
		changes?: Array<{ field?: string; value?: IDataObject }>;
	}>;
};

/** `tooDeep`: a WhatsApp envelope that is nested too deeply to be passed on as parsed JSON. */
export type ParseResult =
	| { ok: true; envelope: Envelope }
	| { ok: false; reason: string; tooDeep?: true };

/**
 * How deeply a body may nest objects and arrays. Meta's payloads stay near 12 levels (envelope,
 * entry, change, value, message, interactive reply...). Far deeper JSON still parses (JSON.parse
 * does not recurse), but everything after it does: JSON.stringify (our duplicate keys), n8n's
 * deepCopy of items and the JSON that stores executions all overflow the stack a few thousand
 * levels down, in our webhook() or later in the workflow run, after Meta already had its 200.
 */
export const MAX_BODY_DEPTH = 64;

/** Whether `value` nests objects and arrays more than `limit` levels deep. Iterative on purpose. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
	const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
	while (pending.length) {
		const next = pending.pop()!;
		if (!next.value || typeof next.value !== 'object') continue;
		if (next.depth > limit) return true;
		for (const child of Object.values(next.value as object)) {
			if (child && typeof child === 'object') pending.push({ value: child, depth: next.depth + 1 });
		}
	}
	return false;
}

/** Parses the raw body as a WhatsApp webhook envelope. */
export function parseEnvelope(rawBody: Buffer): ParseResult {
	let body: unknown;
	try {
		body = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return { ok: false, reason: 'the body is not valid JSON' };
	}
	const b = body as Partial<Envelope> | null;
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
	return { ok: true, envelope: b as Envelope };
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

export type RawEvent = {
	event: string;
	field: string;
	key: string;
	simplified: WhatsAppEvent;
	raw: IDataObject;
};

const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'];

function isoFromUnix(seconds: unknown): string {
	const date = new Date(Number(seconds) * 1000);
	// beyond the year 275760 (e.g. microseconds sent as seconds) a Date is invalid and toISOString throws
	return Number(seconds) > 0 && Number.isFinite(date.getTime())
		? date.toISOString()
		: new Date().toISOString();
}

const obj = (v: unknown): IDataObject =>
	v && typeof v === 'object' && !Array.isArray(v) ? (v as IDataObject) : {};
const str = (v: unknown): string | undefined =>
	typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/** `depth`: an edit wraps the edited message; deeper wrapping is not Meta's and is not followed. */
function messageText(message: IDataObject, depth = 0): string | null {
	const type = String(message.type ?? '');
	const body = obj(message[type]);
	switch (type) {
		case 'text':
			return str(body.body) ?? null;
		case 'button':
			return str(body.text) ?? null;
		case 'interactive': {
			const reply = obj(body[String(body.type ?? '')]);
			return str(reply.title) ?? str(reply.body) ?? null;
		}
		case 'reaction':
			return str(body.emoji) ?? '';
		case 'location':
			return str(body.name) ?? str(body.address) ?? null;
		case 'order':
			return str(body.text) ?? null;
		case 'system':
			return str(body.body) ?? null;
		case 'edit':
			// a user edited an earlier message: the new content is a message of its own
			return depth < 3 ? messageText(obj(body.message), depth + 1) : null;
		default:
			return str(body.caption) ?? null;
	}
}

function replyId(message: IDataObject): string | null {
	const type = String(message.type ?? '');
	if (type === 'button') return str(obj(message.button).payload) ?? null;
	if (type === 'interactive') {
		const interactive = obj(message.interactive);
		return str(obj(interactive[String(interactive.type ?? '')]).id) ?? null;
	}
	return null;
}

function media(message: IDataObject): IDataObject | null {
	const type = String(message.type ?? '');
	if (!MEDIA_TYPES.includes(type)) return null;
	const m = obj(message[type]);
	if (!m.id) return null;
	return {
		id: str(m.id),
		mimeType: str(m.mime_type) ?? null,
		sha256: str(m.sha256) ?? null,
		filename: str(m.filename) ?? null,
		caption: str(m.caption) ?? null,
		...(m.voice !== undefined ? { voice: m.voice } : {}),
		...(m.animated !== undefined ? { animated: m.animated } : {}),
		...(m.url !== undefined ? { url: m.url } : {}),
	};
}

function managementFields(field: string, value: IDataObject): IDataObject {
	const templateBase = {
		templateId: str(value.message_template_id) ?? null,
		templateName: str(value.message_template_name) ?? null,
		templateLanguage: str(value.message_template_language) ?? null,
	};
	switch (field) {
		case 'message_template_status_update':
			return {
				...templateBase,
				newStatus: str(value.event) ?? null,
				reason: str(value.reason) ?? null,
				category: str(value.message_template_category) ?? null,
			};
		case 'message_template_quality_update':
			return {
				...templateBase,
				previousQuality: str(value.previous_quality_score) ?? null,
				newQuality: str(value.new_quality_score) ?? null,
			};
		case 'template_category_update':
			return {
				...templateBase,
				previousCategory: str(value.previous_category) ?? null,
				newCategory: str(value.new_category) ?? null,
				correctCategory: str(value.correct_category) ?? null,
			};
		case 'message_template_components_update':
			return templateBase;
		case 'phone_number_quality_update':
			return {
				displayPhoneNumber: str(value.display_phone_number) ?? null,
				qualityEvent: str(value.event) ?? null,
				currentLimit:
					str(value.current_limit) ?? str(value.max_daily_conversations_per_business) ?? null,
			};
		case 'phone_number_name_update':
			return {
				displayPhoneNumber: str(value.display_phone_number) ?? null,
				decision: str(value.decision) ?? null,
				requestedVerifiedName: str(value.requested_verified_name) ?? null,
				rejectionReason: str(value.rejection_reason) ?? null,
			};
		case 'account_update':
			return { accountEvent: str(value.event) ?? null };
		case 'account_review_update':
			return { decision: str(value.decision) ?? null };
		default:
			return {};
	}
}

function digest(value: unknown): string {
	return createHash('sha1')
		.update(JSON.stringify(value ?? null))
		.digest('base64');
}

/**
 * Every entry, every change, every item of messages, statuses and errors, as one event each.
 * Never throws: a change we do not know is passed through with its raw value.
 */
export function normalize(envelope: Envelope): RawEvent[] {
	const events: RawEvent[] = [];
	for (const entry of envelope.entry) {
		if (!entry || typeof entry !== 'object') continue;
		const businessAccountId = str(entry.id) ?? '';
		for (const change of Array.isArray(entry.changes) ? entry.changes : []) {
			if (!change || typeof change !== 'object') continue;
			const field = String(change.field ?? 'unknown');
			const value = obj(change.value);
			const metadata = obj(value.metadata);
			const base = {
				field,
				businessAccountId,
				phoneNumberId: str(metadata.phone_number_id) ?? null,
				displayPhoneNumber: str(metadata.display_phone_number) ?? null,
			};
			const contacts = Array.isArray(value.contacts) ? (value.contacts as IDataObject[]) : [];
			const messages = Array.isArray(value.messages) ? (value.messages as IDataObject[]) : [];
			const statuses = Array.isArray(value.statuses) ? (value.statuses as IDataObject[]) : [];
			const errors = Array.isArray(value.errors) ? (value.errors as IDataObject[]) : [];
			const known = field === 'messages' && (messages.length || statuses.length || errors.length);

			for (const message of messages) {
				const m = obj(message);
				const from = str(m.from) ?? null;
				const contact = contacts.find((c) => str(obj(c).wa_id) === from) ?? contacts[0];
				const simplified: WhatsAppEvent = {
					event: 'message',
					...base,
					timestamp: isoFromUnix(m.timestamp),
					messageId: str(m.id) ?? null,
					from,
					fromUserId: str(m.from_user_id) ?? str(obj(contact).user_id) ?? null,
					contactName: str(obj(obj(contact).profile).name) ?? null,
					type: str(m.type) ?? null,
					text: messageText(m),
					replyId: replyId(m),
					context: m.context ? obj(m.context) : null,
					...(m.type === 'edit' || m.type === 'revoke'
						? { originalMessageId: str(obj(m[String(m.type)]).original_message_id) ?? null }
						: {}),
					media: media(m),
					...(m.errors ? { errors: m.errors } : {}),
					...(m.referral ? { referral: m.referral } : {}),
					message: m,
				};
				events.push({
					event: 'message',
					field,
					key: `m:${m.id}`,
					simplified,
					raw: { ...value, messages: [m], statuses: undefined } as IDataObject,
				});
			}
			for (const status of statuses) {
				const s = obj(status);
				const simplified: WhatsAppEvent = {
					event: 'status',
					...base,
					timestamp: isoFromUnix(s.timestamp),
					messageId: str(s.id) ?? null,
					status: str(s.status) ?? null,
					recipientId: str(s.recipient_id) ?? str(s.recipient_user_id) ?? null,
					errors: Array.isArray(s.errors) ? s.errors : [],
					pricing: s.pricing ? obj(s.pricing) : null,
					conversation: s.conversation ? obj(s.conversation) : null,
					bizOpaqueCallbackData: str(s.biz_opaque_callback_data) ?? null,
					statusObject: s,
				};
				events.push({
					event: 'status',
					field,
					key: `s:${s.id}:${s.status}`,
					simplified,
					raw: { ...value, statuses: [s], messages: undefined } as IDataObject,
				});
			}
			for (const error of errors) {
				const e = obj(error);
				const simplified: WhatsAppEvent = {
					event: 'error',
					...base,
					timestamp: isoFromUnix(entry.time),
					code: typeof e.code === 'number' ? e.code : null,
					title: str(e.title) ?? null,
					message: str(e.message) ?? null,
					details: str(obj(e.error_data).details) ?? null,
					error: e,
				};
				events.push({
					event: 'error',
					field,
					key: `e:${businessAccountId}:${digest(e)}:${entry.time ?? ''}`,
					simplified,
					raw: { ...value, errors: [e] } as IDataObject,
				});
			}
			if (!known) {
				const simplified: WhatsAppEvent = {
					event: field,
					...base,
					timestamp: isoFromUnix(entry.time),
					...managementFields(field, value),
					value,
				};
				events.push({
					event: field,
					field,
					key: `f:${field}:${businessAccountId}:${entry.time ?? ''}:${digest(value)}`,
					simplified,
					raw: value,
				});
			}
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
		while (this.seen.size > this.maxEntries)
			this.seen.delete(this.seen.keys().next().value as string);
		return true;
	}

	get size(): number {
		return this.seen.size;
	}
}
