import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

/**
 * Runs a zod schema over a payload and turns the first problem into a NodeOperationError that
 * names the field (with the label the user sees in the editor) and the item, before any request.
 * `labels` maps payload paths (`text.body`, `to`) to editor labels; the longest matching prefix wins.
 */
export function validatePayload<T>(
	fns: Pick<IExecuteFunctions, 'getNode'>,
	schema: z.ZodType<T>,
	payload: unknown,
	itemIndex: number,
	labels: Record<string, string>,
): T {
	const result = schema.safeParse(payload);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const path = issue.path.map(String);
	const label = labelFor(path, labels);
	const value = valueAt(payload, issue.path);
	throw new NodeOperationError(
		fns.getNode(),
		`${label} ${describeIssue(issue, value)} [item ${itemIndex}]`,
		{
			itemIndex,
			description: `Field: ${label} (${path.join('.') || 'payload'}). Fix the value for item ${itemIndex}; nothing was sent for it.`,
		},
	);
}

function labelFor(path: string[], labels: Record<string, string>): string {
	for (let n = path.length; n > 0; n--) {
		const exact = labels[path.slice(0, n).join('.')];
		if (exact) return n === path.length ? exact : `${exact} (${path.slice(n).join('.')})`;
		const generic =
			labels[
				path
					.slice(0, n)
					.map((p) => (/^\d+$/.test(p) ? '*' : p))
					.join('.')
			];
		if (generic) {
			const indexes = path
				.slice(0, n)
				.filter((p) => /^\d+$/.test(p))
				.map((p) => Number(p) + 1);
			if (!indexes.length) return generic;
			// "Contact > Full Name" + index 2 -> "Contact 2 > Full Name"
			const [head, ...rest] = generic.split(' > ');
			return [`${head} ${indexes.join('.')}`, ...rest].join(' > ');
		}
	}
	return path.length ? `"${path.join('.')}"` : 'The payload';
}

function valueAt(payload: unknown, path: PropertyKey[]): unknown {
	let v: unknown = payload;
	for (const p of path) {
		if (v === null || typeof v !== 'object') return undefined;
		v = (v as Record<PropertyKey, unknown>)[p];
	}
	return v;
}

const fmt = (n: number | bigint) => Number(n).toLocaleString('en-US');

function describeIssue(issue: z.ZodIssue, value: unknown): string {
	switch (issue.code) {
		case 'too_big':
			if (issue.type === 'string') {
				return typeof value === 'string'
					? `is too long: ${fmt(charCount(value))} characters (WhatsApp allows at most ${fmt(issue.maximum)})`
					: `is too long (WhatsApp allows at most ${fmt(issue.maximum)} characters)`;
			}
			if (issue.type === 'array') {
				return `has ${fmt(Array.isArray(value) ? value.length : 0)} entries (WhatsApp allows at most ${fmt(issue.maximum)})`;
			}
			return `is too large (at most ${fmt(issue.maximum)})`;
		case 'too_small':
			if (issue.type === 'string') {
				return Number(issue.minimum) <= 1
					? 'is empty; it needs a value'
					: `is too short (at least ${fmt(issue.minimum)} characters)`;
			}
			if (issue.type === 'array') return `needs at least ${fmt(issue.minimum)} entries`;
			return `is too small (at least ${fmt(issue.minimum)})`;
		case 'invalid_type':
			return issue.received === 'undefined' || issue.received === 'null'
				? 'is missing; it needs a value'
				: `must be a ${issue.expected}, got ${issue.received}`;
		default:
			return issue.message;
	}
}

/** What an item's error says happened: by default, that nothing left for it. */
export const NOTHING_SENT = 'Nothing was sent for this item.';

/**
 * The error of one item, before any request: `<message> [item <i>]`, with the fix and what
 * happened (`outcome`) as its description, so that every such error names the item the same way.
 */
export function itemError(
	fns: Pick<IExecuteFunctions, 'getNode'>,
	itemIndex: number,
	message: string,
	fix = '',
	outcome: string = NOTHING_SENT,
): NodeOperationError {
	return new NodeOperationError(fns.getNode(), `${message} [item ${itemIndex}]`, {
		itemIndex,
		description: [fix, outcome].filter(Boolean).join(' '),
	});
}

/** Number of characters as a person counts them (code points, so an emoji is one). */
export const charCount = (value: string) => [...value].length;

/**
 * A string of at most `max` characters (code points, not UTF-16 units), at least `min` (default 1).
 * Meta states its limits in characters; counting UTF-16 units would reject valid emoji text.
 */
export function text(max: number, min = 1) {
	return z.string().superRefine((value, ctx) => {
		const length = charCount(value);
		if (length < min) {
			ctx.addIssue({
				code: z.ZodIssueCode.too_small,
				type: 'string',
				minimum: min,
				inclusive: true,
			});
		} else if (length > max) {
			ctx.addIssue({ code: z.ZodIssueCode.too_big, type: 'string', maximum: max, inclusive: true });
		}
	});
}

/**
 * The one rule for emoji: a character that is an emoji or part of one. Besides pictographs
 * (Extended_Pictographic) that is a regional indicator (two make a flag), the keycap mark U+20E3
 * (1️⃣ is a digit, U+FE0F and U+20E3, none of them a pictograph), the emoji presentation selector
 * U+FE0F and the tag characters of a subdivision flag. One character class without a quantifier:
 * the test is linear in the text and cannot backtrack.
 */
const EMOJI_PART =
	/[\p{Extended_Pictographic}\p{Regional_Indicator}\u20E3\uFE0F\u{E0020}-\u{E007F}]/u;

/** Marks that only continue an emoji: text that starts with one has no emoji of its own there. */
const EMOJI_CONTINUATION = /^[\u20E3\uFE0F\u{E0020}-\u{E007F}]/u;

