import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { LIMIT } from '../../helpers/limits';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { digitsParameter, phoneNumberField } from './common';

const displayOptions = { show: { resource: ['phoneNumber'], operation: ['verifyCode'] } };

const properties: INodeProperties[] = [
	phoneNumberField,
	{
		displayName: 'Code',
		name: 'code',
		type: 'string',
		default: '',
		required: true,
		placeholder: '123456',
		hint: 'The code of Phone Number > Request Code. Then register the number (Phone Number > Register).',
		description: `The ${LIMIT.verificationCode}-digit code Meta sent to the number by SMS or voice call`,
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = ctx.sender(i, 'Phone Number');
	const code = digitsParameter(this, i, 'code', 'Code', LIMIT.verificationCode);
	return async () => {
		const result = await ctx.call<{ success?: boolean }>(
			{ method: 'POST', path: `/${id}/verify_code`, body: { code } },
			i,
		);
		return {
			success: result.success === true,
			phoneNumberId: id,
			verified: result.success === true,
		};
	};
}

export const verifyCode: Operation = { description, paced: false, prepare };
