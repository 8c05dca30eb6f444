import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { GraphConfig } from './transport';

/**
 * The one rule for a Graph object ID that goes into a path or a query: digits, as Meta gives
 * them to phone numbers, accounts, templates, media, Flows, catalogs and apps. A locator's
 * "digits only" rule runs in the editor only, and never on an expression; an ID with `/`, `?`,
 * `#`, `..`, `,` or a space from item data would address another Graph object or endpoint with
 * the credential's token. So every such ID is checked here when the node runs, before the
 * request.
 */
export const GRAPH_ID = /^\d+$/;

/** The kinds of Graph ID, as the error texts name them and say where to find them. */
const KINDS = {
	phoneNumber: {
		what: 'a phone number ID',
		where:
			'Pick the number from the list, or copy its ID (not the phone number itself) from WhatsApp Manager > Phone numbers or app dashboard > WhatsApp > API Setup.',
	},
	businessAccount: {
		what: 'a WhatsApp Business Account ID',
		where:
			'Copy it from app dashboard > WhatsApp > API Setup, or Business Settings > Accounts > WhatsApp accounts.',
	},
	template: {
		what: 'a template ID',
		where:
			'Pick the template from the list, or copy its ID from WhatsApp Manager > Message templates (or the id of Template > Get).',
	},
	media: {
		what: 'a media ID',
		where: "Use the id of Media > Upload, or of an incoming message's media (media.id).",
	},
	flow: {
		what: 'a Flow ID',
		where: 'Pick the Flow from the list, or give its ID (WhatsApp Manager > Flows).',
	},
	app: {
		what: 'an App ID',
		where: 'Copy it from app dashboard > App settings > Basic.',
	},
} as const;

export type GraphIdKind = keyof typeof KINDS;

/**
 * A Graph ID read from a parameter, the credential or an event, as text without surrounding white
 * space; anything else than digits is a NodeOperationError that names the field (and the item,
 * when there is one). A number is taken only while it is exact: past 2^53 JSON has already rounded
 * it, and its digits would address another object.
 */
export function graphId(
	node: INode,
	value: unknown,
	field: string,
	kind: GraphIdKind,
	itemIndex?: number,
): string {
	const { what, where } = KINDS[kind];
	const refuse = (problem: string) =>
		new NodeOperationError(
			node,
			`${field} ${problem}${itemIndex === undefined ? '' : ` [item ${itemIndex}]`}`,
			{
				itemIndex,
				description: `Field: ${field}. ${where} Nothing was sent${itemIndex === undefined ? '' : ' for this item'}.`,
			},
		);
	if (typeof value === 'number' || typeof value === 'bigint') {
		if (typeof value === 'number' && !Number.isSafeInteger(value)) {
			throw refuse(
				`is the number ${String(value)}, too large to be an exact ID: give ${what.replace(/^an? /, 'the ')} as text`,
			);
		}
		value = String(value);
	}
	if (typeof value === 'object' && value !== null) {
		throw refuse(
			`must be ${what} (digits only), but its expression gave ${Array.isArray(value) ? 'a list' : 'an object'}`,
		);
	}
	const id = value === undefined || value === null ? '' : String(value).trim();
	if (!id) throw refuse(`is empty; it needs ${what}`);
	if (!GRAPH_ID.test(id)) {
		const shown = id.length > 60 ? `${id.slice(0, 60)}…` : id;
		throw refuse(`must be ${what} (digits only), got ${JSON.stringify(shown)}`);
	}
	return id;
}

/** The credential's fields that hold Graph IDs, with their labels and kinds. */
const CREDENTIAL_IDS = {
	phoneNumberId: { field: 'Credential > Phone Number ID', kind: 'phoneNumber' },
	businessAccountId: {
		field: 'Credential > WhatsApp Business Account ID',
		kind: 'businessAccount',
	},
	appId: { field: 'Credential > App ID', kind: 'app' },
} as const;

/**
 * A Graph ID of the credential, checked like any other (it is typed by hand, and an expression
 * may fill it); empty stays empty, for the caller to say what it needs it for.
 */
export function credentialId(
	node: INode,
	config: Partial<Pick<GraphConfig, keyof typeof CREDENTIAL_IDS>>,
	name: keyof typeof CREDENTIAL_IDS,
	itemIndex?: number,
): string {
	const value = config[name];
	if (!value) return '';
	const { field, kind } = CREDENTIAL_IDS[name];
	return graphId(node, value, field, kind, itemIndex);
}

/**
 * A QR code's `code`, as Meta gives it: 14 capital letters and digits. Meta's examples hold digits
 * such as 1 that its own stricter rule leaves out, so any digit is taken. It goes into a path, so
 * anything else (`/`, `?`, `#`, `..`, a space) is refused when the node runs, before the request.
 */
