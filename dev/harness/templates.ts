import type { GraphSandbox } from '../sandbox/server';

/** A Template field's value as the editor stores it: a resource locator, by ID unless told. */
export const rl = (value: string, mode = 'id') => ({ __rl: true, mode, value });

/** Odoo's invoice example: a document header and six positional variables, one a long URL. */
export const RECEIPT_TEMPLATE = {
	name: 'payment_receipt',
	language: 'en_US',
	category: 'UTILITY',
	components: [
		{ type: 'HEADER', format: 'DOCUMENT', example: { header_handle: ['4::aW...'] } },
		{
			type: 'BODY',
			text: 'Dear {{1}}, here is your invoice {{2}} from {{3}} for a total of {{4}}{{5}}. To review your invoice or pay online: {{6}}',
			example: {
				body_text: [
					[
						'Pablo',
						'INV/2025/0042',
						'Lucky Shrub',
						'$',
						'120.00',
						'https://luckyshrub.com/my/invoices/42',
					],
				],
			},
		},
	],
};

/**
 * Adds the templates the template tests send, read and manage, beside the sandbox's own (Meta's
 * examples): a document header with six body variables, a location header, dynamic URL, copy-code
 * and quick-reply buttons, and one still pending review. Returns their IDs by role.
 */
export function addTestTemplates(sandbox: GraphSandbox) {
	const receipt = sandbox.addTemplate(RECEIPT_TEMPLATE);
	const location = sandbox.addTemplate({
		name: 'pickup_point',
		language: 'en_US',
		category: 'UTILITY',
		components: [
			{ type: 'HEADER', format: 'LOCATION' },
			{
				type: 'BODY',
				text: 'Your parcel {{1}} is ready for pickup here.',
				example: { body_text: [['P-77']] },
			},
		],
	});
	const buttons = sandbox.addTemplate({
		name: 'order_shipped',
		language: 'de',
		category: 'MARKETING',
		components: [
			{
				type: 'BODY',
				text: 'Hallo {{1}}, deine Bestellung ist unterwegs.',
				example: { body_text: [['Jonas']] },
			},
			{
				type: 'BUTTONS',
				buttons: [
					{
						type: 'URL',
						text: 'Sendung verfolgen',
						url: 'https://luckyshrub.com/track/{{1}}',
						example: ['A 1042'],
					},
					{ type: 'COPY_CODE', example: 'SAVE25' },
					{ type: 'QUICK_REPLY', text: 'Stop' },
				],
			},
		],
	});
	const pending = sandbox.addTemplate({
		name: 'address_update',
		language: 'en_US',
		category: 'UTILITY',
		status: 'PENDING',
		components: [{ type: 'BODY', text: 'Please confirm your address.' }],
	});
	return { receipt, location, buttons, pending };
}
