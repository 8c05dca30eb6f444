import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { phoneNumberField } from './common';

const displayOptions = { show: { resource: ['phoneNumber'], operation: ['deregister'] } };

const properties: INodeProperties[] = [
	{
		...phoneNumberField,
		description:
			'The number to take off the Cloud API. Leave empty to use the one in the credential.',
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = ctx.sender(i, 'Phone Number');
	return async () => {
		const result = await ctx.call<{ success?: boolean }>(
			{ method: 'POST', path: `/${id}/deregister` },
			i,
		);
		return {
			success: result.success === true,
			phoneNumberId: id,
			registered: result.success !== true,
		};
	};
}

export const deregister: Operation = { description, paced: false, prepare };
