import { type OperationArgs, runOperation } from '../../harness/engine';
import { type SandboxCredentials, useSandbox } from '../../harness/sandbox';
import type { GraphSandbox } from '../../sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => {
		sandbox.log.length = 0;
	},
);

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);

describe('media: upload, get, download, delete', () => {
	test('media IDs are checked before any request', async () => {
		const bad = await run('media', 'get', { mediaId: 'wamid.X' });
		expect(bad.error?.message).toBe(
			'Media ID must be a media ID (digits only), got "wamid.X" [item 0]',
		);
		expect(sandbox.log).toHaveLength(0);
	});
});
