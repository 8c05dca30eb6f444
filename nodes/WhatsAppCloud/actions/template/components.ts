import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { jsonParse, NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { GRAPH_ID } from '../../../shared/ids';
import { asText, readText, text } from '../../helpers/validation';

/**
 * A template's components as Meta's create call takes them: Meta's rules as a schema (variables,
 * lengths, buttons per category, carousels, authentication buttons), the form fields turned into
 * components, and the JSON form read.
 */

const PLACEHOLDER = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;
const vars = (s: string) => [...s.matchAll(PLACEHOLDER)].map((m) => m[1]);
const upper = (value: unknown) => String(value ?? '').toUpperCase();
const chars = (value: string) => [...value].length;
const count = (n: number) => n.toLocaleString('en-US');

/** Meta's limits for the parts of a template this file checks. */
export const TEMPLATE_LIMITS = {
	body: 1024,
	cardBody: 160,
	buttonText: 25,
	minCards: 2,
	maxCards: 10,
	/** Product carousels are created with exactly two cards, and sent with 2 to 10. */
	productCards: 2,
	cardButtons: 2,
	supportedApps: 5,
	packageName: 224,
	signatureHash: 11,
	codeExpiration: { min: 1, max: 90 },
	authenticationTtl: { min: 30, max: 900 },
} as const;

/** Checks a text's variables: positional ones 1..n in order, named ones lowercase, none at the ends. */
function checkVariables(value: string, named: boolean, ctx: z.RefinementCtx, examples: number) {
	const found = vars(value);
	if (named) {
		if (found.some((v) => /^\d+$/.test(v)))
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message: 'mixes {{1}}-style variables into a template with named parameters',
			});
	} else {
		const numbers = found.map(Number);
		if (numbers.some(Number.isNaN))
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message: 'has named variables; choose Parameter Format "Named" or use {{1}}, {{2}} ...',
			});
		else if (numbers.some((n, i) => n !== i + 1))
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message: `must number its variables {{1}}, {{2}} ... in order (found ${found.map((v) => `{{${v}}}`).join(', ')})`,
			});
	}
	const trimmed = value.trim();
	if (found.length && (/^\{\{/.test(trimmed) || /\}\}$/.test(trimmed)))
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			message: 'may not start or end with a variable (Meta rejects it, error 2388299)',
		});
	if (found.length !== examples)
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			message: `has ${found.length} variable(s) but ${examples} example(s): give one example per variable`,
		});
}

/** How many examples a body carries, positional or named. */
function bodyExampleCount(raw: IDataObject, named: boolean): number {
	const example = (raw.example ?? {}) as IDataObject;
	return named
		? ((example.body_text_named_params as unknown[] | undefined)?.length ?? 0)
		: ((example.body_text as unknown[][] | undefined)?.[0]?.length ?? 0);
}

/** A Flow ID: digits, as text or (in JSON) as a number. */
const flowId = z.union([
	z.string().regex(GRAPH_ID, 'must be the Flow ID (digits only)'),
	z.number().int().nonnegative(),
]);

/**
 * The buttons Meta's create call takes, checked with their type in capitals (Meta's examples write
 * types in either case). One-time password buttons have their own check (`checkOtpButton`).
 */
const templateButtonSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('QUICK_REPLY'), text: text(25) }),
	z.object({
		type: z.literal('URL'),
		text: text(25),
		url: z.string().url('is not a valid URL').max(2000),
		example: z.array(z.string().min(1)).optional(),
	}),
	z.object({
		type: z.literal('PHONE_NUMBER'),
		text: text(25),
		phone_number: z
			.string()
			.regex(/^\+?\d{5,20}$/, 'must be a phone number with the country code (up to 20 digits)'),
	}),
	z.object({ type: z.literal('COPY_CODE'), example: text(15) }),
	// asks the customer to share their phone number; it takes no parameter when sent
	z.object({ type: z.literal('REQUEST_CONTACT_INFO'), text: text(25) }),
	z.object({ type: z.literal('OTP') }).passthrough(),
	z.object({
		type: z.literal('FLOW'),
		text: text(25),
		flow_id: flowId.optional(),
		flow_name: z.string().min(1).optional(),
		flow_json: z.string().min(1).optional(),
		flow_action: z
			.enum(['navigate', 'data_exchange'], {
				errorMap: () => ({ message: 'must be navigate or data_exchange' }),
			})
			.optional(),
		navigate_screen: z.string().min(1).optional(),
	}),
	// the View button of a product card: opens the product the card shows
	z.object({ type: z.literal('SPM'), text: text(25) }),
]);

