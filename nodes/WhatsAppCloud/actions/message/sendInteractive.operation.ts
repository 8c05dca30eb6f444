import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { asText, readText, validatePayload } from '../../helpers/validation';
import { recipientField, sendOptions } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { buildEnvelope, readSendOptions, sendMessage } from './send';
import { INTERACTIVE_SCHEMAS, type InteractiveKind as Kind } from './interactive.schemas';
import { catalogMessage } from './interactive/catalog';
import { flowMessage } from './interactive/flow';
import type { InteractiveKind } from './interactive/form';
import { mediaCarouselMessage } from './interactive/mediaCarousel';
import { multiProductMessage } from './interactive/multiProduct';
import { productCarouselMessage } from './interactive/productCarousel';
import { singleProductMessage } from './interactive/singleProduct';

const FORM_KINDS: InteractiveKind[] = [
	flowMessage,
	singleProductMessage,
	multiProductMessage,
	catalogMessage,
	mediaCarouselMessage,
	productCarouselMessage,
];

const displayOptions = { show: { resource: ['message'], operation: ['sendInteractive'] } };

const properties: INodeProperties[] = [
	recipientField,
	{
		displayName: 'Interactive Type',
		name: 'interactiveType',
		type: 'options',
		default: 'button',
		options: [
			{ name: 'Call-to-Action URL', value: 'cta_url', description: 'One button that opens a link' },
			{
				name: 'Catalog',
				value: 'catalogMessage',
				description: 'A View catalog button that opens your whole product catalog',
			},
			{
				name: 'Flow',
				value: 'flow',
				description: 'A button that opens a WhatsApp Flow: screens with a form to fill in',
			},
			{ name: 'List', value: 'list', description: 'A menu of up to 10 options in sections' },
			{
				name: 'Location Request',
				value: 'location_request_message',
				description: 'Asks the customer to share their location',
			},
			{
				name: 'Media Carousel',
				value: 'carousel',
				description: '2 to 10 scrolling cards with an image or video and buttons',
			},
			{
				name: 'Multi-Product',
				value: 'productList',
				description: 'Up to 30 products of your catalog in sections',
			},
			{
				name: 'Product Carousel',
				value: 'productCarousel',
				description: '2 to 10 scrolling cards, one product of your catalog each',
			},
			{
				name: 'Reply Buttons',
				value: 'button',
				description: 'Up to 3 buttons the customer taps to answer',
			},
			{
				name: 'Request Contact Info',
				value: 'contact_request',
				description:
					'Asks the customer to share their phone number, e.g. one known only by a user ID',
			},
			{
				name: 'Single Product',
				value: 'product',
				description: 'One product of your catalog',
			},
		],
	},
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
		description: 'Up to 60 characters',
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
	...(multiProductMessage.headerFields ?? []),
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		description: 'The message text: up to 1,024 characters (4,096 for lists)',
		displayOptions: { hide: { interactiveType: ['product'] } },
	},
	...(singleProductMessage.bodyField ? [singleProductMessage.bodyField] : []),
	{
		displayName: 'Footer',
		name: 'footer',
		type: 'string',
		default: '',
		description: 'Small grey text under the body, up to 60 characters',
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
	},
	{
		displayName: 'Buttons',
		name: 'replyButtons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add button',
		description:
			'1 to 3 buttons. The tapped button comes back in the trigger as replyId (its ID) and text (its title).',
		displayOptions: { show: { interactiveType: ['button'] } },
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: 'Up to 20 characters, unique',
					},
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						default: '',
						description: 'Up to 256 characters, unique; returned when tapped',
					},
				],
			},
		],
	},
	{
		displayName: 'Menu Button Label',
		name: 'listButton',
		type: 'string',
		default: 'Options',
		description: 'The button that opens the list, up to 20 characters',
		displayOptions: { show: { interactiveType: ['list'] } },
	},
	{
		displayName:
			'Each row is one option. Rows with the same Section Title form one section, in the order the titles first appear; with more than one section every row needs a section title.',
		name: 'listRowsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { interactiveType: ['list'] } },
	},
	{
		displayName: 'Rows',
		name: 'listRows',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add row',
		description:
			'Up to 10 rows in all. Rows with the same section title are grouped into one section.',
		displayOptions: { show: { interactiveType: ['list'] } },
		options: [
			{
				displayName: 'Row',
				name: 'row',
				values: [
					{
						displayName: 'Section Title',
						name: 'section',
						type: 'string',
						default: '',
						description: 'Up to 24 characters; required when there is more than one section',
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: 'Up to 24 characters',
					},
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						default: '',
						description: 'Up to 200 characters, unique; returned when chosen',
					},
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
						description: 'Up to 72 characters',
					},
				],
			},
		],
	},
	{
		displayName: 'Button Text',
		name: 'ctaText',
		type: 'string',
		default: '',
		required: true,
		description: 'Up to 20 characters',
		displayOptions: { show: { interactiveType: ['cta_url'] } },
	},
	{
		displayName: 'URL',
		name: 'ctaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/track/1042',
		displayOptions: { show: { interactiveType: ['cta_url'] } },
	},
	...new Set(FORM_KINDS.flatMap((kind) => kind.fields)),
	sendOptions(),
];

