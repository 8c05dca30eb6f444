import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { create } from './create.operation';
import { deleteFlow } from './delete.operation';
import { deprecate } from './deprecate.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { publish } from './publish.operation';
import { update } from './update.operation';

export const flowOperations: Record<string, Operation> = {
	getAll,
	get,
	create,
	update,
	publish,
	deprecate,
	delete: deleteFlow,
};

export const flowDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['flow'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a flow',
				description: 'Create a Flow from a Flow JSON, or as a copy of another',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a flow',
				description: 'Delete a draft Flow',
			},
			{
				name: 'Deprecate',
				value: 'deprecate',
				action: 'Deprecate a flow',
				description: 'Stop a published Flow from being sent or opened, for good',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a flow',
				description: 'Get a Flow with its status, validation errors and preview link',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many flows',
				description: "List the account's Flows",
			},
			{
				name: 'Publish',
				value: 'publish',
				action: 'Publish a flow',
				description: 'Make a draft Flow sendable; it can no longer be changed',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a flow',
				description: "Change a draft Flow's name, categories, endpoint or Flow JSON",
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
	...create.description,
	...update.description,
	...publish.description,
	...deprecate.description,
	...deleteFlow.description,
];
