import type { INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { readText } from '../../../helpers/validation';
import type { InteractiveKind } from './form';
import { bodyAndFooter, bodySchema, footerSchema, retailerId } from './shared';

/**
 * Catalog: the whole catalog connected to the WhatsApp Business Account behind a View catalog
 * button. The customer's cart comes back to the trigger as an order.
 */

const thumbnailField: INodeProperties = {
	displayName: 'Thumbnail Product Retailer ID',
	name: 'thumbnailProductRetailerId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'vrpj01fvwp',
	description:
		'The product whose image heads the message (its "Content ID" in Commerce Manager); the customer taps View catalog to see all products',
	displayOptions: { show: { interactiveType: ['catalogMessage'] } },
};

/**
 * The catalog behind a View catalog button, headed by one product's image. The thumbnail product
 * is required: Meta's OpenAPI document requires it, although Meta's commerce guide says the first
 * product's image is used when the parameters are left out; requiring it sends what both accept.
 */
const catalogMessageSchema = z
	.object({
		type: z.literal('catalog_message'),
		body: bodySchema,
		footer: footerSchema,
		action: z
			.object({
				name: z.literal('catalog_message'),
				parameters: z.object({ thumbnail_product_retailer_id: retailerId }).strict(),
			})
			.strict(),
	})
	.strict();

const LABELS = {
	body: 'Body',
	'body.text': 'Body',
	'footer.text': 'Footer',
	'action.parameters.thumbnail_product_retailer_id': 'Thumbnail Product Retailer ID',
};

export const catalogMessage: InteractiveKind = {
	option: {
		name: 'Catalog',
		value: 'catalogMessage',
		description: 'A View catalog button that opens your whole product catalog',
	},
	fields: [thumbnailField],
	schema: catalogMessageSchema,
	build(fns, i) {
		return {
			interactive: {
				type: 'catalog_message',
				...bodyAndFooter(fns, i),
				action: {
					name: 'catalog_message',
					parameters: {
						thumbnail_product_retailer_id: readText(
							fns,
							'thumbnailProductRetailerId',
							i,
							'Thumbnail Product Retailer ID',
							{ trim: true },
						),
					},
				},
			},
			labels: LABELS,
		};
	},
};