const description = updateDisplayOptions(displayOptions, properties);

const LABELS: Record<string, string> = {
	header: 'Header',
	'header.type': 'Header',
	'header.text': 'Header Text',
	'header.image': 'Header Media',
	'header.video': 'Header Media',
	'header.document': 'Header Media',
	'body.text': 'Body',
	'footer.text': 'Footer',
	'action.buttons': 'Buttons',
	'action.buttons.*': 'Button',
	'action.buttons.*.reply.id': 'Button > ID',
	'action.buttons.*.reply.title': 'Button > Title',
	'action.button': 'Menu Button Label',
	'action.sections': 'Rows',
	'action.sections.*.title': 'Section > Title',
	'action.sections.*.rows': 'Section > Rows',
	'action.sections.*.rows.*.id': 'Section > Row > ID',
	'action.sections.*.rows.*.title': 'Section > Row > Title',
	'action.sections.*.rows.*.description': 'Section > Row > Description',
	'action.parameters.display_text': 'Button Text',
	'action.parameters.url': 'URL',
};

function readHeader(fns: IExecuteFunctions, i: number): IDataObject | undefined {
	const type = fns.getNodeParameter('headerType', i, 'none') as string;
	if (type === 'none') return undefined;
	if (type === 'text') return { type: 'text', text: readText(fns, 'headerText', i, 'Header Text') };
	const media = readText(fns, 'headerMedia', i, 'Header Media', { trim: true });
	return { type, [type]: /^https?:\/\//i.test(media) ? { link: media } : { id: media } };
}

function build(fns: IExecuteFunctions, i: number, kind: Kind): IDataObject {
	const body = { text: readText(fns, 'body', i, 'Body') };
	if (kind === 'location_request_message')
		return { type: kind, body, action: { name: 'send_location' } };
	if (kind === 'contact_request')
		return { type: kind, body, action: { name: 'request_contact_info' } };
	const footerText = readText(fns, 'footer', i, 'Footer');
	const header = readHeader(fns, i);
	const common = {
		...(header ? { header } : {}),
		body,
		...(footerText ? { footer: { text: footerText } } : {}),
	};
	if (kind === 'button') {
		const buttons = (fns.getNodeParameter('replyButtons.button', i, []) as IDataObject[]).map(
			(b) => ({
				type: 'reply',
				reply: {
					id: asText(fns, b.id, 'Button > ID', i),
					title: asText(fns, b.title, 'Button > Title', i),
				},
			}),
		);
		return { type: kind, ...common, action: { buttons } };
	}
	if (kind === 'list') {
		const sections: Array<{ title?: string; rows: IDataObject[] }> = [];
		for (const r of fns.getNodeParameter('listRows.row', i, []) as IDataObject[]) {
			const title = asText(fns, r.section, 'Row > Section', i).trim();
			let section = sections.find((s) => (s.title ?? '') === title);
			if (!section) sections.push((section = { ...(title ? { title } : {}), rows: [] }));
			const descriptionText = asText(fns, r.description, 'Row > Description', i);
			section.rows.push({
				id: asText(fns, r.id, 'Row > ID', i),
				title: asText(fns, r.title, 'Row > Title', i),
				...(descriptionText ? { description: descriptionText } : {}),
			});
		}
		return {
			type: kind,
			...common,
			action: { button: readText(fns, 'listButton', i, 'Menu Button Label'), sections },
		};
	}
	return {
		type: kind,
		...common,
		action: {
			name: 'cta_url',
			parameters: {
				display_text: readText(fns, 'ctaText', i, 'Button Text'),
				url: readText(fns, 'ctaUrl', i, 'URL', { trim: true }),
			},
		},
	};
}

/**
 * The kinds whose form is in ./interactive, by the option value. Their payload type is Meta's
 * (`productList` sends `product_list`, `productCarousel` sends `carousel`); the other kinds' option
 * values are Meta's types themselves.
 */
const FORMS: Partial<Record<Kind, InteractiveKind>> = {
	carousel: mediaCarouselMessage,
	productCarousel: productCarouselMessage,
	product: singleProductMessage,
	productList: multiProductMessage,
	catalogMessage,
	flow: flowMessage,
};

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const kind = this.getNodeParameter('interactiveType', i) as Kind;
	const form = FORMS[kind];
	const built = form ? form.build(this, i) : { interactive: build(this, i, kind), labels: LABELS };
	const interactive = validatePayload(
		this,
		form ? form.schema : INTERACTIVE_SCHEMAS[kind]!,
		built.interactive,
		i,
		built.labels,
	) as IDataObject;
	const envelope = await buildEnvelope(
		this,
		i,
		ctx,
		{ type: 'interactive', interactive },
		readSendOptions(this, i),
	);
	const extra = form?.output?.(interactive);
	return async () => {
		const output = await sendMessage(ctx, i, envelope);
		return extra && !output.fallback ? { ...output, ...extra } : output;
	};
}

export const sendInteractive: Operation = { description, paced: true, prepare };
