import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { LIMIT, upTo } from '../../../helpers/limits';
import { bodyFromForm } from '../parts/body';
import { BUTTON_URL_DESCRIPTION, urlButton } from '../parts/buttons';
import { CAROUSEL_LABELS, carouselComponent, type CardRules } from '../parts/carousel';
import type { TemplateForm, TemplateKind } from '../parts/types';

/**
 * The product card carousel: a message body above cards that each show a product of the
 * catalog, chosen when sending, with one View or URL button. Meta creates it with exactly
 * LIMIT.productCardsCreated cards; a send fills LIMIT.cardsMin to LIMIT.cardsMax.
 */

/** Its fields show for a Marketing template of this Template Type, defined with the form. */
const shown = {
	definition: ['form'],
	category: ['MARKETING'],
	templateType: ['productCarousel'],
};

const fields: INodeProperties[] = [
	{
		displayName: 'Card Button',
		name: 'productButtonType',
		type: 'options',
		default: 'SPM',
		options: [
			{
				name: 'URL',
				value: 'URL',
				description: 'Opens your website; orders placed there send no webhook',
			},
			{
				name: 'View Product',
				value: 'SPM',
				description: 'Opens the product in WhatsApp, where the customer can order it',
			},
		],
		description: `The one button of every product card. The template is created with two cards; a send fills ${LIMIT.cardsMin} to ${LIMIT.cardsMax}.`,
		displayOptions: { show: shown },
	},
	{
		displayName: 'Card Button Text',
		name: 'productButtonText',
		type: 'string',
		default: 'View',
		description: upTo(LIMIT.templateButtonText),
		displayOptions: { show: shown },
	},
	{
		displayName: 'Card Button URL',
		name: 'productButtonUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/products/{{1}}',
		description: BUTTON_URL_DESCRIPTION,
		displayOptions: { show: { ...shown, productButtonType: ['URL'] } },
	},
	{
		displayName: 'Card Button URL Example',
		name: 'productButtonUrlExample',
		type: 'string',
		default: '',
		description: 'Sample value of the URL variable',
		displayOptions: { show: { ...shown, productButtonType: ['URL'] } },
	},
];

/** The created cards: every one a product header and the one button of the form. */
function cardsFromForm(form: TemplateForm): IDataObject[] {
	const type = form.text('productButtonType') || 'SPM';
	const button =
		type === 'URL'
			? urlButton(
					form.text('productButtonText').trim(),
					form.text('productButtonUrl').trim(),
					form.text('productButtonUrlExample').trim(),
				)
			: { type: 'SPM', text: form.text('productButtonText').trim() };
	const card = () => ({
		components: [
			{ type: 'HEADER', format: 'PRODUCT' },
			{ type: 'BUTTONS', buttons: [{ ...button }] },
		],
	});
	return Array.from({ length: LIMIT.productCardsCreated }, card);
}

/** Meta's rules for product cards. */
const cards: CardRules = {
	name: 'product',
	cardCount: (n) =>
		n !== LIMIT.productCardsCreated
			? `are ${n}; a product card carousel is created with exactly ${LIMIT.productCardsCreated} cards (it can then be sent with ${LIMIT.cardsMin} to ${LIMIT.cardsMax})`
			: undefined,
	header: { formats: ['PRODUCT'], rule: 'product cards have a PRODUCT header', sample: false },
	body: (_c, at, { issue }) =>
		issue(at('body'), 'is not allowed: a product card shows the product from the catalog'),
	buttons: {
		types: ['SPM', 'URL'],
		names: 'View (SPM) or URL',
		count: (n) =>
			n !== 1 ? `are ${n}; a product card has exactly one button (View or URL)` : undefined,
	},
};

export const productCarousel: TemplateKind & { cards: CardRules } = {
	fields,
	fromForm: (form) => [bodyFromForm(form), carouselComponent(cardsFromForm(form))],
	labels: CAROUSEL_LABELS,
	templateType: {
		name: 'Product Card Carousel',
		value: 'productCarousel',
		description: `A message body and cards showing products of your catalog, chosen when sending (${LIMIT.cardsMin} to ${LIMIT.cardsMax})`,
	},
	cards,
};
