import type { GraphSandbox } from '../../../dev/sandbox/server';
import { head, useMessageSandbox } from './send';

let sandbox: GraphSandbox;
const { send, sentBody } = useMessageSandbox((started) => (sandbox = started.sandbox));

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

	test('sendReaction: a flag, a keycap and a sequence are each one emoji; two emoji or a lone selector are not', async () => {
		for (const emoji of [
			'🇩🇪',
			'1️⃣',
			'👩‍👩‍👧',
			'🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}',
		]) {
			sandbox.accepted.length = 0;
			expect(await sentBody('sendReaction', { messageId: 'wamid.X', emoji })).toMatchObject({
				reaction: { emoji },
			});
		}
		sandbox.log.length = 0;
		for (const emoji of ['😀😀', '\uFE0F', '1', 'ok']) {
			const { error } = await send('sendReaction', { messageId: 'wamid.X', emoji });
			expect(error?.message).toBe(
				'Emoji must be exactly one emoji (or remove the reaction) [item 0]',
			);
		}
		expect(sandbox.log).toHaveLength(0);
	});
});
