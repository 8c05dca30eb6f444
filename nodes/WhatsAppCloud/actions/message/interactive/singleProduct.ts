import type { INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { LIMIT, upToLower } from '../../../helpers/limits';
import { readText } from '../../../helpers/validation';
import type { InteractiveKind } from './form';
import {
	bodyAndFooter,
	bodySchema,
	catalogId,
	catalogIdField,
	footerSchema,
	readCatalogId,
	retailerId,
} from './shared';

/**
 * Single Product: one product of the catalog connected to the WhatsApp Business Account. The
 * customer's cart comes back to the trigger as an order.
 */

const SINGLE = ['product'];

/** A Single Product message may leave out the body (the product's own details show instead). */
const productBodyField: INodeProperties = {
	displayName: 'Body',
	name: 'body',
	type: 'string',
	typeOptions: { rows: 3 },
	default: '',
	description: `Optional text under the product, ${upToLower(LIMIT.interactiveBody)}`,
	displayOptions: { show: { interactiveType: SINGLE } },
};

const productRetailerIdField: INodeProperties = {
	displayName: 'Product Retailer ID',
	name: 'productRetailerId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'vrpj01fvwp',
	description: 'The product\'s ID in the catalog (its "Content ID" in Commerce Manager)',
	displayOptions: { show: { interactiveType: SINGLE } },
};

/** One product with an optional body and footer; no header. */
const singleProductSchema = z
	.object({
		type: z.literal('product'),
		body: bodySchema.optional(),
		footer: footerSchema,
		action: z.object({ catalog_id: catalogId, product_retailer_id: retailerId }).strict(),
	})
	.strict();

const LABELS = {
	body: 'Body',
	'body.text': 'Body',
	'footer.text': 'Footer',
	'action.catalog_id': 'Catalog ID',
	'action.product_retailer_id': 'Product Retailer ID',
};

export const singleProductMessage: InteractiveKind = {
	option: { name: 'Single Product', value: 'product', description: 'One product of your catalog' },
	bodyField: productBodyField,
	fields: [catalogIdField, productRetailerIdField],
	schema: singleProductSchema,
	build(fns, i) {
		return {
			interactive: {
				type: 'product',
				...bodyAndFooter(fns, i, { optionalBody: true }),
				action: {
					catalog_id: readCatalogId(fns, i),
					product_retailer_id: readText(fns, 'productRetailerId', i, 'Product Retailer ID', {
						trim: true,
					}),
				},
			},
			labels: LABELS,
		};
	},
};
