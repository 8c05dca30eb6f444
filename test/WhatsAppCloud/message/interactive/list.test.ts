/**
 * Send Interactive > List (actions/message/interactive/list.ts): the JSON Meta documents, rows
 * grouped into sections. Its limits are checked with the other messages' limits (../limits.test.ts).
 */
import { head, useMessageSandbox } from '../send';

const { sentBody } = useMessageSandbox();

describe('List sends exactly the JSON Meta documents', () => {
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
});
