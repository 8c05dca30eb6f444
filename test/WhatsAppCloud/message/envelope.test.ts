/**
 * What every send shares (actions/message/envelope.ts): reply context, callback data, and the
 * fallback template for a customer whose 24-hour window is closed.
 */
import type { IDataObject } from 'n8n-workflow';

import { type SandboxCredentials, useSandbox } from '../../harness/sandbox';
import type { GraphSandbox } from '../../sandbox/server';
import { clearSends, head, messageCalls } from './send';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => clearSends(sandbox),
);

const { send, sentBody } = messageCalls(() => ({ sandbox, credentials }));

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
	test('131047 says so in plain words; with a fallback template the template is sent and the output says so', async () => {
		sandbox.closedWindows.add('491511234567');
		sandbox.addTemplate({
			name: 'follow_up',
			language: 'en_US',
			category: 'UTILITY',
			components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{order_id}} is waiting for you.' }],
		});
		try {
			const plain = await send('sendText', { text: 'Are you still there?' }, [{}], {
				onError: 'continueRegularOutput',
			});
			expect(plain.items[0].json.error).toMatch(/131047/);
			expect(String((plain.items[0].json.errorDetails as IDataObject).description)).toMatch(
				/More than 24 hours have passed since the customer last wrote/,
			);

			const { items, error } = await send('sendText', {
				text: 'Are you still there?',
				options: {
					fallbackTemplate: {
						template: {
							name: 'follow_up',
							language: 'en_US',
							parameters: 'Sheena\norder_id=A-1042',
						},
					},
				},
			});
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
								{ type: 'text', text: 'Sheena' },
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

	test('inside the window the fallback is not used', async () => {
		const { items } = await send('sendText', {
			text: 'hi',
			options: { fallbackTemplate: { template: { name: 'follow_up', language: 'en_US' } } },
		});
		expect(items[0].json.fallback).toBeUndefined();
		expect(sandbox.accepted[0].body.type).toBe('text');
	});

	test('a bad fallback template name fails before any request', async () => {
		const { error } = await send('sendText', {
			text: 'hi',
			options: { fallbackTemplate: { template: { name: 'Follow Up!', language: 'en_US' } } },
		});
		expect(error?.message).toMatch(
			/^Fallback Template > Template Name must be the template's name/,
		);
		expect(sandbox.log).toHaveLength(0);
	});
});
