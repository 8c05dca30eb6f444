import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { sendText } from './sendText.operation';

export const messageOperations: Record<string, Operation> = { sendText };

export const messageDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Send Text',
				value: 'sendText',
				action: 'Send a text message',
				description: 'Send a text message to a customer within the 24-hour customer-service window',
			},
		],
		default: 'sendText',
	},
	...sendText.description,
];
