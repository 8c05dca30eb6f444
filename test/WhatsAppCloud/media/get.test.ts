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

describe('media: upload, get, download, delete', () => {
	test('media IDs are checked before any request', async () => {
		const bad = await run('media', 'get', { mediaId: 'wamid.X' });
		expect(bad.error?.message).toBe(
			'Media ID must be the digits of a media ID, got "wamid.X" [item 0]',
		);
		expect(sandbox.log).toHaveLength(0);
	});
});
