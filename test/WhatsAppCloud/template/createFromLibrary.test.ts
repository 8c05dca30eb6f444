/**
 * Template > Create From Library: the request (library name, button inputs as an array, body
 * inputs), the approved template Meta gives back, the library picker, Meta's refusal of missing
 * button inputs, and each refusal before any request.
 */
import { actionLoadOptions, type OperationArgs, runOperation } from '../../../dev/harness/engine';
import { searchLibraryTemplates } from '../../../nodes/WhatsAppCloud/methods/listSearch';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import { SANDBOX_WABA_ID, type GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => {
		sandbox.reset();
		for (const [id, t] of sandbox.templates)
			if (t.library_template_name) sandbox.templates.delete(id);
	},
	{ recordRequests: true },
);

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);
const PATH = `/v25.0/${SANDBOX_WABA_ID}/message_templates`;
const bodyOf = (k: number) => JSON.parse(sandbox.received[k].body.toString('utf8')) as unknown;
const library = (value: string, mode = 'list') => ({ __rl: true, mode, value });
const url = {
	type: 'URL',
	baseUrl: 'https://www.example.com/{{1}}',
	urlSuffixExample: 'https://www.example.com/order_update',
};
const phone = { type: 'PHONE_NUMBER', phoneNumber: '+1 631 555 1010' };

