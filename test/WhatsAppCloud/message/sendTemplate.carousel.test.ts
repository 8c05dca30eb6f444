/**
 * Send Template with a carousel template (Meta's media-card and product-card carousel template
 * pages): the `carousel` component exactly as Meta takes it (card_index from 0, button index within
 * the card, quick-reply payloads, product headers with product_retailer_id and catalog_id), card
 * header files uploaded per card, and a card-count mismatch or a missing card value refused before
 * anything is sent. The sandbox answers a wrong carousel as Meta does (132012, 132000, 132018).
 *
 * The sandbox checks every send against Meta's OpenAPI request schema, with the carousel component
 * and the product parameter added from Meta's carousel pages (dev/sandbox/openapi.ts).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runAction } from '../../../dev/harness/engine';
import { JPEG } from '../../../dev/harness/files';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import { rl } from '../../../dev/harness/templates';
import { checkAgainstOpenApi } from '../../../dev/sandbox/openapi';
import {
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_TOKEN,
	type GraphSandbox,
} from '../../../dev/sandbox/server';
import { KIND_TEMPLATE_IDS } from '../../../dev/sandbox/templates';
import { clearSends, TO } from './send';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => clearSends(sandbox),
);

const send = async (template: string, value: IDataObject, input: IDataObject[] = [{}]) =>
	await runAction(
		{
			resource: 'message',
			operation: 'sendTemplate',
			to: TO,
			template: rl(template),
			templateVariables: { mappingMode: 'defineBelow', value, matchingColumns: [], schema: [] },
		} as INodeParameters,
		credentials,
		input.map((item) => ('binary' in item ? item : { json: item })) as never,
	);
const messageCalls = () => sandbox.log.filter((l) => l.path.endsWith('/messages'));

/** The whole send, carousel included, checked against Meta's OpenAPI request schema. */
const openApiProblems = (body: Record<string, unknown>): string[] => checkAgainstOpenApi(body);

/** The autumn_picks values: three image cards with a price and a link each. */
const autumn = (extra: IDataObject = {}): IDataObject => ({
	body_1: 'Ana',
	card_1_header_media: '1558081531584829',
	card_1_body_1: '$12',
	card_1_button_0: 'more-1',
	card_1_button_1: 'echeveria',
	card_2_header_media: 'https://cdn.example.com/haworthia.jpg',
	card_2_body_1: '$9',
	card_2_button_1: 'haworthia',
	card_3_header_media: '1558081531584830',
	card_3_body_1: '$15',
	card_3_button_0: 'more-3',
	card_3_button_1: 'aloe vera',
	...extra,
});

const mediaCard = (
	index: number,
	header: IDataObject,
	price: string,
	payload: string,
	suffix: string,
) => ({
	card_index: index,
	components: [
		{ type: 'header', parameters: [{ type: 'image', image: header }] },
		{ type: 'body', parameters: [{ type: 'text', text: price }] },
		{
			type: 'button',
			sub_type: 'quick_reply',
			index: '0',
			parameters: [{ type: 'payload', payload }],
		},
		{ type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: suffix }] },
	],
});

const CATALOG = '194836987003835';
const productCard = (index: number, sku: string, extra: IDataObject[] = []) => ({
	card_index: index,
	components: [
		{
			type: 'header',
			parameters: [{ type: 'product', product: { product_retailer_id: sku, catalog_id: CATALOG } }],
		},
		...extra,
	],
});

