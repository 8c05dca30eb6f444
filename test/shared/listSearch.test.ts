import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type INode, type INodeType } from 'n8n-workflow';

import { WhatsAppCloudTrigger } from '../../nodes/WhatsAppCloudTrigger/WhatsAppCloudTrigger.node';
import { additionalDataFor, TestNodeTypes, TRIGGER_TYPE } from '../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../dev/harness/sandbox';
import { SANDBOX_WABA_ID, type GraphSandbox } from '../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox((started) => ({ sandbox, credentials } = started));

/** The trigger's pickers as the editor calls them: through the node type's own methods table. */
function triggerPicker(parameter: 'businessAccountId' | 'phoneNumberId', creds = credentials) {
	const type: INodeType = new WhatsAppCloudTrigger();
	const node: INode = {
		id: 't1',
		name: 'Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			registration: parameter === 'businessAccountId' ? 'businessAccount' : 'phoneNumber',
		},
		credentials: { whatsAppCloudApi: { id: 'sandbox', name: 'Sandbox' } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes({ [TRIGGER_TYPE]: type }),
	});
	const ctx = new LoadOptionsContext(
		workflow,
		node,
		additionalDataFor(creds),
		`parameters.${parameter}`,
	);
	const method =
		type.methods!.listSearch![
			parameter === 'businessAccountId' ? 'getBusinessAccounts' : 'getPhoneNumbers'
		];
	return async (filter?: string) => await method.call(ctx, filter);
}

describe("the trigger's pickers", () => {
	test('accounts: every account the token may manage, named, the credential’s marked, filtered by text', async () => {
		sandbox.options.phoneNumbers.push({
			id: '206540352242922',
			display_phone_number: '15550001111',
			verified_name: 'Green Leaf',
			wabaId: '202290129340398',
		});
		try {
			const pick = triggerPicker('businessAccountId');
			expect((await pick()).results).toEqual([
				{
					name: `Lucky Shrub account (${SANDBOX_WABA_ID}) · the credential’s`,
					value: SANDBOX_WABA_ID,
				},
				{ name: 'Green Leaf account (202290129340398)', value: '202290129340398' },
			]);
			expect((await pick('green')).results.map((r) => r.value)).toEqual(['202290129340398']);
			// the token goes in the query only to debug_token, and never into what the list shows
			const calls = sandbox.log.map((l) => l.path);
			expect(calls).toEqual(expect.arrayContaining([expect.stringMatching(/\/debug_token$/)]));
			expect(JSON.stringify(await pick())).not.toContain(String(credentials.accessToken));
		} finally {
			sandbox.options.phoneNumbers.pop();
		}
	});

	test('accounts: a token Meta refuses fails the list with Meta’s reason, not an empty list', async () => {
		const pick = triggerPicker('businessAccountId', { ...credentials, accessToken: 'EAAG-wrong' });
		await expect(pick()).rejects.toThrow(/access token/i);
	});

	test('phone numbers: the account’s numbers with name and quality', async () => {
		expect((await triggerPicker('phoneNumberId')()).results).toEqual([
			{
				name: '+15550783881 Lucky Shrub (quality GREEN)',
				value: String(credentials.phoneNumberId),
			},
		]);
	});
});
