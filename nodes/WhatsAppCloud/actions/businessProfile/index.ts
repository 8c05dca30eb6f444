import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { get } from './get.operation';
import { update } from './update.operation';

export const businessProfileOperations: Record<string, Operation> = { get, update };

export const businessProfileDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['businessProfile'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get the business profile',
				description:
					'About, address, description, email, websites, industry and picture of a number',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update the business profile',
				description: 'Change the profile customers see',
			},
		],
		default: 'get',
	},
	...get.description,
	...update.description,
];
