/**
 * Send Template with a Flow button (Meta's "Sending a Flow" guide, template messages): its optional
 * token and data are two Template Variables fields, sent as `sub_type: "flow"` with an `action`
 * parameter at the button's index; data that is not a JSON object is refused before sending. The
 * sandbox refuses a flow component at another button, or data that is not an object.
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
import { KIND_TEMPLATE_IDS } from '../../../dev/sandbox/templates';
import { clearSends, TO } from './send';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => clearSends(sandbox),
);

const send = async (value: IDataObject, input: IDataObject[] = [{}]) =>
	await runAction(
		{
			resource: 'message',
			operation: 'sendTemplate',
			to: TO,
			template: rl(KIND_TEMPLATE_IDS.flowButton),
			templateVariables: { mappingMode: 'defineBelow', value, matchingColumns: [], schema: [] },
		} as INodeParameters,
		credentials,
		input.map((json) => ({ json })),
	);
const components = () =>
	(sandbox.accepted[sandbox.accepted.length - 1].body.template as { components: IDataObject[] })
		.components;
const body = { type: 'body', parameters: [{ type: 'text', text: 'Lucky Shrub Eatery' }] };
const flow = (action: IDataObject) => ({
	type: 'button',
	sub_type: 'flow',
	index: '1',
	parameters: [{ type: 'action', action }],
});

describe('Send Template: a Flow button', () => {
	test('token and data (an object from an expression, or JSON text) sent as Meta takes them', async () => {
		const fromExpression = await send(
			{
				body_1: 'Lucky Shrub Eatery',
				button_1: '={{ $json.order }}',
				button_1_data: '={{ { name: $json.name, guests: 4 } }}',
			},
			[{ order: 'order-4711', name: 'Ana' }],
		);
		expect(fromExpression.error).toBeUndefined();
		expect(components()).toEqual([
			body,
			flow({ flow_token: 'order-4711', flow_action_data: { name: 'Ana', guests: 4 } }),
		]);
		const fromText = await send({
			body_1: 'Lucky Shrub Eatery',
			button_1_data: '{"name": "Ana"}',
		});
		expect(fromText.error).toBeUndefined();
		expect(components()).toEqual([body, flow({ flow_action_data: { name: 'Ana' } })]);
	});

	test('a token alone; with neither, no flow component; a quick reply before it keeps its own index', async () => {
		await send({ body_1: 'Lucky Shrub Eatery', button_1: 'order-4711' });
		expect(components()).toEqual([body, flow({ flow_token: 'order-4711' })]);
		await send({ body_1: 'Lucky Shrub Eatery', button_0: 'NOT_NOW', button_1_data: '{}' });
		expect(components()).toEqual([
			body,
			{
				type: 'button',
				sub_type: 'quick_reply',
				index: '0',
				parameters: [{ type: 'payload', payload: 'NOT_NOW' }],
			},
		]);
		expect(sandbox.accepted).toHaveLength(2);
	});

	test('data that is not a JSON object is refused before sending, naming the field', async () => {
		const cases: Array<[unknown, string]> = [
			['[1, 2]', 'must be a JSON object such as {"name": "Ana"}'],
			['name=Ana', 'is not valid JSON: give an object such as {"name": "Ana"}'],
			['={{ [1, 2] }}', 'must be a JSON object such as {"name": "Ana"}'],
			['"Ana"', 'must be a JSON object such as {"name": "Ana"}'],
		];
		for (const [data, message] of cases) {
			const { error } = await send({ body_1: 'Lucky Shrub Eatery', button_1_data: data as string });
			expect(error?.message).toBe(
				`Template variable "Button 2 flow data (JSON)" ${message} [item 0]`,
			);
		}
		expect(sandbox.log.filter((l) => l.path.endsWith('/messages'))).toHaveLength(0);
	});

	test('the sandbox refuses a flow component at another button, or data that is not an object', async () => {
		const post = async (button: IDataObject) => {
			const response = await fetch(`${sandbox.url}/v25.0/${SANDBOX_PHONE_NUMBER_ID}/messages`, {
				method: 'POST',
				headers: { authorization: `Bearer ${SANDBOX_TOKEN}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					messaging_product: 'whatsapp',
					to: TO,
					type: 'template',
					template: { name: 'book_table', language: { code: 'en_US' }, components: [body, button] },
				}),
			});
			const { error } = (await response.json()) as { error?: IDataObject };
			return error && [error.code, (error.error_data as IDataObject).details];
		};
		expect(await post(flow({ flow_token: 't' }))).toBeUndefined();
		expect(await post({ ...flow({ flow_token: 't' }), index: '0' })).toEqual([
			132018,
			'buttons: Button at index 0 must be of type QuickReply',
		]);
		expect(await post(flow({ flow_action_data: '{"name":"Ana"}' }))).toEqual([
			131009,
			'buttons: flow_action_data must be a JSON object',
		]);
	});
});
