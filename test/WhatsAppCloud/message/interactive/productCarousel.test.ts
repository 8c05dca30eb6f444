/**
 * Send Interactive > Product Carousel (actions/message/interactive/productCarousel.ts): the exact
 * JSON Meta documents, every limit just inside and just outside (outside fails before any request,
 * naming the item and the card's field), and the sandbox refusing what Meta refuses.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { GraphSandbox } from '../../../../dev/sandbox/server';
import { head, useMessageSandbox } from '../send';
import { postInteractive } from './post';

let sandbox: GraphSandbox;
const { send, sentBody, insideAndOutside } = useMessageSandbox(
	(started) => (sandbox = started.sandbox),
);

const x = (n: number) => 'x'.repeat(n);
const productCarousel = (ids: string[], p: INodeParameters = {}): INodeParameters => ({
	interactiveType: 'productCarousel',
	body: 'Featured',
	catalogId: '194836987003835',
	productCards: { card: ids.map((productRetailerId) => ({ productRetailerId })) },
	...p,
});
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('Product Carousel sends exactly the JSON Meta documents', () => {
	test('product cards: one catalog for all, no header, body or buttons on the cards', async () => {
		expect(
			await sentBody('sendInteractive', productCarousel(['vrpj01fvwp', 'lc20305pt', 'ab12'])),
		).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'carousel',
				body: { text: 'Featured' },
				action: {
					cards: ['vrpj01fvwp', 'lc20305pt', 'ab12'].map((id, index) => ({
						card_index: index,
						type: 'product',
						action: { product_retailer_id: id, catalog_id: '194836987003835' },
					})),
				},
			},
		});
	});
});

describe("the product carousel's limits: one value just inside, one just outside; outside fails before any request, naming item and field", () => {
	type Case = [string, (ok: boolean) => INodeParameters, RegExp];
	const cases: Case[] = [
		[
			'product carousel: at least 2 cards',
			(ok) => productCarousel(ok ? ['a', 'b'] : ['a']),
			/^Cards needs at least 2 entries/,
		],
		[
			'product carousel: at most 10 cards',
			(ok) => productCarousel(range(ok ? 10 : 11).map((n) => `p${n}`)),
			/^Cards has 11 entries \(WhatsApp allows at most 10\)/,
		],
		[
			'product carousel: every card names a product',
			(ok) => productCarousel(['a', ok ? 'b' : ' ']),
			/^Cards > Card 2 > Product Retailer ID is empty; it needs a value/,
		],
		[
			'product carousel: a numeric catalog ID',
			(ok) => productCarousel(['a', 'b'], { catalogId: ok ? '194836987003835' : 'my-shop' }),
			/^Catalog ID must be the numeric ID of the catalog/,
		],
		[
			'product carousel: a catalog ID (an expression that gives nothing)',
			(ok) => productCarousel(['a', 'b'], { catalogId: ok ? '={{ "1" }}' : '={{ " " }}' }),
			/^Catalog ID is empty; it needs a value/,
		],
		[
			'product carousel: body 1,024',
			(ok) => productCarousel(['a', 'b'], { body: x(ok ? 1024 : 1025) }),
			/^Body is too long: 1,025 characters/,
		],
	];

	test.each(cases)('%s', async (_name, params, message) => {
		await insideAndOutside('sendInteractive', params, message);
	});

	test('an empty body or catalog ID: n8n itself refuses to run the node (required fields); nothing is sent', async () => {
		for (const [params, field] of [
			[productCarousel(['a', 'b'], { body: '' }), 'Body'],
			[productCarousel(['a', 'b'], { catalogId: '' }), 'Catalog ID'],
		] as const)
			await expect(send('sendInteractive', params)).rejects.toThrow(
				`node has issues:\n- Parameter "${field}" is required.`,
			);
		expect(sandbox.log).toHaveLength(0);
	});
});

describe('the sandbox refuses the product carousels Meta refuses', () => {
	const post = (interactive: IDataObject) => postInteractive(sandbox, interactive);
	const carousel = (cards: IDataObject[], p: IDataObject = {}) => ({
		type: 'carousel',
		body: { text: 'Pick' },
		action: { cards },
		...p,
	});
	const productCard = (index: number, catalog = '194836987003835') => ({
		card_index: index,
		type: 'product',
		action: { product_retailer_id: `p${index}`, catalog_id: catalog },
	});

	test.each<[string, number, IDataObject, RegExp]>([
		[
			'product cards of two catalogs',
			131009,
			carousel([productCard(0), productCard(1, '999')]),
			/same catalog_id/,
		],
		[
			'a product card with a body',
			100,
			carousel([{ ...productCard(0), body: { text: 'b' } }, productCard(1)]),
			/body is not supported on a product card/,
		],
	])('%s: code %d', async (_name, code, interactive, details) => {
		const { status, error } = await post(interactive);
		expect(status).toBe(400);
		expect(error).toMatchObject({ code, type: 'OAuthException' });
		expect((error?.error_data as IDataObject).details).toMatch(details);
		expect(sandbox.accepted).toHaveLength(0);
	});
});