describe('Send Template: media card carousels', () => {
	test('the carousel component exactly as Meta takes it: card_index from 0, button index within the card', async () => {
		const { error, items } = await send(KIND_TEMPLATE_IDS.mediaCarousel, autumn());
		expect(error).toBeUndefined();
		const body = sandbox.accepted[0].body;
		expect(body.template).toEqual({
			name: 'autumn_picks',
			language: { code: 'en_US' },
			components: [
				{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] },
				{
					type: 'carousel',
					cards: [
						mediaCard(0, { id: '1558081531584829' }, '$12', 'more-1', 'echeveria'),
						// no payload of its own: the button's label
						mediaCard(
							1,
							{ link: 'https://cdn.example.com/haworthia.jpg' },
							'$9',
							'More like this',
							'haworthia',
						),
						mediaCard(2, { id: '1558081531584830' }, '$15', 'more-3', 'aloe%20vera'),
					],
				},
			],
		});
		expect(openApiProblems(body)).toEqual([]);
		expect(items[0].json).toMatchObject({
			messageStatus: 'accepted',
			template: { name: 'autumn_picks' },
		});
	});

	test("a card's image from the item's binary data is uploaded and placed in that card", async () => {
		const { error } = await send(
			KIND_TEMPLATE_IDS.mediaCarousel,
			autumn({ card_2_header_media: 'binary:photo' }),
			[
				{
					json: {},
					binary: {
						photo: { data: JPEG.toString('base64'), mimeType: 'image/jpeg', fileName: 'h.jpg' },
					},
				} as IDataObject,
			],
		);
		expect(error).toBeUndefined();
		expect(sandbox.uploads.map((u) => u.filename)).toEqual(['h.jpg']);
		const carousel = (sandbox.accepted[0].body.template as { components: IDataObject[] })
			.components[1] as { cards: Array<{ components: IDataObject[] }> };
		expect(carousel.cards[1].components[0]).toEqual({
			type: 'header',
			parameters: [{ type: 'image', image: { id: sandbox.uploads[0].id } }],
		});
	});

	test('a card-count mismatch or a missing card value is refused before anything is sent', async () => {
		const cases: Array<[IDataObject, string]> = [
			[
				autumn({ card_4_header_media: '1558081531584831' }),
				'Template variable "card_4_header_media" is for card 4, but template "autumn_picks" has 3 cards: WhatsApp refuses a carousel sent with another number of cards than it was approved with (error 132012); refresh the template\'s variables in the node [item 0]',
			],
			[
				autumn({ card_3_header_media: '' }),
				'Template variable "Card 3 image" is empty; the template needs a value [item 0]',
			],
			[
				autumn({ card_2_body_1: '' }),
				'Template variable "Card 2 body {{1}} e.g. $9" is empty; the template needs a value [item 0]',
			],
			[
				autumn({ card_1_button_1: '' }),
				'Template variable "Card 1 button 2 URL end" is empty; the template needs a value [item 0]',
			],
			[
				autumn({ card_2_body_1: '$9\nonly' }),
				'Template variable "Card 2 body {{1}} e.g. $9" contains a new line, which WhatsApp does not allow in a template parameter (use a space, or put the line break into the template text itself) [item 0]',
			],
			[
				autumn({ card_1_header_media: 'ftp://cdn.example.com/a.jpg' }),
				'Template variable "Card 1 image" must be an https:// link, a media ID (digits), or binary: followed by the name of a binary field of this item (e.g. binary:data) to upload that file [item 0]',
			],
		];
		for (const [value, message] of cases) {
			const { error } = await send(KIND_TEMPLATE_IDS.mediaCarousel, value);
			expect(error?.message).toBe(message);
		}
		expect(messageCalls()).toHaveLength(0);
	});
});

