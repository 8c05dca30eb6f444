import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * The trigger's one table of webhook events. Everything that depends on the kind of an event is
 * derived from it: the Events options of the node, the fields an app-wide registration subscribes
 * to, the notice and activation warning about events an override never receives, the normaliser's
 * dispatch (webhook.ts) and the sandbox's routing in the tests.
 */

/**
 * Where Meta delivers a webhook field.
 * - `override`: to the phone number's callback override if it has one, else to the WhatsApp
 *   Business Account's override, else to the app-wide callback.
 * - `app`: always to the app-wide callback; an account or phone number override never sees it.
 *   Meta lets an override redirect only a short list of fields (messages, echoes, calls, groups,
 *   history and a few more); every other field, including the template, account, phone number
 *   quality and name, business capability and user preference updates, stays with the app.
 */
export type Callback = 'override' | 'app';

/** What a simplifier knows about the change an event came in. */
export type ChangeContext = {
	businessAccountId: string;
	/** `entry.time`: present on management events, absent on messages. */
	time: unknown;
	/** The change's value, as received. */
	value: IDataObject;
	/** `value.contacts`, or empty. */
	contacts: unknown[];
};

/** One event per element of a list in the change value (messages, statuses, errors). */
export type PerItem = {
	list: 'messages' | 'statuses' | 'errors';
	/** The duplicate key: what makes two deliveries the same event. */
	key: (item: IDataObject, change: ChangeContext) => string;
	/** The Raw output: the change value narrowed to this one element. */
	raw: (item: IDataObject, value: IDataObject) => IDataObject;
};

export type EventSpec = {
	/** The item's `event`, and the value of its Events option. */
	event: string;
	/** The `field` of Meta's change that carries it. */
	field: string;
	callback: Callback;
	/**
	 * Its Events option. Without one, the field is known for its routing only and comes through
	 * raw, under All Events, like a field the trigger does not know.
	 */
	option?: { name: string; description: string };
	/** Set when a change carries a list of these events rather than being one event itself. */
	perItem?: PerItem;
	/**
	 * The simplified item's own fields, after event, field, businessAccountId, phoneNumberId and
	 * displayPhoneNumber: `timestamp` first. For a per-item event, `source` is the element; for
	 * the others, the change value.
	 */
	simplify: (source: IDataObject, change: ChangeContext) => IDataObject;
};

export const obj = (v: unknown): IDataObject =>
	v && typeof v === 'object' && !Array.isArray(v) ? (v as IDataObject) : {};
export const str = (v: unknown): string | undefined =>
	typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/**
 * The last timestamp turned into ISO text. Formatting a Date is the costliest step of simplifying
 * a message or status, and the events of one batch often share their second (a burst of statuses,
 * a busy number): a run of those is formatted once. It starts as NaN, which equals nothing, not
 * even itself, so no input matches before the first one is stored.
 */
let lastSeconds: unknown = NaN;
let lastIso = '';

export function isoFromUnix(seconds: unknown): string {
	if (seconds === lastSeconds) return lastIso;
	const date = new Date(Number(seconds) * 1000);
	// beyond the year 275760 (e.g. microseconds sent as seconds) a Date is invalid and toISOString throws
	if (!(Number(seconds) > 0 && Number.isFinite(date.getTime()))) return new Date().toISOString();
	const iso = date.toISOString();
	if (typeof seconds === 'string' || typeof seconds === 'number') {
		lastSeconds = seconds;
		lastIso = iso;
	}
	return iso;
}

export function digest(value: unknown): string {
	return createHash('sha1')
		.update(JSON.stringify(value ?? null))
		.digest('base64');
}

const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'];

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
	const out: IDataObject = {
		id: str(m.id),
		mimeType: str(m.mime_type) ?? null,
		sha256: str(m.sha256) ?? null,
		filename: str(m.filename) ?? null,
		caption: str(m.caption) ?? null,
	};
	if (m.voice !== undefined) out.voice = m.voice;
	if (m.animated !== undefined) out.animated = m.animated;
	if (m.url !== undefined) out.url = m.url;
	return out;
}

function simplifyMessage(m: IDataObject, change: ChangeContext): IDataObject {
	const from = str(m.from) ?? null;
	const contacts = change.contacts;
	const contact = obj(contacts.find((c) => str(obj(c).wa_id) === from) ?? contacts[0]);
	// assigned in order rather than spread: the keys keep the order users see, without the
	// throw-away objects a conditional spread makes for every message of a batch
	const out: IDataObject = {
		timestamp: isoFromUnix(m.timestamp),
		messageId: str(m.id) ?? null,
		from,
		fromUserId: str(m.from_user_id) ?? str(contact.user_id) ?? null,
		contactName: str(obj(contact.profile).name) ?? null,
		type: str(m.type) ?? null,
		text: messageText(m),
		replyId: replyId(m),
		context: m.context ? obj(m.context) : null,
	};
	if (m.type === 'edit' || m.type === 'revoke')
		out.originalMessageId = str(obj(m[String(m.type)]).original_message_id) ?? null;
	out.media = media(m);
	if (m.errors) out.errors = m.errors;
	if (m.referral) out.referral = m.referral;
	out.message = m;
	return out;
}