type Issue = (path: Array<string | number>, message: string) => void;

/** A button as `templateButtonSchema` checks it: its type (and OTP kind) in capitals. */
const normalised = (b: IDataObject): IDataObject => ({
	...b,
	type: upper(b.type),
	...(b.otp_type !== undefined ? { otp_type: upper(b.otp_type) } : {}),
});

/**
 * Checks one button (not OTP) at `path`: the schema, a URL's one trailing variable and its example,
 * and a Flow button's one Flow.
 */
function checkButton(
	ctx: z.RefinementCtx,
	b: IDataObject,
	path: Array<string | number>,
	issue: Issue,
): void {
	const button = normalised(b);
	const parsed = templateButtonSchema.safeParse(button);
	if (!parsed.success)
		for (const problem of parsed.error.issues)
			ctx.addIssue({ ...problem, path: [...path, ...problem.path] });
	if (button.type === 'URL') {
		const urlVars = vars(String(b.url ?? ''));
		if (urlVars.length > 1 || (urlVars.length && !/\}\}$/.test(String(b.url))))
			issue([...path, 'url'], 'may have one variable, at the very end');
		if (urlVars.length && !(b.example as unknown[] | undefined)?.length)
			issue([...path, 'example'], 'is needed: a sample value for the URL variable');
	}
	if (button.type === 'FLOW') {
		const given = ['flow_id', 'flow_name', 'flow_json'].filter(
			(k) => b[k] !== undefined && b[k] !== '',
		);
		if (given.length !== 1)
			issue(
				[...path, 'flow_id'],
				given.length
					? `is given together with ${given.filter((k) => k !== 'flow_id').join(' and ')}: give the Flow one way only (ID, name or Flow JSON)`
					: 'is missing: give the Flow by ID or by name',
			);
	}
}

const PACKAGE_NAME = /^[a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z][a-zA-Z0-9_]*)+$/;
const SIGNATURE_HASH = /^[A-Za-z0-9+/=]{11}$/;

/** The one-time password button of an authentication template; issues go to `otp.*`. */
function checkOtpButton(b: IDataObject, issue: Issue): void {
	const kind = upper(b.otp_type);
	if (!['COPY_CODE', 'ONE_TAP', 'ZERO_TAP'].includes(kind)) {
		issue(
			['otp', 'otp_type'],
			`must be Copy Code, One-Tap or Zero-Tap (COPY_CODE, ONE_TAP, ZERO_TAP), not "${String(b.otp_type ?? '')}"`,
		);
		return;
	}
	for (const key of ['text', 'autofill_text'] as const) {
		if (b[key] === undefined) continue;
		const value = String(b[key]);
		if (!chars(value.trim())) issue(['otp', key], 'is empty; leave it out or give a label');
		else if (chars(value) > TEMPLATE_LIMITS.buttonText)
			issue(
				['otp', key],
				`is too long: ${chars(value)} characters (WhatsApp allows at most ${TEMPLATE_LIMITS.buttonText})`,
			);
	}
	// before v21.0 the app was named on the button itself; the versions this node speaks need the list
	if (b.package_name !== undefined || b.signature_hash !== undefined)
		issue(
			['otp', 'supported_apps'],
			'must name the app: package_name and signature_hash belong in supported_apps, not on the button',
		);
	if (kind === 'COPY_CODE') return;
	const apps = b.supported_apps;
	if (!Array.isArray(apps) || !apps.length) {
		issue(
			['otp', 'supported_apps'],
			`are needed for ${kind === 'ONE_TAP' ? 'a one-tap' : 'a zero-tap'} button: the Android app(s) that receive the code (package name and signature hash)`,
		);
	} else if (apps.length > TEMPLATE_LIMITS.supportedApps) {
		issue(
			['otp', 'supported_apps'],
			`are ${apps.length}; WhatsApp allows at most ${TEMPLATE_LIMITS.supportedApps}`,
		);
	} else {
		(apps as IDataObject[]).forEach((app, a) => {
			const name = String(app?.package_name ?? '');
			const hash = String(app?.signature_hash ?? '');
			if (!PACKAGE_NAME.test(name) || name.length > TEMPLATE_LIMITS.packageName)
				issue(
					['otp', 'supported_apps', a, 'package_name'],
					`"${name.slice(0, 60)}" is not an Android package name: at least two parts separated by dots, each starting with a letter, only letters, digits and underscores, up to ${TEMPLATE_LIMITS.packageName} characters (e.g. com.example.app)`,
				);
			if (!SIGNATURE_HASH.test(hash))
				issue(
					['otp', 'supported_apps', a, 'signature_hash'],
					`"${hash.slice(0, 40)}" is not an app signing key hash: exactly ${TEMPLATE_LIMITS.signatureHash} characters of letters, digits, +, / and = (not URL-encoded)`,
				);
		});
	}
	if (kind === 'ZERO_TAP' && b.zero_tap_terms_accepted !== true)
		issue(
			['otp', 'zero_tap_terms_accepted'],
			"must be true: zero-tap templates need WhatsApp's zero-tap terms accepted",
		);
}

