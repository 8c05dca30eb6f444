import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { archive } from './archive.operation';
import { compare } from './compare.operation';
import { create } from './create.operation';
import { createFromLibrary } from './createFromLibrary.operation';
import { deleteTemplate } from './delete.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { unarchive } from './unarchive.operation';
import { unpause } from './unpause.operation';
import { update } from './update.operation';

export const templateOperations: Record<string, Operation> = {
	getAll,
	get,
	create,
	createFromLibrary,
	update,
	delete: deleteTemplate,
	archive,
	unarchive,
	unpause,
	compare,
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
				name: 'Archive',
				value: 'archive',
				action: 'Archive templates',
				description: 'Archive templates by ID, so they cannot be sent until unarchived',
			},
			{
				name: 'Compare',
				value: 'compare',
				action: 'Compare two templates',
				description: 'Compare the block rate, sends and top block reason of two templates',
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Create a template',
				description: "Submit a new template for Meta's review",
			},
			{
				name: 'Create From Library',
				value: 'createFromLibrary',
				action: 'Create a template from the library',
				description: "Create a template from Meta's Template Library, approved at once",
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
				name: 'Unarchive',
				value: 'unarchive',
				action: 'Unarchive templates',
				description: 'Bring archived templates back by ID',
			},
			{
				name: 'Unpause',
				value: 'unpause',
				action: 'Unpause a template',
				description: 'Ask Meta to resume a template it paused for low quality',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a template',
				description: 'Change the components, category or max price of a template',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
	...create.description,
	...update.description,
	...deleteTemplate.description,
	...archive.description,
	...unarchive.description,
	...unpause.description,
	...compare.description,
	...createFromLibrary.description,
];
