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
			{ name: 'Form', value: 'form', description: 'Header, body, footer and buttons' },
			{
				name: 'JSON',
				value: 'json',
				description:
					"Meta's components array, for what the form cannot express (carousels, flows, catalogs)",
			},
		],
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
		displayOptions: { show: { definition: ['form'] } },
	},
	{
		displayName: 'Header Text',
		name: 'headerText',
		type: 'string',
		default: '',
		placeholder: 'Receipt for {{1}}',
		description: 'Up to 60 characters and at most one variable',
		displayOptions: { show: { definition: ['form'], headerFormat: ['TEXT'] } },
	},
	{
		displayName: 'Header Example',
		name: 'headerExample',
		type: 'string',
		default: '',
		description: 'Sample value of the header variable (for named parameters: name=value)',
		displayOptions: { show: { definition: ['form'], headerFormat: ['TEXT'] } },
	},
	{
		displayName: 'Header Sample File',
		name: 'headerBinaryProperty',
		type: 'string',
		default: 'data',
		hint: "Input binary field with a sample file for Meta's review (PDF, JPEG, PNG or MP4), uploaded through the Resumable Upload API; needs the App ID in the credential",
		displayOptions: {
			show: { definition: ['form'], headerFormat: ['IMAGE', 'VIDEO', 'DOCUMENT'] },
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
			'Up to 1,024 characters. Variables: {{1}}, {{2}} ... in order, or {{name}} with named parameters. A variable may not start or end the text.',
		displayOptions: { show: { definition: ['form'] } },
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
		displayOptions: { show: { definition: ['form'] } },
	},
	{
		displayName: 'Footer',
		name: 'footerText',
		type: 'string',
		default: '',
		description: 'Up to 60 characters, no variables',
		displayOptions: { show: { definition: ['form'] } },
	},
	{
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add button',
		description: 'Up to 10; quick replies must be next to each other',
		displayOptions: { show: { definition: ['form'] } },
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
						displayName: 'OTP Kind',
						name: 'otpType',
						type: 'options',
						default: 'COPY_CODE',
						options: [
							{ name: 'Copy Code', value: 'COPY_CODE' },
							{ name: 'One Tap', value: 'ONE_TAP' },
						],
						displayOptions: { show: { type: ['OTP'] } },
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
								name: 'One-Time Password',
								value: 'OTP',
								description: 'Authentication templates only',
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
		displayName: 'Components (JSON)',
		name: 'componentsJson',
		type: 'json',
		default:
			'[\n  {"type": "BODY", "text": "Your code is {{1}}", "example": {"body_text": [["123456"]]}}\n]',
		description:
			"Meta's components array; a header sample must be a handle from the Resumable Upload API",
		displayOptions: { show: { definition: ['json'] } },
	},
];

const description = updateDisplayOptions(displayOptions, properties);

/** The editor label of a top-level field, for errors. */
const labelOf = (name: string) => description.find((d) => d.name === name)?.displayName ?? name;

const SAMPLE_TYPES = ['application/pdf', 'image/jpeg', 'image/jpg', 'image/png', 'video/mp4'];

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
	const body = validatePayload(
		this,
		templateSchema,
		{
			name: readText(this, 'templateName', i, 'Template Name', { trim: true }),
			language: readLanguage(this, i),
			category,
			parameter_format: named ? 'NAMED' : 'POSITIONAL',
			components,
		},
		i,
		TEMPLATE_LABELS,
	) as IDataObject & { components: IDataObject[] };
	const waba = ctx.waba();

	// a media header's sample goes through the Resumable Upload API first
	const mediaHeader = body.components.find(
		(c) =>
			String(c.type).toUpperCase() === 'HEADER' &&
			(c.example as IDataObject | undefined)?.header_handle?.toString() === 'pending-upload',
	);
	let sample: BinaryUpload | undefined;
	if (mediaHeader) {
		if (!ctx.config.appId) {
			throw new NodeOperationError(
				this.getNode(),
				`A media header needs the App ID in the credential, to upload its sample [item ${i}]`,
				{
					itemIndex: i,
					description: 'App dashboard > App settings > Basic > App ID.',
				},
			);
		}
		const property = String(this.getNodeParameter('headerBinaryProperty', i, 'data'));
		sample = await checkBinaryUpload(this, i, property, {
			field: 'Header Sample File',
			only: {
				types: SAMPLE_TYPES,
				refused: (mimeType) =>
					`Header Sample File: Meta takes PDF, JPEG, PNG or MP4 samples, not "${mimeType}" [item ${i}]`,
			},
			fallbackName: 'sample',
		});
	}

	return async () => {
		if (sample && mediaHeader) {
			mediaHeader.example = { header_handle: [await uploadResumable(ctx, sample)] };
		}
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
