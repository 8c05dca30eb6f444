/**
 * A template button that opens a WhatsApp Flow (Meta's "Sending a Flow" guide, template buttons):
 * created by Flow ID or name, navigating to a screen or exchanging data, with its limits checked
 * before any request; the sandbox refuses a Flow the account does not have.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runOperation } from '../../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../../dev/harness/sandbox';
import type { GraphSandbox } from '../../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => {
		sandbox.log.length = 0;
	},
);

/** The account's published Flow (test/sandbox/flows.ts). */
const FLOW_ID = '1197715005513101';

let names = 0;
const create = async (buttons: IDataObject[], extra: INodeParameters = {}) =>
	await runOperation(credentials, 'template', 'create', {
		templateName: `flow_button_${++names}`,
		language: 'en_US',
		category: 'UTILITY',
		bodyText: 'Book a table at {{1}} in two taps.',
		bodyExamples: 'Lucky Shrub Eatery',
		buttons: { button: buttons } as INodeParameters,
		...extra,
	});
const flowButton = (extra: IDataObject = {}): IDataObject => ({
	type: 'FLOW',
	text: 'Book now',
	flowBy: 'id',
	flowId: FLOW_ID,
	flowAction: 'navigate',
	navigateScreen: 'BOOKING',
	...extra,
});
const buttonsOf = (items: Array<{ json: IDataObject }>) =>
	((items[0].json.components as IDataObject[]).find((c) => c.type === 'BUTTONS') as IDataObject)
		.buttons;

describe('Template > Create: a Flow button', () => {
	test("by ID, navigating to a screen: exactly Meta's button", async () => {
		const { items, error } = await create([{ type: 'QUICK_REPLY', text: 'Not now' }, flowButton()]);
		expect(error).toBeUndefined();
		expect(buttonsOf(items)).toEqual([
			{ type: 'QUICK_REPLY', text: 'Not now' },
			{
				type: 'FLOW',
				text: 'Book now',
				flow_id: FLOW_ID,
				flow_action: 'navigate',
				navigate_screen: 'BOOKING',
			},
		]);
		expect(sandbox.templates.get(String(items[0].json.id))!.status).toBe('PENDING');
	});

	test("by name, with data exchange (no screen), and navigating to the Flow's first screen", async () => {
		const byName = await create([
			flowButton({ flowBy: 'name', flowName: 'Book an appointment', flowAction: 'data_exchange' }),
		]);
		expect(byName.error).toBeUndefined();
		expect(buttonsOf(byName.items)).toEqual([
			{
				type: 'FLOW',
				text: 'Book now',
				flow_name: 'Book an appointment',
				flow_action: 'data_exchange',
			},
		]);
		const first = await create([flowButton({ navigateScreen: '' })]);
		expect(buttonsOf(first.items)).toEqual([
			{ type: 'FLOW', text: 'Book now', flow_id: FLOW_ID, flow_action: 'navigate' },
		]);
	});

	test('the label up to 25 and one Flow: outside fails before any request, naming the button', async () => {
		const inside = await create([flowButton({ text: 'b'.repeat(25) })]);
		expect(inside.error).toBeUndefined();
		sandbox.log.length = 0;
		const cases: Array<[IDataObject[] | INodeParameters, string]> = [
			[
				[flowButton({ text: 'b'.repeat(26) })],
				'Button 1 > Text is too long (WhatsApp allows at most 25 characters) [item 0]',
			],
			[
				[{ type: 'QUICK_REPLY', text: 'Hi' }, flowButton({ flowId: '' })],
				'Button 2 > Flow ID is missing: give the Flow by ID or by name [item 0]',
			],
			[
				[flowButton({ flowId: 'BOOKING' })],
				'Button 1 > Flow ID must be the Flow ID (digits only) [item 0]',
			],
			[
				{
					definition: 'json',
					componentsJson: JSON.stringify([
						{ type: 'BODY', text: 'Book a table now, please.' },
						{
							type: 'BUTTONS',
							buttons: [
								{ type: 'FLOW', text: 'Book', flow_id: FLOW_ID, flow_name: 'Book an appointment' },
							],
						},
					]),
				},
				'Button 1 > Flow ID is given together with flow_name: give the Flow one way only (ID, name or Flow JSON) [item 0]',
			],
			[
				{
					definition: 'json',
					componentsJson: JSON.stringify([
						{ type: 'BODY', text: 'Book a table now, please.' },
						{
							type: 'BUTTONS',
							buttons: [{ type: 'flow', text: 'Book', flow_id: FLOW_ID, flow_action: 'NAVIGATE' }],
						},
					]),
				},
				'Button 1 > Flow Action must be navigate or data_exchange [item 0]',
			],
		];
		for (const [given, message] of cases) {
			const { error } = Array.isArray(given) ? await create(given) : await create([], given);
			expect(error?.message).toBe(message);
		}
		expect(sandbox.log).toHaveLength(0);
	});

	test("a Flow the account does not have: Meta's refusal, with its message", async () => {
		const { error } = await create([flowButton({ flowId: '999' })]);
		expect(error?.message).toBe(
			'WhatsApp Cloud API error 100: The Flow with ID 999 does not exist in this WhatsApp Business Account.',
		);
	});
});
