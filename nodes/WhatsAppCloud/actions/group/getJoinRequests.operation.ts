import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { LIMIT } from '../../helpers/limits';
import type { OperationContext } from '../../transport/context';
import { returnAllFields } from '../common.descriptions';
import type { Operation } from '../types';
import { groupIdField, readGroupId } from './common';

const displayOptions = { show: { resource: ['group'], operation: ['getJoinRequests'] } };

const properties: INodeProperties[] = [groupIdField, ...returnAllFields];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const group = readGroupId(this, i);
	const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
	return async () => {
		// Meta's OpenAPI document gives this list paging cursors but no `limit` parameter; like every
		// Graph edge list it is asked for pages of at most Meta's group page size
		const requests = await ctx.pages<IDataObject>(
			{ method: 'GET', path: `/${group}/join_requests` },
			i,
			limit,
			LIMIT.groupsPage,
		);
		return requests.map((r) => ({
			json: {
				groupId: group,
				joinRequestId: r.join_request_id,
				waId: r.wa_id,
				...(r.user_id ? { userId: r.user_id } : {}),
				creationTimestamp: r.creation_timestamp,
				raw: r,
			},
		}));
	};
}

export const getJoinRequests: Operation = { description, paced: false, prepare };
