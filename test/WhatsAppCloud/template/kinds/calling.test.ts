/**
 * Template > Create with the Calling API's entry points (actions/template/parts/buttons.ts and
 * parts/callPermission.ts): a Voice Call button among the buttons, and a Call Permission Request
 * component. The exact components reach the sandbox; every rule (text 20, 1,440 to 43,200 minutes,
 * Marketing or Utility, nothing interactive beside the request) has an inside case that is sent
 * and an outside case that fails before any request, from the form, expressions and JSON alike.
 * The sandbox refuses what Meta refuses when posted to directly.
 */
import type { INodeParameters } from 'n8n-workflow';

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
		templateName: `support_call_${++names}`,
		language: 'en_US',
		category: 'UTILITY',
		bodyText: 'You can call us on WhatsApp now for faster service!',
		...parameters,
	});
const stored = (id: unknown) => sandbox.templates.get(String(id))!;
const buttons = (...button: INodeParameters[]) => ({ buttons: { button } });
const BODY = { type: 'BODY', text: 'You can call us on WhatsApp now for faster service!' };

/** Fails before any request, with `message` naming item 0. */
async function refused(parameters: INodeParameters, message: RegExp) {
	const { error } = await create(parameters);
	expect(error?.name).toBe('NodeOperationError');
	expect(error?.message).toMatch(message);
	expect(error?.message).toMatch(/\[item 0\]$/);
	expect(sandbox.log).toHaveLength(0);
}

describe('Template > Create: a Voice Call button', () => {
	test("Meta's example: a voice call button beside a URL button", async () => {
		const { items, error } = await create(
			buttons(
				{ type: 'VOICE_CALL', text: 'Call Now', callValidFor: 1440 },
				{ type: 'URL', text: 'Contact Support', url: 'https://www.luckyshrub.com/support' },
			),
		);
		expect(error).toBeUndefined();
		const components = [
			BODY,
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'voice_call', text: 'Call Now', ttl_minutes: 1440 },
					{ type: 'URL', text: 'Contact Support', url: 'https://www.luckyshrub.com/support' },
				],
			},
		];
		expect(items[0].json.components).toEqual(components);
		expect(stored(items[0].json.id).components).toEqual(components);
	});

	test('an empty text is left to WhatsApp ("Call Now"); minutes from an expression as text become a number', async () => {
		const { items, error } = await create(
			buttons({ type: 'VOICE_CALL', text: '', callValidFor: '={{ "43200" }}' }),
		);
		expect(error).toBeUndefined();
		expect(stored(items[0].json.id).components[1]).toEqual({
			type: 'BUTTONS',
			buttons: [{ type: 'voice_call', ttl_minutes: 43200 }],
		});
	});

	test.each<[string, INodeParameters, RegExp]>([
		[
			'text of 21 characters',
			{ type: 'VOICE_CALL', text: 'x'.repeat(21), callValidFor: 1440 },
			/^Button 1 > Text is too long \(WhatsApp allows at most 20 characters\)/,
		],
		[
			'1,439 minutes (below a day, from an expression)',
			{ type: 'VOICE_CALL', text: 'Call', callValidFor: '={{ 1439 }}' },
			/^Button 1 > Valid For \(Minutes\) must be a whole number of minutes from 1,440 to 43,200, not 1439/,
		],
		[
			'43,201 minutes',
			{ type: 'VOICE_CALL', text: 'Call', callValidFor: 43201 },
			/^Button 1 > Valid For \(Minutes\) must be a whole number of minutes from 1,440 to 43,200, not 43201/,
		],
		[
			'minutes as words from an expression',
			{ type: 'VOICE_CALL', text: 'Call', callValidFor: '={{ "a day" }}' },
			/^Button 1 > Valid For \(Minutes\) must be a whole number of minutes from 1,440 to 43,200, not "a day"/,
		],
	])('refused before any request: %s', async (_name, button, message) => {
		await refused(buttons(button), message);
	});

	test('the same rules hold for Components (JSON), with the type in either case', async () => {
		const json = (button: object) => ({
			definition: 'json',
			componentsJson: JSON.stringify([BODY, { type: 'BUTTONS', buttons: [button] }]),
		});
		const ok = await create(json({ type: 'VOICE_CALL', text: 'Call us', ttl_minutes: 10080 }));
		expect(ok.error).toBeUndefined();
		sandbox.log.length = 0;
		await refused(
			json({ type: 'voice_call', ttl_minutes: 60 }),
			/must be a whole number of minutes from 1,440 to 43,200, not 60/,
		);
	});
});

