import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { flowLocator } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { readFlowId } from './common';

const displayOptions = { show: { resource: ['flow'], operation: ['publish'] } };

const properties: INodeProperties[] = [
	{
		...flowLocator,
		description:
			'A draft Flow without validation errors. Once published it can be sent to anyone, and it can no longer be changed.',
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = readFlowId(this, i);
	return async () => {
		const result = await ctx.call<{ success?: boolean }>(
			{ method: 'POST', path: `/${id}/publish` },
			i,
		);
		return { success: result.success === true, id, status: 'PUBLISHED' };
	};
}

export const publish: Operation = { description, paced: false, prepare };
