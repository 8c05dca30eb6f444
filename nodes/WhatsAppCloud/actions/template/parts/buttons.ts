import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { GRAPH_ID } from '../../../../shared/ids';
import { LIMIT, upTo, upToLower } from '../../../helpers/limits';
import { text } from '../../../helpers/validation';
import { minutesIn } from '../../message/interactive/voiceCall';
import { upper } from '../definition';
import type { Check, PartRule, Path } from './types';
import { vars } from './variables';

/** A template's buttons: each type's fields and rules, and the rules of the message's buttons. */

/** What the form says of every button's text and URL (the message's, a card's, a product card's). */
export const BUTTON_TEXT_DESCRIPTION = `Button label, ${upToLower(LIMIT.templateButtonText)}`;
export const BUTTON_URL_DESCRIPTION = `${upTo(LIMIT.templateButtonUrl)}; one variable, at the end`;

/** A Flow ID: digits, as text or (in JSON) as a number. */
const flowId = z.union([
	z.string().regex(GRAPH_ID, 'must be the Flow ID (digits only)'),
	z.number().int().nonnegative(),
]);

const PHONE_NUMBER = new RegExp(`^\\+?\\d{5,${LIMIT.templateButtonPhoneDigits}}$`);

/**
 * The buttons Meta's create call takes, checked with their type in capitals (Meta's examples write
 * types in either case). One-time password buttons have their own check (kinds/authentication.ts).
 */
const templateButtonSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('QUICK_REPLY'), text: text(LIMIT.templateButtonText) }),
	z.object({
		type: z.literal('URL'),
		text: text(LIMIT.templateButtonText),
		url: z.string().url('is not a valid URL').max(LIMIT.templateButtonUrl),
		example: z.array(z.string().min(1)).optional(),
	}),
	z.object({
		type: z.literal('PHONE_NUMBER'),
		text: text(LIMIT.templateButtonText),
		phone_number: z
			.string()
			.regex(
				PHONE_NUMBER,
				`must be a phone number with the country code (up to ${LIMIT.templateButtonPhoneDigits} digits)`,
			),
	}),
	z.object({ type: z.literal('COPY_CODE'), example: text(LIMIT.couponCode) }),
	// asks the customer to share their phone number; it takes no parameter when sent
	z.object({ type: z.literal('REQUEST_CONTACT_INFO'), text: text(LIMIT.templateButtonText) }),
	z.object({ type: z.literal('OTP') }).passthrough(),
	z.object({
		type: z.literal('FLOW'),
		text: text(LIMIT.templateButtonText),
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
	z.object({ type: z.literal('SPM'), text: text(LIMIT.templateButtonText) }),
	// starts a WhatsApp call to the business (not the PSTN call of PHONE_NUMBER); WhatsApp shows
	// "Call Now" without a text, and the button can be tapped for 1 to 30 days once sent
	z.object({
		type: z.literal('VOICE_CALL'),
		text: text(LIMIT.callButtonText).optional(),
		ttl_minutes: minutesIn(LIMIT.templateCallTtlMin, LIMIT.callTtlMax).optional(),
	}),
]);

/** A button as `templateButtonSchema` checks it: its type (and OTP kind) in capitals. */
const normalised = (b: IDataObject): IDataObject => ({
	...b,
	type: upper(b.type),
	...(b.otp_type !== undefined ? { otp_type: upper(b.otp_type) } : {}),
});

/**
 * Checks one button (not OTP) at `path`, in the message or on a card: the schema, a URL's one
 * trailing variable and its example, and a Flow button's one Flow.
 */
export function checkButton(b: IDataObject, path: Path, { ctx, issue }: Check): void {
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

/**
 * Meta's rules for the message's buttons: how many, none that belong to another kind (a code
 * button, a product card's View), each button's own, and quick replies side by side.
 */
export const checkButtons: PartRule = (c, _at, check) => {
	const { issue } = check;
	const buttons = (c.buttons ?? []) as IDataObject[];
	if (buttons.length > LIMIT.templateButtons)
		issue(
			['buttons'],
			`has ${buttons.length} buttons (WhatsApp allows at most ${LIMIT.templateButtons})`,
		);
	buttons.forEach((b, bi) => {
		if (upper(b.type) === 'OTP') {
			issue(
				['buttons', bi, 'type'],
				'One-time password buttons are for Authentication templates only',
			);
			return;
		}
		if (upper(b.type) === 'SPM') {
			issue(['buttons', bi, 'type'], 'View (SPM) buttons belong on product cards of a carousel');
			return;
		}
		checkButton(b, ['buttons', bi], check);
	});
	const quick = buttons.map((b) => upper(b.type) === 'QUICK_REPLY');
	const first = quick.indexOf(true);
	const last = quick.lastIndexOf(true);
	if (first >= 0 && quick.slice(first, last + 1).includes(false))
		issue(['buttons'], 'must keep quick replies next to each other');
};

/** A URL button from the form: its example only when given. */
export const urlButton = (label: string, url: string, example: string): IDataObject => ({
	type: 'URL',
	text: label,
	url,
	...(example ? { example: [example] } : {}),
});

/** The buttons component of a list of buttons; none when it is empty. */
export const buttonsComponents = (buttons: IDataObject[]): IDataObject[] =>
	buttons.length ? [{ type: 'BUTTONS', buttons }] : [];

/**
 * A voice call button from the form: its text when given, its time to live in minutes. Meta's
 * example writes the type in lowercase (`voice_call`), where the other buttons are in capitals;
 * Meta reads button types in either case, and the one it shows is the safer to send.
 */
export const voiceCallButton = (label: string, minutes: unknown): IDataObject => ({
	type: 'voice_call',
	...(label ? { text: label } : {}),
	...(minutes !== undefined ? { ttl_minutes: minutes } : {}),
});