function simplifyStatus(s: IDataObject): IDataObject {
	return {
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
}

function simplifyError(e: IDataObject, change: ChangeContext): IDataObject {
	return {
		timestamp: isoFromUnix(change.time),
		code: typeof e.code === 'number' ? e.code : null,
		title: str(e.title) ?? null,
		message: str(e.message) ?? null,
		details: str(obj(e.error_data).details) ?? null,
		error: e,
	};
}

/** A whole-change event: its time, the fields a user reaches for, and the raw value. */
const whole =
	(fields?: (value: IDataObject) => IDataObject) =>
	(value: IDataObject, change: ChangeContext): IDataObject => ({
		timestamp: isoFromUnix(change.time),
		...(fields ? fields(value) : {}),
		value,
	});

const template = (value: IDataObject) => ({
	templateId: str(value.message_template_id) ?? null,
	templateName: str(value.message_template_name) ?? null,
	templateLanguage: str(value.message_template_language) ?? null,
});

/** What a change of a field the table does not know (or knows for routing only) becomes. */
export const simplifyUnknown = whole();

/**
 * One row per event. Order matters: it is the order of the Events options, of the fields an
 * app-wide registration subscribes to, and of the events of one `messages` change (messages,
 * then statuses, then errors).
 */
export const EVENTS: readonly EventSpec[] = [
	{
		event: 'message',
		field: 'messages',
		callback: 'override',
		option: {
			name: 'Message',
			description: 'A customer sent a message, a reply, a reaction or media',
		},
		perItem: {
			list: 'messages',
			key: (m) => `m:${m.id}`,
			raw: (m, value) => ({ ...value, messages: [m], statuses: undefined }),
		},
		simplify: simplifyMessage,
	},
	{
		event: 'status',
		field: 'messages',
		callback: 'override',
		option: {
			name: 'Status',
			description: 'A sent message was sent, delivered, read, played or failed',
		},
		perItem: {
			list: 'statuses',
			key: (s) => `s:${s.id}:${s.status}`,
			raw: (s, value) => ({ ...value, statuses: [s], messages: undefined }),
		},
		simplify: simplifyStatus,
	},
	{
		event: 'error',
		field: 'messages',
		callback: 'override',
		option: {
			name: 'Error',
			description: 'An error about the account or app, not tied to one message (e.g. 130429)',
		},
		perItem: {
			list: 'errors',
			key: (e, change) => `e:${change.businessAccountId}:${digest(e)}:${change.time ?? ''}`,
			raw: (e, value) => ({ ...value, errors: [e] }),
		},
		simplify: simplifyError,
	},
	{
		event: 'message_template_status_update',
		field: 'message_template_status_update',
		callback: 'app',
		option: {
			name: 'Template Status Update',
			description: 'A template was approved, rejected, paused or disabled',
		},
		simplify: whole((value) => ({
			...template(value),
			newStatus: str(value.event) ?? null,
			reason: str(value.reason) ?? null,
			category: str(value.message_template_category) ?? null,
		})),
	},
	{
		event: 'message_template_quality_update',
		field: 'message_template_quality_update',
		callback: 'app',
		option: {
			name: 'Template Quality Update',
			description: "A template's quality rating changed",
		},
		simplify: whole((value) => ({
			...template(value),
			previousQuality: str(value.previous_quality_score) ?? null,
			newQuality: str(value.new_quality_score) ?? null,
		})),
	},
	{
		event: 'template_category_update',
		field: 'template_category_update',
		callback: 'app',
		option: {
			name: 'Template Category Update',
			description: "Meta changed or will change a template's category",
		},
		simplify: whole((value) => ({
			...template(value),
			previousCategory: str(value.previous_category) ?? null,
			newCategory: str(value.new_category) ?? null,
			correctCategory: str(value.correct_category) ?? null,
		})),
	},
	{
		event: 'message_template_components_update',
		field: 'message_template_components_update',
		callback: 'app',
		option: {
			name: 'Template Components Update',
			description: "A template's components changed",
		},
		simplify: whole(template),
	},
	{
		event: 'phone_number_quality_update',
		field: 'phone_number_quality_update',
		callback: 'app',
		option: {
			name: 'Phone Number Quality Update',
			description: 'Quality rating, messaging limit or throughput of a number changed',
		},
		simplify: whole((value) => ({
			displayPhoneNumber: str(value.display_phone_number) ?? null,
			qualityEvent: str(value.event) ?? null,
			currentLimit:
				str(value.current_limit) ?? str(value.max_daily_conversations_per_business) ?? null,
		})),
	},
	{
		event: 'phone_number_name_update',
		field: 'phone_number_name_update',
		callback: 'app',
		option: {
			name: 'Phone Number Name Update',
			description: 'A display name was approved or rejected',
		},
		simplify: whole((value) => ({
			displayPhoneNumber: str(value.display_phone_number) ?? null,
			decision: str(value.decision) ?? null,
			requestedVerifiedName: str(value.requested_verified_name) ?? null,
			rejectionReason: str(value.rejection_reason) ?? null,
		})),
	},
	{
		event: 'account_update',
		field: 'account_update',
		callback: 'app',
		option: {
			name: 'Account Update',
			description: 'The WhatsApp Business Account changed: restrictions, violations, partners',
		},
		simplify: whole((value) => ({ accountEvent: str(value.event) ?? null })),
	},
	{
		event: 'account_review_update',
		field: 'account_review_update',
		callback: 'app',
		option: {
			name: 'Account Review Update',
			description: 'The account review was decided',
		},
		simplify: whole((value) => ({ decision: str(value.decision) ?? null })),
	},
	{
		event: 'account_alerts',
		field: 'account_alerts',
		callback: 'app',
		option: { name: 'Account Alerts', description: 'Alerts about the account' },
		simplify: whole(),
	},
	{
		event: 'business_capability_update',
		field: 'business_capability_update',
		callback: 'app',
		option: {
			name: 'Business Capability Update',
			description: 'Messaging limits or other capabilities changed',
		},
		simplify: whole(),
	},
	{
		event: 'user_preferences',
		field: 'user_preferences',
		// it names the phone number in its metadata, yet Meta sends it to the app, not the number
		callback: 'app',
		option: {
			name: 'User Preferences',
			description: 'A customer stopped or resumed marketing messages',
		},
		simplify: whole(),
	},
	// Fields an override does redirect but the trigger has no option for: they reach an
	// override's trigger, which passes them through raw under All Events.
	...[
		'message_echoes',
		'calls',
		'consumer_profile',
		'messaging_handovers',
		'group_lifecycle_update',
		'group_participants_update',
		'group_settings_update',
		'group_status_update',
		'smb_message_echoes',
		'smb_app_state_sync',
		'history',
		'account_settings_update',
	].map(
		(field): EventSpec => ({
			event: field,
			field,
			callback: 'override',
			simplify: simplifyUnknown,
		}),
	),
];

/** The rows of one field: its per-item events in order, or its whole-change event. */
export type FieldEvents = { perItem: EventSpec[]; whole?: EventSpec };

export const EVENTS_BY_FIELD: ReadonlyMap<string, FieldEvents> = (() => {
	const byField = new Map<string, FieldEvents>();
	for (const spec of EVENTS) {
		const rows = byField.get(spec.field) ?? { perItem: [] };
		if (spec.perItem) rows.perItem.push(spec);
		else rows.whole = spec;
		byField.set(spec.field, rows);
	}
	return byField;
})();

const CALLBACK_BY_FIELD = new Map(EVENTS.map((e) => [e.field, e.callback]));

/** Where Meta sends a field: as the table says; a field it does not list stays with the app. */
export function callbackOf(field: string): Callback {
	return CALLBACK_BY_FIELD.get(field) ?? 'app';
}

/** The events a user can choose, in the table's order. */
export const OPTION_EVENTS = EVENTS.filter(
	(e): e is EventSpec & { option: NonNullable<EventSpec['option']> } => e.option !== undefined,
);

/** The fields an app-wide registration subscribes to: every field of an Events option. */
export const SUBSCRIBED_FIELDS = [...new Set(OPTION_EVENTS.map((e) => e.field))];

/** The Events options that only the app-wide callback receives. */
export const APP_ONLY_EVENTS = OPTION_EVENTS.filter((e) => e.callback === 'app');

/**
 * Of the selected Events (`*`: all), those a trigger registered as an account or phone number
 * override will never receive, by their option name. Empty for the other registrations.
 */
export function missedByOverride(registration: string, updates: string[]): string[] {
	if (registration !== 'businessAccount' && registration !== 'phoneNumber') return [];
	const all = updates.includes('*');
	return APP_ONLY_EVENTS.filter((e) => all || updates.includes(e.event)).map((e) => e.option.name);
}
