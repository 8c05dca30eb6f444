import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { GRAPH_CODE } from '../../../shared/errors';
import { GraphApiError } from '../../../shared/transport';
import { returnAllFields } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { userSenderField } from './common';

const displayOptions = { show: { resource: ['user'], operation: ['getAllBlocked'] } };

const properties: INodeProperties[] = [userSenderField, ...returnAllFields];

const description = updateDisplayOptions(displayOptions, properties);

/**
 * How often the list is read again from the start when Meta says it changed while being read
 * (139102): a block or unblock at the same time invalidates the cursors, and a fresh read sees the
 * list as it now is.
 */
const LIST_CHANGED_RETRIES = 3;

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const phone = ctx.sender(i);
	const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
	return async () => {
		for (let attempt = 0; ; attempt++) {
			let failure: unknown;
			try {
				// Meta does not state the largest page of this list: pages of 100, as other Graph lists take
				const users = await ctx.pages<IDataObject>(
					{ method: 'GET', path: `/${phone}/block_users` },
					i,
					limit,
				);
				return users.map((u) => ({
					json: {
						waId: u.wa_id,
						...(u.user_id ? { userId: u.user_id } : {}),
						...(u.parent_user_id ? { parentUserId: u.parent_user_id } : {}),
						raw: u,
					},
				}));
			} catch (error) {
				failure = error;
			}
			if (
				!(failure instanceof GraphApiError) ||
				failure.graphCode !== GRAPH_CODE.blockListChanged ||
				attempt >= LIST_CHANGED_RETRIES
			)
				throw failure;
		}
	};
}

export const getAll: Operation = { description, paced: false, prepare };
