import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { NUMBER_FIELDS, phoneNumberJson } from './common';

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const waba = ctx.waba(i);
	return async () => {
		const numbers = await ctx.pages<IDataObject>(
			{ method: 'GET', path: `/${waba}/phone_numbers`, qs: { fields: NUMBER_FIELDS } },
			i,
		);
		return numbers.map((n) => ({ json: phoneNumberJson(n) }));
	};
}

export const getAll: Operation = { description: [], paced: false, prepare };