/** Whether the text contains an emoji, or a part of one. */
export const hasEmoji = (value: string) => EMOJI_PART.test(value);

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Whether the text is exactly one emoji: one grapheme (a flag, a keycap, a sequence) with an emoji. */
export const isOneEmoji = (value: string) =>
	hasEmoji(value) && !EMOJI_CONTINUATION.test(value) && [...graphemes.segment(value)].length === 1;

const RECIPIENT_FORMATTING = /[\s\-().]/g;

/**
 * Normalises a recipient phone number: removes spaces, dashes, dots and brackets, keeps a leading
 * '+'. Anything else that is not 7-15 digits is an error, never a silent rewrite. Returns the
 * normalised number, or undefined when it is not a phone number.
 */
export function normalizePhone(raw: string): string | undefined {
	const stripped = raw.trim().replace(RECIPIENT_FORMATTING, '');
	return /^\+?\d{7,15}$/.test(stripped) ? stripped : undefined;
}

/**
 * A business-scoped user ID (BSUID): two capital letters of the country, a dot, optionally `ENT.`
 * for a parent BSUID, then up to 128 letters and digits. Meta gives it to every customer (in the
 * trigger as `fromUserId`), and it is the only address of a customer who shares a username
 * instead of a phone number. It is case-sensitive and sent exactly as received.
 */
export const BSUID = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/;

/**
 * Who a message goes to: a phone number (`to`), a business-scoped user ID (`recipient`), or a
 * WhatsApp group (`to` with `recipient_type: group`).
 */
export type Recipient = { id: string; type: 'phone' | 'userId' | 'group' };

/** Whether a recipient (as `recipientSchema` returns it) is a business-scoped user ID. */
export const isBusinessScopedUserId = (recipient: string) => BSUID.test(recipient);

/**
 * A recipient: a phone number (normalised by `normalizePhone`) or a business-scoped user ID
 * (unchanged: it is not a number, and rewriting it would address someone else or no one).
 */
export const recipientSchema = z
	.string({ required_error: 'is missing; it needs a value' })
	.trim()
	.min(1)
	.transform((raw, ctx) => {
		if (BSUID.test(raw)) return raw;
		const phone = normalizePhone(raw);
		if (!phone) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message: `is neither a phone number nor a business-scoped user ID: "${raw.slice(0, 40)}". Use the phone number in international format with the country code, e.g. +4915112345678 (spaces, dashes and brackets are fine), or the user ID exactly as the trigger gave it (replyTo or fromUserId), e.g. US.13491208655302741918`,
			});
			return z.NEVER;
		}
		return phone;
	});

/**
 * The text of a free-text field as an expression left it. Numbers and booleans become text; null
 * and undefined are empty. An object or an array is an error naming the field and the item: sent
 * as it is, the customer would read "[object Object]" or "a,b".
 */
export function asText(
	fns: Pick<IExecuteFunctions, 'getNode'>,
	value: unknown,
	label: string,
	itemIndex: number,
): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
		return String(value);
	const kind = Array.isArray(value) ? 'a list' : 'an object';
	let shown: string;
	try {
		shown = JSON.stringify(value) ?? String(value);
	} catch {
		shown = String(value);
	}
	throw new NodeOperationError(
		fns.getNode(),
		`${label} must be text, but its expression gave ${kind} [item ${itemIndex}]`,
		{
			itemIndex,
			description: `Value: ${shown.slice(0, 120)}${shown.length > 120 ? '…' : ''}\nUse one field of it (for example {{ $json.order.id }}), or turn it into text in the expression with JSON.stringify(…) or .join(', '). Nothing was sent for this item.`,
		},
	);
}

/** Reads a free-text parameter of item `i` through `asText`; `trim` removes surrounding white space. */
export function readText(
	fns: Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>,
	name: string,
	itemIndex: number,
	label: string,
	{ trim = false }: { trim?: boolean } = {},
): string {
	const text = asText(fns, fns.getNodeParameter(name, itemIndex, ''), label, itemIndex);
	return trim ? text.trim() : text;
}

/**
 * Meta refuses (132018) a template text parameter with a new line, a tab or more than four spaces
 * in a row. Returns what is wrong, or undefined.
 */
export function templateParameterProblem(value: string): string | undefined {
	if (/[\n\r]/.test(value))
		return 'contains a new line, which WhatsApp does not allow in a template parameter (use a space, or put the line break into the template text itself)';
	if (/\t/.test(value))
		return 'contains a tab, which WhatsApp does not allow in a template parameter';
	if (/ {5,}/.test(value))
		return 'contains more than 4 spaces in a row, which WhatsApp does not allow in a template parameter';
	return undefined;
}

/**
 * A coordinate from a number field: a number or numeric text. Empty, null or anything else is an
 * error, never 0 (a pin in the ocean off Africa).
 */
export function readCoordinate(
	fns: Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>,
	name: string,
	itemIndex: number,
	label: string,
	limit: number,
): string {
	const raw = fns.getNodeParameter(name, itemIndex, null);
	const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	const value = Number(text);
	if (!text || !Number.isFinite(value) || Math.abs(value) > limit) {
		const got =
			raw === null || raw === undefined || raw === ''
				? 'is empty'
				: `is ${JSON.stringify(raw)?.slice(0, 40) ?? String(raw)}`;
		throw new NodeOperationError(
			fns.getNode(),
			`${label} ${got}; it must be a number from -${limit} to ${limit} [item ${itemIndex}]`,
			{
				itemIndex,
				description: `Field: ${label}. Give the coordinate in decimal degrees, e.g. 37.758056. Nothing was sent for this item.`,
			},
		);
	}
	return String(value);
}
