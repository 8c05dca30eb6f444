import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationContext } from '../../transport/context';
import type { Operation } from '../types';
import { groupIdField, readGroupId } from './common';

const displayOptions = { show: { resource: ['group'], operation: ['delete'] } };

const properties: INodeProperties[] = [
	{
		...groupIdField,
		description: `${String(groupIdField.description)}. Deleting removes every participant, the business too, and cannot be undone.`,
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const group = readGroupId(this, i);
	return async () => {
		const answer = await ctx.call<IDataObject>({ method: 'DELETE', path: `/${group}` }, i);
		return { success: answer.success === true, groupId: group, deleted: answer.success === true };
	};
}

export const deleteGroup: Operation = { description, paced: false, prepare };
