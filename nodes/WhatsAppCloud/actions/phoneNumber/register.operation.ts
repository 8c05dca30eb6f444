import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { itemError, readText } from '../../helpers/validation';
import { LIMIT } from '../../helpers/limits';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { digitsParameter, phoneNumberField, pinField } from './common';

/** The regions Meta stores a registered number's messages in, when asked to (local storage). */
export const DATA_LOCALIZATION_REGIONS = [
	'AE',
	'AU',
	'BH',
	'BR',
	'CA',
	'CH',
	'DE',
	'GB',
	'ID',
	'IN',
	'JP',
	'KR',
	'SG',
	'ZA',
] as const;

const displayOptions = { show: { resource: ['phoneNumber'], operation: ['register'] } };

const properties: INodeProperties[] = [
	{
		...phoneNumberField,
		description:
			'The number to register for the Cloud API. Leave empty to use the one in the credential.',
	},
	pinField(
		`${LIMIT.pin} digits. It becomes the number's two-step verification PIN; keep it safe.`,
		`The number's two-step verification PIN, ${LIMIT.pin} digits: its current PIN if two-step verification is on, otherwise the PIN it gets`,
	),
	{
		displayName: 'Data Localization Region',
		name: 'dataLocalizationRegion',
		type: 'string',
		default: '',
		placeholder: 'DE',
		hint: 'Optional. Empty: no local storage.',
		description: `Country code (2 capital letters) of the region where Meta stores this number's messages at rest: ${DATA_LOCALIZATION_REGIONS.join(', ')}. To change it later, deregister and register again. Meta may refuse it on newer API versions.`,
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = ctx.sender(i, 'Phone Number');
	const pin = digitsParameter(this, i, 'pin', 'PIN', LIMIT.pin);
	const region = readText(this, 'dataLocalizationRegion', i, 'Data Localization Region', {
		trim: true,
	});
	if (region && !(DATA_LOCALIZATION_REGIONS as readonly string[]).includes(region)) {
		throw itemError(
			this,
			i,
			/^[A-Z]{2}$/.test(region)
				? `Data Localization Region ${JSON.stringify(region)} is not a region Meta offers`
				: `Data Localization Region must be a country code of 2 capital letters, got ${JSON.stringify(region.slice(0, 20))}`,
			`Use one of ${DATA_LOCALIZATION_REGIONS.join(', ')}, or leave it empty.`,
		);
	}
	return async () => {
		const body: IDataObject = { messaging_product: 'whatsapp', pin };
		if (region) body.data_localization_region = region;
		const result = await ctx.call<{ success?: boolean }>(
			{ method: 'POST', path: `/${id}/register`, body },
			i,
		);
		return {
			success: result.success === true,
			phoneNumberId: id,
			registered: result.success === true,
			dataLocalizationRegion: region || null,
		};
	};
}

export const register: Operation = { description, paced: false, prepare };
