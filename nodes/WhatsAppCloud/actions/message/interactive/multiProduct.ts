import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { LIMIT, upTo } from '../../../helpers/limits';
import { readText, text } from '../../../helpers/validation';
import { entriesOf, type InteractiveKind, trimmed } from './form';
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
 * Multi-Product: products of the catalog connected to the WhatsApp Business Account, in sections.
 * The customer's cart comes back to the trigger as an order.
 */

const MULTI = ['productList'];

/** A Multi-Product message needs a text header; it goes above the body like the other headers. */
const productListHeaderField: INodeProperties = {
	displayName: 'Header Text',
	name: 'headerText',
	type: 'string',
	default: '',
	required: true,
	description: `${upTo(LIMIT.headerText)}; a multi-product message needs a text header`,
	displayOptions: { show: { interactiveType: MULTI } },
};

const productRowsFields: INodeProperties[] = [
	{
		displayName: `Each row is one product. Rows with the same Section Title form one section, in the order the titles first appear; with more than one section every row needs a section title. At most ${LIMIT.products} products in at most ${LIMIT.productSections} sections.`,
		name: 'productRowsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { interactiveType: MULTI } },
	},
	{
		displayName: 'Products',
		name: 'productRows',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add product',
		required: true,
		description: `${upTo(LIMIT.products, 'products')} in all. Rows with the same section title are grouped into one section.`,
		displayOptions: { show: { interactiveType: MULTI } },
		options: [
			{
				displayName: 'Product',
				name: 'product',
				values: [
					{
						displayName: 'Section Title',
						name: 'section',
						type: 'string',
						default: '',
						description: `${upTo(LIMIT.sectionTitle)}; required when there is more than one section`,
					},
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
	},
];

/**
 * Products in sections under a required text header. Meta counts the 30 products over the whole
 * message (its OpenAPI document only limits each section to 30).
 */
const multiProductSchema = z
	.object({
		type: z.literal('product_list'),
		header: z.object({ type: z.literal('text'), text: text(LIMIT.headerText) }).strict(),
		body: bodySchema,
		footer: footerSchema,
		action: z
			.object({
				catalog_id: catalogId,
				sections: z.array(
					z.object({
						title: text(LIMIT.sectionTitle).optional(),
						product_items: z.array(z.object({ product_retailer_id: retailerId })).min(1),
					}),
				),
			})
			.strict()
			.superRefine((action, ctx) => {
				const products = action.sections.reduce((n, s) => n + s.product_items.length, 0);
				const problem = !products
					? 'is empty; add at least one product'
					: products > LIMIT.products
						? `has ${products} entries (WhatsApp allows at most ${LIMIT.products} products in one message)`
						: action.sections.length > LIMIT.productSections
							? `form ${action.sections.length} sections (WhatsApp allows at most ${LIMIT.productSections}); use at most ${LIMIT.productSections} different section titles`
							: undefined;
				if (problem)
					ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['sections'], message: problem });
				if (action.sections.length > 1)
					action.sections.forEach((s, index) => {
						if (!s.title)
							ctx.addIssue({
								code: z.ZodIssueCode.custom,
								path: ['sections', index, 'title'],
								message: 'is needed when the products are in more than one section',
							});
					});
			}),
	})
	.strict();

const LABELS = {
	header: 'Header Text',
	'header.text': 'Header Text',
	body: 'Body',
	'body.text': 'Body',
	'footer.text': 'Footer',
	'action.catalog_id': 'Catalog ID',
	'action.sections': 'Products',
};

export const multiProductMessage: InteractiveKind = {
	option: {
		name: 'Multi-Product',
		value: 'productList',
		description: `${upTo(LIMIT.products, 'products')} of your catalog in sections`,
	},
	headerFields: [productListHeaderField],
	fields: [catalogIdField, ...productRowsFields],
	schema: multiProductSchema,
	build(fns, i) {
		const labels: Record<string, string> = { ...LABELS };
		const row = (index: number, field: string) => `Products > Product ${index + 1} > ${field}`;
		const sections: Array<{ title?: string; product_items: IDataObject[] }> = [];
		entriesOf(fns.getNodeParameter('productRows.product', i, [])).forEach((entry, index) => {
			const title = trimmed(fns, entry.section, row(index, 'Section Title'), i);
			let s = sections.findIndex((x) => (x.title ?? '') === title);
			if (s < 0) {
				s = sections.push({ ...(title ? { title } : {}), product_items: [] }) - 1;
				// a section's problems name the row that opened it
				labels[`action.sections.${s}.title`] = row(index, 'Section Title');
			}
			const at = `action.sections.${s}.product_items.${sections[s].product_items.length}`;
			labels[`${at}.product_retailer_id`] = row(index, 'Product Retailer ID');
			sections[s].product_items.push({
				product_retailer_id: trimmed(
					fns,
					entry.productRetailerId,
					row(index, 'Product Retailer ID'),
					i,
				),
			});
		});
		return {
			interactive: {
				type: 'product_list',
				header: { type: 'text', text: readText(fns, 'headerText', i, 'Header Text') },
				...bodyAndFooter(fns, i),
				action: {
					catalog_id: readCatalogId(fns, i),
					sections,
				},
			},
			labels,
		};
	},
};
