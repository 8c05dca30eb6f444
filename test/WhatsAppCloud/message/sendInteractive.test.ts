import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import type { GraphSandbox } from '../../../dev/sandbox/server';
import { clearSends, head, messageCalls } from './send';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => clearSends(sandbox),
);

const { sentBody } = messageCalls(() => ({ sandbox, credentials }));

describe('each operation sends exactly the JSON Meta documents', () => {
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

	test('sendInteractive: list with two sections grouped from rows', async () => {
		expect(
			await sentBody('sendInteractive', {
				interactiveType: 'list',
				headerType: 'text',
				headerText: 'Choose Shipping Option',
				body: 'Which shipping option do you prefer?',
				footer: 'Lucky Shrub',
				listButton: 'Shipping Options',
				listRows: {
					row: [
						{
							section: 'I want it ASAP!',
							id: 'priority_express',
							title: 'Priority Mail Express',
							description: 'Next Day to 2 Days',
						},
						{
							section: 'I can wait a bit',
							id: 'usps_ground_advantage',
							title: 'USPS Ground Advantage',
							description: '2 to 5 Days',
						},
						{
							section: 'I want it ASAP!',
							id: 'priority_mail',
							title: 'Priority Mail',
							description: '1-3 Days',
						},
					],
				},
			}),
		).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'list',
				header: { type: 'text', text: 'Choose Shipping Option' },
				body: { text: 'Which shipping option do you prefer?' },
				footer: { text: 'Lucky Shrub' },
				action: {
					button: 'Shipping Options',
					sections: [
						{
							title: 'I want it ASAP!',
							rows: [
								{
									id: 'priority_express',
									title: 'Priority Mail Express',
									description: 'Next Day to 2 Days',
								},
								{ id: 'priority_mail', title: 'Priority Mail', description: '1-3 Days' },
							],
						},
						{
							title: 'I can wait a bit',
							rows: [
								{
									id: 'usps_ground_advantage',
									title: 'USPS Ground Advantage',
									description: '2 to 5 Days',
								},
							],
						},
					],
				},
			},
		});
	});

	test('sendInteractive: call-to-action URL and location request', async () => {
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
		sandbox.accepted.length = 0;
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
