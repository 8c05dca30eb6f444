import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { GraphPage } from '../../../shared/transport';
import { LIMIT } from '../../helpers/limits';
import type { OperationContext } from '../../transport/context';
import { returnAllFields } from '../common.descriptions';
import type { Operation } from '../types';
import { groupPhoneNumberField } from './common';

const displayOptions = { show: { resource: ['group'], operation: ['getAll'] } };

const properties: INodeProperties[] = [groupPhoneNumberField, ...returnAllFields];

const description = updateDisplayOptions(displayOptions, properties);

/** One page of Meta's group list: the groups sit under `data.groups`, not in `data`. */
type GroupsPage = Omit<GraphPage<never>, 'data'> & { data?: { groups?: IDataObject[] } };

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const phone = ctx.sender(i, 'Phone Number');
	const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
	return async () => {
		const groups: IDataObject[] = [];
		let after: string | undefined;
		do {
			const page = await ctx.call<GroupsPage>(
				{
					method: 'GET',
					path: `/${phone}/groups`,
					qs: {
						limit: Math.min(LIMIT.groupsPage, limit - groups.length),
						...(after ? { after } : {}),
					},
				},
				i,
			);
			groups.push(...(page.data?.groups ?? []));
			after = page.paging?.next ? page.paging.cursors?.after : undefined;
		} while (after && groups.length < limit);
		return groups.slice(0, limit).map((g) => ({
			json: {
				id: g.id,
				subject: g.subject,
				// Meta gives the creation time as text of Unix seconds here, as a number in Get
				creationTimestamp:
					typeof g.created_at === 'string' && /^\d+$/.test(g.created_at)
						? Number(g.created_at)
						: g.created_at,
				raw: g,
			},
		}));
	};
}

export const getAll: Operation = { description, paced: false, prepare };
