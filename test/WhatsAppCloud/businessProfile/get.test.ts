import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runAction } from '../../harness/engine';
import { startSandbox } from '../../harness/sandbox';
import type { GraphSandbox } from '../../sandbox/server';

let sandbox: GraphSandbox;
let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];

beforeAll(async () => {
	({ sandbox, credentials } = await startSandbox());
});
afterAll(async () => await sandbox.stop());
beforeEach(() => {
	sandbox.log.length = 0;
});

const run = async (
	resource: string,
	operation: string,
	parameters: INodeParameters = {},
	input: Array<{ json: IDataObject; binary?: IDataObject }> = [{ json: {} }],
) => await runAction({ resource, operation, ...parameters }, credentials, input as never);

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
