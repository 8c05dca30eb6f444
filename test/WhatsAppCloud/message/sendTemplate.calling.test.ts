/**
 * Send Template with the Calling API's entry points: a template with a voice call button takes two
 * optional Template Variables (the button's minutes, 1 to 43,200, and its payload, at most 512),
 * sent as one `sub_type: "voice_call"` component without an index as Meta's example has it; a
 * template with a call permission request is sent with its body parameters only. Values outside
 * Meta's limits are refused before sending, from expressions too, and the sandbox refuses them.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runAction } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import { rl } from '../../../dev/harness/templates';
import {
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_TOKEN,
	type GraphSandbox,
} from '../../../dev/sandbox/server';
import { clearSends, TO } from './send';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
let callButton = '';
let permission = '';
useSandbox(
	(started) => {
		({ sandbox, credentials } = started);
		callButton = sandbox.addTemplate({
			name: 'support_call',
			language: 'en_US',
			category: 'UTILITY',
			status: 'APPROVED',
			parameter_format: 'POSITIONAL',
			components: [
				{
					type: 'BODY',
					text: 'Hi {{1}}, you can call us on WhatsApp now.',
					example: { body_text: [['Ana']] },
				},
				{
					type: 'BUTTONS',
					buttons: [
						{ type: 'URL', text: 'Contact Support', url: 'https://www.luckyshrub.com/support' },
						{ type: 'voice_call', text: 'Call Now', ttl_minutes: 1440 },
					],
				},
			],
		});
		permission = sandbox.addTemplate({
			name: 'order_support_call',
			language: 'en_US',
			category: 'UTILITY',
			status: 'APPROVED',
			parameter_format: 'NAMED',
			components: [
				{
					type: 'body',
					text: 'Hi {{first_name}}, we would like to call you to assist with your recent order.',
					example: { body_text_named_params: [{ param_name: 'first_name', example: 'Pablo' }] },
				},
				{ type: 'call_permission_request' },
			],
		});
	},
	() => clearSends(sandbox),
);

const send = async (template: string, value: IDataObject, input: IDataObject[] = [{}]) =>
	await runAction(
		{
			resource: 'message',
			operation: 'sendTemplate',
			to: TO,
			template: rl(template),
			templateVariables: { mappingMode: 'defineBelow', value, matchingColumns: [], schema: [] },
		} as INodeParameters,
		credentials,
		input.map((json) => ({ json })),
	);
const sent = () => sandbox.accepted[sandbox.accepted.length - 1].body.template as IDataObject;
const body = { type: 'body', parameters: [{ type: 'text', text: 'Ana' }] };

describe('Send Template: a voice call button', () => {
	test('minutes and payload (from expressions) in one voice_call component, without an index', async () => {
		const { error } = await send(
			callButton,
			{ body_1: 'Ana', button_1: '={{ $json.minutes }}', button_1_payload: '={{ $json.order }}' },
			[{ minutes: 100, order: 'order-4711' }],
		);
		expect(error).toBeUndefined();
		expect(sent()).toEqual({
			name: 'support_call',
			language: { code: 'en_US' },
			components: [
				body,
				{
					type: 'button',
					sub_type: 'voice_call',
					parameters: [
						{ type: 'ttl_minutes', ttl_minutes: 100 },
						{ type: 'payload', payload: 'order-4711' },
					],
				},
			],
		});
	});

	test('a payload alone; with neither, no button component (the template keeps its own minutes)', async () => {
		await send(callButton, { body_1: 'Ana', button_1_payload: 'order-4711' });
		expect(sent().components).toEqual([
			body,
			{
				type: 'button',
				sub_type: 'voice_call',
				parameters: [{ type: 'payload', payload: 'order-4711' }],
			},
		]);
		await send(callButton, { body_1: 'Ana' });
		expect(sent().components).toEqual([body]);
		expect(sandbox.accepted).toHaveLength(2);
	});

	test('the limits: 1 and 43,200 minutes are sent, 0, 43,201, 2.5 and words are refused before sending; a payload of 512 is sent, 513 refused', async () => {
		for (const [minutes, payload] of [
			['1', 'x'.repeat(512)],
			['={{ 43200 }}', ''],
		]) {
			const { error } = await send(callButton, {
				body_1: 'Ana',
				button_1: minutes,
				button_1_payload: payload,
			});
			expect(error).toBeUndefined();
		}
		expect(sandbox.accepted).toHaveLength(2);
		sandbox.log.length = 0;
		const cases: Array<[IDataObject, string]> = [
			[
				{ button_1: '0' },
				'Template variable "Button 2 call minutes" must be a whole number of minutes from 1 to 43,200, not "0"',
			],
			[
				{ button_1: '={{ 43201 }}' },
				'Template variable "Button 2 call minutes" must be a whole number of minutes from 1 to 43,200, not "43201"',
			],
			[
				{ button_1: '2.5' },
				'Template variable "Button 2 call minutes" must be a whole number of minutes from 1 to 43,200, not "2.5"',
			],
			[
				{ button_1: 'a week' },
				'Template variable "Button 2 call minutes" must be a whole number of minutes from 1 to 43,200, not "a week"',
			],
			[
				{ button_1_payload: '={{ "x".repeat(513) }}' },
				'Template variable "Button 2 call payload" is too long: 513 characters (a call payload may have at most 512)',
			],
			[
				{ button_1_payload: '={{ { order: 1 } }}' },
				'Template variable "Button 2 call payload" must be text, but its expression gave an object',
			],
		];
		for (const [values, message] of cases) {
			const { error } = await send(callButton, { body_1: 'Ana', ...values });
			expect(error?.message).toContain(message);
			expect(error?.message).toMatch(/\[item 0\]$/);
		}
		expect(sandbox.log.filter((l) => l.path.endsWith('/messages'))).toHaveLength(0);
	});

	test('the sandbox refuses a voice_call component of a template without the button, or out of its limits', async () => {
		const post = async (name: string, components: IDataObject[]) => {
			const response = await fetch(`${sandbox.url}/v25.0/${SANDBOX_PHONE_NUMBER_ID}/messages`, {
				method: 'POST',
				headers: { authorization: `Bearer ${SANDBOX_TOKEN}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					messaging_product: 'whatsapp',
					to: TO,
					type: 'template',
					template: { name, language: { code: 'en_US' }, components },
				}),
			});
			const { error } = (await response.json()) as { error?: IDataObject };
			return error && [error.code, (error.error_data as IDataObject).details];
		};
		const call = (...parameters: IDataObject[]) => ({
			type: 'button',
			sub_type: 'voice_call',
			parameters,
		});
		expect(
			await post('support_call', [body, call({ type: 'ttl_minutes', ttl_minutes: 43200 })]),
		).toBeUndefined();
		expect(
			await post('support_call', [body, call({ type: 'ttl_minutes', ttl_minutes: 0 })]),
		).toEqual([131009, 'buttons: ttl_minutes must be a whole number from 1 to 43200']);
		expect(
			await post('support_call', [body, call({ type: 'payload', payload: 'x'.repeat(513) })]),
		).toEqual([131009, 'buttons: payload must be text of at most 512 characters']);
		const named = {
			type: 'body',
			parameters: [{ type: 'text', text: 'Ana', parameter_name: 'first_name' }],
		};
		expect(
			await post('order_support_call', [named, call({ type: 'payload', payload: 'p' })]),
		).toEqual([132018, 'buttons: The template has no voice_call button']);
		// minutes as text are not a whole number either
		expect(
			await post('support_call', [body, call({ type: 'ttl_minutes', ttl_minutes: '100' })]),
		).toEqual([131009, 'buttons: ttl_minutes must be a whole number from 1 to 43200']);
	});
});

describe('Send Template: a call permission request', () => {
	test('sent with its body parameters only: the request itself takes no component', async () => {
		const { error, items } = await send(permission, { body_first_name: 'Pablo' });
		expect(error).toBeUndefined();
		expect(sent()).toEqual({
			name: 'order_support_call',
			language: { code: 'en_US' },
			components: [
				{
					type: 'body',
					parameters: [{ type: 'text', text: 'Pablo', parameter_name: 'first_name' }],
				},
			],
		});
		expect(items[0].json.messageStatus ?? 'accepted').toBe('accepted');
	});
});
