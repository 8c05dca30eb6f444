import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { itemError } from '../../helpers/validation';
import { senderLocator } from '../common.descriptions';

/** A phone number of the account: pick from the list or give an ID; empty is the credential's. */
export const phoneNumberField: INodeProperties = {
	...senderLocator,
	displayName: 'Phone Number',
	name: 'sender',
	description: 'A phone number of the account. Leave empty to use the one in the credential.',
};

export const NUMBER_FIELDS = [
	'id',
	'display_phone_number',
	'verified_name',
	'quality_rating',
	'name_status',
	'code_verification_status',
	'status',
	'platform_type',
	'throughput',
	'whatsapp_business_manager_messaging_limit',
	'messaging_limit_tier',
	'account_mode',
	'is_official_business_account',
].join(',');

/** Meta's phone number record in the node's output shape, with the raw record kept. */
export function phoneNumberJson(p: IDataObject): IDataObject {
	return {
		id: p.id,
		displayPhoneNumber: p.display_phone_number,
		verifiedName: p.verified_name,
		qualityRating: p.quality_rating,
		nameStatus: p.name_status,
		status: p.status,
		throughputLevel: (p.throughput as IDataObject | undefined)?.level,
		messagingLimit: p.whatsapp_business_manager_messaging_limit ?? p.messaging_limit_tier,
		codeVerificationStatus: p.code_verification_status,
		raw: p,
	};
}

/**
 * A secret or code of exactly `length` digits from a parameter (PIN, verification code), trimmed.
 * An expression may give a number; its digits count. The errors name the field and the item but
 * never the value: a PIN is the number's two-step verification secret.
 */
export function digitsParameter(
	fns: Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>,
	itemIndex: number,
	name: string,
	label: string,
	length: number,
): string {
	const raw = fns.getNodeParameter(name, itemIndex, '') as unknown;
	const fix = `Give exactly ${length} digits (0-9), for example from an expression that gives text.`;
	if (raw !== null && typeof raw === 'object')
		throw itemError(
			fns,
			itemIndex,
			`${label} must be ${length} digits, but its expression gave ${Array.isArray(raw) ? 'a list' : 'an object'}`,
			fix,
		);
	const value = raw === undefined || raw === null ? '' : String(raw as string).trim();
	if (!value) throw itemError(fns, itemIndex, `${label} is empty; it needs ${length} digits`, fix);
	if (!/^\d+$/.test(value))
		throw itemError(fns, itemIndex, `${label} must be digits only (0-9)`, fix);
	if (value.length !== length)
		throw itemError(
			fns,
			itemIndex,
			`${label} must be exactly ${length} digits, got ${value.length}`,
			// a number from an expression loses its leading zeros
			`${fix} A PIN or code that starts with 0 must be given as text, not as a number.`,
		);
	return value;
}

/** The PIN field of Register and Set Two-Step PIN: masked, six digits; each says what it does. */
export function pinField(hint: string, description: string): INodeProperties {
	return {
		displayName: 'PIN',
		name: 'pin',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		placeholder: '123456',
		hint,
		description,
	};
}
