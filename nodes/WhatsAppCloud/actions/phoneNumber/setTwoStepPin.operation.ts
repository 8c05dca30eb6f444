import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { LIMIT } from '../../helpers/limits';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { digitsParameter, phoneNumberField, pinField } from './common';

const displayOptions = { show: { resource: ['phoneNumber'], operation: ['setTwoStepPin'] } };

const properties: INodeProperties[] = [
	phoneNumberField,
	pinField(
		`${LIMIT.pin} digits. Register asks for it from then on; keep it safe.`,
		`The new two-step verification PIN of a registered number, ${LIMIT.pin} digits. It replaces the current one; two-step verification cannot be turned off this way.`,
	),
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = ctx.sender(i, 'Phone Number');
	const pin = digitsParameter(this, i, 'pin', 'PIN', LIMIT.pin);
	return async () => {
		const result = await ctx.call<{ success?: boolean }>(
			{ method: 'POST', path: `/${id}`, body: { pin } },
			i,
		);
		return { success: result.success === true, phoneNumberId: id, twoStepPinSet: true };
	};
}

export const setTwoStepPin: Operation = { description, paced: false, prepare };
