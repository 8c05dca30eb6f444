/**
 * What every send shares (actions/message/envelope.ts): reply context, callback data, and the
 * fallback template for a customer whose 24-hour window is closed.
 */
import type { IDataObject } from 'n8n-workflow';

import { runAction } from '../../../dev/harness/engine';
import type { SandboxCredentials } from '../../../dev/harness/sandbox';
import type { GraphSandbox } from '../../../dev/sandbox/server';
import { head, useMessageSandbox, TO } from './send';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
const { send, sentBody } = useMessageSandbox((started) => ({ sandbox, credentials } = started));

describe('each operation sends exactly the JSON Meta documents', () => {
	test('reply context and callback data go on every kind', async () => {
		const body = await sentBody('sendLocation', {
			latitude: 1,
			longitude: 2,
			options: { replyToMessageId: 'wamid.Q', bizOpaqueCallbackData: 'ticket-9' },
		});
		expect(body).toMatchObject({
			context: { message_id: 'wamid.Q' },
			biz_opaque_callback_data: 'ticket-9',
		});
	});
});

describe('24-hour window', () => {
	const posts = () => sandbox.log.filter((l) => l.method === 'POST').map((l) => l.status);
	const withFallback = (name: string, parameters = '', text = 'Are you still there?') => ({
		text,
		options: { fallbackTemplate: { template: { name, language: 'en_US', parameters } } },
	});

	beforeAll(() => {
		sandbox.addTemplate({
			name: 'follow_up',
			language: 'en_US',
			category: 'UTILITY',
			parameter_format: 'NAMED',
			components: [
				{
					type: 'BODY',
					text: 'Hi {{customer_name}}, your order {{order_id}} is waiting for you.',
					example: {
						body_text_named_params: [
							{ param_name: 'customer_name', example: 'Pablo' },
							{ param_name: 'order_id', example: 'A-1' },
						],
					},
				},
			],
		});
		sandbox.addTemplate({
			name: 'follow_up_photo',
			language: 'en_US',
			category: 'MARKETING',
			components: [
				{ type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1h'] } },
				{ type: 'BODY', text: 'Hi {{1}}, still interested?', example: { body_text: [['Pablo']] } },
			],
		});
		sandbox.addTemplate({
			name: 'follow_up_draft',
			language: 'en_US',
			category: 'UTILITY',
			status: 'PENDING',
			components: [{ type: 'BODY', text: 'Hi there, we are still here for you.' }],
		});
	});

	test('131047 says so in plain words; with a fallback template the template is sent and the output says so', async () => {
		sandbox.closedWindows.add('491511234567');
		try {
			const plain = await send('sendText', { text: 'Are you still there?' }, [{}], {
				onError: 'continueRegularOutput',
			});
			expect(plain.items[0].json.error).toMatch(/131047/);
			expect(String((plain.items[0].json.errorDetails as IDataObject).description)).toMatch(
				/More than 24 hours have passed since the customer last wrote/,
			);

			// one line in order, one by name
			const { items, error } = await send(
				'sendText',
				withFallback('follow_up', 'Sheena\norder_id=A-1042'),
			);
			expect(error).toBeUndefined();
			expect(sandbox.accepted).toHaveLength(1);
			expect(sandbox.accepted[0].body).toEqual({
				...head,
				type: 'template',
				template: {
					name: 'follow_up',
					language: { code: 'en_US' },
					components: [
						{
							type: 'body',
							parameters: [
								{ type: 'text', text: 'Sheena', parameter_name: 'customer_name' },
								{ type: 'text', text: 'A-1042', parameter_name: 'order_id' },
							],
						},
					],
				},
			});
			expect(items[0].json).toMatchObject({
				type: 'template',
				messageStatus: 'accepted',
				fallback: { used: true, refusedType: 'text', template: 'follow_up' },
			});
		} finally {
			sandbox.closedWindows.clear();
		}
	});

	test('inside the window the fallback is not used; the template is read once per run, not per item', async () => {
		const { items } = await send('sendText', withFallback('follow_up', 'Sheena\nA-1042', 'hi'), [
			{},
			{},
			{},
		]);
		expect(items.map((i) => i.json.fallback)).toEqual([undefined, undefined, undefined]);
		expect(sandbox.accepted.map((m) => m.body.type)).toEqual(['text', 'text', 'text']);
		expect(
			sandbox.log.filter((l) => l.method === 'GET' && l.path.endsWith('/message_templates')),
		).toHaveLength(1);
	});

	test('a bad fallback template name fails before any request', async () => {
		const { error } = await send('sendText', withFallback('Follow Up!'));
		expect(error?.message).toMatch(
			/^Fallback Template > Template Name must be the template's name/,
		);
		expect(sandbox.log).toHaveLength(0);
	});

	test('a credential without the account ID says so, not that the template is missing', async () => {
		const { error } = await runAction(
			{ resource: 'message', operation: 'sendText', to: TO, ...withFallback('follow_up', 'a\nb') },
			{ ...credentials, businessAccountId: '' },
			[{ json: {} }],
		);
		expect(error?.message).toBe('Add the WhatsApp Business Account ID to the credential');
		expect(sandbox.log).toHaveLength(0);
	});

	test('Body Parameters from an expression that gives an object fail before any request', async () => {
		const { error } = await send(
			'sendText',
			withFallback('follow_up', '={{ $json.lines }}', 'hi'),
			[{ lines: { customer_name: 'Sheena', order_id: 'A-1' } }],
		);
		expect(error?.message).toBe(
			'Fallback Template > Body Parameters must be text, but its expression gave an object [item 0]',
		);
		expect(sandbox.log).toHaveLength(0);
	});

	// each of these would be refused only after the closed window, the one moment it is needed;
	// item 0 is fine, and is not sent either
	test.each([
		[
			'a template the account does not have',
			{ name: 'follow_upp', lines: 'Sheena\nA-1042' },
			'Fallback Template > Template Name: the account has no template "follow_upp" in language en_US [item 1]',
		],
		[
			'a template not approved yet',
			{ name: 'follow_up_draft', lines: '' },
			'Fallback Template > Template Name: "follow_up_draft" (en_US) is PENDING, not approved [item 1]',
		],
		[
			'a template with a variable outside its body',
			{ name: 'follow_up_photo', lines: 'Sheena' },
			'Fallback Template > Template Name: "follow_up_photo" has a variable outside its body (Header image) [item 1]',
		],
		[
			'one line too few',
			{ name: 'follow_up', lines: 'Sheena' },
			'Fallback Template > Body Parameters has 1 line, but template "follow_up" has 2 body variables ({{customer_name}}, {{order_id}}) [item 1]',
		],
	])('%s fails before any message is sent', async (_, fallback, message) => {
		const { error } = await send(
			'sendText',
			withFallback('={{ $json.name }}', '={{ $json.lines }}', 'hi'),
			[{ name: 'follow_up', lines: 'Sheena\nA-1042' }, fallback],
		);
		expect(error?.message).toBe(message);
		expect(String((error as { description?: string }).description)).toMatch(
			/Nothing was sent for this item\.$/,
		);
		expect(posts()).toEqual([]);
	});
});
