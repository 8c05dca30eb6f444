import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { LIMIT } from '../../helpers/limits';
import { returnAllFields } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { qrCodeJson, QR_FIELDS, qrPhoneNumberField } from './common';

const displayOptions = { show: { resource: ['qrCode'], operation: ['getAll'] } };

const properties: INodeProperties[] = [qrPhoneNumberField, ...returnAllFields];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const phone = ctx.sender(i, 'Phone Number');
	const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
	return async () => {
		// Meta's QR code list takes pages of at most 25
		const codes = await ctx.pages<IDataObject>(
			{ method: 'GET', path: `/${phone}/message_qrdls`, qs: { fields: QR_FIELDS } },
			i,
			limit,
			LIMIT.qrCodesPage,
		);
		return codes.map((code) => ({ json: qrCodeJson(code) }));
	};
}

export const getAll: Operation = { description, paced: false, prepare };
