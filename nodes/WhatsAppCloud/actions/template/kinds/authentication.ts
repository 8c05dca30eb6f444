import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { LIMIT, upTo, upToLower } from '../../../helpers/limits';
import { charCount } from '../../../helpers/validation';
import { upper } from '../definition';
import type { Issue, TemplateForm, TemplateKind } from '../parts/types';

/**
 * The authentication template: WhatsApp writes its body ("<code> is your verification code."),
 * with an optional security line and code expiry, and it has one one-time password button:
 * copy code, one-tap autofill or zero-tap. Its category chooses it, in the form and in JSON.
 */

/** Its fields show for the Authentication category, defined with the form. */
const shown = { definition: ['form'], category: ['AUTHENTICATION'] };

const fields: INodeProperties[] = [
	{
		displayName: 'Code Button',
		name: 'otpType',
		type: 'options',
		default: 'COPY_CODE',
		options: [
			{
				name: 'Copy Code',
				value: 'COPY_CODE',
				description: 'The customer copies the code and pastes it into your app',
			},
			{
				name: 'One-Tap Autofill',
				value: 'ONE_TAP',
				description:
					'Android: a tap fills the code into your app (after its handshake); elsewhere copy code',
			},
			{
				name: 'Zero-Tap',
				value: 'ZERO_TAP',
				description:
					'Android: your app receives the code without a tap (after its handshake); elsewhere copy code',
			},
		],
		description: 'WhatsApp writes the body itself: "<code> is your verification code."',
		displayOptions: { show: shown },
	},
	{
		displayName: 'Button Text',
		name: 'otpButtonText',
		type: 'string',
		default: '',
		placeholder: 'Copy code',
		description: `${upTo(LIMIT.templateButtonText)}; empty: WhatsApp's own label`,
		displayOptions: { show: shown },
	},
	{
		displayName: 'Autofill Button Text',
		name: 'autofillText',
		type: 'string',
		default: '',
		placeholder: 'Autofill',
		description: `${upTo(LIMIT.templateButtonText)}; empty: WhatsApp's own label`,
		displayOptions: { show: { ...shown, otpType: ['ONE_TAP', 'ZERO_TAP'] } },
	},
	{
		displayName: 'Supported Apps',
		name: 'supportedApps',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add app',
		description: `The Android apps that may receive the code: 1 to ${LIMIT.supportedApps}`,
		displayOptions: { show: { ...shown, otpType: ['ONE_TAP', 'ZERO_TAP'] } },
		options: [
			{
				displayName: 'App',
				name: 'app',
				values: [
					{
						displayName: 'Package Name',
						name: 'packageName',
						type: 'string',
						default: '',
						placeholder: 'com.example.app',
						description: `At least two parts separated by dots, each starting with a letter; ${upToLower(LIMIT.packageName)}`,
					},
					{
						displayName: 'Signature Hash',
						name: 'signatureHash',
						type: 'string',
						default: '',
						placeholder: 'K8a/AINcGX7',
						description: `The app signing key hash: ${LIMIT.signatureHash} characters, as the app's build gives it`,
					},
				],
			},
		],
	},
	{
		displayName: 'Zero-Tap Terms Accepted',
		name: 'zeroTapTermsAccepted',
		type: 'boolean',
		default: false,
		description:
			"Whether you accept WhatsApp's zero-tap terms: your customers expect the code to be filled in for them. Meta creates no zero-tap template without it.",
		displayOptions: { show: { ...shown, otpType: ['ZERO_TAP'] } },
	},
	{
		displayName: 'Add Security Recommendation',
		name: 'addSecurityRecommendation',
		type: 'boolean',
		default: true,
		description: 'Whether the body adds "For your security, do not share this code."',
		displayOptions: { show: shown },
	},
	{
		displayName: 'Code Expiration (Minutes)',
		name: 'codeExpirationMinutes',
		type: 'number',
		default: 0,
		description: `Adds "This code expires in N minutes." (${LIMIT.codeExpirationMin} to ${LIMIT.codeExpirationMax}). 0: no expiry line; a one-tap button then stops working after 10 minutes.`,
		displayOptions: { show: shown },
	},
	{
		// not a component but a field of the template, so it shows for Components (JSON) too
		displayName: 'Time-To-Live (Seconds)',
		name: 'messageSendTtlSeconds',
		type: 'number',
		default: 0,
		description: `How long WhatsApp tries to deliver the code before dropping it: ${LIMIT.authenticationTtlMin} to ${LIMIT.authenticationTtlMax} seconds. 0: WhatsApp's default (10 minutes).`,
		displayOptions: { show: { category: ['AUTHENTICATION'] } },
	},
];

