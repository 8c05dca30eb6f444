import { runAction } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import type { GraphSandbox } from '../../../dev/sandbox/server';
import { clearSends } from './send';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => clearSends(sandbox),
);

describe('each operation sends exactly the JSON Meta documents', () => {
	test('markAsRead with the typing indicator', async () => {
		const { items, error } = await runAction(
			{
				resource: 'message',
				operation: 'markAsRead',
				messageId: 'wamid.IN1',
				typingIndicator: true,
			},
			credentials,
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			success: true,
			messageId: 'wamid.IN1',
			typingIndicator: true,
			senderPhoneNumberId: '106540352242922',
		});
		expect(sandbox.log.map((l) => `${l.method} ${l.path}`)).toEqual([
			'POST /v25.0/106540352242922/messages',
		]);
	});
});
