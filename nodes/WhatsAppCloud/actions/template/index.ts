import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { create } from './create.operation';
import { deleteTemplate } from './delete.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { update } from './update.operation';

export const templateOperations: Record<string, Operation> = {
	getAll,
	get,
	create,
	update,
	delete: deleteTemplate,
};

export const templateDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['template'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a template',
				description: "Submit a new template for Meta's review",
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a template',
				description: 'Delete a template in all languages, or one language',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a template',
				description: 'Get a template with its components and variables',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many templates',
				description: "List the account's templates, filtered",
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a template',
				description: 'Change the components or category of a template',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
	...create.description,
	...update.description,
	...deleteTemplate.description,
];