export const QR_CODE = /^[A-Z0-9]{14}$/;

/** A QR code's `code` from a parameter or an expression, trimmed; anything else fails naming the field. */
export function qrCode(node: INode, value: unknown, field: string, itemIndex: number): string {
	const refuse = (problem: string) =>
		new NodeOperationError(node, `${field} ${problem} [item ${itemIndex}]`, {
			itemIndex,
			description: `Field: ${field}. Use the code of QR Code > Create or Get Many (14 capital letters and digits, the end of its wa.me/message/ link). Nothing was sent for this item.`,
		});
	if (typeof value === 'object' && value !== null)
		throw refuse(
			`must be a QR code (14 capital letters and digits), but its expression gave ${Array.isArray(value) ? 'a list' : 'an object'}`,
		);
	const code = value === undefined || value === null ? '' : String(value as string).trim();
	if (!code) throw refuse('is empty; it needs a QR code');
	if (!QR_CODE.test(code)) {
		const shown = code.length > 60 ? `${code.slice(0, 60)}…` : code;
		throw refuse(`must be a QR code (14 capital letters and digits), got ${JSON.stringify(shown)}`);
	}
	return code;
}

/**
 * A business phone number as Meta's analytics filter it: the number with its country code, as
 * digits (`16505550111`), not its ID. Spaces, dashes, dots, brackets and a leading `+` are
 * removed; anything else is refused naming the field, since the value goes into the request's
 * field expression.
 */
export function phoneDigits(node: INode, value: unknown, field: string, itemIndex: number): string {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
	const digits = text
		.trim()
		.replace(/[\s\-().]/g, '')
		.replace(/^\+/, '');
	if (!/^\d{7,15}$/.test(digits)) {
		const shown = typeof value === 'string' ? value.slice(0, 40) : String(value);
		throw new NodeOperationError(
			node,
			`${field} has ${JSON.stringify(shown)}, which is not a phone number [item ${itemIndex}]`,
			{
				itemIndex,
				description: `Field: ${field}. Give the business numbers with their country code, such as +1 650 555 0111 (not their phone number IDs), separated by commas. Nothing was sent for this item.`,
			},
		);
	}
	return digits;
}

/** A two-letter country code (ISO 3166-1 alpha-2), upper-cased; anything else fails naming the field. */
export function countryCode(node: INode, value: unknown, field: string, itemIndex: number): string {
	const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
	if (!/^[A-Z]{2}$/.test(code)) {
		const shown = typeof value === 'string' ? value.slice(0, 40) : String(value);
		throw new NodeOperationError(
			node,
			`${field} has ${JSON.stringify(shown)}, which is not a two-letter country code [item ${itemIndex}]`,
			{
				itemIndex,
				description: `Field: ${field}. Give country codes such as US, IN or DE, separated by commas. Nothing was sent for this item.`,
			},
		);
	}
	return code;
}

/**
 * A group's ID, as Meta gives it in the `group_lifecycle_update` webhook and Group > Get Many:
 * base64 letters and digits (`Y2FwaV9ncm91cDox…ZD`), not the digits of other Graph IDs. It goes
 * into a path, so anything else (`/`, `?`, `#`, `.`, `=`, a space) is refused when the node runs,
 * before the request.
 */
export const GROUP_ID = /^[A-Za-z0-9_-]{8,256}$/;

/** A group ID from a parameter or an expression, trimmed; anything else fails naming the field. */
export function groupId(node: INode, value: unknown, field: string, itemIndex: number): string {
	const refuse = (problem: string) =>
		new NodeOperationError(node, `${field} ${problem} [item ${itemIndex}]`, {
			itemIndex,
			description: `Field: ${field}. Use the group_id of the trigger's group_lifecycle_update item (after Group > Create), or the id of Group > Get Many: letters and digits, such as Y2FwaV9ncm91cDoxNTU1MDc4Mzg4MToxMjAzNjMxMDAwMDAwMDAwMDEZD. Nothing was sent for this item.`,
		});
	if (typeof value === 'object' && value !== null)
		throw refuse(
			`must be a group ID, but its expression gave ${Array.isArray(value) ? 'a list' : 'an object'}`,
		);
	const id = value === undefined || value === null ? '' : String(value as string).trim();
	if (!id) throw refuse('is empty; it needs a group ID');
	if (!GROUP_ID.test(id)) {
		const shown = id.length > 60 ? `${id.slice(0, 60)}…` : id;
		throw refuse(`must be a group ID (letters and digits), got ${JSON.stringify(shown)}`);
	}
	return id;
}
