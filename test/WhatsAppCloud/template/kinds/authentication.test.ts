/**
 * Creating authentication templates (Meta's copy-code, one-tap autofill and zero-tap pages, and its
 * time-to-live page): the form gives exactly the components Meta takes, and every rule (1 to 5
 * supported apps, package names, 11-character signature hashes, zero-tap terms, code expiry 1-90
 * minutes, time-to-live 30-900 seconds, labels 25) has an inside case that is sent and an outside
 * case that fails before any request, naming the item and the field. Meta keeps the template as
 * its fixed text with a URL button, which the sandbox plays too.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runOperation } from '../../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../../dev/harness/sandbox';
import { SANDBOX_TOKEN, SANDBOX_WABA_ID, type GraphSandbox } from '../../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => {
		sandbox.log.length = 0;
	},
);

let names = 0;
const create = async (parameters: INodeParameters) =>
	await runOperation(credentials, 'template', 'create', {
		templateName: `login_${++names}`,
		language: 'en_US',
		category: 'AUTHENTICATION',
		...parameters,
	});
const stored = (id: unknown) => sandbox.templates.get(String(id))!;
const app = (packageName = 'com.example.app', signatureHash = 'K8a/AINcGX7') => ({
	packageName,
	signatureHash,
});
const apps = (...list: Array<ReturnType<typeof app>>) => ({ supportedApps: { app: list } });
const oneTap = (extra: INodeParameters = {}): INodeParameters => ({
	otpType: 'ONE_TAP',
	...apps(app()),
	...extra,
});

describe('Template > Create: authentication templates', () => {
	test('copy code with the defaults: security recommendation, no expiry, no time-to-live', async () => {
		const { items, error } = await create({});
		expect(error).toBeUndefined();
		expect(items[0].json.components).toEqual([
			{ type: 'BODY', add_security_recommendation: true },
			{ type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE' }] },
		]);
		const template = stored(items[0].json.id);
		expect(template.message_send_ttl_seconds).toBeUndefined();
		// Meta keeps it as the text it shows and a URL button carrying the code
		expect(template.components).toEqual([
			{
				type: 'BODY',
				text: '*{{1}}* is your verification code. For your security, do not share this code.',
				add_security_recommendation: true,
				example: { body_text: [['123456']] },
			},
			{
				type: 'BUTTONS',
				buttons: [
					{
						type: 'URL',
						text: 'Copy code',
						url: 'https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}',
						example: ['https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp123456'],
					},
				],
			},
		]);
	});

	test('one-tap with its app, labels, a 5-minute expiry and a 300-second time-to-live', async () => {
		const { items, error } = await create(
			oneTap({
				otpButtonText: 'Copy code',
				autofillText: 'Autofill',
				addSecurityRecommendation: false,
				codeExpirationMinutes: 5,
				messageSendTtlSeconds: 300,
			}),
		);
		expect(error).toBeUndefined();
		expect(items[0].json.components).toEqual([
			{ type: 'BODY' },
			{ type: 'FOOTER', code_expiration_minutes: 5 },
			{
				type: 'BUTTONS',
				buttons: [
					{
						type: 'OTP',
						otp_type: 'ONE_TAP',
						text: 'Copy code',
						autofill_text: 'Autofill',
						supported_apps: [{ package_name: 'com.example.app', signature_hash: 'K8a/AINcGX7' }],
					},
				],
			},
		]);
		expect(stored(items[0].json.id).message_send_ttl_seconds).toBe(300);
	});

	test('zero-tap with the terms accepted and five apps', async () => {
		const five = [1, 2, 3, 4, 5].map((n) => app(`com.example.app${n}`, `K8a/AINcGX${n}`));
		const { items, error } = await create({
			otpType: 'ZERO_TAP',
			zeroTapTermsAccepted: true,
			...apps(...five),
		});
		expect(error).toBeUndefined();
		expect((items[0].json.components as IDataObject[])[1]).toEqual({
			type: 'BUTTONS',
			buttons: [
				{
					type: 'OTP',
					otp_type: 'ZERO_TAP',
					supported_apps: five.map((a) => ({
						package_name: a.packageName,
						signature_hash: a.signatureHash,
					})),
					zero_tap_terms_accepted: true,
				},
			],
		});
	});

	test("Meta's JSON (lowercase) is taken as it is", async () => {
		const components = [
			{ type: 'body', add_security_recommendation: true },
			{ type: 'footer', code_expiration_minutes: 10 },
			{ type: 'buttons', buttons: [{ type: 'otp', otp_type: 'copy_code', text: 'Copy code' }] },
		];
		const { items, error } = await create({
			definition: 'json',
			componentsJson: JSON.stringify(components),
			messageSendTtlSeconds: 600,
		});
		expect(error).toBeUndefined();
		expect(items[0].json.components).toEqual(components);
	});

	test('each limit: the inside case is sent, the outside case fails before any request naming the field', async () => {
		const inside: Array<[string, INodeParameters]> = [
			['expiry of 1 minute', { codeExpirationMinutes: 1 }],
			['expiry of 90 minutes', { codeExpirationMinutes: 90 }],
			['time-to-live of 30 seconds', { messageSendTtlSeconds: 30 }],
			['time-to-live of 900 seconds', { messageSendTtlSeconds: 900 }],
			['labels of 25', oneTap({ otpButtonText: 'c'.repeat(25), autofillText: 'a'.repeat(25) })],
			['a package name of 224', oneTap(apps(app(`com.${'a'.repeat(220)}`)))],
			['a signature hash with + and =', oneTap(apps(app('com.example.app', 'ab+/CD=12=x')))],
		];
		for (const [what, parameters] of inside) {
			const { error } = await create(parameters);
			expect([what, error?.message]).toEqual([what, undefined]);
		}
		sandbox.log.length = 0;
		const outside: Array<[INodeParameters, string]> = [
			[
				{ codeExpirationMinutes: 91 },
				'Code Expiration (Minutes) must be a whole number of minutes from 1 to 90, not 91',
			],
			[
				{ codeExpirationMinutes: -1 },
				'Code Expiration (Minutes) must be a whole number of minutes from 1 to 90, not -1',
			],
			[
				{ messageSendTtlSeconds: 29 },
				'Time-To-Live (Seconds) must be a whole number of seconds from 30 to 900 for an authentication template, not 29',
			],
			[
				{ messageSendTtlSeconds: 901 },
				'Time-To-Live (Seconds) must be a whole number of seconds from 30 to 900 for an authentication template, not 901',
			],
			[
				{ otpButtonText: 'c'.repeat(26) },
				'Button Text is too long: 26 characters (WhatsApp allows at most 25)',
			],
			[
				oneTap({ autofillText: 'a'.repeat(26) }),
				'Autofill Button Text is too long: 26 characters (WhatsApp allows at most 25)',
			],
			[
				{ otpType: 'ONE_TAP' },
				'Supported Apps are needed for a one-tap button: the Android app(s) that receive the code (package name and signature hash)',
			],
			[
				oneTap(apps(...[1, 2, 3, 4, 5, 6].map((n) => app(`com.example.a${n}`)))),
				'Supported Apps are 6; WhatsApp allows at most 5',
			],
			[
				oneTap(apps(app('example'))),
				'Supported App 1 > Package Name "example" is not an Android package name',
			],
			[
				oneTap(apps(app(), app('com.1example.app'))),
				'Supported App 2 > Package Name "com.1example.app" is not an Android package name',
			],
			[oneTap(apps(app(`com.${'a'.repeat(221)}`))), 'Supported App 1 > Package Name'],
			[
				oneTap(apps(app('com.example.app', 'K8a/AINcGX'))),
				'Supported App 1 > Signature Hash "K8a/AINcGX" is not an app signing key hash: exactly 11 characters',
			],
			[
				oneTap(apps(app('com.example.app', 'K8a/AINcGX78'))),
				'Supported App 1 > Signature Hash "K8a/AINcGX78" is not an app signing key hash',
			],
			[
				oneTap(apps(app('com.example.app', 'K8a%2FAINcGX7'))),
				'Supported App 1 > Signature Hash "K8a%2FAINcGX7" is not an app signing key hash: exactly 11 characters of letters, digits, +, / and = (not URL-encoded)',
			],
			[
				{ otpType: 'ZERO_TAP', ...apps(app()) },
				"Zero-Tap Terms Accepted must be true: zero-tap templates need WhatsApp's zero-tap terms accepted",
			],
		];
		for (const [parameters, message] of outside) {
			const { error } = await create(parameters);
			expect(error?.message?.startsWith(message)).toBe(true);
			expect(error?.message).toMatch(/ \[item 0\]$/);
		}
		expect(sandbox.log).toHaveLength(0);
	});

	test('JSON: what an authentication template cannot have fails before any request', async () => {
		const json = (components: IDataObject[]) => ({
			definition: 'json',
			componentsJson: JSON.stringify(components),
		});
		const copy = { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE' }] };
		const cases: Array<[IDataObject[], string]> = [
			[
				[{ type: 'HEADER', format: 'TEXT', text: 'Code' }, { type: 'BODY' }, copy],
				'Header is not allowed: authentication templates have none',
			],
			[
				[{ type: 'BODY', text: 'Your code is {{1}} here.' }, copy],
				'Body must be left out: WhatsApp writes the body of an authentication template itself',
			],
			[
				[{ type: 'BODY' }, { type: 'FOOTER', text: 'Valid for 5 minutes' }, copy],
				'Footer must be left out: an authentication template has no footer text',
			],
			[
				[{ type: 'BODY' }],
				'Code Button is missing: an authentication template needs one one-time password button',
			],
			[
				[{ type: 'BODY' }, { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Hi' }] }],
				'Button 1 > Type QUICK_REPLY is not allowed: an authentication template has one one-time password button (OTP) only',
			],
			[
				[
					{ type: 'BODY' },
					{
						type: 'BUTTONS',
						buttons: [
							{
								type: 'OTP',
								otp_type: 'ONE_TAP',
								package_name: 'com.example.app',
								signature_hash: 'K8a/AINcGX7',
							},
						],
					},
				],
				'Supported Apps must name the app: package_name and signature_hash belong in supported_apps',
			],
			[
				[{ type: 'BODY' }, { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'TWO_TAP' }] }],
				'Code Button must be Copy Code, One-Tap or Zero-Tap (COPY_CODE, ONE_TAP, ZERO_TAP), not "TWO_TAP"',
			],
		];
		for (const [components, message] of cases) {
			const { error } = await create(json(components));
			expect(error?.message?.startsWith(message)).toBe(true);
		}
		// OTP buttons belong to authentication templates only
		const marketing = await create({
			category: 'MARKETING',
			...json([{ type: 'BODY', text: 'Hello there' }, copy]),
		});
		expect(marketing.error?.message).toBe(
			'Button 1 > Type One-time password buttons are for Authentication templates only [item 0]',
		);
		expect(sandbox.log).toHaveLength(0);
	});

	test('the sandbox refuses what Meta refuses, so a node bug cannot pass', async () => {
		const post = async (body: IDataObject) => {
			const response = await fetch(`${sandbox.url}/v25.0/${SANDBOX_WABA_ID}/message_templates`, {
				method: 'POST',
				headers: { authorization: `Bearer ${SANDBOX_TOKEN}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					name: `raw_login_${++names}`,
					language: 'en_US',
					category: 'AUTHENTICATION',
					...body,
				}),
			});
			return ((await response.json()) as { error?: IDataObject }).error?.error_user_msg;
		};
		const button = (extra: IDataObject) => [
			{ type: 'body' },
			{ type: 'buttons', buttons: [{ type: 'otp', ...extra }] },
		];
		const sixApps = [1, 2, 3, 4, 5, 6].map((n) => ({
			package_name: `com.example.a${n}`,
			signature_hash: 'K8a/AINcGX7',
		}));
		expect(await post({ components: button({ otp_type: 'copy_code' }) })).toBeUndefined();
		expect(
			await post({ message_send_ttl_seconds: 901, components: button({ otp_type: 'copy_code' }) }),
		).toBe('message_send_ttl_seconds must be between 30 and 900 for AUTHENTICATION templates.');
		expect(
			await post({ components: button({ otp_type: 'one_tap', supported_apps: sixApps }) }),
		).toBe('supported_apps must list 1 to 5 apps for ONE_TAP and ZERO_TAP buttons.');
		expect(
			await post({
				components: button({ otp_type: 'zero_tap', supported_apps: sixApps.slice(0, 1) }),
			}),
		).toBe('zero_tap_terms_accepted must be true to create a ZERO_TAP template.');
		expect(
			await post({
				components: [
					{ type: 'body' },
					{ type: 'footer', code_expiration_minutes: 91 },
					{ type: 'buttons', buttons: [{ type: 'otp', otp_type: 'copy_code' }] },
				],
			}),
		).toBe('code_expiration_minutes must be between 1 and 90.');
		expect(
			await post({
				components: button({
					otp_type: 'one_tap',
					supported_apps: [{ package_name: 'com.example.app', signature_hash: 'K8a%2FAINcGX7' }],
				}),
			}),
		).toBe('Invalid signature_hash "K8a%2FAINcGX7": it must be 11 characters.');
	});
});
