import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runAction } from '../../../dev/harness/engine';
import { startSandbox } from '../../../dev/harness/sandbox';
import { addTestTemplates } from '../../../dev/harness/templates';
import { SANDBOX_APP_ID, type GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];

beforeAll(async () => {
	({ sandbox, credentials } = await startSandbox());
	credentials.appId = SANDBOX_APP_ID;
	// among them payment_receipt in en_US, which the duplicate test creates again
	addTestTemplates(sandbox);
});
afterAll(async () => await sandbox.stop());
beforeEach(() => {
	sandbox.accepted.length = 0;
	sandbox.log.length = 0;
});

const manage = async (operation: string, parameters: INodeParameters, input?: IDataObject[]) =>
	await runAction(
		{ resource: 'template', operation, ...parameters },
		credentials,
		(input ?? [{}]).map((json) => ({ json })),
	);

describe('template management against the sandbox', () => {
	test('create with a document header sample uploaded through the Resumable Upload API', async () => {
		const sample = Buffer.from('%PDF-1.4 sample receipt\n%%EOF\n');
		const { items, error } = await runAction(
			{
				resource: 'template',
				operation: 'create',
				templateName: 'event_ticket',
				language: 'en_US',
				category: 'UTILITY',
				headerFormat: 'DOCUMENT',
				headerBinaryProperty: 'sample',
				bodyText: 'Hi {{1}}, your ticket for {{2}} is attached. See you there!',
				bodyExamples: 'Pablo\nSummer Fair',
				footerText: 'Lucky Shrub Events',
				buttons: {
					button: [
						{
							type: 'URL',
							text: 'Open ticket',
							url: 'https://luckyshrub.com/t/{{1}}',
							urlExample: 'T-1',
						},
						{ type: 'QUICK_REPLY', text: 'Cancel' },
					],
				},
			},
			credentials,
			[
				{
					json: {},
					binary: {
						sample: {
							data: sample.toString('base64'),
							mimeType: 'application/pdf',
							fileName: 'ticket.pdf',
						},
					},
				},
			],
		);
		expect(error).toBeUndefined();
		const session = [...sandbox.uploadSessions.values()][0];
		expect(session).toMatchObject({
			fileName: 'ticket.pdf',
			type: 'application/pdf',
			length: sample.length,
			scheme: 'OAuth',
		});
		expect(session.bytes.equals(sample)).toBe(true);
		const created = sandbox.templates.get(String(items[0].json.id))!;
		expect(items[0].json).toMatchObject({
			status: 'PENDING',
			category: 'UTILITY',
			name: 'event_ticket',
		});
		expect(created.components).toEqual([
			{ type: 'HEADER', format: 'DOCUMENT', example: { header_handle: [session.handle] } },
			{
				type: 'BODY',
				text: 'Hi {{1}}, your ticket for {{2}} is attached. See you there!',
				example: { body_text: [['Pablo', 'Summer Fair']] },
			},
			{ type: 'FOOTER', text: 'Lucky Shrub Events' },
			{
				type: 'BUTTONS',
				buttons: [
					{
						type: 'URL',
						text: 'Open ticket',
						url: 'https://luckyshrub.com/t/{{1}}',
						example: ['T-1'],
					},
					{ type: 'QUICK_REPLY', text: 'Cancel' },
				],
			},
		]);
	});

	test('create: named parameters, JSON mode, and the rules Meta enforces, checked before any request', async () => {
		const named = await manage('create', {
			templateName: 'welcome_named',
			language: 'en_US',
			category: 'MARKETING',
			parameterFormat: 'NAMED',
			bodyText: 'Welcome {{first_name}}, enjoy your gift!',
			bodyExamples: 'first_name=Pablo',
		});
		expect(named.error).toBeUndefined();
		expect(sandbox.templates.get(String(named.items[0].json.id))!.components[0]).toEqual({
			type: 'BODY',
			text: 'Welcome {{first_name}}, enjoy your gift!',
			example: { body_text_named_params: [{ param_name: 'first_name', example: 'Pablo' }] },
		});
		const json = await manage('create', {
			templateName: 'otp_code',
			language: 'en_US',
			category: 'AUTHENTICATION',
			definition: 'json',
			componentsJson:
				'[{"type":"BODY","add_security_recommendation":true},{"type":"BUTTONS","buttons":[{"type":"OTP","otp_type":"COPY_CODE","text":"Copy code"}]}]',
		});
		expect(json.error).toBeUndefined();
		sandbox.log.length = 0;
		const cases: Array<[INodeParameters, RegExp]> = [
			[
				{ templateName: 'Bad Name', bodyText: 'Hi there friend' },
				/^Name may only have lowercase letters/,
			],
			[
				{ templateName: 'ok', bodyText: '{{1}} is here', bodyExamples: 'x' },
				/may not start or end with a variable/,
			],
			[
				{ templateName: 'ok', bodyText: 'Hi {{2}} there', bodyExamples: 'x' },
				/must number its variables \{\{1\}\}, \{\{2\}\} \.\.\. in order/,
			],
			[
				{ templateName: 'ok', bodyText: 'Hi {{1}} there' },
				/has 1 variable\(s\) but 0 example\(s\)/,
			],
			[
				{ templateName: 'ok', bodyText: 'x'.repeat(1025) },
				/^Body is too long: 1,025 characters \(WhatsApp allows at most 1,024\)/,
			],
			[
				{ templateName: 'ok', bodyText: 'Hi there', footerText: 'f'.repeat(61) },
				/^Footer is too long: 61 characters/,
			],
			[
				{
					templateName: 'ok',
					bodyText: 'Hi there',
					buttons: {
						button: [
							{ type: 'QUICK_REPLY', text: 'A' },
							{ type: 'URL', text: 'B', url: 'https://e.com' },
							{ type: 'QUICK_REPLY', text: 'C' },
						],
					},
				},
				/^Buttons must keep quick replies next to each other/,
			],
			[
				{
					templateName: 'ok',
					bodyText: 'Hi there',
					buttons: { button: [{ type: 'QUICK_REPLY', text: 'q'.repeat(26) }] },
				},
				/^Button 1 > Text is too long \(WhatsApp allows at most 25 characters\)/,
			],
			[
				{
					templateName: 'ok',
					bodyText: 'Hi there',
					buttons: { button: [{ type: 'URL', text: 'Go', url: 'https://e.com/{{1}}' }] },
				},
				/^Button 1 > Example is needed: a sample value for the URL variable/,
			],
			[
				{
					templateName: 'ok',
					bodyText: 'Hi there',
					buttons: { button: [{ type: 'COPY_CODE', couponExample: 'c'.repeat(16) }] },
				},
				/^Button 1 > Example is too long \(WhatsApp allows at most 15 characters\)/,
			],
		];
		for (const [params, message] of cases) {
			const { error } = await manage('create', {
				language: 'en_US',
				category: 'UTILITY',
				...params,
			});
			expect(error?.message).toMatch(message);
		}
		expect(sandbox.log).toHaveLength(0);
	});

	test('a Request Contact Info button: created for utility and marketing templates, sent without a parameter', async () => {
		const created = await manage('create', {
			templateName: 'share_number',
			language: 'en_US',
			category: 'UTILITY',
			bodyText: 'Share your number so we can call you back.',
			buttons: { button: [{ type: 'REQUEST_CONTACT_INFO', text: 'Share my number' }] },
		});
		expect(created.error).toBeUndefined();
		const id = String(created.items[0].json.id);
		expect(sandbox.templates.get(id)!.components).toEqual([
			{ type: 'BODY', text: 'Share your number so we can call you back.' },
			{ type: 'BUTTONS', buttons: [{ type: 'REQUEST_CONTACT_INFO', text: 'Share my number' }] },
		]);
		await sandbox.reviewTemplate(id);
		sandbox.accepted.length = 0;
		const sent = await runAction(
			{
				resource: 'message',
				operation: 'sendTemplate',
				to: 'US.13491208655302741918',
				template: { __rl: true, mode: 'id', value: id },
				templateVariables: {
					mappingMode: 'defineBelow',
					value: {},
					matchingColumns: [],
					schema: [],
				},
			},
			credentials,
			[{ json: {} }],
		);
		expect(sent.error).toBeUndefined();
		// the button has no variable, so no button component is sent
		expect(sandbox.accepted[0].body.template).toEqual({
			name: 'share_number',
			language: { code: 'en_US' },
		});

		sandbox.log.length = 0;
		const auth = await manage('create', {
			templateName: 'auth_share',
			language: 'en_US',
			category: 'AUTHENTICATION',
			definition: 'json',
			componentsJson:
				'[{"type":"BODY","add_security_recommendation":true},{"type":"BUTTONS","buttons":[{"type":"REQUEST_CONTACT_INFO","text":"Share"}]}]',
		});
		expect(auth.error?.message).toMatch(
			/^Button 1 > Type Request Contact Info buttons are for Utility and Marketing templates only/,
		);
		const long = await manage('create', {
			templateName: 'share_long',
			language: 'en_US',
			category: 'MARKETING',
			bodyText: 'Hi there',
			buttons: { button: [{ type: 'REQUEST_CONTACT_INFO', text: 's'.repeat(26) }] },
		});
		expect(long.error?.message).toMatch(
			/^Button 1 > Text is too long \(WhatsApp allows at most 25 characters\)/,
		);
		expect(sandbox.log).toHaveLength(0);
	});

	test("a duplicate name and language gets Meta's error with its message", async () => {
		const { error } = await manage('create', {
			templateName: 'payment_receipt',
			language: 'en_US',
			category: 'UTILITY',
			bodyText: 'Hello there friend',
		});
		expect(error?.message).toMatch(
			/^WhatsApp Cloud API error 100: There is already en_US content for this template/,
		);
		expect(error?.description).toMatch(/Subcode: 2388024/);
	});
});
