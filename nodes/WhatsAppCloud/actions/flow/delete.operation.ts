import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { flowLocator } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { readFlowId } from './common';

const displayOptions = { show: { resource: ['flow'], operation: ['delete'] } };

const properties: INodeProperties[] = [
	{
		...flowLocator,
		description:
			'A draft Flow: only drafts can be deleted (deprecate a published Flow instead). Deleting cannot be undone.',
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = readFlowId(this, i);
	return async () => {
		const result = await ctx.call<{ success?: boolean }>({ method: 'DELETE', path: `/${id}` }, i);
		return { success: result.success === true, id, deleted: true };
	};
}

export const deleteFlow: Operation = { description, paced: false, prepare };
