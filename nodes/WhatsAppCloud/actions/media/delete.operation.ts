import type { IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { mediaIdField } from '../common.descriptions';

import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { readMediaId } from './common';

const displayOptions = { show: { resource: ['media'], operation: ['delete'] } };

const description = updateDisplayOptions(displayOptions, [mediaIdField]);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = readMediaId(this, i);
	return async () => {
		const result = await ctx.call<{ success?: boolean }>({ method: 'DELETE', path: `/${id}` }, i);
		return { success: result.success === true, id };
	};
}

export const deleteMedia: Operation = { description, paced: false, prepare };
