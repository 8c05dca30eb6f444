/**
 * Send Interactive > Location Request (actions/message/interactive/locationRequest.ts): the JSON
 * Meta documents. Its body's limit is checked with the other messages' limits (../limits.test.ts).
 */
import { type SandboxCredentials, useSandbox } from '../../../../dev/harness/sandbox';
import type { GraphSandbox } from '../../../../dev/sandbox/server';
import { clearSends, head, messageCalls } from '../send';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => clearSends(sandbox),
);

const { sentBody } = messageCalls(() => ({ sandbox, credentials }));

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
