import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import {
	prefilledMessageField,
	qrCodeField,
	qrCodeJson,
	qrPhoneNumberField,
	readPrefilledMessage,
	readQrCode,
} from './common';

const displayOptions = { show: { resource: ['qrCode'], operation: ['update'] } };

const properties: INodeProperties[] = [
	qrPhoneNumberField,
	qrCodeField,
	{
		...prefilledMessageField,
		description: `${String(prefilledMessageField.description)} The code, its link and its image stay the same.`,
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const phone = ctx.sender(i, 'Phone Number');
	const code = readQrCode(this, i);
	const message = readPrefilledMessage(this, i);
	return async () => {
		// Meta changes a code by posting it, with its new message, to the list it belongs to
		const updated = await ctx.call<IDataObject>(
			{
				method: 'POST',
				path: `/${phone}/message_qrdls`,
				body: { code, prefilled_message: message },
			},
			i,
		);
		return qrCodeJson(updated);
	};
}

export const update: Operation = { description, paced: false, prepare };