describe('Send Template: product card carousels', () => {
	test('product headers with product_retailer_id and catalog_id; a third card when its product is given', async () => {
		const { error } = await send(KIND_TEMPLATE_IDS.productCarousel, {
			body_1: 'Ana',
			catalog_id: CATALOG,
			card_1_product: 'vrpj01fvwp',
			card_2_product: 'nqryix03ez',
			card_3_product: 'di9ozbzfi4',
		});
		expect(error).toBeUndefined();
		const body = sandbox.accepted[0].body;
		expect(body.template).toEqual({
			name: 'plant_products',
			language: { code: 'en_US' },
			components: [
				{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] },
				{
					type: 'carousel',
					cards: [
						productCard(0, 'vrpj01fvwp'),
						productCard(1, 'nqryix03ez'),
						productCard(2, 'di9ozbzfi4'),
					],
				},
			],
		});
		expect(openApiProblems(body)).toEqual([]);
	});

	test('2 to 10 cards: two and ten are sent; a gap or a missing catalog is refused before sending', async () => {
		const products = (count: number) =>
			Object.fromEntries(
				Array.from({ length: count }, (_, k) => [`card_${k + 1}_product`, `sku-${k + 1}`]),
			);
		const two = await send(KIND_TEMPLATE_IDS.productCarousel, {
			body_1: 'Ana',
			catalog_id: CATALOG,
			...products(2),
		});
		expect(two.error).toBeUndefined();
		const ten = await send(KIND_TEMPLATE_IDS.productCarousel, {
			body_1: 'Ana',
			catalog_id: CATALOG,
			...products(10),
		});
		expect(ten.error).toBeUndefined();
		const cards = (body: Record<string, unknown>) =>
			((body.template as { components: IDataObject[] }).components[1] as { cards: IDataObject[] })
				.cards;
		expect(cards(sandbox.accepted[0].body)).toHaveLength(2);
		expect(cards(sandbox.accepted[1].body).map((c) => c.card_index)).toEqual([
			0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
		]);
		expect(cards(sandbox.accepted[1].body)[9]).toEqual(productCard(9, 'sku-10'));

		clearSends(sandbox);
		const refused: Array<[IDataObject, string]> = [
			[
				{ body_1: 'Ana', catalog_id: CATALOG, ...products(2), card_4_product: 'sku-4' },
				'Template variable "Card 3 product ID" is empty, but a later card has a product: fill the product cards in order, without gaps [item 0]',
			],
			[
				{ body_1: 'Ana', catalog_id: CATALOG, card_1_product: 'sku-1' },
				'Template variable "Card 2 product ID" is empty; the template needs a value [item 0]',
			],
			[
				{ body_1: 'Ana', ...products(2) },
				'Template variable "Catalog ID (all cards)" is empty; the template needs a value [item 0]',
			],
			[
				{ body_1: 'Ana', catalog_id: CATALOG, ...products(10), card_11_product: 'sku-11' },
				'Template variable "card_11_product" is not a variable of template "plant_products"; refresh the template\'s variables in the node [item 0]',
			],
		];
		for (const [value, message] of refused) {
			const { error } = await send(KIND_TEMPLATE_IDS.productCarousel, value);
			expect(error?.message).toBe(message);
		}
		expect(messageCalls()).toHaveLength(0);
	});

	test("product cards with URL buttons: each sent card's URL suffix, required once its product is given", async () => {
		const { error } = await send(KIND_TEMPLATE_IDS.productLinkCarousel, {
			catalog_id: CATALOG,
			card_1_product: 'sku-1',
			card_1_button_0: 'echeveria',
			card_2_product: 'sku-2',
			card_2_button_0: 'haworthia',
			card_3_product: 'sku-3',
			card_3_button_0: 'aloe',
		});
		expect(error).toBeUndefined();
		const url = (text: string) => [
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text }] },
		];
		expect(sandbox.accepted[0].body.template).toEqual({
			name: 'plant_product_links',
			language: { code: 'en_US' },
			components: [
				{
					type: 'carousel',
					cards: [
						productCard(0, 'sku-1', url('echeveria')),
						productCard(1, 'sku-2', url('haworthia')),
						productCard(2, 'sku-3', url('aloe')),
					],
				},
			],
		});
		clearSends(sandbox);
		const missing = await send(KIND_TEMPLATE_IDS.productLinkCarousel, {
			catalog_id: CATALOG,
			card_1_product: 'sku-1',
			card_1_button_0: 'echeveria',
			card_2_product: 'sku-2',
			card_2_button_0: 'haworthia',
			card_3_product: 'sku-3',
		});
		expect(missing.error?.message).toBe(
			'Template variable "Card 3 button 1 URL end" is empty; the template needs a value [item 0]',
		);
		expect(messageCalls()).toHaveLength(0);
	});
});