/** Authentication templates: a fixed body, an optional code expiry, one one-time password button. */
function checkAuthentication(components: IDataObject[], ttl: unknown, issue: Issue): void {
	let otpButtons = 0;
	components.forEach((c) => {
		const type = upper(c.type);
		if (type === 'HEADER') issue(['header'], 'is not allowed: authentication templates have none');
		if (type === 'CAROUSEL')
			issue(['carousel'], 'are for Marketing templates only, not for authentication templates');
		if (type === 'BODY') {
			if (c.text !== undefined)
				issue(
					['body', 'text'],
					'must be left out: WhatsApp writes the body of an authentication template itself ("<code> is your verification code.")',
				);
			if (
				c.add_security_recommendation !== undefined &&
				typeof c.add_security_recommendation !== 'boolean'
			)
				issue(['body', 'add_security_recommendation'], 'must be true or false');
		}
		if (type === 'FOOTER') {
			if (c.text !== undefined)
				issue(
					['footer', 'text'],
					'must be left out: an authentication template has no footer text, only a code expiry (code_expiration_minutes)',
				);
			const minutes = c.code_expiration_minutes;
			const { min, max } = TEMPLATE_LIMITS.codeExpiration;
			if (
				minutes !== undefined &&
				!(Number.isInteger(minutes) && (minutes as number) >= min && (minutes as number) <= max)
			)
				issue(
					['footer', 'code_expiration_minutes'],
					`must be a whole number of minutes from ${min} to ${max}, not ${JSON.stringify(minutes)}`,
				);
		}
		if (type === 'BUTTONS') {
			((c.buttons ?? []) as IDataObject[]).forEach((b, bi) => {
				const kind = upper(b.type);
				if (kind === 'OTP') {
					otpButtons++;
					checkOtpButton(b, issue);
				} else if (kind === 'REQUEST_CONTACT_INFO') {
					issue(
						['buttons', bi, 'type'],
						'Request Contact Info buttons are for Utility and Marketing templates only',
					);
				} else {
					issue(
						['buttons', bi, 'type'],
						`${String(b.type)} is not allowed: an authentication template has one one-time password button (OTP) only`,
					);
				}
			});
		}
	});
	if (otpButtons !== 1)
		issue(
			['otp'],
			otpButtons
				? `is given ${otpButtons} times: an authentication template has exactly one one-time password button`
				: 'is missing: an authentication template needs one one-time password button (Copy Code, One-Tap or Zero-Tap)',
		);
	const { min, max } = TEMPLATE_LIMITS.authenticationTtl;
	if (
		ttl !== undefined &&
		!(Number.isInteger(ttl) && (ttl as number) >= min && (ttl as number) <= max)
	)
		issue(
			['message_send_ttl_seconds'],
			`must be a whole number of seconds from ${min} to ${max} for an authentication template, not ${JSON.stringify(ttl)}`,
		);
}

/** A card's components as Meta compares them: component types, header format, button types. */
function cardShape(card: IDataObject): string {
	return ((card.components ?? []) as IDataObject[])
		.map((c) => {
			const type = upper(c.type);
			if (type === 'HEADER') return `header ${upper(c.format).toLowerCase()}`;
			if (type === 'BUTTONS')
				return `buttons (${((c.buttons ?? []) as IDataObject[]).map((b) => upper(b.type)).join(', ')})`;
			return type.toLowerCase();
		})
		.join(', ');
}

