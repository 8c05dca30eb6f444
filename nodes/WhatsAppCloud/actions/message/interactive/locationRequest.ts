import { z } from 'zod';

import { readText } from '../../../helpers/validation';
import type { InteractiveKind } from './form';
import { bodySchema } from './shared';

/**
 * Location Request: asks the customer to share their location with one tap; their answer is a
 * location message. Only a body and a fixed action, so no fields of its own.
 */

const locationRequestSchema = z.object({
	type: z.literal('location_request_message'),
	body: bodySchema,
	action: z.object({ name: z.literal('send_location') }),
});

export const locationRequestMessage: InteractiveKind = {
	option: {
		name: 'Location Request',
		value: 'location_request_message',
		description: 'Asks the customer to share their location',
	},
	fields: [],
	schema: locationRequestSchema,
	build(fns, i) {
		return {
			interactive: {
				type: 'location_request_message',
				body: { text: readText(fns, 'body', i, 'Body') },
				action: { name: 'send_location' },
			},
			labels: { 'body.text': 'Body' },
		};
	},
};
