import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { checkBinaryUpload, type BinaryUpload, uploadResumable } from '../../../shared/media';
import { readText, validatePayload } from '../../helpers/validation';
import { templateCategories } from '../common.descriptions';
import { OTHER_LANGUAGE, readLanguage, templateLanguagesWithOther } from './languages';
import type { Operation } from '../types';
import {
	componentsFromForm,
	parseComponentsJson,
	TEMPLATE_LABELS,
	templateSchema,
} from './components';
import type { OperationContext } from '../../transport/context';

const displayOptions = { show: { resource: ['template'], operation: ['create'] } };

/** Fields of the standard (header, body, footer, buttons) form only. */
const standardOnly = {
	category: ['AUTHENTICATION'],
	templateType: ['mediaCarousel', 'productCarousel'],
};
const mediaCarousel = {
	definition: ['form'],
	category: ['MARKETING'],
	templateType: ['mediaCarousel'],
};
const productCarousel = {
	definition: ['form'],
	category: ['MARKETING'],
	templateType: ['productCarousel'],
};
const authentication = { definition: ['form'], category: ['AUTHENTICATION'] };

/** The fields of a card's button `n` (a card has up to two). */
function cardButtonFields(n: number): INodeProperties[] {
	const type = `button${n}Type`;
	return [
		{
			displayName: `Button ${n} Phone Number`,
			name: `button${n}PhoneNumber`,
			type: 'string',
			default: '',
			placeholder: '+15550051310',
			displayOptions: { show: { [type]: ['PHONE_NUMBER'] } },
		},
		{
			displayName: `Button ${n} Text`,
			name: `button${n}Text`,
			type: 'string',
			default: '',
			description: 'Button label, up to 25 characters',
			displayOptions: { hide: { [type]: ['NONE'] } },
		},
		{
			displayName: `Button ${n} Type`,
			name: type,
			type: 'options',
			default: 'NONE',
			options: [
				{ name: 'None', value: 'NONE' },
				{ name: 'Phone Number', value: 'PHONE_NUMBER' },
				{ name: 'Quick Reply', value: 'QUICK_REPLY' },
				{ name: 'URL', value: 'URL' },
			],
		},
		{
			displayName: `Button ${n} URL`,
			name: `button${n}Url`,
			type: 'string',
			default: '',
			placeholder: 'https://example.com/products/{{1}}',
			description: 'Up to 2,000 characters; one variable, at the end',
			displayOptions: { show: { [type]: ['URL'] } },
		},
		{
			displayName: `Button ${n} URL Example`,
			name: `button${n}UrlExample`,
			type: 'string',
			default: '',
			description: 'Sample value of the URL variable',
			displayOptions: { show: { [type]: ['URL'] } },
		},
	];
}

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'templateName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'payment_receipt',
		description: 'Lowercase letters, digits and underscores, up to 512 characters',
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'options',
		default: 'en_US',
		required: true,
		options: templateLanguagesWithOther,
		description:
			'The language of the text. A template has one approved version per language, sent by name and language.',
	},
	{
		displayName: 'Language Code',
		name: 'otherLanguage',
		type: 'string',
		default: '',
		// not marked required: n8n would then also demand it when Language is an expression
		placeholder: 'e.g. en_US',
		description: "Meta's code, case-sensitive, with an underscore",
		displayOptions: { show: { language: [OTHER_LANGUAGE] } },
	},
	{
		displayName: 'Category',
		name: 'category',
		type: 'options',
		default: 'UTILITY',
		options: templateCategories,
		description:
			'Meta may change a Utility template to Marketing; the output shows the category Meta gave it',
	},
	{
		displayName: 'Define With',
		name: 'definition',
		type: 'options',
		default: 'form',
		options: [
			{
				name: 'Form',
				value: 'form',
				description: 'Header, body, footer and buttons; carousels; authentication code buttons',
			},
			{
				name: 'JSON',
				value: 'json',
				description:
					"Meta's components array, for what the form cannot express (Flow JSON, catalog buttons, limited-time offers)",
			},
		],
	},
	{
		displayName: 'Template Type',
		name: 'templateType',
		type: 'options',
		default: 'standard',
		options: [
			{
				name: 'Media Card Carousel',
				value: 'mediaCarousel',
				description: 'A message body and 2 to 10 cards with an image or video, text and buttons',
			},
			{
				name: 'Product Card Carousel',
				value: 'productCarousel',
				description:
					'A message body and cards showing products of your catalog, chosen when sending (2 to 10)',
			},
			{
				name: 'Standard',
				value: 'standard',
				description: 'Header, body, footer and buttons',
			},
		],
		displayOptions: { show: { definition: ['form'], category: ['MARKETING'] } },
	},
	{
		displayName: 'Parameter Format',
		name: 'parameterFormat',
		type: 'options',
		default: 'POSITIONAL',
		options: [
			{ name: 'Named', value: 'NAMED', description: 'Variables such as {{customer_name}}' },
			{
				name: 'Positional',
				value: 'POSITIONAL',
				description: 'Variables {{1}}, {{2}} and so on, in order',
			},
		],
	},
	{
		displayName: 'Header',
		name: 'headerFormat',
		type: 'options',
		default: 'NONE',
		options: [
			{ name: 'Document', value: 'DOCUMENT' },
			{ name: 'Image', value: 'IMAGE' },
			{ name: 'Location', value: 'LOCATION' },
			{ name: 'None', value: 'NONE' },
			{ name: 'Text', value: 'TEXT' },
			{ name: 'Video', value: 'VIDEO' },
		],
		displayOptions: { show: { definition: ['form'] }, hide: standardOnly },
	},
	{
		displayName: 'Header Text',
		name: 'headerText',
		type: 'string',
		default: '',
		placeholder: 'Receipt for {{1}}',
		description: 'Up to 60 characters and at most one variable',
		displayOptions: { show: { definition: ['form'], headerFormat: ['TEXT'] }, hide: standardOnly },
	},
	{
		displayName: 'Header Example',
		name: 'headerExample',
		type: 'string',
		default: '',
		description: 'Sample value of the header variable (for named parameters: name=value)',
		displayOptions: { show: { definition: ['form'], headerFormat: ['TEXT'] }, hide: standardOnly },
	},
	{
		displayName: 'Header Sample File',
		name: 'headerBinaryProperty',
		type: 'string',
		default: 'data',
		hint: "Input binary field with a sample file for Meta's review (PDF, JPEG, PNG or MP4), uploaded through the Resumable Upload API; needs the App ID in the credential",
		displayOptions: {
			show: { definition: ['form'], headerFormat: ['IMAGE', 'VIDEO', 'DOCUMENT'] },
			hide: standardOnly,
		},
	},
	{
		displayName: 'Body',
		name: 'bodyText',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'Dear {{1}}, here is your receipt {{2}} for a total of {{3}}.',
		description:
			'Up to 1,024 characters; above the cards in a carousel. Variables: {{1}}, {{2}} ... in order, or {{name}} with named parameters. A variable may not start or end the text.',
		displayOptions: { show: { definition: ['form'] }, hide: { category: ['AUTHENTICATION'] } },
	},
	{
		displayName: 'Body Examples',
		name: 'bodyExamples',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		placeholder: 'Pablo\nR-1042\n$120.00',
		description:
			'One sample value per variable, one per line, in order (named: name=value). Meta reviews the template with them.',
		displayOptions: { show: { definition: ['form'] }, hide: { category: ['AUTHENTICATION'] } },
	},
	{
		displayName: 'Footer',
		name: 'footerText',
		type: 'string',
		default: '',
		description: 'Up to 60 characters, no variables',
		displayOptions: { show: { definition: ['form'] }, hide: standardOnly },
	},
	{
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add button',
		description: 'Up to 10; quick replies must be next to each other',
		displayOptions: { show: { definition: ['form'] }, hide: standardOnly },
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{
						displayName: 'Code Example',
						name: 'couponExample',
						type: 'string',
						default: '',
						description: 'Copy code: a sample code, up to 15 characters',
						displayOptions: { show: { type: ['COPY_CODE'] } },
					},
					{
						displayName: 'Flow Action',
						name: 'flowAction',
						type: 'options',
						default: 'navigate',
						options: [
							{
								name: 'Data Exchange',
								value: 'data_exchange',
								description: "The Flow asks your Flow endpoint for its first screen's data",
							},
							{
								name: 'Navigate',
								value: 'navigate',
								description: 'The Flow opens on a screen, with data given when sending',
							},
						],
						displayOptions: { show: { type: ['FLOW'] } },
					},
					{
						displayName: 'Flow By',
						name: 'flowBy',
						type: 'options',
						default: 'id',
						options: [
							{ name: 'ID', value: 'id' },
							{ name: 'Name', value: 'name' },
						],
						description: 'A name breaks the button if the Flow is renamed; an ID does not',
						displayOptions: { show: { type: ['FLOW'] } },
					},
					{
						displayName: 'Flow ID',
						name: 'flowId',
						type: 'string',
						default: '',
						placeholder: '1197715005513101',
						displayOptions: { show: { type: ['FLOW'], flowBy: ['id'] } },
					},
					{
						displayName: 'Flow Name',
						name: 'flowName',
						type: 'string',
						default: '',
						displayOptions: { show: { type: ['FLOW'], flowBy: ['name'] } },
					},
					{
						displayName: 'Navigate Screen',
						name: 'navigateScreen',
						type: 'string',
						default: '',
						placeholder: 'BOOKING',
						description: "The ID of the screen the Flow opens on; empty: the Flow's first screen",
						displayOptions: { show: { type: ['FLOW'], flowAction: ['navigate'] } },
					},
					{
						displayName: 'Phone Number',
						name: 'phoneNumber',
						type: 'string',
						default: '',
						placeholder: '+15550051310',
						displayOptions: { show: { type: ['PHONE_NUMBER'] } },
					},
					{
						displayName: 'Text',
						name: 'text',
						type: 'string',
						default: '',
						description: 'Button label, up to 25 characters',
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						default: 'QUICK_REPLY',
						options: [
							{ name: 'Copy Code', value: 'COPY_CODE' },
							{
								name: 'Flow',
								value: 'FLOW',
								description: 'Opens a WhatsApp Flow (a form) in the chat',
							},
							{ name: 'Phone Number', value: 'PHONE_NUMBER' },
							{ name: 'Quick Reply', value: 'QUICK_REPLY' },
							{
								name: 'Request Contact Info',
								value: 'REQUEST_CONTACT_INFO',
								description:
									'Asks the customer to share their phone number; Utility and Marketing templates only',
							},
							{ name: 'URL', value: 'URL' },
						],
					},
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						default: '',
						placeholder: 'https://example.com/orders/{{1}}',
						description: 'Up to 2,000 characters; one variable, at the end',
						displayOptions: { show: { type: ['URL'] } },
					},
					{
						displayName: 'URL Example',
						name: 'urlExample',
						type: 'string',
						default: '',
						description: 'Sample value of the URL variable',
						displayOptions: { show: { type: ['URL'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Card Header',
		name: 'cardHeaderFormat',
		type: 'options',
		default: 'IMAGE',
		options: [
			{ name: 'Image', value: 'IMAGE' },
			{ name: 'Video', value: 'VIDEO' },
		],
		description: 'Every card has a header of this kind; the file is chosen when sending',
		displayOptions: { show: mediaCarousel },
	},
	{
		displayName: 'Cards',
		name: 'cards',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add card',
		description:
			'2 to 10 cards, each sent every time. Every card has the same parts: a body on all or none, and the same buttons in the same order.',
		displayOptions: { show: mediaCarousel },
		options: [
			{
				displayName: 'Card',
				name: 'card',
				values: [
					{
						displayName: 'Body',
						name: 'bodyText',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						placeholder: 'Echeveria, only {{1}} this week',
						description: 'Optional, up to 160 characters; variables as in the message body',
					},
					{
						displayName: 'Body Examples',
						name: 'bodyExamples',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						description: 'One sample value per card body variable, one per line',
					},
					...cardButtonFields(1),
					...cardButtonFields(2),
					{
						displayName: 'Header Sample File',
						name: 'headerBinaryProperty',
						type: 'string',
						default: 'data',
						hint: "Input binary field with this card's sample image (JPEG, PNG) or video (MP4) for Meta's review; needs the App ID in the credential",
					},
				],
			},
		],
	},
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
		description:
			'The one button of every product card. The template is created with two cards; a send fills 2 to 10.',
		displayOptions: { show: productCarousel },
	},
	{
		displayName: 'Card Button Text',
		name: 'productButtonText',
		type: 'string',
		default: 'View',
		description: 'Up to 25 characters',
		displayOptions: { show: productCarousel },
	},
	{
		displayName: 'Card Button URL',
		name: 'productButtonUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/products/{{1}}',
		description: 'Up to 2,000 characters; one variable, at the end',
		displayOptions: { show: { ...productCarousel, productButtonType: ['URL'] } },
	},
	{
		displayName: 'Card Button URL Example',
		name: 'productButtonUrlExample',
		type: 'string',
		default: '',
		description: 'Sample value of the URL variable',
		displayOptions: { show: { ...productCarousel, productButtonType: ['URL'] } },
	},
	{
		displayName: 'Code Button',
		name: 'otpType',
		type: 'options',
		default: 'COPY_CODE',
		options: [
			{
				name: 'Copy Code',
				value: 'COPY_CODE',
				description: 'The customer copies the code and pastes it into your app',
			},
			{
				name: 'One-Tap Autofill',
				value: 'ONE_TAP',
				description:
					'Android: a tap fills the code into your app (after its handshake); elsewhere copy code',
			},
			{
				name: 'Zero-Tap',
				value: 'ZERO_TAP',
				description:
					'Android: your app receives the code without a tap (after its handshake); elsewhere copy code',
			},
		],
		description: 'WhatsApp writes the body itself: "<code> is your verification code."',
		displayOptions: { show: authentication },
	},
	{
		displayName: 'Button Text',
		name: 'otpButtonText',
		type: 'string',
		default: '',
		placeholder: 'Copy code',
		description: "Up to 25 characters; empty: WhatsApp's own label",
		displayOptions: { show: authentication },
	},
	{
		displayName: 'Autofill Button Text',
		name: 'autofillText',
		type: 'string',
		default: '',
		placeholder: 'Autofill',
		description: "Up to 25 characters; empty: WhatsApp's own label",
		displayOptions: { show: { ...authentication, otpType: ['ONE_TAP', 'ZERO_TAP'] } },
	},
	{
		displayName: 'Supported Apps',
		name: 'supportedApps',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add app',
		description: 'The Android apps that may receive the code: 1 to 5',
		displayOptions: { show: { ...authentication, otpType: ['ONE_TAP', 'ZERO_TAP'] } },
		options: [
			{
				displayName: 'App',
				name: 'app',
				values: [
					{
						displayName: 'Package Name',
						name: 'packageName',
						type: 'string',
						default: '',
						placeholder: 'com.example.app',
						description:
							'At least two parts separated by dots, each starting with a letter; up to 224 characters',
					},
					{
						displayName: 'Signature Hash',
						name: 'signatureHash',
						type: 'string',
						default: '',
						placeholder: 'K8a/AINcGX7',
						description: "The app signing key hash: 11 characters, as the app's build gives it",
					},
				],
			},
		],
	},
	{
		displayName: 'Zero-Tap Terms Accepted',
		name: 'zeroTapTermsAccepted',
		type: 'boolean',
		default: false,
		description:
			"Whether you accept WhatsApp's zero-tap terms: your customers expect the code to be filled in for them. Meta creates no zero-tap template without it.",
		displayOptions: { show: { ...authentication, otpType: ['ZERO_TAP'] } },
	},
	{
		displayName: 'Add Security Recommendation',
		name: 'addSecurityRecommendation',
		type: 'boolean',
		default: true,
		description: 'Whether the body adds "For your security, do not share this code."',
		displayOptions: { show: authentication },
	},
	{
		displayName: 'Code Expiration (Minutes)',
		name: 'codeExpirationMinutes',
		type: 'number',
		default: 0,
		description:
			'Adds "This code expires in N minutes." (1 to 90). 0: no expiry line; a one-tap button then stops working after 10 minutes.',
		displayOptions: { show: authentication },
	},
	{
		displayName: 'Time-To-Live (Seconds)',
		name: 'messageSendTtlSeconds',
		type: 'number',
		default: 0,
		description:
			"How long WhatsApp tries to deliver the code before dropping it: 30 to 900 seconds. 0: WhatsApp's default (10 minutes).",
		displayOptions: { show: { category: ['AUTHENTICATION'] } },
	},
	{
		displayName: 'Components (JSON)',
		name: 'componentsJson',
		type: 'json',
		default:
			'[\n  {"type": "BODY", "text": "Your order {{1}} has shipped.", "example": {"body_text": [["R-1042"]]}}\n]',
		description:
			"Meta's components array; a header sample must be a handle from the Resumable Upload API",
		displayOptions: { show: { definition: ['json'] } },
	},
];

const description = updateDisplayOptions(displayOptions, properties);

/** The editor label of a top-level field, for errors. */
const labelOf = (name: string) => description.find((d) => d.name === name)?.displayName ?? name;

const SAMPLE_TYPES = ['application/pdf', 'image/jpeg', 'image/jpg', 'image/png', 'video/mp4'];
/** A card's sample: an image or a video, as its header says. */
const CARD_SAMPLE_TYPES: Record<string, { types: string[]; names: string }> = {
	IMAGE: { types: ['image/jpeg', 'image/jpg', 'image/png'], names: 'JPEG or PNG' },
	VIDEO: { types: ['video/mp4'], names: 'MP4' },
};

const isPendingSample = (c: IDataObject) =>
	String(c.type).toUpperCase() === 'HEADER' &&
	(c.example as IDataObject | undefined)?.header_handle?.toString() === 'pending-upload';

/** A media header whose sample file is uploaded (Resumable Upload API) before the create call. */
type PendingSample = { header: IDataObject; file: BinaryUpload };

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const named = this.getNodeParameter('parameterFormat', i, 'POSITIONAL') === 'NAMED';
	const category = String(this.getNodeParameter('category', i));
	const definition = this.getNodeParameter('definition', i, 'form');
	const components =
		definition === 'json'
			? parseComponentsJson(
					this,
					this.getNodeParameter('componentsJson', i),
					i,
					'Components (JSON)',
				)
			: componentsFromForm(this, i, named, category, labelOf);
	// 0 (the default) leaves the time-to-live to WhatsApp
	const ttl =
		category === 'AUTHENTICATION'
			? Number(this.getNodeParameter('messageSendTtlSeconds', i, 0))
			: 0;
	const body = validatePayload(
		this,
		templateSchema,
		{
			name: readText(this, 'templateName', i, 'Template Name', { trim: true }),
			language: readLanguage(this, i),
			category,
			parameter_format: named ? 'NAMED' : 'POSITIONAL',
			...(ttl !== 0 ? { message_send_ttl_seconds: ttl } : {}),
			components,
		},
		i,
		TEMPLATE_LABELS,
	) as IDataObject & { components: IDataObject[] };
	const waba = ctx.waba(i);

	// media headers (the template's, or each card's) get their sample through the Resumable Upload API
	const wanted: Array<{ header: IDataObject; property: string; field: string; card?: string }> = [];
	for (const c of body.components) {
		if (isPendingSample(c))
			wanted.push({
				header: c,
				property: String(this.getNodeParameter('headerBinaryProperty', i, 'data')),
				field: 'Header Sample File',
			});
		if (String(c.type).toUpperCase() !== 'CAROUSEL') continue;
		const cardFields = this.getNodeParameter('cards.card', i, []) as IDataObject[];
		((c.cards ?? []) as IDataObject[]).forEach((card, ci) => {
			const header = ((card.components ?? []) as IDataObject[]).find(isPendingSample);
			if (header)
				wanted.push({
					header,
					property: String(cardFields[ci]?.headerBinaryProperty || 'data'),
					field: `Card ${ci + 1} > Header Sample File`,
					card: String(header.format).toUpperCase(),
				});
		});
	}
	if (wanted.length && !ctx.config.appId) {
		throw new NodeOperationError(
			this.getNode(),
			`A media header needs the App ID in the credential, to upload its sample [item ${i}]`,
			{
				itemIndex: i,
				description: 'App dashboard > App settings > Basic > App ID.',
			},
		);
	}
	const samples: PendingSample[] = [];
	for (const w of wanted) {
		const only = w.card ? CARD_SAMPLE_TYPES[w.card] : undefined;
		samples.push({
			header: w.header,
			file: await checkBinaryUpload(this, i, w.property, {
				field: w.field,
				only: {
					types: only?.types ?? SAMPLE_TYPES,
					refused: (mimeType) =>
						`${w.field}: Meta takes ${only ? `${only.names} samples for ${w.card === 'IMAGE' ? 'an image' : 'a video'} card` : 'PDF, JPEG, PNG or MP4 samples'}, not "${mimeType}" [item ${i}]`,
				},
				fallbackName: 'sample',
			}),
		});
	}

	return async () => {
		for (const sample of samples)
			sample.header.example = { header_handle: [await uploadResumable(ctx, sample.file)] };
		const created = await ctx.call<{ id: string; status: string; category: string }>(
			{ method: 'POST', path: `/${waba}/message_templates`, body },
			i,
		);
		// Meta may put the template in another category than asked: its answer is what counts
		return {
			id: created.id,
			status: created.status,
			category: created.category,
			requestedCategory: category,
			name: body.name,
			language: body.language,
			components: body.components,
		};
	};
}

export const create: Operation = { description, paced: false, prepare };
