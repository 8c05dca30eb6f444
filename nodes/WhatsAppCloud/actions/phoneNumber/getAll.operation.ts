import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { requireWaba } from '../template/common';
import type { Operation, OperationContext } from '../types';
import { NUMBER_FIELDS, phoneNumberJson } from './common';

type Page = { data?: IDataObject[]; paging?: { cursors?: { after?: string }; next?: string } };

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const waba = requireWaba(this, ctx.config);
	return async () => {
		const numbers: IDataObject[] = [];
		let after: string | undefined;
		do {
			const page = await ctx.call<Page>({ method: 'GET', path: `/${waba}/phone_numbers`, qs: { fields: NUMBER_FIELDS, limit: 100, ...(after ? { after } : {}) } }, i);
			numbers.push(...(page.data ?? []));
			after = page.paging?.next ? page.paging.cursors?.after : undefined;
		} while (after);
		return numbers.map((n) => ({ json: phoneNumberJson(n) }));
	};
}

export const getAll: Operation = { description: [], paced: false, prepare };
