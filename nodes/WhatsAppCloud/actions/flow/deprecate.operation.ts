import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { flowLocator } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { readFlowId } from './common';

const displayOptions = { show: { resource: ['flow'], operation: ['deprecate'] } };

const properties: INodeProperties[] = [
	{
		...flowLocator,
		description:
			'A published Flow. A deprecated Flow can no longer be sent or opened, and this cannot be undone.',
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = readFlowId(this, i);
	return async () => {
		const result = await ctx.call<{ success?: boolean }>(
			{ method: 'POST', path: `/${id}/deprecate` },
			i,
		);
		return { success: result.success === true, id, status: 'DEPRECATED' };
	};
}

export const deprecate: Operation = { description, paced: false, prepare };
