import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { OperationContext } from '../../transport/context';
import type { Operation } from '../types';
import { GROUP_FIELDS, groupIdField, groupJson, readGroupId } from './common';

const displayOptions = { show: { resource: ['group'], operation: ['get'] } };

const properties: INodeProperties[] = [groupIdField];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const group = readGroupId(this, i);
	return async () => {
		// without fields Meta answers only the ID
		const found = await ctx.call<IDataObject>(
			{ method: 'GET', path: `/${group}`, qs: { fields: GROUP_FIELDS } },
			i,
		);
		return groupJson(found);
	};
}

export const get: Operation = { description, paced: false, prepare };
