import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { LIMIT, upToLower } from '../../helpers/limits';
import { readText, validatePayload } from '../../helpers/validation';
import type { OperationContext } from '../../transport/context';
import { templateCategories } from '../common.descriptions';
import type { Operation } from '../types';
import { parseComponentsJson } from './componentsJson';
import { timeToLive } from './kinds/authentication';
import {
	componentsFromForm,
	kindFields,
	TEMPLATE_LABELS,
	templateSchema,
	templateTypeOptions,
} from './kinds';
import { otherLanguageField, readLanguage, templateLanguagesWithOther } from './languages';
import { createMaxPrice, maxPriceField } from './maxPrice';
import { checkSamples, uploadSamples } from './samples';

/**
 * Template > Create: the template's name, language and category, then its components, from the
 * form of one of the template kinds (kinds/*.ts) or from Meta's JSON, checked by Meta's rules
 * before the request.
 */

const displayOptions = { show: { resource: ['template'], operation: ['create'] } };

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'templateName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'payment_receipt',
		description: `Lowercase letters, digits and underscores, ${upToLower(LIMIT.templateName)}`,
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
	otherLanguageField,
	{
		displayName: 'Category',
		name: 'category',
		type: 'options',
		default: 'UTILITY',
		options: templateCategories,
		description:
			'Meta may change a Utility template to Marketing; the output shows the category Meta gave it',
	},
	{ ...maxPriceField, displayOptions: { show: { category: ['MARKETING'] } } },
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
		options: templateTypeOptions,
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
	...kindFields,
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
	const ttl = timeToLive(this, i, category);
	const maxPrice = createMaxPrice(this, i, category);
	const body = validatePayload(
		this,
		templateSchema,
		{
			name: readText(this, 'templateName', i, 'Template Name', { trim: true }),
			language: readLanguage(this, i),
			category,
			parameter_format: named ? 'NAMED' : 'POSITIONAL',
			...ttl,
			components,
		},
		i,
		TEMPLATE_LABELS,
	) as IDataObject & { components: IDataObject[] };
	Object.assign(body, maxPrice);
	const waba = ctx.waba(i);
	const samples = await checkSamples(this, i, ctx, body.components);

	return async () => {
		await uploadSamples(ctx, samples);
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
			...(body.optimization_spec ? { optimizationSpec: body.optimization_spec } : {}),
		};
	};
}

export const create: Operation = { description, paced: false, prepare };
