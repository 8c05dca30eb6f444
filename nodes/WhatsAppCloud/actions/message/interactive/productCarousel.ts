import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { LIMIT } from '../../../helpers/limits';
import { readText } from '../../../helpers/validation';
import { entriesOf, type InteractiveKind, trimmed } from './form';
import {
	bodySchema,
	card,
	catalogId,
	catalogIdField,
	readCatalogId,
	retailerId,
	cardList,
} from './shared';

/**
 * Product Carousel: cards the customer scrolls sideways, under one body text and with no header
 * or footer, each showing one product of one catalog.
 *
 * It is its own Interactive Type rather than a card type of the media carousel: its cards share no
 * field with media cards (no media, text or buttons, only a product), it needs a catalog ID for
 * the whole message, and Meta allows no mix of the two in one carousel.
 */

const productCardsField: INodeProperties = {
	displayName: 'Cards',
	name: 'productCards',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	default: {},
	placeholder: 'Add card',
	required: true,
	description: `${LIMIT.cardsMin} to ${LIMIT.cardsMax} products of the catalog above, shown left to right in this order`,
	displayOptions: { show: { interactiveType: ['productCarousel'] } },
	options: [
		{
			displayName: 'Card',
			name: 'card',
			values: [
				{
					displayName: 'Product Retailer ID',
					name: 'productRetailerId',
					type: 'string',
					default: '',
					placeholder: 'vrpj01fvwp',
					description: 'The product\'s ID in the catalog (its "Content ID" in Commerce Manager)',
				},
			],
		},
	],
};

const productCard = z
	.object({
		card_index: z.number().int().min(0),
		type: z.literal('product'),
		action: z.object({ product_retailer_id: retailerId, catalog_id: catalogId }).strict(),
	})
	.strict();

const productCarouselSchema = z
	.object({
		type: z.literal('carousel'),
		body: bodySchema,
		action: z.object({
			cards: cardList(productCard).superRefine((list, ctx) => {
				list.forEach((c, index) => {
					if (c.action.catalog_id !== list[0].action.catalog_id)
						ctx.addIssue({
							code: z.ZodIssueCode.custom,
							path: [index, 'action', 'catalog_id'],
							message: 'differs from card 1: all cards must show products of one catalog',
						});
				});
			}),
		}),
	})
	.strict();

export const productCarouselMessage: InteractiveKind = {
	option: {
		name: 'Product Carousel',
		value: 'productCarousel',
		description: `${LIMIT.cardsMin} to ${LIMIT.cardsMax} scrolling cards, one product of your catalog each`,
	},
	fields: [catalogIdField, productCardsField],
	schema: productCarouselSchema,
	build(fns, i) {
		const labels: Record<string, string> = { 'body.text': 'Body', 'action.cards': 'Cards' };
		const catalog = readCatalogId(fns, i);
		const cards = entriesOf(fns.getNodeParameter('productCards.card', i, [])).map(
			(entry, index): IDataObject => {
				const at = `action.cards.${index}`;
				labels[at] = card(index);
				labels[`${at}.action.product_retailer_id`] = card(index, 'Product Retailer ID');
				labels[`${at}.action.catalog_id`] = 'Catalog ID';
				return {
					card_index: index,
					type: 'product',
					action: {
						product_retailer_id: trimmed(
							fns,
							entry.productRetailerId,
							card(index, 'Product Retailer ID'),
							i,
						),
						catalog_id: catalog,
					},
				};
			},
		);
		return {
			interactive: {
				type: 'carousel',
				body: { text: readText(fns, 'body', i, 'Body') },
				action: { cards },
			},
			labels,
		};
	},
};
