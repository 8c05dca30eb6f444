import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { type OperationArgs, runOperation } from '../../../dev/harness/engine';
import { PDF } from '../../../dev/harness/files';
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
	test('a file damaged on the way fails the SHA-256 check', async () => {
		const id = sandbox.addMedia(PDF, 'application/pdf');
		const stored = sandbox.media.get(id)!;
		const original = stored.bytes;
		// Meta reports the hash of the original; the bytes served are changed
		const realInfo = createHash('sha256').update(original).digest('hex');
		stored.bytes = Buffer.concat([original, Buffer.from('x')]);
		const originalHash = createHash('sha256').update(stored.bytes).digest('hex');
		expect(realInfo).not.toBe(originalHash);
		const sandboxAny = sandbox as unknown as { mediaInfo: (id: string) => { body: IDataObject } };
		const mediaInfo = sandboxAny.mediaInfo.bind(sandbox);
		sandboxAny.mediaInfo = (mediaId: string) => {
			const res = mediaInfo(mediaId);
			res.body.sha256 = realInfo;
			return res;
		};
		try {
			const down = await run('media', 'download', { mediaId: id });
			expect(down.error?.message).toBe(
				`The downloaded file of media ${id} does not match Meta's SHA-256: it was damaged on the way [item 0]`,
			);
		} finally {
			sandboxAny.mediaInfo = mediaInfo;
		}
	});
});
