import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { readText, text } from '../../../helpers/validation';
import {
	catalogId,
	entriesOf,
	type InteractiveForm,
	readCatalogId,
	retailerId,
	trimmed,
} from './form';

/**
 * Messages that show products of the catalog connected to the WhatsApp Business Account: one
 * product (Single Product), up to 30 in sections (Multi-Product), or the whole catalog behind a
 * View catalog button (Catalog). The customer's cart comes back to the trigger as an order.
 */

const SINGLE = ['product'];
const MULTI = ['productList'];
const CATALOG = ['catalogMessage'];

/** A Multi-Product message needs a text header; it goes above the body like the other headers. */
export const productListHeaderField: INodeProperties = {
	displayName: 'Header Text',
	name: 'headerText',
	type: 'string',
	default: '',
	required: true,
	description: 'Up to 60 characters; a multi-product message needs a text header',
	displayOptions: { show: { interactiveType: MULTI } },
};

/** A Single Product message may leave out the body (the product's own details show instead). */
export const productBodyField: INodeProperties = {
	displayName: 'Body',
	name: 'body',
	type: 'string',
	typeOptions: { rows: 3 },
	default: '',
	description: 'Optional text under the product, up to 1,024 characters',
	displayOptions: { show: { interactiveType: SINGLE } },
};

/** The catalog fields, placed after the body and footer (in the order of Meta's payload). */
export const catalogProperties: INodeProperties[] = [
	{
		displayName: 'Catalog ID',
		name: 'catalogId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		hint: 'The catalog connected to the account in WhatsApp Manager',
		description:
			"The catalog the products come from: the one connected to the WhatsApp Business Account. Listing it needs the token's catalog_management permission; without it, choose By ID and copy the ID from Commerce Manager > Catalog > Settings.",
		displayOptions: { show: { interactiveType: [...SINGLE, ...MULTI, 'productCarousel'] } },
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
	},
	{
		displayName: 'Product Retailer ID',
		name: 'productRetailerId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'vrpj01fvwp',
		description: 'The product\'s ID in the catalog (its "Content ID" in Commerce Manager)',
		displayOptions: { show: { interactiveType: SINGLE } },
	},
	{
		displayName:
			'Each row is one product. Rows with the same Section Title form one section, in the order the titles first appear; with more than one section every row needs a section title. At most 30 products in at most 10 sections.',
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
		description:
			'Up to 30 products in all. Rows with the same section title are grouped into one section.',
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
						description: 'Up to 24 characters; required when there is more than one section',
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
	{
		displayName: 'Thumbnail Product Retailer ID',
		name: 'thumbnailProductRetailerId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'vrpj01fvwp',
		description:
			'The product whose image heads the message (its "Content ID" in Commerce Manager); the customer taps View catalog to see all products',
		displayOptions: { show: { interactiveType: CATALOG } },
	},
];

// ---------------------------------------------------------------------------------------------
// Meta's rules, as zod schemas: a payload that passes them is one Meta accepts.

const body = z.object({ text: text(1024) });
const footer = z.object({ text: text(60) }).optional();

/** One product with an optional body and footer; no header. */
export const singleProductSchema = z
	.object({
		type: z.literal('product'),
		body: body.optional(),
		footer,
		action: z.object({ catalog_id: catalogId, product_retailer_id: retailerId }).strict(),
	})
	.strict();

/** Meta's limits of a multi-product message: products in all, and sections. */
const MAX_PRODUCTS = 30;
const MAX_SECTIONS = 10;

/**
 * Products in sections under a required text header. Meta counts the 30 products over the whole
 * message (its OpenAPI document only limits each section to 30).
 */
export const multiProductSchema = z
	.object({
		type: z.literal('product_list'),
		header: z.object({ type: z.literal('text'), text: text(60) }).strict(),
		body,
		footer,
		action: z
			.object({
				catalog_id: catalogId,
				sections: z.array(
					z.object({
						title: text(24).optional(),
						product_items: z.array(z.object({ product_retailer_id: retailerId })).min(1),
					}),
				),
			})
			.strict()
			.superRefine((action, ctx) => {
				const products = action.sections.reduce((n, s) => n + s.product_items.length, 0);
				const problem = !products
					? 'is empty; add at least one product'
					: products > MAX_PRODUCTS
						? `has ${products} entries (WhatsApp allows at most ${MAX_PRODUCTS} products in one message)`
						: action.sections.length > MAX_SECTIONS
							? `form ${action.sections.length} sections (WhatsApp allows at most ${MAX_SECTIONS}); use at most ${MAX_SECTIONS} different section titles`
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

/**
 * The catalog behind a View catalog button, headed by one product's image. The thumbnail product
 * is required: Meta's OpenAPI document requires it, although Meta's commerce guide says the first
 * product's image is used when the parameters are left out; requiring it sends what both accept.
 */
export const catalogMessageSchema = z
	.object({
		type: z.literal('catalog_message'),
		body,
		footer,
		action: z
			.object({
				name: z.literal('catalog_message'),
				parameters: z.object({ thumbnail_product_retailer_id: retailerId }).strict(),
			})
			.strict(),
	})
	.strict();

// ---------------------------------------------------------------------------------------------
// From the form to the payload.

const LABELS = {
	header: 'Header Text',
	'header.text': 'Header Text',
	body: 'Body',
	'body.text': 'Body',
	'footer.text': 'Footer',
	'action.catalog_id': 'Catalog ID',
	'action.product_retailer_id': 'Product Retailer ID',
	'action.sections': 'Products',
	'action.parameters.thumbnail_product_retailer_id': 'Thumbnail Product Retailer ID',
};

/** Body and footer; an empty body is left out only where it is optional (a single product). */
function bodyAndFooter(
	fns: Parameters<InteractiveForm['build']>[0],
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

export const singleProductForm: InteractiveForm = {
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

export const multiProductForm: InteractiveForm = {
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

export const catalogMessageForm: InteractiveForm = {
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
