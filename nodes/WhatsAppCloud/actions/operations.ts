import { businessAccountOperations } from './businessAccount';
import { businessProfileOperations } from './businessProfile';
import { flowOperations } from './flow';
import { groupOperations } from './group';
import { mediaOperations } from './media';
import { messageOperations } from './message';
import { phoneNumberOperations } from './phoneNumber';
import { qrCodeOperations } from './qrCode';
import { templateOperations } from './template';
import type { Operation } from './types';

/** resource -> operation -> implementation; the router dispatches through this table. */
export const operations: Record<string, Record<string, Operation>> = {
	message: messageOperations,
	template: templateOperations,
	flow: flowOperations,
	media: mediaOperations,
	phoneNumber: phoneNumberOperations,
	qrCode: qrCodeOperations,
	businessProfile: businessProfileOperations,
	group: groupOperations,
	businessAccount: businessAccountOperations,
};
