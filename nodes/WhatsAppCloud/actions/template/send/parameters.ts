import type { IDataObject } from 'n8n-workflow';

import { LIMIT } from '../../../helpers/limits';
import { charCount } from '../../../helpers/validation';
import type { TemplateVariable, VariableKind } from './variables';

/**
 * What the value of each kind of variable is sent as, in the message and on carousel cards alike:
 * one row per kind in VARIABLE_KINDS, with the checks Meta makes of that kind of value.
 */

/** A header file to upload before sending: for the template's header, or a card's. */
export type TemplateUpload = {
	/** The item's binary property holding the file. */
	property: string;
	/** IMAGE, VIDEO or DOCUMENT. */
	format: string;
	variable: TemplateVariable;
	/** The carousel card's `card_index` (from 0); none for the template's own header. */
	cardIndex?: number;
};

/** What a row reads of the send being built: the values, and where problems and uploads go. */
export type Sending = {
	/** The trimmed text of a variable's value; empty when it is not text. */
	value: (v: TemplateVariable) => string;
	problem: (v: TemplateVariable, message: string) => void;
	uploads: TemplateUpload[];
	named: boolean;
	/** At most this many characters in a body variable. */
	bodyMax: number;
	/** The carousel's one catalog, for product cards. */
	catalog?: TemplateVariable;
};

type KindRow = {
	/** Meta's rules for a template text parameter apply: no new line, tab, or five spaces. */
	text?: boolean;
	/** Needed when its card is sent, though the card, a product card beyond the created ones, is optional. */
	neededOnSentCard?: boolean;
	/** Its value is JSON (an object, or its text), not text. */
	json?: boolean;
	/** The button sub_type it fills. */
	button?: 'url' | 'quick_reply' | 'copy_code';
	/** The parameter its value is sent as, checked; undefined: nothing is sent for it. */
	parameter?: (v: TemplateVariable, send: Sending) => IDataObject | undefined;
};

/** Percent-encodes what a URL may not hold (spaces, accents, |), leaving existing %xx escapes. */
export function encodeUrlSuffix(suffix: string): string {
	return suffix.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?#%]/g, (c) => encodeURIComponent(c));
}

/** A text parameter, named when the template's parameters are. */
const textParameter = (v: TemplateVariable, send: Sending) => ({
	type: 'text',
	text: send.value(v),
	...(send.named ? { parameter_name: v.parameter } : {}),
});

/** A value longer than `max` is a problem, said as `(<what> may have at most <max>)`; true then. */
export function tooLong(v: TemplateVariable, send: Sending, max: number, what: string): boolean {
	const length = charCount(send.value(v));
	if (length > max)
		send.problem(v, `is too long: ${length} characters (${what} may have at most ${max})`);
	return length > max;
}

/** A media header parameter from a link, a media ID or `binary:<field>` (uploaded before sending). */
function mediaParameter(v: TemplateVariable, send: Sending): IDataObject {
	const raw = send.value(v);
	const kind = String(v.format).toLowerCase();
	let ref: IDataObject = {};
	if (/^binary:/i.test(raw)) {
		send.uploads.push({
			property: raw.slice(7).trim() || 'data',
			format: v.format!,
			variable: v,
			...(v.card !== undefined ? { cardIndex: v.card - 1 } : {}),
		});
		ref = { id: 'pending-upload' };
	} else if (/^https:\/\//i.test(raw)) {
		ref = { link: raw };
	} else if (/^\d+$/.test(raw)) {
		ref = { id: raw };
	} else if (raw) {
		send.problem(
			v,
			'must be an https:// link, a media ID (digits), or binary: followed by the name of a binary field of this item (e.g. binary:data) to upload that file',
		);
	}
	return { type: kind, [kind]: ref };
}

/** A URL button's parameter: the end of its URL, percent-encoded. */
const urlSuffix = (v: TemplateVariable, send: Sending) => ({
	type: 'text',
	text: encodeUrlSuffix(send.value(v)),
});

/** A Flow button's data: a JSON object, given as an object or as JSON text. */
export function flowData(raw: unknown): IDataObject | string | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	let value = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch {
			return 'is not valid JSON: give an object such as {"name": "Ana"}';
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		return 'must be a JSON object such as {"name": "Ana"}';
	return value as IDataObject;
}

/**
 * Every kind of variable, in the message and on cards: how its value is checked and sent. The
 * location's four, a Flow button's two and an authentication code are sent together, each by its
 * own step of the send (send/message.ts); their rows hold only their checks.
 */
export const VARIABLE_KINDS: Record<VariableKind, KindRow> = {
	headerText: {
		text: true,
		parameter: (v, send) => {
			tooLong(v, send, LIMIT.templateHeaderText, 'a header variable');
			return textParameter(v, send);
		},
	},
	headerMedia: { parameter: mediaParameter },
	headerLatitude: {},
	headerLongitude: {},
	headerLocationName: {},
	headerLocationAddress: {},
	body: {
		text: true,
		parameter: (v, send) => {
			const length = charCount(send.value(v));
			if (length > send.bodyMax)
				send.problem(
					v,
					`is too long: ${length} characters (at most ${send.bodyMax.toLocaleString('en-US')})`,
				);
			return textParameter(v, send);
		},
	},
	authCode: { text: true },
	buttonUrl: { button: 'url', parameter: urlSuffix },
	buttonPayload: {
		button: 'quick_reply',
		// without a payload of its own, a quick reply of the message is left out of the send
		parameter: (v, send) =>
			send.value(v) ? { type: 'payload', payload: send.value(v) } : undefined,
	},
	buttonCoupon: {
		button: 'copy_code',
		parameter: (v, send) => {
			tooLong(v, send, LIMIT.couponCode, 'a coupon code');
			return { type: 'coupon_code', coupon_code: send.value(v) };
		},
	},
	flowToken: {},
	flowData: { json: true },
	// a voice call button's two are sent together, with their checks (send/message.ts)
	callTtl: {},
	callPayload: {},
	catalogId: {},
	cardMedia: { parameter: mediaParameter },
	cardProduct: {
		parameter: (v, send) => ({
			type: 'product',
			product: {
				product_retailer_id: send.value(v),
				catalog_id: send.catalog ? send.value(send.catalog) : '',
			},
		}),
	},
	cardBody: { text: true, parameter: textParameter },
	cardButtonUrl: { neededOnSentCard: true, button: 'url', parameter: urlSuffix },
	cardButtonPayload: {
		button: 'quick_reply',
		// Meta's carousel examples give every quick reply its component: without a payload of its
		// own, the button's label, which is also what a reply without payload reports
		parameter: (v, send) => ({
			type: 'payload',
			payload: send.value(v) || String(v.buttonText ?? ''),
		}),
	},
};

/** The parameter a variable's value is sent as, by its kind's row. */
export const parameterOf = (v: TemplateVariable, send: Sending) =>
	VARIABLE_KINDS[v.kind].parameter?.(v, send);