/**
 * A carousel: 2 to 10 media cards (image or video header with a sample, an optional body of up to
 * 160 characters, up to two quick-reply, URL or phone buttons), or exactly two product cards
 * (product header, one View or URL button); every card with the same components as the first.
 * Issues go to `card.<index>.*` and `cards`.
 */
function checkCarousel(
	ctx: z.RefinementCtx,
	carousel: IDataObject,
	named: boolean,
	issue: Issue,
): void {
	const cards = carousel.cards;
	if (!Array.isArray(cards)) {
		issue(['cards'], 'are missing: a carousel needs a "cards" array');
		return;
	}
	const first = ((cards[0] as IDataObject | undefined)?.components ?? []) as IDataObject[];
	const product = upper(first.find((c) => upper(c.type) === 'HEADER')?.format) === 'PRODUCT';
	const { minCards, maxCards, productCards, cardButtons, cardBody } = TEMPLATE_LIMITS;
	if (product && cards.length !== productCards)
		issue(
			['cards'],
			`are ${cards.length}; a product card carousel is created with exactly ${productCards} cards (it can then be sent with ${minCards} to ${maxCards})`,
		);
	else if (!product && (cards.length < minCards || cards.length > maxCards))
		issue(
			['cards'],
			`are ${cards.length}; a carousel has ${minCards} to ${maxCards} cards (and is always sent with as many as it was created with)`,
		);
	(cards as IDataObject[]).forEach((card, ci) => {
		const at = (...rest: Array<string | number>) => ['card', ci, ...rest];
		const components = (card?.components ?? []) as IDataObject[];
		if (!Array.isArray(components) || !components.length) {
			issue(at(), 'has no components: a card needs a header');
			return;
		}
		const header = components.find((c) => upper(c.type) === 'HEADER');
		const format = upper(header?.format);
		if (!header) issue(at('header'), 'is missing: every card needs a header');
		else if (product ? format !== 'PRODUCT' : !['IMAGE', 'VIDEO'].includes(format))
			issue(
				at('header', 'format'),
				`is ${format || 'missing'}; ${product ? 'product cards have a PRODUCT header' : 'a card header is an IMAGE or VIDEO'} (Meta refuses it, error 2388047)`,
			);
		else if (
			!product &&
			!(((header.example as IDataObject)?.header_handle as unknown[]) ?? []).length
		)
			issue(
				at('header', 'example'),
				'needs a sample file (header_handle from the Resumable Upload API)',
			);
		for (const c of components) {
			const type = upper(c.type);
			if (!['HEADER', 'BODY', 'BUTTONS'].includes(type))
				issue(
					at(type.toLowerCase() || 'components'),
					'is not allowed in a card (header, body and buttons only)',
				);
			if (type === 'BODY') {
				if (product) {
					issue(at('body'), 'is not allowed: a product card shows the product from the catalog');
					continue;
				}
				const value = String(c.text ?? '');
				if (!chars(value.trim())) issue(at('body', 'text'), 'is empty; it needs a value');
				else if (chars(value) > cardBody)
					issue(
						at('body', 'text'),
						`is too long: ${count(chars(value))} characters (WhatsApp allows at most ${cardBody} in a card)`,
					);
				checkVariables(
					value,
					named,
					{ addIssue: (i) => ctx.addIssue({ ...i, path: at('body', 'text') }) } as z.RefinementCtx,
					bodyExampleCount(c, named),
				);
			}
			if (type === 'BUTTONS') {
				const buttons = (c.buttons ?? []) as IDataObject[];
				const allowed = product ? ['SPM', 'URL'] : ['QUICK_REPLY', 'URL', 'PHONE_NUMBER'];
				const most = product ? 1 : cardButtons;
				if (product && buttons.length !== 1)
					issue(
						at('buttons'),
						`are ${buttons.length}; a product card has exactly one button (View or URL)`,
					);
				else if (buttons.length > most)
					issue(at('buttons'), `are ${buttons.length}; a card has at most ${most}`);
				buttons.forEach((b, bi) => {
					if (!allowed.includes(upper(b.type))) {
						issue(
							at('buttons', bi, 'type'),
							`${String(b.type)} is not allowed on a ${product ? 'product' : 'media'} card (${product ? 'View (SPM) or URL' : 'quick reply, URL or phone number'})`,
						);
						return;
					}
					checkButton(ctx, b, at('buttons', bi), issue);
				});
			}
		}
		if (ci > 0 && cardShape(card) !== cardShape(cards[0] as IDataObject))
			issue(
				at(),
				`has other components than card 1 (${cardShape(card) || 'none'} instead of ${cardShape(cards[0] as IDataObject)}): every card of a carousel has the same header type, body and buttons`,
			);
	});
}

