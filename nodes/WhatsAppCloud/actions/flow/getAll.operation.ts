import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { returnAllFields } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';

const displayOptions = { show: { resource: ['flow'], operation: ['getAll'] } };

const properties: INodeProperties[] = [...returnAllFields];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
	const waba = ctx.waba(i);
	return async () => {
		const flows = await ctx.pages<IDataObject>(
			{
				method: 'GET',
				path: `/${waba}/flows`,
				qs: { fields: 'id,name,status,categories,validation_errors' },
			},
			i,
			limit,
		);
		return flows.map((json) => ({ json }));
	};
}

export const getAll: Operation = { description, paced: false, prepare };
