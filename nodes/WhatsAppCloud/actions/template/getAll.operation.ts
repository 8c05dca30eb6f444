import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { TemplateDefinition } from './definition';
import { templateCategories, returnAllFields } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { TEMPLATE_FIELDS } from './common';
import { templateLanguages } from './languages';

const displayOptions = { show: { resource: ['template'], operation: ['getAll'] } };

const properties: INodeProperties[] = [
	...returnAllFields,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		options: [
			{
				displayName: 'Category',
				name: 'category',
				type: 'multiOptions',
				default: [],
				options: templateCategories,
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'options',
				default: 'en_US',
				options: templateLanguages,
				description:
					'Only templates in this language. For a code not listed, use an expression with the code.',
			},
			{
				displayName: 'Name Contains',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Part of the template name',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				default: [],
				options: [
					'APPROVED',
					'PENDING',
					'REJECTED',
					'PAUSED',
					'DISABLED',
					'IN_APPEAL',
					'PENDING_DELETION',
					'LIMIT_EXCEEDED',
					'ARCHIVED',
				]
					.sort()
					.map((s) => ({
						name: s.charAt(0) + s.slice(1).toLowerCase().replace(/_/g, ' '),
						value: s,
					})),
			},
		],
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	const waba = ctx.waba(i);
	const qs: IDataObject = { fields: TEMPLATE_FIELDS };
	if (filters.name) qs.name = filters.name;
	if (filters.language) qs.language = filters.language;
	if (Array.isArray(filters.status) && filters.status.length) qs.status = filters.status.join(',');
	if (Array.isArray(filters.category) && filters.category.length)
		qs.category = filters.category.join(',');
	return async () => {
		const templates = await ctx.pages<TemplateDefinition>(
			{ method: 'GET', path: `/${waba}/message_templates`, qs },
			i,
			limit,
		);
		return templates.map((t) => ({ json: t as unknown as IDataObject }));
	};
}

export const getAll: Operation = { description, paced: false, prepare };
