/**
 * Send Interactive > Location Request (actions/message/interactive/locationRequest.ts): the JSON
 * Meta documents. Its body's limit is checked with the other messages' limits (../limits.test.ts).
 */
import { head, useMessageSandbox } from '../send';

const { sentBody } = useMessageSandbox();

describe('Location Request sends exactly the JSON Meta documents', () => {
	test('sendInteractive: location request', async () => {
		expect(
			await sentBody('sendInteractive', {
				interactiveType: 'location_request_message',
				body: "Let's start with your pickup. You can either manually *enter an address* or *share your current location*.",
			}),
		).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'location_request_message',
				body: {
					text: "Let's start with your pickup. You can either manually *enter an address* or *share your current location*.",
				},
				action: { name: 'send_location' },
			},
		});
	});
});
