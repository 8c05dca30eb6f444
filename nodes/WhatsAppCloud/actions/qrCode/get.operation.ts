import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { qrCodeField, qrCodeJson, QR_FIELDS, qrPhoneNumberField, readQrCode } from './common';

const displayOptions = { show: { resource: ['qrCode'], operation: ['get'] } };

const properties: INodeProperties[] = [qrPhoneNumberField, qrCodeField];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const phone = ctx.sender(i, 'Phone Number');
	const code = readQrCode(this, i);
	return async () => {
		// Meta answers one code as a list of one
		const result = await ctx.call<{ data?: IDataObject[] }>(
			{ method: 'GET', path: `/${phone}/message_qrdls/${code}`, qs: { fields: QR_FIELDS } },
			i,
		);
		const found = result.data?.[0];
		if (!found)
			throw new NodeOperationError(this.getNode(), `Meta gave no QR code ${code} [item ${i}]`, {
				itemIndex: i,
				description: 'Check the code with QR Code > Get Many.',
			});
		return qrCodeJson(found);
	};
}

export const get: Operation = { description, paced: false, prepare };
