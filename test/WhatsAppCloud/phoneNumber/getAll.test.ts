import { type OperationArgs, runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import type { GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => {
		sandbox.log.length = 0;
	},
);

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);

describe('phone numbers', () => {
	test("getAll lists the account's numbers with quality, name status, throughput and messaging limit", async () => {
		sandbox.options.phoneNumbers[0] = {
			...sandbox.options.phoneNumbers[0],
			name_status: 'APPROVED',
			whatsapp_business_manager_messaging_limit: 'TIER_250',
			throughput: { level: 'STANDARD' },
		};
		const { items, error } = await run('phoneNumber', 'getAll');
		expect(error).toBeUndefined();
		expect(
			items.map((i) => Object.fromEntries(Object.entries(i.json).filter(([k]) => k !== 'raw'))),
		).toEqual([
			{
				id: '106540352242922',
				displayPhoneNumber: '15550783881',
				verifiedName: 'Lucky Shrub',
				qualityRating: 'GREEN',
				nameStatus: 'APPROVED',
				status: undefined,
				throughputLevel: 'STANDARD',
				messagingLimit: 'TIER_250',
				codeVerificationStatus: 'VERIFIED',
			},
		]);
	});
});