describe('the sandbox refuses a wrong carousel as Meta does, so a node bug cannot pass', () => {
	const post = async (components: IDataObject[], name = 'autumn_picks') => {
		const response = await fetch(`${sandbox.url}/v25.0/${SANDBOX_PHONE_NUMBER_ID}/messages`, {
			method: 'POST',
			headers: { authorization: `Bearer ${SANDBOX_TOKEN}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				messaging_product: 'whatsapp',
				to: TO,
				type: 'template',
				template: { name, language: { code: 'en_US' }, components },
			}),
		});
		const { error } = (await response.json()) as { error?: IDataObject };
		return error && [error.code, (error.error_data as IDataObject).details];
	};
	const body = { type: 'body', parameters: [{ type: 'text', text: 'Ana' }] };
	const cards = [
		mediaCard(0, { id: '1' }, '$12', 'm', 'e'),
		mediaCard(1, { id: '2' }, '$9', 'm', 'h'),
		mediaCard(2, { id: '3' }, '$15', 'm', 'a'),
	];

	test('card count, card_index, headers, body parameters, buttons, catalogs', async () => {
		expect(await post([body, { type: 'carousel', cards }])).toBeUndefined();
		expect(await post([body, { type: 'carousel', cards: cards.slice(0, 2) }])).toEqual([
			132012,
			'header component parameter should not be empty',
		]);
		expect(
			await post([
				body,
				{ type: 'carousel', cards: [...cards, mediaCard(3, { id: '4' }, '$1', 'm', 'x')] },
			]),
		).toEqual([132012, 'carousel: the template has 3 cards, the message 4']);
		expect(
			await post([
				body,
				{ type: 'carousel', cards: cards.map((c, i) => ({ ...c, card_index: i + 1 })) },
			]),
		).toEqual([131009, 'carousel: card_index must number the 3 cards from 0 to 2, each once']);
		const noBody = {
			...cards[1],
			components: cards[1].components.filter((c) => c.type !== 'body'),
		};
		expect(await post([body, { type: 'carousel', cards: [cards[0], noBody, cards[2]] }])).toEqual([
			132000,
			'cards[1]: body: number of localizable_params (0) does not match the expected number of params (1)',
		]);
		const swapped = {
			...cards[0],
			components: cards[0].components.map((c) =>
				c.type === 'button' ? { ...c, index: c.index === '0' ? '1' : '0' } : c,
			),
		};
		expect(await post([body, { type: 'carousel', cards: [swapped, cards[1], cards[2]] }])).toEqual([
			132018,
			'cards[0]: buttons: Button at index 1 must be of type Url',
		]);
		const noUrl = { ...cards[2], components: cards[2].components.slice(0, 3) };
		expect(await post([body, { type: 'carousel', cards: [cards[0], cards[1], noUrl] }])).toEqual([
			131008,
			'cards[2]: Parameter value for URL was expected but was not found',
		]);
		const video = {
			...cards[0],
			components: [
				{ type: 'header', parameters: [{ type: 'video', video: { id: '1' } }] },
				...cards[0].components.slice(1),
			],
		};
		expect(await post([body, { type: 'carousel', cards: [video, cards[1], cards[2]] }])).toEqual([
			132012,
			'cards[0]: header: expected IMAGE, received VIDEO',
		]);
		const products = Array.from({ length: 11 }, (_, k) => productCard(k, `sku-${k}`));
		expect(await post([body, { type: 'carousel', cards: products }], 'plant_products')).toEqual([
			132012,
			'carousel: the template has 2 cards, the message 11',
		]);
		const otherCatalog = {
			...productCard(1, 'sku-1'),
			components: [
				{
					type: 'header',
					parameters: [
						{ type: 'product', product: { product_retailer_id: 'sku-1', catalog_id: '42' } },
					],
				},
			],
		};
		expect(
			await post(
				[body, { type: 'carousel', cards: [productCard(0, 'sku-0'), otherCatalog] }],
				'plant_products',
			),
		).toEqual([131009, 'carousel: all product cards must use the same catalog_id']);
	});
});
