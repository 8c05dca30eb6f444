import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { getAnalytics } from './getAnalytics.operation';

export const businessAccountOperations: Record<string, Operation> = { getAnalytics };

export const businessAccountDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['businessAccount'] } },
		options: [
			{
				name: 'Get Analytics',
				value: 'getAnalytics',
				action: 'Get analytics of an account',
				description:
					'Get what the account sent, delivered and paid per period: one item per data point',
			},
		],
		default: 'getAnalytics',
	},
	...getAnalytics.description,
];