/** A template as Meta's create call takes it, with Meta's rules for each component. */
export const templateSchema = z
	.object({
		name: z
			.string()
			.regex(
				/^[a-z0-9_]{1,512}$/,
				'may only have lowercase letters, digits and underscores (up to 512)',
			),
		language: z
			.string()
			.regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, 'must be a language code such as en_US or de'),
		category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
		parameter_format: z.enum(['POSITIONAL', 'NAMED']),
		message_send_ttl_seconds: z.number().optional(),
		components: z.array(z.object({ type: z.string() }).passthrough()).min(1),
	})
	.superRefine((t, ctx) => {
		const named = t.parameter_format === 'NAMED';
		const issue: Issue = (path, message) =>
			ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
		// issues are addressed by component kind (body, header, footer, buttons), as the form shows them
		const at = (index: number, key?: string) => {
			const kind = String(t.components[index].type).toLowerCase();
			return key ? [kind, key] : [kind];
		};
		const tooLong = (value: string, max: number, path: (string | number)[]) =>
			issue(
				path,
				`is too long: ${count(chars(value))} characters (WhatsApp allows at most ${count(max)})`,
			);
		const types = t.components.map((c) => upper(c.type));
		const isAuth = t.category === 'AUTHENTICATION';
		if (!types.includes('BODY')) issue(['components'], 'need a body');
		if (isAuth) {
			checkAuthentication(t.components as IDataObject[], t.message_send_ttl_seconds, issue);
			return;
		}
		const carousel = types.includes('CAROUSEL');
		if (carousel && t.category !== 'MARKETING')
			issue(
				['category'],
				'must be Marketing for a carousel template (Meta allows cards in marketing templates only)',
			);
		t.components.forEach((c, index) => {
			const type = upper(c.type);
			const raw = c as IDataObject;
			const example = (raw.example ?? {}) as IDataObject;
			if (carousel && ['HEADER', 'FOOTER', 'BUTTONS'].includes(type))
				issue(
					at(index),
					'is not allowed in a carousel template: it has a message body and cards only (each card has its own header and buttons)',
				);
			if (type === 'CAROUSEL') checkCarousel(ctx, raw, named, issue);
			if (type === 'HEADER' && upper(raw.format) === 'TEXT') {
				const value = String(raw.text ?? '');
				if (chars(value) > 60) tooLong(value, 60, at(index, 'text'));
				if (vars(value).length > 1) issue(at(index, 'text'), 'may have at most one variable');
				const examples =
					(
						(named ? example.header_text_named_params : example.header_text) as
							| unknown[]
							| undefined
					)?.length ?? 0;
				checkVariables(
					value,
					named,
					{ addIssue: (i) => ctx.addIssue({ ...i, path: at(index, 'text') }) } as z.RefinementCtx,
					examples,
				);
			}
			if (
				type === 'HEADER' &&
				['IMAGE', 'VIDEO', 'DOCUMENT'].includes(upper(raw.format)) &&
				!(example.header_handle as unknown[] | undefined)?.length
			) {
				issue(
					at(index, 'example'),
					'needs a sample file (header_handle from the Resumable Upload API)',
				);
			}
			if (type === 'BODY') {
				const value = String(raw.text ?? '');
				if (!chars(value))
					ctx.addIssue({
						code: z.ZodIssueCode.too_small,
						type: 'string',
						minimum: 1,
						inclusive: true,
						path: at(index, 'text'),
					});
				if (chars(value) > TEMPLATE_LIMITS.body)
					tooLong(value, TEMPLATE_LIMITS.body, at(index, 'text'));
				checkVariables(
					value,
					named,
					{ addIssue: (i) => ctx.addIssue({ ...i, path: at(index, 'text') }) } as z.RefinementCtx,
					bodyExampleCount(raw, named),
				);
			}
			if (type === 'FOOTER' && raw.text !== undefined) {
				const value = String(raw.text);
				if (chars(value) > 60) tooLong(value, 60, at(index, 'text'));
				if (vars(value).length) issue(at(index, 'text'), 'may not have variables');
			}
			if (type === 'BUTTONS') {
				const buttons = (raw.buttons ?? []) as IDataObject[];
				if (buttons.length > 10)
					issue(['buttons'], `has ${buttons.length} buttons (WhatsApp allows at most 10)`);
				buttons.forEach((b, bi) => {
					if (upper(b.type) === 'OTP') {
						issue(
							['buttons', bi, 'type'],
							'One-time password buttons are for Authentication templates only',
						);
						return;
					}
					if (upper(b.type) === 'SPM') {
						issue(
							['buttons', bi, 'type'],
							'View (SPM) buttons belong on product cards of a carousel',
						);
						return;
					}
					checkButton(ctx, b, ['buttons', bi], issue);
				});
				const quick = buttons.map((b) => upper(b.type) === 'QUICK_REPLY');
				const first = quick.indexOf(true);
				const last = quick.lastIndexOf(true);
				if (first >= 0 && quick.slice(first, last + 1).includes(false))
					issue(['buttons'], 'must keep quick replies next to each other');
			}
		});
	});

