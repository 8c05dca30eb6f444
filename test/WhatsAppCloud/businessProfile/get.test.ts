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

describe('business profile', () => {
	test("get returns Meta's example profile", async () => {
		const { items } = await run('businessProfile', 'get');
		expect(items[0].json).toEqual({
			phoneNumberId: '106540352242922',
			about: 'Succulent specialists!',
			address: '1 Hacker Way, Menlo Park, CA 94025',
			description: 'At Lucky Shrub, we specialize in providing a...',
			email: 'lucky@luckyshrub.com',
			websites: ['https://www.luckyshrub.com/'],
			vertical: 'RETAIL',
			profilePictureUrl: 'https://pps.whatsapp.net/v/t61.24...',
		});
	});
});