/** The one-time password button of the form. */
function codeButton(form: TemplateForm): IDataObject {
	const { fns, i } = form;
	const kind = form.text('otpType') || 'COPY_CODE';
	const button: IDataObject = { type: 'OTP', otp_type: kind };
	const label = form.text('otpButtonText').trim();
	if (label) button.text = label;
	if (kind === 'COPY_CODE') return button;
	const autofill = form.text('autofillText').trim();
	if (autofill) button.autofill_text = autofill;
	const apps = fns.getNodeParameter('supportedApps.app', i, []) as IDataObject[];
	button.supported_apps = apps.map((app, a) => ({
		package_name: form.entryText(app.packageName, `Supported App ${a + 1} > Package Name`).trim(),
		signature_hash: form
			.entryText(app.signatureHash, `Supported App ${a + 1} > Signature Hash`)
			.trim(),
	}));
	if (kind === 'ZERO_TAP')
		button.zero_tap_terms_accepted =
			fns.getNodeParameter('zeroTapTermsAccepted', i, false) === true;
	return button;
}

/** The body's security line, the footer's code expiry, and the code button, from the form. */
function fromForm(form: TemplateForm): IDataObject[] {
	const { fns, i } = form;
	const button = codeButton(form);
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

/** The template's time-to-live: only an authentication template has one; 0 leaves it to WhatsApp. */
export function timeToLive(fns: IExecuteFunctions, i: number, category: string): IDataObject {
	const ttl =
		category === 'AUTHENTICATION' ? Number(fns.getNodeParameter('messageSendTtlSeconds', i, 0)) : 0;
	return ttl !== 0 ? { message_send_ttl_seconds: ttl } : {};
}

export const PACKAGE_NAME = /^[a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z][a-zA-Z0-9_]*)+$/;
export const SIGNATURE_HASH = new RegExp(`^[A-Za-z0-9+/=]{${LIMIT.signatureHash}}$`);

/** Whether a value is a whole number from `min` to `max`. */
const wholeIn = (value: unknown, min: number, max: number) =>
	Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/** The Android apps of a one-tap or zero-tap button; issues go to `otp.supported_apps`. */
function checkApps(apps: unknown, kind: string, issue: Issue): void {
	if (!Array.isArray(apps) || !apps.length) {
		issue(
			['otp', 'supported_apps'],
			`are needed for ${kind === 'ONE_TAP' ? 'a one-tap' : 'a zero-tap'} button: the Android app(s) that receive the code (package name and signature hash)`,
		);
	} else if (apps.length > LIMIT.supportedApps) {
		issue(
			['otp', 'supported_apps'],
			`are ${apps.length}; WhatsApp allows at most ${LIMIT.supportedApps}`,
		);
	} else {
		(apps as IDataObject[]).forEach((app, a) => {
			const name = String(app?.package_name ?? '');
			const hash = String(app?.signature_hash ?? '');
			if (!PACKAGE_NAME.test(name) || name.length > LIMIT.packageName)
				issue(
					['otp', 'supported_apps', a, 'package_name'],
					`"${name.slice(0, 60)}" is not an Android package name: at least two parts separated by dots, each starting with a letter, only letters, digits and underscores, up to ${LIMIT.packageName} characters (e.g. com.example.app)`,
				);
			if (!SIGNATURE_HASH.test(hash))
				issue(
					['otp', 'supported_apps', a, 'signature_hash'],
					`"${hash.slice(0, 40)}" is not an app signing key hash: exactly ${LIMIT.signatureHash} characters of letters, digits, +, / and = (not URL-encoded)`,
				);
		});
	}
}

