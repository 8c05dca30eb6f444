import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationContext } from '../../transport/context';
import type { Operation } from '../types';
import { groupIdField, readGroupId } from './common';

const displayOptions = { show: { resource: ['group'], operation: ['getInviteLink'] } };

const properties: INodeProperties[] = [groupIdField];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const group = readGroupId(this, i);
	return async () => {
		// Meta's OpenAPI document lists only POST (a new link) and DELETE on invite_link; Meta's
		// groups reference reads the current link with GET, which is what this does
		const answer = await ctx.call<IDataObject>({ method: 'GET', path: `/${group}/invite_link` }, i);
		return { groupId: group, inviteLink: answer.invite_link, raw: answer };
	};
}

export const getInviteLink: Operation = { description, paced: false, prepare };
