/**
 * Creating product card carousel templates: the form builds the two product cards Meta takes, with
 * a View or a URL button, and every rule (exactly two cards, one View or URL button, no card body,
 * labels 25) has an inside case that is sent and an outside case that fails before any request,
 * naming the item and the field.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runOperation } from '../../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../../dev/harness/sandbox';
import { SANDBOX_APP_ID, type GraphSandbox } from '../../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => {
		({ sandbox, credentials } = started);
		credentials.appId = SANDBOX_APP_ID;
	},
	() => {
		sandbox.log.length = 0;
		sandbox.uploadSessions.clear();
	},
);

let names = 0;
const create = async (
	parameters: INodeParameters,
	input?: Array<{ json: IDataObject; binary?: IDataObject }>,
) =>
	await runOperation(
		credentials,
		'template',
		'create',
		{
			templateName: `carousel_${++names}`,
			language: 'en_US',
			category: 'MARKETING',
			...parameters,
		},
		input,
	);
const stored = (id: unknown) => sandbox.templates.get(String(id))!;

const productCard = (button: IDataObject = { type: 'spm', text: 'View' }) => ({
	components: [
		{ type: 'header', format: 'product' },
		{ type: 'buttons', buttons: [button] },
	],
});

describe('Template > Create: product card carousels', () => {
	test('the form builds the two product cards Meta takes, with a View or a URL button', async () => {
		const view = await create({
			templateType: 'productCarousel',
			bodyText: 'Rare succulents, {{1}}: tap one to order.',
			bodyExamples: 'Ana',
		});
		expect(view.error).toBeUndefined();
		const viewCard = {
			components: [
				{ type: 'HEADER', format: 'PRODUCT' },
				{ type: 'BUTTONS', buttons: [{ type: 'SPM', text: 'View' }] },
			],
		};
		expect(stored(view.items[0].json.id).components).toEqual([
			{
				type: 'BODY',
				text: 'Rare succulents, {{1}}: tap one to order.',
				example: { body_text: [['Ana']] },
			},
			{ type: 'CAROUSEL', cards: [viewCard, viewCard] },
		]);
		expect(sandbox.uploadSessions.size).toBe(0);

		const link = await create({
			templateType: 'productCarousel',
			bodyText: 'New in the shop this week.',
			productButtonType: 'URL',
			productButtonText: 'Shop',
			productButtonUrl: 'https://shop.example.com/p/{{1}}',
			productButtonUrlExample: 'echeveria',
		});
		expect(link.error).toBeUndefined();
		const linkCard = {
			components: [
				{ type: 'HEADER', format: 'PRODUCT' },
				{
					type: 'BUTTONS',
					buttons: [
						{
							type: 'URL',
							text: 'Shop',
							url: 'https://shop.example.com/p/{{1}}',
							example: ['echeveria'],
						},
					],
				},
			],
		};
		expect((stored(link.items[0].json.id).components[1] as IDataObject).cards).toEqual([
			linkCard,
			linkCard,
		]);
	});

	test('exactly two cards, one View or URL button, no card body: outside fails before any request', async () => {
		const json = (cards: IDataObject[]) => ({
			definition: 'json',
			componentsJson: JSON.stringify([
				{ type: 'body', text: 'Our picks for you.' },
				{ type: 'carousel', cards },
			]),
		});
		const inside = await create(json([productCard(), productCard()]));
		expect(inside.error).toBeUndefined();
		sandbox.log.length = 0;
		const outside: Array<[IDataObject[], string]> = [
			[[productCard()], 'Cards are 1; a product card carousel is created with exactly 2 cards'],
			[
				[productCard(), productCard(), productCard()],
				'Cards are 3; a product card carousel is created with exactly 2 cards (it can then be sent with 2 to 10)',
			],
			[
				[1, 2].map(() => ({
					components: [
						{ type: 'header', format: 'product' },
						{
							type: 'buttons',
							buttons: [
								{ type: 'spm', text: 'View' },
								{ type: 'spm', text: 'Buy' },
							],
						},
					],
				})),
				'Card 1 > Buttons are 2; a product card has exactly one button (View or URL)',
			],
			[
				[1, 2].map(() => productCard({ type: 'quick_reply', text: 'More' })),
				'Card 1 > Button 1 > Type quick_reply is not allowed on a product card (View (SPM) or URL)',
			],
			[
				[1, 2].map(() => productCard({ type: 'spm', text: 'v'.repeat(26) })),
				'Card 1 > Button 1 > Text is too long (WhatsApp allows at most 25 characters)',
			],
			[
				[1, 2].map(() => ({
					components: [
						{ type: 'header', format: 'product' },
						{ type: 'body', text: 'A plant' },
						{ type: 'buttons', buttons: [{ type: 'spm', text: 'View' }] },
					],
				})),
				'Card 1 > Body is not allowed: a product card shows the product from the catalog',
			],
		];
		for (const [cards, message] of outside) {
			const { error } = await create(json(cards));
			expect(error?.message?.startsWith(message)).toBe(true);
			expect(error?.message).toMatch(/ \[item 0\]$/);
		}
		const label = await create({
			templateType: 'productCarousel',
			bodyText: 'Our picks.',
			productButtonText: 'v'.repeat(26),
		});
		expect(label.error?.message).toBe(
			'Card 1 > Button 1 > Text is too long (WhatsApp allows at most 25 characters) [item 0]',
		);
		expect(sandbox.log).toHaveLength(0);
	});
});
