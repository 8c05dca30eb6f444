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

describe('media: upload, get, download, delete', () => {
	test('media IDs are checked before any request', async () => {
		const bad = await run('media', 'get', { mediaId: 'wamid.X' });
		expect(bad.error?.message).toBe(
			'Media ID must be a media ID (digits only), got "wamid.X" [item 0]',
		);
		expect(sandbox.log).toHaveLength(0);
	});
});
