import { type SandboxCredentials, useSandbox } from '../../harness/sandbox';
import type { GraphSandbox } from '../../sandbox/server';
import { clearSends, head, messageCalls } from './send';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => clearSends(sandbox),
);

const { sentBody } = messageCalls(() => ({ sandbox, credentials }));

describe('each operation sends exactly the JSON Meta documents', () => {
	test('sendReaction: set and remove', async () => {
		expect(
			await sentBody('sendReaction', {
				messageId: 'wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
				emoji: '😀',
			}),
		).toEqual({
			...head,
			type: 'reaction',
			reaction: {
				message_id: 'wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
				emoji: '😀',
			},
		});
		sandbox.accepted.length = 0;
		expect(
			await sentBody('sendReaction', { messageId: 'wamid.X', reactionAction: 'remove' }),
		).toEqual({ ...head, type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '' } });
	});
});
