/**
 * Who a send goes to (actions/message/envelope.ts, helpers/validation.ts): a phone number in `to`,
 * or a business-scoped user ID (BSUID) in `recipient`, never both; what a user ID cannot receive;
 * and the contact-info request that asks a customer known only by a user ID for their number.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runAction } from '../../../dev/harness/engine';
import { type SandboxCredentials, startSandbox, useSandbox } from '../../../dev/harness/sandbox';
import { rl } from '../../../dev/harness/templates';
import type { GraphSandbox } from '../../../dev/sandbox/server';
import { messageCalls } from './send';

const USER_ID = 'US.13491208655302741918';
const PARENT_USER_ID = 'US.ENT.11815799212886844830';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
let loginCode: string;
let orderUpdate: string;
useSandbox(
	(started) => {
		({ sandbox, credentials } = started);
		loginCode = sandbox.addTemplate({
			name: 'login_code',
			language: 'en_US',
			category: 'AUTHENTICATION',
			components: [
				{ type: 'BODY', text: '{{1}} is your verification code.' },
				{ type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
			],
		});
		orderUpdate = sandbox.addTemplate({
			name: 'order_update',
			language: 'en_US',
			category: 'UTILITY',
			components: [
				{ type: 'BODY', text: 'Your order {{1}} has shipped.', example: { body_text: [['A-1']] } },
			],
		});
	},
	() => {
		sandbox.accepted.length = 0;
		sandbox.log.length = 0;
		sandbox.closedWindows.clear();
	},
);

const { send } = messageCalls(() => ({ sandbox, credentials }));
const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual' };
const posts = () => sandbox.log.filter((l) => l.method === 'POST');

const sendTemplate = async (id: string, to: string, value: IDataObject) =>
	await runAction(
		{
			resource: 'message',
			operation: 'sendTemplate',
			to,
			template: rl(id),
			templateVariables: { mappingMode: 'defineBelow', value, matchingColumns: [], schema: [] },
		} as INodeParameters,
		credentials,
		[{ json: {} }],
	);

describe('To takes a phone number or a business-scoped user ID', () => {
	test('a phone number goes in to, normalised; the output has recipientType phone and waId', async () => {
		const { error, items } = await send('sendText', { to: '+1 (650) 555-1234', text: 'Hi' });
		expect(error).toBeUndefined();
		expect(sandbox.accepted[0].body).toEqual({
			...envelope,
			to: '+16505551234',
			type: 'text',
			text: { body: 'Hi' },
		});
		expect(items[0].json).toMatchObject({
			to: '+16505551234',
			recipientType: 'phone',
			waId: '16505551234',
		});
		expect(items[0].json.userId).toBeUndefined();
	});

	test.each([
		['a user ID', USER_ID],
		['a parent user ID', PARENT_USER_ID],
	])(
		'%s goes in recipient, unchanged and without to; the output has recipientType userId and userId',
		async (_, id) => {
			const { error, items } = await send('sendText', { to: ` ${id} `, text: 'Olá' });
			expect(error).toBeUndefined();
			expect(sandbox.accepted[0].body).toEqual({
				...envelope,
				recipient: id,
				type: 'text',
				text: { body: 'Olá' },
			});
			expect(items[0].json).toMatchObject({ to: id, recipientType: 'userId', userId: id });
			expect(items[0].json.waId).toBeUndefined();
		},
	);

	test.each([
		['a lowercased user ID', 'us.13491208655302741918'],
		['a user ID without its country', '.13491208655302741918'],
		['a user ID with a bad character', 'US.1349-1208'],
		['text', 'Ana'],
	])('%s is refused before any request, naming both forms', async (_, to) => {
		const { error } = await send('sendText', { to, text: 'Hi' });
		expect(error?.message).toBe(
			`To is neither a phone number nor a business-scoped user ID: "${to}". Use the phone number in international format with the country code, e.g. +4915112345678 (spaces, dashes and brackets are fine), or the user ID exactly as the trigger gave it (replyTo or fromUserId), e.g. US.13491208655302741918 [item 0]`,
		);
		expect(sandbox.log).toHaveLength(0);
	});
});

describe('what a user ID cannot receive', () => {
	test('an authentication template to a user ID fails before any send, naming item and field; to a phone it is sent', async () => {
		const { error } = await sendTemplate(loginCode, USER_ID, { body_1: '123456' });
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe(
			`To is a business-scoped user ID (${USER_ID}), but template "login_code" is an authentication template, which WhatsApp delivers only to a phone number [item 0]`,
		);
		expect(String((error as { description?: string }).description)).toMatch(
			/^Field: To\. Send this template to the customer's phone number/,
		);
		expect(posts()).toHaveLength(0);
		expect(sandbox.accepted).toHaveLength(0);

		const phone = await sendTemplate(loginCode, '+16505551234', { body_1: '123456' });
		expect(phone.error).toBeUndefined();
		expect(sandbox.accepted).toHaveLength(1);
	});

	test('a utility template to a user ID is sent in recipient', async () => {
		const { error, items } = await sendTemplate(orderUpdate, USER_ID, { body_1: 'A-1042' });
		expect(error).toBeUndefined();
		expect(sandbox.accepted[0].body).toEqual({
			...envelope,
			recipient: USER_ID,
			type: 'template',
			template: {
				name: 'order_update',
				language: { code: 'en_US' },
				components: [{ type: 'body', parameters: [{ type: 'text', text: 'A-1042' }] }],
			},
		});
		expect(items[0].json).toMatchObject({
			to: USER_ID,
			recipientType: 'userId',
			userId: USER_ID,
			template: { name: 'order_update', category: 'UTILITY' },
		});
	});

	test('an authentication Fallback Template to a user ID fails before any send (Meta would answer 131062)', async () => {
		const { error } = await send('sendText', {
			to: USER_ID,
			text: 'Are you still there?',
			options: {
				fallbackTemplate: {
					template: { name: 'login_code', language: 'en_US', parameters: '123456' },
				},
			},
		});
		expect(error?.message).toBe(
			'Fallback Template > Template Name: "login_code" is an authentication template, which Meta sends only to a phone number, and To is a business-scoped user ID [item 0]',
		);
		expect(String((error as { description?: string }).description)).toContain('error 131062');
		expect(posts()).toHaveLength(0);
	});

	test('an authentication Fallback Template to a phone number carries its code in the body and the copy-code button', async () => {
		sandbox.closedWindows.add('16505551234');
		try {
			const { error, items } = await send('sendText', {
				to: '+16505551234',
				text: 'Are you still there?',
				options: {
					fallbackTemplate: {
						template: { name: 'login_code', language: 'en_US', parameters: '123456' },
					},
				},
			});
			expect(error).toBeUndefined();
			expect(posts().map((l) => l.status)).toEqual([400, 200]);
			expect(sandbox.accepted[0].body.template).toEqual({
				name: 'login_code',
				language: { code: 'en_US' },
				components: [
					{ type: 'body', parameters: [{ type: 'text', text: '123456' }] },
					{
						type: 'button',
						sub_type: 'url',
						index: '0',
						parameters: [{ type: 'text', text: '123456' }],
					},
				],
			});
			expect(items[0].json.fallback).toMatchObject({ used: true, template: 'login_code' });
		} finally {
			sandbox.closedWindows.clear();
		}
	});
});

describe('Send Interactive > Request Contact Info', () => {
	const request = (body: string) => ({ interactiveType: 'contact_request', body });

	test('sends exactly the documented JSON', async () => {
		const { error } = await send('sendInteractive', {
			to: USER_ID,
			...request('Please share your number.'),
		});
		expect(error).toBeUndefined();
		expect(sandbox.accepted[0].body).toEqual({
			...envelope,
			recipient: USER_ID,
			type: 'interactive',
			interactive: {
				type: 'contact_request',
				body: { text: 'Please share your number.' },
				action: { name: 'request_contact_info' },
			},
		});
	});

	test('the body is required and at most 1,024 characters, checked before any request', async () => {
		expect((await send('sendInteractive', request('x'.repeat(1024)))).error).toBeUndefined();
		sandbox.log.length = 0;
		const long = await send('sendInteractive', request('x'.repeat(1025)));
		expect(long.error?.message).toBe(
			'Body is too long: 1,025 characters (WhatsApp allows at most 1,024) [item 0]',
		);
		// empty through an expression: the editor itself refuses an empty required field
		const empty = await send('sendInteractive', request('={{ "" }}'));
		expect(empty.error?.message).toBe('Body is empty; it needs a value [item 0]');
		expect(sandbox.log).toHaveLength(0);
	});
});

describe('the per-recipient limit (131056) keys on the user ID sent to', () => {
	test('messages to one user ID queue behind its first refusal while another user ID is not held up', async () => {
		// Meta's pair rate, scaled down: one message per 0.9 s to the same person
		const paced = await startSandbox({ pairRate: { max: 1, windowMs: 900 } });
		try {
			const other = 'BR.8812300144551277';
			const input = [
				{ to: USER_ID, text: 'a1' },
				{ to: USER_ID, text: 'a2' },
				{ to: USER_ID, text: 'a3' },
				{ to: other, text: 'b1' },
			];
			const { error, items } = await runAction(
				{
					resource: 'message',
					operation: 'sendText',
					to: '={{ $json.to }}',
					text: '={{ $json.text }}',
					// one request at a time, 0.2 s apart: a3 leaves while a2 waits out its refusal
					options: { messagesPerSecond: 5, maxConcurrent: 1 },
				},
				paced.credentials,
				input.map((json) => ({ json })),
			);
			expect(error).toBeUndefined();
			expect(
				paced.sandbox.accepted.map((m) => [m.body.recipient, (m.body.text as IDataObject).body]),
			).toEqual([
				[USER_ID, 'a1'],
				[other, 'b1'],
				[USER_ID, 'a2'],
				[USER_ID, 'a3'],
			]);
			// a3 waited in the user ID's schedule behind a2 instead of being refused on its own
			expect(paced.sandbox.injected.pairRate).toBe(2);
			expect(items.map((i) => i.json.to)).toEqual([USER_ID, USER_ID, USER_ID, other]);
		} finally {
			await paced.sandbox.stop();
		}
	}, 30_000);
});
