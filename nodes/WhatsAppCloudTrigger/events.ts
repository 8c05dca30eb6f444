import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * The trigger's one table of webhook events. Everything that depends on the kind of an event is
 * derived from it: the Events options of the node, the fields an app-wide registration subscribes
 * to, the notice and activation warning about events an override never receives, and the
 * normaliser's dispatch (webhook.ts). The sandbox keeps its own list of the fields Meta lets an
 * override redirect, and a test compares the two, so a wrong row here is caught, not agreed with.
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

/** One event per element of a list in the change value (messages, statuses, errors, groups). */
export type PerItem = {
	list: 'messages' | 'statuses' | 'errors' | 'groups' | 'calls';
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
 * An ID of a payload (a phone, a BSUID, a message): as `str`, but empty text is no ID. Payloads of
 * customers who share a username, not a phone, have come with `from` and `wa_id` as ""; read as an
 * ID, "" became `replyTo` in place of the BSUID, and matched any other contact without a phone.
 * An ID is kept exactly as received otherwise (a BSUID is case-sensitive).
 */
export const idOf = (v: unknown): string | undefined => {
	const s = str(v);
	return s === undefined || s.trim() === '' ? undefined : s;
};

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
		id: idOf(m.id) ?? null,
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

/**
 * The contact of `contacts[]` that is this customer: the one with their phone, else the one with
 * their business-scoped user ID (BSUID). Since BSUIDs, Meta may leave the phone out of both the
 * message and its contact, so matching on the phone alone would pair a phoneless customer with
 * whoever comes first. `fallback`: with no match, the first contact is this customer (a message's
 * change carries its sender only; a status's contacts are matched strictly).
 */
function contactOf(
	contacts: unknown[],
	phone: string | null,
	userId: string | undefined,
	fallback: boolean,
): IDataObject {
	const found = contacts.find((c) => {
		const contact = obj(c);
		return (
			(phone !== null && idOf(contact.wa_id) === phone) ||
			(userId !== undefined && idOf(contact.user_id) === userId)
		);
	});
	return obj(found ?? (fallback ? contacts[0] : undefined));
}

/**
 * A customer-sent contact card answering the business's contact-info request
 * (REQUEST_CONTACT_INFO): its `origin` is `contact_request`, on the card, or on the message in
 * the payloads Meta showed before May 2026. A card the customer shared by hand says `other` or
 * nothing, and stays an ordinary contacts message.
 */
function sharedContact(m: IDataObject): IDataObject | undefined {
	if (m.type !== 'contacts' || !Array.isArray(m.contacts)) return undefined;
	const card = obj(m.contacts[0]);
	const origin = str(card.origin) ?? str(m.origin);
	if (origin !== 'contact_request') return undefined;
	const phone = obj(Array.isArray(card.phones) ? card.phones[0] : undefined);
	return {
		sharedPhone: str(phone.phone) ?? null,
		sharedWaId: idOf(phone.wa_id) ?? null,
		origin,
	};
}

/** A number, or numeric text, as a number; anything else null. */
function num(v: unknown): number | null {
	const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : NaN;
	return Number.isFinite(n) ? n : null;
}

const isPlainObject = (v: unknown): v is IDataObject =>
	v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * How deeply a parsed Flow answer may nest. The body's own depth check sees `response_json` as
 * one string, so a string hiding thousands of levels would only unfold here, into a tree n8n
 * cannot copy or store. A Flow's answers are a few levels deep.
 */
const MAX_ANSWER_DEPTH = 32;

function deeperThan(v: unknown, levels: number): boolean {
	if (v === null || typeof v !== 'object') return false;
	if (levels === 0) return true;
	for (const child of Object.values(v)) if (deeperThan(child, levels - 1)) return true;
	return false;
}

/** `response_json` as an object, or why it is not one (the item then keeps it as received). */
function parseAnswer(raw: unknown): { answer: IDataObject } | { note: string } {
	let parsed: unknown = raw;
	if (raw === undefined || raw === null) return { note: 'The reply has no response_json.' };
	if (typeof raw === 'string') {
		try {
			parsed = JSON.parse(raw);
		} catch {
			return {
				note: "The reply's response_json is not valid JSON; flowResponseRaw holds it as received.",
			};
		}
	}
	// an object as is: Meta sends text, but a relay that already parsed it loses nothing
	if (!isPlainObject(parsed)) {
		const kind = Array.isArray(parsed)
			? 'an array'
			: parsed === null
				? 'null'
				: `a ${typeof parsed}`;
		return {
			note: `The reply's response_json is ${kind}, not a JSON object; flowResponseRaw holds it as received.`,
		};
	}
	if (deeperThan(parsed, MAX_ANSWER_DEPTH))
		return {
			note: `The reply's response_json nests more than ${MAX_ANSWER_DEPTH} levels deep; flowResponseRaw holds it as received.`,
		};
	return { answer: parsed };
}

/**
 * A customer's answer to a Flow or to an address message: an interactive `nfm_reply` (a "native
 * flow" reply). `response_json` is JSON text: parsed into `flowResponse`, with the `flow_token`
 * the business sent the Flow with taken out into `flowToken`, so `flowResponse` holds only what
 * the customer entered (ready to map into a row or record) and the token that ties the answer to
 * its conversation or order is one field away. Text that is not a JSON object never drops the
 * event: it stays in `flowResponseRaw`, with a `note` saying why. An address reply (name
 * `address_message`, or no name and the address form's `values` without a token) carries no
 * token; it also gives the address fields and the saved address the customer picked. Any other
 * name is treated as a Flow answer, its name kept in `flowName`.
 */
function nativeFlowReply(m: IDataObject): { type: string; fields: IDataObject } | undefined {
	if (m.type !== 'interactive') return undefined;
	const interactive = obj(m.interactive);
	if (interactive.type !== 'nfm_reply') return undefined;
	const reply = obj(interactive.nfm_reply);
	const name = str(reply.name) ?? null;
	const parsed = parseAnswer(reply.response_json);
	const answer = 'answer' in parsed ? parsed.answer : undefined;
	const address =
		name === 'address_message' ||
		(name === null &&
			answer !== undefined &&
			answer.flow_token === undefined &&
			isPlainObject(answer.values));
	const fields: IDataObject = { flowName: name, flowToken: null, flowResponse: null };
	if (answer) {
		const { flow_token: token, ...rest } = answer;
		fields.flowToken = str(token) ?? null;
		fields.flowResponse = rest;
	} else {
		fields.flowResponseRaw = reply.response_json ?? null;
		fields.note = (parsed as { note: string }).note;
	}
	if (address) {
		fields.address = answer && isPlainObject(answer.values) ? answer.values : null;
		fields.savedAddressId = idOf(answer?.saved_address_id) ?? null;
	}
	return { type: address ? 'addressShared' : 'flowResponse', fields };
}

/**
 * A cart the customer sent from a catalog, product or product list message. `text` is the note
 * they added: often an empty string, sometimes absent (then null).
 */
function order(m: IDataObject): IDataObject | undefined {
	if (m.type !== 'order') return undefined;
	const o = obj(m.order);
	const products = Array.isArray(o.product_items) ? o.product_items : [];
	return {
		catalogId: idOf(o.catalog_id) ?? null,
		items: products.map((p) => {
			const item = obj(p);
			return {
				productId: idOf(item.product_retailer_id) ?? null,
				quantity: num(item.quantity),
				price: num(item.item_price),
				currency: str(item.currency) ?? null,
			};
		}),
		text: str(o.text) ?? null,
	};
}

/** The product a customer asks about ("Message business" on a product): the catalog and its ID. */
function referredProduct(m: IDataObject): IDataObject | undefined {
	const referred = obj(m.context).referred_product;
	if (!isPlainObject(referred)) return undefined;
	return {
		catalogId: idOf(referred.catalog_id) ?? null,
		productId: idOf(referred.product_retailer_id) ?? null,
	};
}

function simplifyMessage(m: IDataObject, change: ChangeContext): IDataObject {
	// `from` is the customer's phone and nothing else: Meta leaves it out when this number may not
	// see it, and then the BSUID (`fromUserId`) is the only way back to the customer
	const from = idOf(m.from) ?? null;
	const contact = contactOf(change.contacts, from, idOf(m.from_user_id), true);
	const fromUserId = idOf(m.from_user_id) ?? idOf(contact.user_id) ?? null;
	const system = m.type === 'system' ? obj(m.system) : undefined;
	const systemType = system ? str(system.type) : undefined;
	const shared = sharedContact(m);
	const flow = nativeFlowReply(m);
	const permission = callPermissionReply(m);
	let type = str(m.type) ?? null;
	if (systemType === 'user_changed_user_id') type = 'identityChanged';
	else if (shared) type = 'contactShared';
	else if (flow) type = flow.type;
	else if (permission) type = 'callPermissionReply';
	// the value for the action node's To: the phone when Meta shares it, the BSUID otherwise; a
	// customer whose number or BSUID changed is answered at the new one
	let replyTo = from ?? fromUserId;
	if (systemType === 'user_changed_user_id') replyTo = idOf(system!.user_id) ?? fromUserId;
	else if (systemType === 'user_changed_number') replyTo = idOf(system!.wa_id) ?? replyTo;
	// assigned in order rather than spread: the keys keep the order users see, without the
	// throw-away objects a conditional spread makes for every message of a batch
	const out: IDataObject = {
		timestamp: isoFromUnix(m.timestamp),
		messageId: idOf(m.id) ?? null,
		from,
		fromUserId,
		parentUserId: idOf(m.from_parent_user_id) ?? idOf(contact.parent_user_id) ?? null,
		username: str(obj(contact.profile).username) ?? null,
		contactName: str(obj(contact.profile).name) ?? null,
	};
	// in a group, `from` and the contact are the participant who wrote: a reply goes to the
	// group, and `participantReplyTo` is the To that answers the participant in a private chat
	const groupId = idOf(m.group_id);
	if (groupId !== undefined) {
		out.groupId = groupId;
		out.replyTo = groupId;
		out.participantReplyTo = replyTo;
	} else out.replyTo = replyTo;
	out.type = type;
	out.text = messageText(m);
	out.replyId = replyId(m);
	out.context = m.context ? obj(m.context) : null;
	const product = referredProduct(m);
	if (product) out.referredProduct = product;
	if (flow) Object.assign(out, flow.fields);
	if (permission) Object.assign(out, permission);
	const cart = order(m);
	if (cart) out.order = cart;
	if (
		systemType === 'user_changed_user_id' ||
		(systemType === 'user_changed_number' &&
			(idOf(system!.previous_user_id) !== undefined || idOf(system!.user_id) !== undefined))
	) {
		out.previousUserId = idOf(system!.previous_user_id) ?? null;
		out.newUserId = idOf(system!.user_id) ?? fromUserId;
		out.previousParentUserId = idOf(system!.previous_parent_user_id) ?? null;
		out.newParentUserId = idOf(system!.parent_user_id) ?? idOf(m.from_parent_user_id) ?? null;
	}
	if (shared) Object.assign(out, shared);
	if (m.type === 'edit' || m.type === 'revoke')
		out.originalMessageId = idOf(obj(m[String(m.type)]).original_message_id) ?? null;
	out.media = media(m);
	if (m.errors) out.errors = m.errors;
	if (m.referral) out.referral = m.referral;
	out.message = m;
	return out;
}

/**
 * A pricing value as one spelling: Meta's webhooks send these lower-case with underscores, its
 * analytics upper-case, and its status reference spells one category
 * `authentication-international`; a filter on `authentication_international` must match them all.
 * Empty text is no value.
 */
const pricingWord = (v: unknown): string | null => {
	const s = str(v)?.trim().toLowerCase().replace(/-/g, '_');
	return s ? s : null;
};

/**
 * The participant a status of a group message is about, or undefined for a 1:1 status. Meta's
 * samples spell the participant's phone `recipient_participant_id` in some places and
 * `participant_recipient_id` in others: both are read into one field. The phone may be left out
 * (a participant whose phone this number may not see); the BSUID then identifies them.
 */
function groupParticipant(s: IDataObject): { phone?: string; userId?: string } | undefined {
	const phone = idOf(s.recipient_participant_id) ?? idOf(s.participant_recipient_id);
	const userId = idOf(s.recipient_participant_user_id);
	if (s.recipient_type !== 'group' && phone === undefined && userId === undefined) return undefined;
	return { phone, userId };
}

/**
 * The duplicate key of a status. A group message's delivered and read statuses come aggregated,
 * one per participant with the same message ID and status in one webhook: the participant is part
 * of their key, or every participant after the first would be dropped as a repeat. A 1:1 status
 * keeps its key of message ID and status.
 */
export function statusKey(s: IDataObject): string {
	const participant = groupParticipant(s);
	const base = `s:${s.id}:${s.status}`;
	if (!participant) return base;
	const who = participant.userId ?? participant.phone;
	return who === undefined ? base : `${base}:${who}`;
}

function simplifyStatus(s: IDataObject, change: ChangeContext): IDataObject {
	// `recipientId` is the phone (or a group's id) only: Meta omits it for a message sent to a
	// BSUID whose phone this number may not see, and `recipientUserId` carries the BSUID
	const recipientId = idOf(s.recipient_id) ?? null;
	const participant = groupParticipant(s);
	// a group status's contact, when Meta sends one, is the participant's
	const contact = participant
		? contactOf(change.contacts, participant.phone ?? null, participant.userId, false)
		: contactOf(change.contacts, recipientId, idOf(s.recipient_user_id), false);
	const recipientUserId = idOf(s.recipient_user_id) ?? idOf(contact.user_id) ?? null;
	// `pricing` read into four fields a Filter or a sheet can use without knowing its shape, each
	// what Meta sent or null: `billable` is not derived from `type` (Meta is retiring `billable`, and
	// which messages are charged changes with Meta's pricing, not with this package), and a status
	// without `pricing` has all four null
	const pricing = obj(s.pricing);
	const model = str(pricing.pricing_model)?.trim().toUpperCase();
	const out: IDataObject = {
		timestamp: isoFromUnix(s.timestamp),
		messageId: idOf(s.id) ?? null,
		status: str(s.status) ?? null,
		recipientId,
		recipientUserId: participant ? (idOf(s.recipient_user_id) ?? null) : recipientUserId,
		// spelled parent_recipient_user_id until May 5, 2026: both are read
		recipientParentUserId:
			idOf(s.recipient_parent_user_id) ??
			idOf(s.parent_recipient_user_id) ??
			(participant ? undefined : idOf(contact.parent_user_id)) ??
			null,
	};
	if (participant) {
		// a message sent to a group: `recipient_id` is the group, and one status per participant
		// says who it reached; the participant's contact gives the username
		out.recipientType = 'group';
		// the reference's statuses carry the group in recipient_id; Meta's OpenAPI document also
		// describes a `group_id` on statuses: either is read
		out.groupId = idOf(s.group_id) ?? recipientId;
		out.recipientParticipantId = participant.phone ?? null;
		out.recipientParticipantUserId = participant.userId ?? idOf(contact.user_id) ?? null;
		out.recipientParticipantParentUserId =
			idOf(s.recipient_participant_parent_user_id) ?? idOf(contact.parent_user_id) ?? null;
	}
	out.username = str(obj(contact.profile).username) ?? null;
	out.replyTo = participant ? (out.groupId as string | null) : (recipientId ?? recipientUserId);
	Object.assign(out, {
		errors: Array.isArray(s.errors) ? s.errors : [],
		billable: typeof pricing.billable === 'boolean' ? pricing.billable : null,
		pricingCategory: pricingWord(pricing.category),
		pricingType: pricingWord(pricing.type),
		pricingModel: model ? model : null,
		pricing: s.pricing ? obj(s.pricing) : null,
		conversation: s.conversation ? obj(s.conversation) : null,
		bizOpaqueCallbackData: str(s.biz_opaque_callback_data) ?? null,
		statusObject: s,
	});
	return out;
}

/**
 * The customer of a `user_preferences` change (its first preference): the phone when Meta shares
 * it, the BSUID, and the To that reaches them.
 */
function preferenceUser(value: IDataObject): IDataObject {
	const list = Array.isArray(value.user_preferences) ? value.user_preferences : [];
	const first = obj(list[0]);
	const phone = idOf(first.wa_id) ?? null;
	const userId = idOf(first.user_id) ?? null;
	return { waId: phone, userId, replyTo: phone ?? userId };
}

/**
 * The customer a message echo (a message the business sent from another client) went to, from its
 * first echo: `to` is the phone and may be absent, `to_user_id` the BSUID.
 */
function echoUser(value: IDataObject): IDataObject {
	const list = Array.isArray(value.message_echoes) ? value.message_echoes : [];
	const first = obj(list[0]);
	const to = idOf(first.to) ?? null;
	const userId = idOf(first.to_user_id) ?? null;
	return { to, userId, replyTo: to ?? userId };
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

// ---------------------------------------------------------------------------------------------
// Calling: the customer's answer to a call permission request (a message), and the `calls` field.

/**
 * A customer's answer to a call permission request: an interactive `call_permission_reply` on the
 * `messages` field. `expiration` is when a temporary permission ends, as ISO time: Meta's samples
 * send the Unix seconds as text, other payloads as a number, and both are read. A permanent grant
 * or a rejection has none (null). `responseSource` says whether the customer tapped (`user_action`)
 * or WhatsApp decided (`automatic`: a callback grant after the customer called, or the permission
 * revoked after unanswered calls, which comes as a rejection).
 */
function callPermissionReply(m: IDataObject): IDataObject | undefined {
	if (m.type !== undefined && m.type !== 'interactive') return undefined;
	const interactive = obj(m.interactive);
	if (interactive.type !== 'call_permission_reply') return undefined;
	const reply = obj(interactive.call_permission_reply);
	const expiration = num(reply.expiration_timestamp);
	return {
		response: str(reply.response)?.toLowerCase() ?? null,
		isPermanent: typeof reply.is_permanent === 'boolean' ? reply.is_permanent : null,
		expiration: expiration !== null && expiration > 0 ? isoFromUnix(expiration) : null,
		responseSource: str(reply.response_source) ?? null,
	};
}

/**
 * A word of a call payload in capitals: Meta's samples write a terminated call's status as
 * `COMPLETED`, `Completed` or a one-element list, so a filter on COMPLETED must match them all.
 */
function callWord(v: unknown): string | null {
	const first = Array.isArray(v) ? (v.length === 1 ? v[0] : undefined) : v;
	const s = str(first)?.trim().toUpperCase();
	return s ? s : null;
}

/**
 * Who started a call. Meta names it in `direction`; one of its samples of a call the customer
 * started leaves it out, and then the SDP tells: the customer's WhatsApp sends an offer, and a
 * call the business placed comes back with WhatsApp's answer.
 */
function callDirection(c: IDataObject): string | null {
	const direction = callWord(c.direction);
	if (direction) return direction;
	const sdpType = str(obj(c.session).sdp_type)?.toLowerCase();
	if (sdpType === 'offer') return 'USER_INITIATED';
	if (sdpType === 'answer') return 'BUSINESS_INITIATED';
	return null;
}

/** Unix seconds (text or a number) as ISO time; null when absent. */
const isoOrNull = (v: unknown): string | null => {
	const n = num(v);
	return n !== null && n > 0 ? isoFromUnix(n) : null;
};

/**
 * A call that connected or ended (`calls[]` of the `calls` field). The customer is `from` on a call
 * they started and `to` on one the business placed; Meta may leave their phone out and give only
 * the BSUID (`from_user_id`, `to_user_id`), so `replyTo` is the phone when shared, else the BSUID.
 * The session's SDP is left out: it is for a WebRTC stack, large, and of no use in a workflow; the
 * Raw output keeps it.
 */
function simplifyCall(c: IDataObject, change: ChangeContext): IDataObject {
	const direction = callDirection(c);
	const from = idOf(c.from) ?? null;
	const to = idOf(c.to) ?? null;
	const fromUserId = idOf(c.from_user_id) ?? null;
	const toUserId = idOf(c.to_user_id) ?? null;
	// with no direction at all, the customer is the side that is not this business number
	const business = idOf(obj(change.value.metadata).display_phone_number)?.replace(/\D/g, '');
	const userIsCaller =
		direction === 'USER_INITIATED' ||
		(direction !== 'BUSINESS_INITIATED' && (from === null || from.replace(/\D/g, '') !== business));
	const userPhone = userIsCaller ? from : to;
	const userId = userIsCaller ? fromUserId : toUserId;
	const contact = contactOf(change.contacts, userPhone, userId ?? undefined, true);
	const call = Object.fromEntries(
		Object.entries(c).filter(([k]) => k !== 'session' && k !== 'connection'),
	) as IDataObject;
	const errors = [
		...(Array.isArray(c.errors) ? c.errors : []),
		...(Array.isArray(change.value.errors) ? change.value.errors : []),
	];
	return {
		timestamp: isoFromUnix(c.timestamp),
		callId: idOf(c.id) ?? null,
		callEvent: str(c.event)?.toLowerCase() ?? null,
		direction,
		from,
		fromUserId,
		fromParentUserId: idOf(c.from_parent_user_id) ?? null,
		to,
		toUserId,
		toParentUserId: idOf(c.to_parent_user_id) ?? null,
		username: str(obj(contact.profile).username) ?? null,
		contactName: str(obj(contact.profile).name) ?? null,
		replyTo: userPhone ?? userId ?? idOf(contact.wa_id) ?? idOf(contact.user_id) ?? null,
		status: callWord(c.status),
		duration: num(c.duration),
		startTime: isoOrNull(c.start_time),
		endTime: isoOrNull(c.end_time),
		ctaPayload: str(c.cta_payload) ?? null,
		deeplinkPayload: str(c.deeplink_payload) ?? null,
		bizOpaqueCallbackData: str(c.biz_opaque_callback_data) ?? null,
		errors,
		call,
	};
}

/**
 * A call the business placed rang, was accepted or was rejected: `statuses[]` of the `calls`
 * field, with `type` call. The customer is the recipient.
 */
function simplifyCallStatus(s: IDataObject, change: ChangeContext): IDataObject {
	const to = idOf(s.recipient_id) ?? null;
	const contact = contactOf(change.contacts, to, idOf(s.recipient_user_id), false);
	const toUserId = idOf(s.recipient_user_id) ?? idOf(contact.user_id) ?? null;
	return {
		timestamp: isoFromUnix(s.timestamp),
		callId: idOf(s.id) ?? null,
		callEvent: 'status',
		// Meta sends these only for calls the business placed
		direction: 'BUSINESS_INITIATED',
		to,
		toUserId,
		toParentUserId: idOf(s.recipient_parent_user_id) ?? idOf(contact.parent_user_id) ?? null,
		username: str(obj(contact.profile).username) ?? null,
		contactName: str(obj(contact.profile).name) ?? null,
		replyTo: to ?? toUserId,
		status: callWord(s.status),
		bizOpaqueCallbackData: str(s.biz_opaque_callback_data) ?? null,
		errors: Array.isArray(s.errors) ? s.errors : [],
		statusObject: s,
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
	templateId: idOf(value.message_template_id) ?? null,
	templateName: str(value.message_template_name) ?? null,
	templateLanguage: str(value.message_template_language) ?? null,
});

/*
 * Group events: `value.groups[]` of the four group fields, one event per element. Each element
 * names its group (`group_id`) and its kind (`type`); the item gives them as groupId and type,
 * the element's own fields in camelCase, and the element as received in `group`.
 *
 * Meta's OpenAPI document spells the participants field `group_participant_update` and its kinds
 * `group_add_participants` / `group_remove_participants`, where Meta's webhook pages and its list
 * of override fields say `group_participants_update` with `group_participants_add` /
 * `group_participants_remove`. The pages are followed; `type` is passed on as received, and a
 * change of a field spelled otherwise comes through raw under All Events.
 */

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A participant of a group event: phone (`wa_id`), BSUID, what the business gave (`input`). */
function groupMember(p: unknown): IDataObject {
	const member = obj(p);
	const out: IDataObject = {
		waId: idOf(member.wa_id) ?? null,
		userId: idOf(member.user_id) ?? null,
		input: str(member.input) ?? null,
	};
	if (member.parent_user_id !== undefined) out.parentUserId = idOf(member.parent_user_id) ?? null;
	if (member.errors !== undefined) out.errors = list(member.errors);
	return out;
}

/** What every group event starts with: its time, the group, its kind and the request it answers. */
const groupHead = (g: IDataObject, change: ChangeContext): IDataObject => ({
	timestamp: isoFromUnix(g.timestamp ?? change.time),
	groupId: idOf(g.group_id) ?? null,
	type: str(g.type) ?? null,
	// the request_id of Group > Create (and of an update or removal): what ties this event to the
	// node's output that started it
	requestId: idOf(g.request_id) ?? null,
});

/** `group_lifecycle_update`: a group created (its invite link) or deleted, or why that failed. */
function simplifyGroupLifecycle(g: IDataObject, change: ChangeContext): IDataObject {
	return {
		...groupHead(g, change),
		subject: str(g.subject) ?? null,
		description: str(g.description) ?? null,
		inviteLink: str(g.invite_link) ?? null,
		joinApprovalMode: str(g.join_approval_mode) ?? null,
		errors: list(g.errors),
		group: g,
	};
}

/**
 * `group_participants_update`: people who joined (by invite link or an approved request), left or
 * were removed, and join requests created or revoked. A join request names its requester on the
 * element itself (`wa_id`, `user_id`).
 */
function simplifyGroupParticipants(g: IDataObject, change: ChangeContext): IDataObject {
	const out: IDataObject = {
		...groupHead(g, change),
		reason: str(g.reason) ?? null,
		initiatedBy: str(g.initiated_by) ?? null,
		addedParticipants: list(g.added_participants).map(groupMember),
		removedParticipants: list(g.removed_participants).map(groupMember),
		failedParticipants: list(g.failed_participants).map(groupMember),
	};
	if (g.join_request_id !== undefined || g.wa_id !== undefined || g.user_id !== undefined) {
		out.joinRequestId = idOf(g.join_request_id) ?? null;
		out.waId = idOf(g.wa_id) ?? null;
		out.userId = idOf(g.user_id) ?? null;
	}
	out.errors = list(g.errors);
	out.group = g;
	return out;
}

/** One setting of a `group_settings_update`: its new value, whether it changed, and why not. */
function groupSetting(
	v: unknown,
	value: (setting: IDataObject) => IDataObject,
): IDataObject | null {
	if (!isPlainObject(v)) return null;
	return {
		...value(v),
		updateSuccessful: typeof v.update_successful === 'boolean' ? v.update_successful : null,
		errors: list(v.errors),
	};
}

/** `group_settings_update`: the subject, description and picture an update asked for, each. */
function simplifyGroupSettings(g: IDataObject, change: ChangeContext): IDataObject {
	return {
		...groupHead(g, change),
		subject: groupSetting(g.group_subject, (v) => ({ text: str(v.text) ?? null })),
		description: groupSetting(g.group_description, (v) => ({ text: str(v.text) ?? null })),
		profilePicture: groupSetting(g.profile_picture, (v) => ({
			mimeType: str(v.mime_type) ?? null,
			sha256: str(v.sha256) ?? null,
		})),
		errors: list(g.errors),
		group: g,
	};
}

/** `group_status_update`: Meta suspended a group, or cleared its suspension. */
function simplifyGroupStatus(g: IDataObject, change: ChangeContext): IDataObject {
	const type = str(g.type);
	return {
		...groupHead(g, change),
		suspended: type === 'group_suspend' ? true : type === 'group_suspend_cleared' ? false : null,
		errors: list(g.errors),
		group: g,
	};
}

/**
 * The rows of the group fields. Meta sends them to an override like messages. A group element has
 * no ID of its own that a redelivery repeats and a new event does not: its whole content, with the
 * account and field, is its key.
 */
const groupRow = (
	field: string,
	option: { name: string; description: string },
	simplify: EventSpec['simplify'],
): EventSpec => ({
	event: field,
	field,
	callback: 'override',
	option,
	perItem: {
		list: 'groups',
		key: (g, change) => `g:${change.businessAccountId}:${field}:${digest(g)}`,
		raw: (g, value) => ({ ...value, groups: [g] }),
	},
	simplify,
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
			description:
				'A customer sent a message, a reply, a Flow answer, an order, a reaction or media',
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
			key: statusKey,
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
		event: 'call',
		field: 'calls',
		callback: 'override',
		option: {
			name: 'Call',
			description:
				'A WhatsApp call to or from a customer connected or ended (needs calling enabled on the number)',
		},
		perItem: {
			list: 'calls',
			key: (c) => `c:${c.id}:${c.event}`,
			raw: (c, value) => ({ ...value, calls: [c], statuses: undefined }),
		},
		simplify: simplifyCall,
	},
	{
		event: 'call_status',
		field: 'calls',
		callback: 'override',
		option: {
			name: 'Call Status',
			description: 'A call the business placed is ringing, was accepted or was rejected',
		},
		perItem: {
			list: 'statuses',
			key: (s) => `cs:${s.id}:${s.status}`,
			raw: (s, value) => ({ ...value, statuses: [s], calls: undefined }),
		},
		simplify: simplifyCallStatus,
	},
	{
		event: 'message_template_status_update',
		field: 'message_template_status_update',
		callback: 'app',
		option: {
			name: 'Template Status Update',
			description: 'A template was approved, rejected, paused, disabled, archived or unarchived',
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
		simplify: whole(preferenceUser),
	},
	groupRow(
		'group_lifecycle_update',
		{
			name: 'Group Lifecycle Update',
			description:
				'A group was created (with its invite link and the request ID of Group > Create) or deleted, or that failed',
		},
		simplifyGroupLifecycle,
	),
	groupRow(
		'group_participants_update',
		{
			name: 'Group Participants Update',
			description:
				'Someone joined a group, left it or was removed, or asked to join or withdrew the request',
		},
		simplifyGroupParticipants,
	),
	groupRow(
		'group_settings_update',
		{
			name: 'Group Settings Update',
			description: "A group's subject, description or picture was changed, or could not be",
		},
		simplifyGroupSettings,
	),
	groupRow(
		'group_status_update',
		{
			name: 'Group Status Update',
			description: 'WhatsApp suspended a group, or cleared its suspension',
		},
		simplifyGroupStatus,
	),
	// Fields an override does redirect but the trigger has no option for: they reach an
	// override's trigger, which passes them through raw under All Events.
	...[
		'message_echoes',
		'consumer_profile',
		'messaging_handovers',
		'smb_message_echoes',
		'smb_app_state_sync',
		'history',
		'account_settings_update',
	].map(
		(field): EventSpec => ({
			event: field,
			field,
			callback: 'override',
			// an echo names the customer it went to, by phone or BSUID: the To to follow up with
			simplify: field.endsWith('message_echoes') ? whole(echoUser) : simplifyUnknown,
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
