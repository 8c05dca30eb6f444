/**
 * Send Interactive > Call-to-Action URL (actions/message/interactive/ctaUrl.ts): the JSON Meta
 * documents. Its limits are checked with the other messages' limits (../limits.test.ts).
 */
import { head, useMessageSandbox } from '../send';

const { sentBody } = useMessageSandbox();

describe('Call-to-Action URL sends exactly the JSON Meta documents', () => {
	test('sendInteractive: call-to-action URL', async () => {
		expect(
			await sentBody('sendInteractive', {
				interactiveType: 'cta_url',
				body: 'Tap the button below to see available dates.',
				ctaText: 'See Dates',
				ctaUrl:
					'https://www.luckyshrub.com?clickID=kqDGWd24Q5TRwoEQTICY7W1JKoXvaZOXWAS7h1P76s0R7Paec4',
			}),
		).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'cta_url',
				body: { text: 'Tap the button below to see available dates.' },
				action: {
					name: 'cta_url',
					parameters: {
						display_text: 'See Dates',
						url: 'https://www.luckyshrub.com?clickID=kqDGWd24Q5TRwoEQTICY7W1JKoXvaZOXWAS7h1P76s0R7Paec4',
					},
				},
			},
		});
	});
});
