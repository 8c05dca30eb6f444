import type {
	IDataObject,
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { LIMIT } from '../../helpers/limits';
import { itemError } from '../../helpers/validation';
import { templateCategories, templateLocator } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { templateLocatorValue, templateOf } from './common';
import { parseComponentsJson } from './componentsJson';

const displayOptions = { show: { resource: ['template'], operation: ['update'] } };

const properties: INodeProperties[] = [
	templateLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		description: `Approved templates can be edited once a day and ${LIMIT.templateEditsPerMonth} times a month; an edit is reviewed again. The category of an approved template cannot change.`,
		options: [
			{
				displayName: 'Category',
				name: 'category',
				type: 'options',
				default: 'UTILITY',
				options: templateCategories,
			},
			{
				displayName: 'Components (JSON)',
				name: 'components',
				type: 'json',
				default: '[]',
				description:
					"The new components, as in Meta's template definition; they replace all current components. Get the template first to start from its components.",
			},
		],
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const locator = this.getNodeParameter('template', i) as INodeParameterResourceLocator;
	// the template is read when the item runs: its ID is checked now, with every other item's
	templateLocatorValue(this.getNode(), locator, i);
	const fields = this.getNodeParameter('updateFields', i, {}) as IDataObject;
	const body: IDataObject = {};
	if (fields.category) body.category = fields.category;
	if (fields.components !== undefined)
		body.components = parseComponentsJson(
			this,
			fields.components,
			i,
			'Update Fields > Components (JSON)',
		);
	if (!Object.keys(body).length) {
		throw itemError(this, i, 'Nothing to update: add Category or Components (JSON)', '', '');
	}
	return async () => {
		const template = await templateOf(this, ctx, locator, i);
		const result = await ctx.call<{ success?: boolean }>(
			{ method: 'POST', path: `/${template.id}`, body },
			i,
		);
		return {
			success: result.success === true,
			id: template.id,
			name: template.name,
			language: template.language,
			updated: body,
		};
	};
}

export const update: Operation = { description, paced: false, prepare };
