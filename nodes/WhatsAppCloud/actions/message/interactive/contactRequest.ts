import { z } from 'zod';

import { readText } from '../../../helpers/validation';
import type { InteractiveKind } from './form';
import { bodySchema } from './shared';

/**
 * Request Contact Info: asks the customer to share their phone number with one tap, the way to
 * get the number of a customer known only by a user ID (their answer is a contacts message). Like
 * a location request, only a body and a fixed action.
 */

const contactRequestSchema = z.object({
	type: z.literal('contact_request'),
	body: bodySchema,
	action: z.object({ name: z.literal('request_contact_info') }),
});

export const contactRequestMessage: InteractiveKind = {
	option: {
		name: 'Request Contact Info',
		value: 'contact_request',
		description: 'Asks the customer to share their phone number, e.g. one known only by a user ID',
	},
	fields: [],
	schema: contactRequestSchema,
	build(fns, i) {
		return {
			interactive: {
				type: 'contact_request',
				body: { text: readText(fns, 'body', i, 'Body') },
				action: { name: 'request_contact_info' },
			},
			labels: { 'body.text': 'Body' },
		};
	},
};
