/**
 * Send Interactive > Reply Buttons (actions/message/interactive/replyButtons.ts): the JSON Meta
 * documents. Its limits are checked with the other messages' limits (../limits.test.ts).
 */
import { head, useMessageSandbox } from '../send';

const { sentBody } = useMessageSandbox();

describe('Reply Buttons send exactly the JSON Meta documents', () => {
	test('sendInteractive: reply buttons with an image header and a footer', async () => {
		expect(
			await sentBody('sendInteractive', {
				interactiveType: 'button',
				headerType: 'image',
				headerMedia: 'https://example.com/h.jpg',
				body: 'Hi Pablo! Your gardening workshop is scheduled for 9am tomorrow. Use the buttons if you need to reschedule.',
				footer: 'Lucky Shrub',
				replyButtons: {
					button: [
						{ id: 'change-button', title: 'Change' },
						{ id: 'cancel-button', title: 'Cancel' },
					],
				},
			}),
		).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'button',
				header: { type: 'image', image: { link: 'https://example.com/h.jpg' } },
				body: {
					text: 'Hi Pablo! Your gardening workshop is scheduled for 9am tomorrow. Use the buttons if you need to reschedule.',
				},
				footer: { text: 'Lucky Shrub' },
				action: {
					buttons: [
						{ type: 'reply', reply: { id: 'change-button', title: 'Change' } },
						{ type: 'reply', reply: { id: 'cancel-button', title: 'Cancel' } },
					],
				},
			},
		});
	});
});
