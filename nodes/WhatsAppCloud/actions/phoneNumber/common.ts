import type { IDataObject, INodeProperties } from 'n8n-workflow';

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