describe('Template > Create: a Call Permission Request component', () => {
	test("Meta's example: named parameters, a body and the request", async () => {
		const { items, error } = await create({
			parameterFormat: 'NAMED',
			bodyText: 'Hi {{first_name}}, we would like to call you to assist with your recent order.',
			bodyExamples: 'first_name=Pablo',
			callPermissionRequest: true,
		});
		expect(error).toBeUndefined();
		const components = [
			{
				type: 'BODY',
				text: 'Hi {{first_name}}, we would like to call you to assist with your recent order.',
				example: { body_text_named_params: [{ param_name: 'first_name', example: 'Pablo' }] },
			},
			{ type: 'call_permission_request' },
		];
		expect(items[0].json).toMatchObject({ status: 'PENDING', category: 'UTILITY' });
		expect(stored(items[0].json.id).components).toEqual(components);
	});

	test('a Marketing one, with a header and footer beside it', async () => {
		const { items, error } = await create({
			category: 'MARKETING',
			headerFormat: 'TEXT',
			headerText: 'Lucky Shrub',
			footerText: 'Reply STOP to opt out',
			callPermissionRequest: true,
		});
		expect(error).toBeUndefined();
		expect(stored(items[0].json.id).components.map((c) => c.type)).toEqual([
			'HEADER',
			'BODY',
			'FOOTER',
			'call_permission_request',
		]);
	});

	test('refused before any request: buttons beside it', async () => {
		await refused(
			{ callPermissionRequest: true, ...buttons({ type: 'QUICK_REPLY', text: 'Yes' }) },
			/^Buttons cannot be combined with a call permission request/,
		);
	});

	test('refused before any request, in Components (JSON): an authentication template, two requests, a carousel or an empty body', async () => {
		const json = (components: object[], category = 'UTILITY') => ({
			category,
			definition: 'json',
			componentsJson: JSON.stringify(components),
		});
		const request = { type: 'CALL_PERMISSION_REQUEST' };
		await refused(
			json([{ type: 'BODY', add_security_recommendation: true }, request], 'AUTHENTICATION'),
			/^Call Permission Request is for Marketing and Utility templates only, not authentication/,
		);
		await refused(json([BODY, request, request]), /^Call Permission Request is given 2 times/);
		await refused(
			json([BODY, request, { type: 'LIMITED_TIME_OFFER', limited_time_offer: { text: 'x' } }]),
			/cannot be combined with a call permission request/,
		);
		await refused(json([{ type: 'BODY', text: '' }, request]), /^Body is empty/);
	});
});

describe('the sandbox refuses the calling templates Meta refuses', () => {
	const post = async (template: object) => {
		const response = await fetch(`${sandbox.url}/v25.0/${SANDBOX_WABA_ID}/message_templates`, {
			method: 'POST',
			headers: { authorization: `Bearer ${SANDBOX_TOKEN}`, 'content-type': 'application/json' },
			body: JSON.stringify({ name: `raw_${++names}`, language: 'en_US', ...template }),
		});
		return {
			status: response.status,
			error: ((await response.json()) as { error?: { error_user_msg?: string } }).error,
		};
	};
	const request = { type: 'call_permission_request' };

	test.each<[string, object, RegExp]>([
		[
			'a call permission request in an authentication template',
			{ category: 'AUTHENTICATION', components: [BODY, request] },
			/MARKETING or UTILITY/,
		],
		[
			'a call permission request beside buttons',
			{
				category: 'UTILITY',
				components: [
					BODY,
					request,
					{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Yes' }] },
				],
			},
			/not BUTTONS/,
		],
		[
			'a voice call button valid for less than a day',
			{
				category: 'UTILITY',
				components: [BODY, { type: 'BUTTONS', buttons: [{ type: 'voice_call', ttl_minutes: 60 }] }],
			},
			/from 1440 to 43200/,
		],
		[
			'a voice call button with 21 characters',
			{
				category: 'UTILITY',
				components: [
					BODY,
					{ type: 'BUTTONS', buttons: [{ type: 'voice_call', text: 'x'.repeat(21) }] },
				],
			},
			/1 to 20 characters/,
		],
	])('%s', async (_name, template, message) => {
		const { status, error } = await post(template);
		expect(status).toBe(400);
		expect(error?.error_user_msg).toMatch(message);
		expect([...sandbox.templates.values()].some((t) => t.name === `raw_${names}`)).toBe(false);
	});
});
