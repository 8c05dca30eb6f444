import type { INodeProperties } from 'n8n-workflow';

import { LIMIT } from '../../helpers/limits';
import type { Operation } from '../types';
import { block } from './block.operation';
import { getAll } from './getAll.operation';
import { unblock } from './unblock.operation';

export const userOperations: Record<string, Operation> = {
	block,
	unblock,
	getAllBlocked: getAll,
};

export const userDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Block',
				value: 'block',
				action: 'Block users',
				description: `Stop users from messaging this number, and this number from messaging them: only users who wrote in the last 24 hours (at most ${LIMIT.blockListSize.toLocaleString('en-US')} blocked per number)`,
			},
			{
				name: 'Get Many Blocked',
				value: 'getAllBlocked',
				action: 'Get many blocked users',
				description: "List the users this number's block list holds",
			},
			{
				name: 'Unblock',
				value: 'unblock',
				action: 'Unblock users',
				description:
					'Take users off the block list, so that they and this number can message again',
			},
		],
		default: 'block',
	},
	...block.description,
	...unblock.description,
	...getAll.description,
];