/** Editor labels of the template's parts, for errors: cards and buttons by number, as the form shows them. */
export const TEMPLATE_LABELS: Record<string, string> = {
	name: 'Name',
	language: 'Language',
	category: 'Category',
	components: 'Components',
	header: 'Header',
	'header.text': 'Header Text',
	'header.example': 'Header Sample File',
	body: 'Body',
	'body.text': 'Body',
	'body.add_security_recommendation': 'Add Security Recommendation',
	footer: 'Footer',
	'footer.text': 'Footer',
	'footer.code_expiration_minutes': 'Code Expiration (Minutes)',
	message_send_ttl_seconds: 'Time-To-Live (Seconds)',
	buttons: 'Buttons',
	'buttons.*': 'Button',
	'buttons.*.text': 'Button > Text',
	'buttons.*.url': 'Button > URL',
	'buttons.*.example': 'Button > Example',
	'buttons.*.phone_number': 'Button > Phone Number',
	'buttons.*.type': 'Button > Type',
	'buttons.*.flow_id': 'Button > Flow ID',
	'buttons.*.flow_name': 'Button > Flow Name',
	'buttons.*.flow_json': 'Button > Flow JSON',
	'buttons.*.flow_action': 'Button > Flow Action',
	'buttons.*.navigate_screen': 'Button > Navigate Screen',
	otp: 'Code Button',
	'otp.otp_type': 'Code Button',
	'otp.text': 'Button Text',
	'otp.autofill_text': 'Autofill Button Text',
	'otp.supported_apps': 'Supported Apps',
	'otp.supported_apps.*.package_name': 'Supported App > Package Name',
	'otp.supported_apps.*.signature_hash': 'Supported App > Signature Hash',
	'otp.zero_tap_terms_accepted': 'Zero-Tap Terms Accepted',
	carousel: 'Cards',
	cards: 'Cards',
	...cardLabels(),
};

/** "Card 2 > Button 1 > Text" for `card.1.buttons.0.text`: cards and their buttons counted from 1. */
function cardLabels(): Record<string, string> {
	const labels: Record<string, string> = {};
	for (let c = 0; c < TEMPLATE_LIMITS.maxCards; c++) {
		const card = `Card ${c + 1}`;
		Object.assign(labels, {
			[`card.${c}`]: card,
			[`card.${c}.header`]: `${card} > Header`,
			[`card.${c}.header.format`]: `${card} > Header`,
			[`card.${c}.header.example`]: `${card} > Header Sample File`,
			[`card.${c}.body`]: `${card} > Body`,
			[`card.${c}.body.text`]: `${card} > Body`,
			[`card.${c}.buttons`]: `${card} > Buttons`,
		});
		for (let b = 0; b < 10; b++) {
			const button = `${card} > Button ${b + 1}`;
			labels[`card.${c}.buttons.${b}`] = button;
			for (const [key, label] of [
				['text', 'Text'],
				['url', 'URL'],
				['example', 'URL Example'],
				['phone_number', 'Phone Number'],
				['type', 'Type'],
			])
				labels[`card.${c}.buttons.${b}.${key}`] = `${button} > ${label}`;
		}
	}
	return labels;
}

