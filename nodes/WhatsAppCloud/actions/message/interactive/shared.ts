import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { GRAPH_ID } from '../../../../shared/ids';
import { asText, readText, text } from '../../../helpers/validation';

/**
 * What several kinds of interactive message share: fields (each naming the kinds that show it),
 * Meta's rules for those parts of the payload, and how they are read from the form.
 */

// ---------------------------------------------------------------------------------------------
// Body and footer.

/** The body of a message other than a list: its text. */
export const bodySchema = z.object({ text: text(1024) });
/** The optional footer: small grey text under the body. */
export const footerSchema = z.object({ text: text(60) }).optional();

/**
 * Body and footer of item `i`, read in this order; an empty body is left out only where it is
 * optional (a single product).
 */
export function bodyAndFooter(
	fns: IExecuteFunctions,
	i: number,
	{ optionalBody = false } = {},
): IDataObject {
	const bodyText = readText(fns, 'body', i, 'Body');
	const footerText = readText(fns, 'footer', i, 'Footer');
	return {
		...(bodyText || !optionalBody ? { body: { text: bodyText } } : {}),
		...(footerText ? { footer: { text: footerText } } : {}),
	};
}

// ---------------------------------------------------------------------------------------------
// The catalog: the kinds that show products of it.

/** The catalog the products come from; one field for every kind that shows products. */
export const catalogIdField: INodeProperties = {
	displayName: 'Catalog ID',
	name: 'catalogId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	hint: 'The catalog connected to the account in WhatsApp Manager',
	description:
		"The catalog the products come from: the one connected to the WhatsApp Business Account. Listing it needs the token's catalog_management permission; without it, choose By ID and copy the ID from Commerce Manager > Catalog > Settings.",
	displayOptions: { show: { interactiveType: ['product', 'productList', 'productCarousel'] } },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select the catalog...',
			typeOptions: { searchListMethod: 'getCatalogs', searchable: false },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '194836987003835',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\d+$', errorMessage: 'A catalog ID has only digits' },
				},
			],
		},
	],
};

/**
 * A catalog ID: the numeric ID Meta gives a catalog (Commerce Manager shows it under the catalog's
 * settings). Anything else cannot name a catalog, so it fails before the send.
 */
export const catalogId = z
	.string()
	.min(1)
	.regex(GRAPH_ID, 'must be the numeric ID of the catalog, as Commerce Manager shows it');

/**
 * The Catalog ID field of item `i`: picked from the account's catalog or typed (a resource
 * locator), or the plain text a workflow saved before it was one.
 */
export const readCatalogId = (
	fns: Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>,
	itemIndex: number,
) =>
	asText(
		fns,
		fns.getNodeParameter('catalogId', itemIndex, '', { extractValue: true }),
		'Catalog ID',
		itemIndex,
	).trim();

/** A product retailer ID (the product's "Content ID" in Commerce Manager): any non-empty text. */
export const retailerId = z.string().min(1);

// ---------------------------------------------------------------------------------------------
// Carousels: cards the customer scrolls sideways.

/** A carousel has 2 to 10 cards. */
export const twoToTen = <T extends z.ZodTypeAny>(card: T) => z.array(card).min(2).max(10);

/** The label of a card's fields: "Cards > Card 3 > Button Text". */
export const card = (index: number, field?: string) =>
	`Cards > Card ${index + 1}${field ? ` > ${field}` : ''}`;
