import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { GRAPH_ID } from '../../../../shared/ids';
import { LIMIT, upTo, upToLower } from '../../../helpers/limits';
import { asText, readText, text } from '../../../helpers/validation';

/**
 * What several kinds of interactive message share: fields, Meta's rules for those parts of the
 * payload, and how they are read from the form. Each shared field names the kinds that show it
 * (its `interactiveType` list): a kind that shows one adds its Interactive Type value there.
 */

// ---------------------------------------------------------------------------------------------
// Header, body and footer.

/** The header of reply buttons, lists and call-to-action links: text, or media by link or ID. */
export const headerFields: INodeProperties[] = [
	{
		displayName: 'Header',
		name: 'headerType',
		type: 'options',
		default: 'none',
		options: [
			{ name: 'Document', value: 'document' },
			{ name: 'Image', value: 'image' },
			{ name: 'None', value: 'none' },
			{ name: 'Text', value: 'text' },
			{ name: 'Video', value: 'video' },
		],
		description: 'Lists can only have a text header',
		displayOptions: { show: { interactiveType: ['button', 'list', 'cta_url'] } },
	},
	{
		displayName: 'Header Text',
		name: 'headerText',
		type: 'string',
		default: '',
		description: upTo(LIMIT.headerText),
		displayOptions: {
			show: { interactiveType: ['button', 'list', 'cta_url'], headerType: ['text'] },
		},
	},
	{
		displayName: 'Header Media',
		name: 'headerMedia',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/photo.jpg or a media ID',
		description: 'A public HTTPS link, or the ID of uploaded media',
		displayOptions: {
			show: {
				interactiveType: ['button', 'cta_url'],
				headerType: ['image', 'video', 'document'],
			},
		},
	},
];

/** The Body of every kind but those that bring their own (the kind's `bodyField`). */
export const bodyField: INodeProperties = {
	displayName: 'Body',
	name: 'body',
	type: 'string',
	typeOptions: { rows: 3 },
	default: '',
	required: true,
	description: `The message text: ${upToLower(LIMIT.interactiveBody)} (${LIMIT.textBody.toLocaleString('en-US')} for lists)`,
	displayOptions: { hide: { interactiveType: ['product', 'call_permission_request'] } },
};

/** The optional footer of the kinds that take one. */
export const footerField: INodeProperties = {
	displayName: 'Footer',
	name: 'footer',
	type: 'string',
	default: '',
	description: `Small grey text under the body, ${upToLower(LIMIT.footerText)}`,
	displayOptions: {
		show: {
			interactiveType: [
				'button',
				'list',
				'cta_url',
				'product',
				'productList',
				'catalogMessage',
				'flow',
			],
		},
	},
};

const mediaHeader = (kind: 'image' | 'video' | 'document') =>
	z.object({
		type: z.literal(kind),
		[kind]: z.union([
			z.object({ id: z.string().min(1) }),
			z.object({
				link: z
					.string()
					.url()
					.regex(/^https:\/\//i, 'must be an https:// link'),
			}),
		]),
	});

/** A text header, or an image, video or document by ID or https link. */
export const headerSchema = z.union([
	z.object({ type: z.literal('text'), text: text(LIMIT.headerText) }),
	mediaHeader('image'),
	mediaHeader('video'),
	mediaHeader('document'),
]);
/** The body of a message other than a list: its text. */
export const bodySchema = z.object({ text: text(LIMIT.interactiveBody) });
/** The optional footer: small grey text under the body. */
export const footerSchema = z.object({ text: text(LIMIT.footerText) }).optional();

/** The editor labels of the header, body and footer, for errors. */
export const PART_LABELS: Record<string, string> = {
	header: 'Header',
	'header.type': 'Header',
	'header.text': 'Header Text',
	'header.image': 'Header Media',
	'header.video': 'Header Media',
	'header.document': 'Header Media',
	'body.text': 'Body',
	'footer.text': 'Footer',
};

/**
 * The Header fields of item `i`: none, a text, or media, where what starts with http:// or https://
 * is a link (so that an http link fails as a link that must be https) and anything else an ID.
 */
function readHeader(fns: IExecuteFunctions, i: number): IDataObject | undefined {
	const type = fns.getNodeParameter('headerType', i, 'none') as string;
	if (type === 'none') return undefined;
	if (type === 'text') return { type: 'text', text: readText(fns, 'headerText', i, 'Header Text') };
	const media = readText(fns, 'headerMedia', i, 'Header Media', { trim: true });
	return { type, [type]: /^https?:\/\//i.test(media) ? { link: media } : { id: media } };
}

/**
 * The header, body and footer of reply buttons, lists and call-to-action links for item `i`,
 * read body first, then footer, then header; an empty header or footer is left out.
 */
export function readHeaderBodyFooter(fns: IExecuteFunctions, i: number): IDataObject {
	const body = { text: readText(fns, 'body', i, 'Body') };
	const footerText = readText(fns, 'footer', i, 'Footer');
	const header = readHeader(fns, i);
	return {
		...(header ? { header } : {}),
		body,
		...(footerText ? { footer: { text: footerText } } : {}),
	};
}

/**
 * A refinement of a list: no two items with the same key (`what` names the keys: "button IDs"),
 * each repeat raised at its own index.
 */
export const unique =
	<T>(key: (t: T) => string, what: string) =>
	(items: T[], ctx: z.RefinementCtx) => {
		const seen = new Set<string>();
		items.forEach((item, index) => {
			const k = key(item);
			if (seen.has(k))
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: [index],
					message: `repeats "${k}": ${what} must be unique`,
				});
			seen.add(k);
		});
	};

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

/** The cards of a carousel, as many as Meta allows. */
export const cardList = <T extends z.ZodTypeAny>(card: T) =>
	z.array(card).min(LIMIT.cardsMin).max(LIMIT.cardsMax);

/** The label of a card's fields: "Cards > Card 3 > Button Text". */
export const card = (index: number, field?: string) =>
	`Cards > Card ${index + 1}${field ? ` > ${field}` : ''}`;
