import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { get } from './get.operation';
import { getAll } from './getAll.operation';

export const phoneNumberOperations: Record<string, Operation> = { getAll, get };

export const phoneNumberDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['phoneNumber'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a phone number',
				description:
					'One number with its quality, limits, health status (in plain words) and webhook configuration',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many phone numbers',
				description:
					"The account's numbers with display number, verified name, quality rating, name status, throughput and messaging limit",
			},
		],
		default: 'getAll',
	},
	...get.description,
];
