import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { phoneNumberField } from './common';
import { conversationalJson } from './conversational';

const displayOptions = {
	show: { resource: ['phoneNumber'], operation: ['getConversationalComponents'] },
};

const properties: INodeProperties[] = [phoneNumberField];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = ctx.sender(i, 'Phone Number');
	return async () => {
		const p = await ctx.call<IDataObject>(
			{ method: 'GET', path: `/${id}`, qs: { fields: 'conversational_automation' } },
			i,
		);
		// a number that never had any has no conversational_automation: empty lists
		return conversationalJson(
			typeof p.id === 'string' ? p.id : id,
			p.conversational_automation as IDataObject | undefined,
		);
	};
}

export const getConversationalComponents: Operation = { description, paced: false, prepare };
