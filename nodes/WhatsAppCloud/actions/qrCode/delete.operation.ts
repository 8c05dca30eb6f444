import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { qrCodeField, qrPhoneNumberField, readQrCode } from './common';

const displayOptions = { show: { resource: ['qrCode'], operation: ['delete'] } };

const properties: INodeProperties[] = [
	qrPhoneNumberField,
	{
		...qrCodeField,
		description: `${String(qrCodeField.description)}. Deleting cannot be undone: a printed code then tells whoever scans it that it has expired.`,
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const phone = ctx.sender(i, 'Phone Number');
	const code = readQrCode(this, i);
	return async () => {
		const result = await ctx.call<{ success?: boolean }>(
			{ method: 'DELETE', path: `/${phone}/message_qrdls/${code}` },
			i,
		);
		return { success: result.success === true, code, deleted: true };
	};
}

export const deleteQrCode: Operation = { description, paced: false, prepare };