/** Reads a JSON components parameter (string or parsed) as an array, or fails naming the field. */
export function parseComponentsJson(
	fns: IExecuteFunctions,
	value: unknown,
	i: number,
	field: string,
): IDataObject[] {
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = jsonParse(value);
		} catch (error) {
			throw new NodeOperationError(
				fns.getNode(),
				`${field} is not valid JSON: ${(error as Error).message} [item ${i}]`,
				{ itemIndex: i },
			);
		}
	}
	if (!Array.isArray(parsed))
		throw new NodeOperationError(
			fns.getNode(),
			`${field} must be a JSON array of components [item ${i}]`,
			{ itemIndex: i },
		);
	return parsed as IDataObject[];
}

function lines(value: string): string[] {
	return value
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);
}

function namedExamples(values: string[]) {
	return values.map((l) => {
		const m = /^([a-z0-9_]+)=(.*)$/.exec(l);
		return { param_name: m?.[1] ?? '', example: m?.[2] ?? l };
	});
}

/** A body component from its text and its examples (one per line; named: name=value). */
function bodyComponent(bodyText: string, examplesText: string, named: boolean): IDataObject {
	const examples = lines(examplesText);
	return {
		type: 'BODY',
		text: bodyText,
		...(examples.length
			? {
					example: named
						? { body_text_named_params: namedExamples(examples) }
						: { body_text: [examples] },
				}
			: {}),
	};
}

/** A URL button from the form: its example only when given. */
function urlButton(text: string, url: string, example: string): IDataObject {
	return { type: 'URL', text, url, ...(example ? { example: [example] } : {}) };
}

/** The one-time password button and the other parts of an authentication template's form. */
function authenticationFromForm(
	fns: IExecuteFunctions,
	i: number,
	p: (name: string) => string,
): IDataObject[] {
	const kind = p('otpType') || 'COPY_CODE';
	const button: IDataObject = { type: 'OTP', otp_type: kind };
	if (p('otpButtonText').trim()) button.text = p('otpButtonText').trim();
	if (kind !== 'COPY_CODE') {
		if (p('autofillText').trim()) button.autofill_text = p('autofillText').trim();
		const apps = fns.getNodeParameter('supportedApps.app', i, []) as IDataObject[];
		button.supported_apps = apps.map((app, a) => ({
			package_name: asText(fns, app.packageName, `Supported App ${a + 1} > Package Name`, i).trim(),
			signature_hash: asText(
				fns,
				app.signatureHash,
				`Supported App ${a + 1} > Signature Hash`,
				i,
			).trim(),
		}));
		if (kind === 'ZERO_TAP')
			button.zero_tap_terms_accepted =
				fns.getNodeParameter('zeroTapTermsAccepted', i, false) === true;
	}
	const minutes = Number(fns.getNodeParameter('codeExpirationMinutes', i, 0));
	return [
		{
			type: 'BODY',
			...(fns.getNodeParameter('addSecurityRecommendation', i, true) === true
				? { add_security_recommendation: true }
				: {}),
		},
		// 0 (the default) means no expiry line
		...(minutes !== 0 ? [{ type: 'FOOTER', code_expiration_minutes: minutes }] : []),
		{ type: 'BUTTONS', buttons: [button] },
	];
}

/** A carousel's cards from the form: media cards from the Cards list, or the two product cards. */
function carouselFromForm(
	fns: IExecuteFunctions,
	i: number,
	kind: string,
	p: (name: string) => string,
	named: boolean,
): IDataObject {
	if (kind === 'productCarousel') {
		const type = p('productButtonType') || 'SPM';
		const button =
			type === 'URL'
				? urlButton(
						p('productButtonText').trim(),
						p('productButtonUrl').trim(),
						p('productButtonUrlExample').trim(),
					)
				: { type: 'SPM', text: p('productButtonText').trim() };
		const card = () => ({
			components: [
				{ type: 'HEADER', format: 'PRODUCT' },
				{ type: 'BUTTONS', buttons: [{ ...button }] },
			],
		});
		// Meta takes exactly two product cards at creation; the template then sends 2 to 10
		return { type: 'CAROUSEL', cards: [card(), card()] };
	}
	const format = p('cardHeaderFormat') || 'IMAGE';
	const cards = (fns.getNodeParameter('cards.card', i, []) as IDataObject[]).map((card, ci) => {
		const s = (key: string, label: string) =>
			asText(fns, card[key], `Card ${ci + 1} > ${label}`, i);
		const components: IDataObject[] = [
			{ type: 'HEADER', format, example: { header_handle: ['pending-upload'] } },
		];
		if (s('bodyText', 'Body').trim())
			components.push(
				bodyComponent(s('bodyText', 'Body'), s('bodyExamples', 'Body Examples'), named),
			);
		const buttons: IDataObject[] = [];
		for (const n of [1, 2]) {
			const type = String(card[`button${n}Type`] ?? 'NONE');
			const t = s(`button${n}Text`, `Button ${n} > Text`).trim();
			if (type === 'QUICK_REPLY') buttons.push({ type, text: t });
			if (type === 'URL')
				buttons.push(
					urlButton(
						t,
						s(`button${n}Url`, `Button ${n} > URL`).trim(),
						s(`button${n}UrlExample`, `Button ${n} > URL Example`).trim(),
					),
				);
			if (type === 'PHONE_NUMBER')
				buttons.push({
					type,
					text: t,
					phone_number: s(`button${n}PhoneNumber`, `Button ${n} > Phone Number`).trim(),
				});
		}
		if (buttons.length) components.push({ type: 'BUTTONS', buttons });
		return { components };
	});
	return { type: 'CAROUSEL', cards };
}