/** The one-time password button; issues go to `otp.*`. */
function checkCodeButton(b: IDataObject, issue: Issue): void {
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
		if (!charCount(value.trim())) issue(['otp', key], 'is empty; leave it out or give a label');
		else if (charCount(value) > LIMIT.templateButtonText)
			issue(
				['otp', key],
				`is too long: ${charCount(value)} characters (WhatsApp allows at most ${LIMIT.templateButtonText})`,
			);
	}
	// before v21.0 the app was named on the button itself; the versions this node speaks need the list
	if (b.package_name !== undefined || b.signature_hash !== undefined)
		issue(
			['otp', 'supported_apps'],
			'must name the app: package_name and signature_hash belong in supported_apps, not on the button',
		);
	if (kind === 'COPY_CODE') return;
	checkApps(b.supported_apps, kind, issue);
	if (kind === 'ZERO_TAP' && b.zero_tap_terms_accepted !== true)
		issue(
			['otp', 'zero_tap_terms_accepted'],
			"must be true: zero-tap templates need WhatsApp's zero-tap terms accepted",
		);
}

/** The body WhatsApp writes: no text of its own, at most a security line. */
function checkBody(c: IDataObject, issue: Issue): void {
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

/** The footer: no text, at most a code expiry. */
function checkFooter(c: IDataObject, issue: Issue): void {
	if (c.text !== undefined)
		issue(
			['footer', 'text'],
			'must be left out: an authentication template has no footer text, only a code expiry (code_expiration_minutes)',
		);
	const minutes = c.code_expiration_minutes;
	const [min, max] = [LIMIT.codeExpirationMin, LIMIT.codeExpirationMax];
	if (minutes !== undefined && !wholeIn(minutes, min, max))
		issue(
			['footer', 'code_expiration_minutes'],
			`must be a whole number of minutes from ${min} to ${max}, not ${JSON.stringify(minutes)}`,
		);
}

/** The buttons: one-time password buttons only; returns how many there are. */
function checkButtons(c: IDataObject, issue: Issue): number {
	let codeButtons = 0;
	((c.buttons ?? []) as IDataObject[]).forEach((b, bi) => {
		const kind = upper(b.type);
		if (kind === 'OTP') {
			codeButtons++;
			checkCodeButton(b, issue);
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
	return codeButtons;
}

/**
 * Meta's rules for an authentication template, from the form or JSON: no header or cards, the
 * body and footer WhatsApp writes, exactly one code button, and a time-to-live in range.
 */
export function checkAuthentication(components: IDataObject[], ttl: unknown, issue: Issue): void {
	let codeButtons = 0;
	components.forEach((c) => {
		const type = upper(c.type);
		if (type === 'HEADER') issue(['header'], 'is not allowed: authentication templates have none');
		if (type === 'CAROUSEL')
			issue(['carousel'], 'are for Marketing templates only, not for authentication templates');
		if (type === 'BODY') checkBody(c, issue);
		if (type === 'FOOTER') checkFooter(c, issue);
		if (type === 'BUTTONS') codeButtons += checkButtons(c, issue);
	});
	if (codeButtons !== 1)
		issue(
			['otp'],
			codeButtons
				? `is given ${codeButtons} times: an authentication template has exactly one one-time password button`
				: 'is missing: an authentication template needs one one-time password button (Copy Code, One-Tap or Zero-Tap)',
		);
	const [min, max] = [LIMIT.authenticationTtlMin, LIMIT.authenticationTtlMax];
	if (ttl !== undefined && !wholeIn(ttl, min, max))
		issue(
			['message_send_ttl_seconds'],
			`must be a whole number of seconds from ${min} to ${max} for an authentication template, not ${JSON.stringify(ttl)}`,
		);
}

export const authentication: TemplateKind = {
	fields,
	fromForm,
	labels: {
		'body.add_security_recommendation': 'Add Security Recommendation',
		'footer.code_expiration_minutes': 'Code Expiration (Minutes)',
		message_send_ttl_seconds: 'Time-To-Live (Seconds)',
		otp: 'Code Button',
		'otp.otp_type': 'Code Button',
		'otp.text': 'Button Text',
		'otp.autofill_text': 'Autofill Button Text',
		'otp.supported_apps': 'Supported Apps',
		'otp.supported_apps.*.package_name': 'Supported App > Package Name',
		'otp.supported_apps.*.signature_hash': 'Supported App > Signature Hash',
		'otp.zero_tap_terms_accepted': 'Zero-Tap Terms Accepted',
	},
};