describe('Template > Create From Library', () => {
	test('posts the library name, the button inputs as an array and the body inputs', async () => {
		const { items, error } = await run('template', 'createFromLibrary', {
			libraryTemplate: library('delivery_update_1'),
			templateName: 'my_delivery_update',
			language: 'en_US',
			libraryCategory: 'UTILITY',
			buttonInputs: { button: [url, phone] },
			bodyInputs: { add_contact_number: true, add_track_package_link: false },
		});
		expect(error).toBeUndefined();
		expect(sandbox.received).toHaveLength(1);
		expect(sandbox.received[0]).toMatchObject({ method: 'POST', path: PATH });
		expect(bodyOf(0)).toEqual({
			name: 'my_delivery_update',
			language: 'en_US',
			category: 'UTILITY',
			library_template_name: 'delivery_update_1',
			library_template_button_inputs: [
				{
					type: 'URL',
					url: {
						base_url: 'https://www.example.com/{{1}}',
						url_suffix_example: 'https://www.example.com/order_update',
					},
				},
				{ type: 'PHONE_NUMBER', phone_number: '+16315551010' },
			],
			library_template_body_inputs: { add_contact_number: true, add_track_package_link: false },
		});
		expect(items.map((i) => i.json)).toEqual([
			{
				id: expect.stringMatching(/^\d+$/),
				status: 'APPROVED',
				category: 'UTILITY',
				name: 'my_delivery_update',
				language: 'en_US',
				libraryTemplateName: 'delivery_update_1',
			},
		]);
		const created = sandbox.templates.get(String(items[0].json.id))!;
		expect(created).toMatchObject({
			status: 'APPROVED',
			library_template_name: 'delivery_update_1',
		});
	});

	test('an authentication library template with a copy-code button and a code expiry', async () => {
		const { items, error } = await run('template', 'createFromLibrary', {
			libraryTemplate: library('verification_code_1', 'name'),
			templateName: 'login_code',
			language: 'en_US',
			libraryCategory: 'AUTHENTICATION',
			buttonInputs: { button: [{ type: 'OTP', otpType: 'COPY_CODE' }] },
			bodyInputs: { add_security_recommendation: true, code_expiration_minutes: 5 },
		});
		expect(error).toBeUndefined();
		expect(bodyOf(0)).toMatchObject({
			category: 'AUTHENTICATION',
			library_template_button_inputs: [{ type: 'OTP', otp_type: 'COPY_CODE' }],
			library_template_body_inputs: {
				add_security_recommendation: true,
				code_expiration_minutes: 5,
			},
		});
		expect(items[0].json).toMatchObject({ status: 'APPROVED', category: 'AUTHENTICATION' });
	});

	test('a library template without buttons needs no button inputs', async () => {
		const { items, error } = await run('template', 'createFromLibrary', {
			libraryTemplate: library('low_balance_warning_1'),
			templateName: 'balance_low',
			language: 'en_US',
		});
		expect(error).toBeUndefined();
		expect(bodyOf(0)).toEqual({
			name: 'balance_low',
			language: 'en_US',
			category: 'UTILITY',
			library_template_name: 'low_balance_warning_1',
		});
		expect(items[0].json.status).toBe('APPROVED');
	});

	test('Meta refuses a library template whose buttons got no inputs (a NodeApiError)', async () => {
		const { error } = await run('template', 'createFromLibrary', {
			libraryTemplate: library('delivery_update_1'),
			templateName: 'no_inputs',
			language: 'en_US',
		});
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(/needs inputs for its buttons URL, PHONE_NUMBER, in that order/);
	});

	test.each([
		[
			'a library name from an expression with a path',
			{ libraryTemplate: library('={{ "delivery_update_1/../x" }}', 'name') },
			/Library Template must be a library template name/,
		],
		[
			'an empty library name from an expression',
			{ libraryTemplate: library('={{ "  " }}', 'name') },
			/Library Template is empty/,
		],
		[
			'a new name with capitals from an expression',
			{ templateName: '={{ "My_Update" }}' },
			/Name must be a template name .*got "My_Update"/,
		],
		[
			'a Marketing category from an expression',
			{ libraryCategory: '={{ "MARKETING" }}' },
			/Category must be UTILITY or AUTHENTICATION, got "MARKETING"/,
		],
		[
			'a URL input that is not https',
			{ buttonInputs: { button: [{ ...url, baseUrl: 'http://example.com/{{1}}' }, phone] } },
			/Button Inputs > Button 1 > Base URL must be an https:\/\/ address/,
		],
		[
			'a URL input with the variable in the middle',
			{ buttonInputs: { button: [{ ...url, baseUrl: 'https://example.com/{{1}}/x' }, phone] } },
			/Base URL may have one variable, \{\{1\}\}, at its very end/,
		],
		[
			'a phone number of 21 digits',
			{ buttonInputs: { button: [url, { type: 'PHONE_NUMBER', phoneNumber: '1'.repeat(21) }] } },
			/Button Inputs > Button 2 > Phone Number has 21 digits \(WhatsApp allows at most 20\)/,
		],
		[
			'a phone number from an expression that is an object',
			{ buttonInputs: { button: [url, { type: 'PHONE_NUMBER', phoneNumber: '={{ { n: 1 } }}' }] } },
			/Phone Number must be text, but its expression gave an object/,
		],
		[
			'a one-tap code without its app',
			{ buttonInputs: { button: [{ type: 'OTP', otpType: 'ONE_TAP' }] } },
			/Android Package Name must be an Android package name/,
		],
		[
			'a zero-tap code without the terms',
			{
				buttonInputs: {
					button: [
						{
							type: 'OTP',
							otpType: 'ZERO_TAP',
							packageName: 'com.example.app',
							signatureHash: 'K8a/AINcGX7',
						},
					],
				},
			},
			/Zero-Tap Terms Accepted must be on/,
		],
		[
			'an Add Contact Number from an expression that is text',
			{ bodyInputs: { add_contact_number: '={{ "yes" }}' } },
			/Body Inputs > Add Contact Number must be true or false, got "yes"/,
		],
		[
			'a code expiry of 91 minutes from an expression',
			{ bodyInputs: { code_expiration_minutes: '={{ 91 }}' } },
			/Code Expiration \(Minutes\) must be a whole number from 1 to 90, got 91/,
		],
	])('refuses %s before any request', async (_, parameters, message) => {
		const { error } = await run('template', 'createFromLibrary', {
			libraryTemplate: library('delivery_update_1'),
			templateName: 'refused',
			language: 'en_US',
			buttonInputs: { button: [url, phone] },
			...parameters,
		});
		expect(error?.message).toMatch(message);
		expect(sandbox.received).toEqual([]);
	});

	test("the picker searches Meta's library and shows the buttons that need inputs", async () => {
		const ctx = actionLoadOptions(
			{ resource: 'template', operation: 'createFromLibrary' },
			credentials,
			'parameters.libraryTemplate',
		);
		const found = await searchLibraryTemplates.call(ctx, 'delivery');
		expect(found.results).toEqual([
			{
				name: 'delivery_update_1 · utility · en_US · buttons: URL, PHONE_NUMBER',
				value: 'delivery_update_1',
			},
		]);
		expect(sandbox.received[0]).toMatchObject({
			method: 'GET',
			path: '/v25.0/message_template_library',
			query: { search: 'delivery', limit: '100' },
		});
	});
});

describe("the sandbox checks template bodies against Meta's OpenAPI request schema", () => {
	test('a library create whose name is not text is refused', async () => {
		const res = await fetch(`${sandbox.url}${PATH}`, {
			method: 'POST',
			headers: { authorization: 'Bearer sandbox-token', 'content-type': 'application/json' },
			body: JSON.stringify({
				name: 42,
				language: 'en_US',
				category: 'UTILITY',
				library_template_name: 'low_balance_warning_1',
			}),
		});
		expect(res.status).toBe(400);
		const body = (await res.json()) as { error: { error_data: { details: string } } };
		expect(body.error.error_data.details).toBe('$.name: expected string, got integer 42');
	});
});