/** The template kinds the form builds for the Marketing category. */
export const TEMPLATE_TYPES = ['standard', 'mediaCarousel', 'productCarousel'] as const;

/** Builds Meta's components array from the form fields of item `i`; `labelOf` names a field. */
export function componentsFromForm(
	fns: IExecuteFunctions,
	i: number,
	named: boolean,
	category: string,
	labelOf: (name: string) => string,
): IDataObject[] {
	const p = (name: string) => readText(fns, name, i, labelOf(name));
	if (category === 'AUTHENTICATION') return authenticationFromForm(fns, i, p);
	const kind = category === 'MARKETING' ? p('templateType') || 'standard' : 'standard';
	if (kind !== 'standard')
		return [
			bodyComponent(p('bodyText'), p('bodyExamples'), named),
			carouselFromForm(fns, i, kind, p, named),
		];
	const components: IDataObject[] = [];
	const header = p('headerFormat') || 'NONE';
	if (header === 'TEXT') {
		const examples = lines(p('headerExample'));
		components.push({
			type: 'HEADER',
			format: 'TEXT',
			text: p('headerText'),
			...(examples.length
				? {
						example: named
							? { header_text_named_params: namedExamples(examples) }
							: { header_text: examples },
					}
				: {}),
		});
	} else if (header === 'LOCATION') {
		components.push({ type: 'HEADER', format: 'LOCATION' });
	} else if (header !== 'NONE') {
		components.push({
			type: 'HEADER',
			format: header,
			example: { header_handle: ['pending-upload'] },
		});
	}
	components.push(bodyComponent(p('bodyText'), p('bodyExamples'), named));
	if (p('footerText')) components.push({ type: 'FOOTER', text: p('footerText') });
	const buttons = (fns.getNodeParameter('buttons.button', i, []) as IDataObject[]).map((b, bi) => {
		const type = String(b.type);
		const s = (k: string, label: string) =>
			asText(fns, b[k], `Button ${bi + 1} > ${label}`, i).trim();
		if (type === 'URL')
			return urlButton(s('text', 'Text'), s('url', 'URL'), s('urlExample', 'URL Example'));
		if (type === 'PHONE_NUMBER')
			return { type, text: s('text', 'Text'), phone_number: s('phoneNumber', 'Phone Number') };
		if (type === 'COPY_CODE') return { type, example: s('couponExample', 'Code Example') };
		if (type === 'FLOW') {
			const action = s('flowAction', 'Flow Action') || 'navigate';
			const screen = s('navigateScreen', 'Navigate Screen');
			// an empty ID or name is left out, so the check says the Flow is missing
			const flow =
				String(b.flowBy ?? 'id') === 'name'
					? { flow_name: s('flowName', 'Flow Name') }
					: { flow_id: s('flowId', 'Flow ID') };
			return {
				type,
				text: s('text', 'Text'),
				...Object.fromEntries(Object.entries(flow).filter(([, v]) => v)),
				flow_action: action,
				...(action === 'navigate' && screen ? { navigate_screen: screen } : {}),
			};
		}
		return { type, text: s('text', 'Text') };
	});
	if (buttons.length) components.push({ type: 'BUTTONS', buttons });
	return components;
}
