import type { INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { LIMIT, upTo } from '../../../helpers/limits';
import { readText, text } from '../../../helpers/validation';
import type { InteractiveKind } from './form';
import {
	bodySchema,
	footerSchema,
	headerSchema,
	PART_LABELS,
	readHeaderBodyFooter,
} from './shared';

/** Call-to-Action URL: one button that opens a link, under a body with an optional header and footer. */

const CTA = { show: { interactiveType: ['cta_url'] } };

const ctaFields: INodeProperties[] = [
	{
		displayName: 'Button Text',
		name: 'ctaText',
		type: 'string',
		default: '',
		required: true,
		description: upTo(LIMIT.buttonTitle),
		displayOptions: CTA,
	},
	{
		displayName: 'URL',
		name: 'ctaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/track/1042',
		displayOptions: CTA,
	},
];

/** Meta's rules for a call-to-action link; Send and Wait sends its links to answer with them too. */
export const ctaUrlSchema = z.object({
	type: z.literal('cta_url'),
	header: headerSchema.optional(),
	body: bodySchema,
	footer: footerSchema,
	action: z.object({
		name: z.literal('cta_url'),
		parameters: z.object({
			display_text: text(LIMIT.buttonTitle),
			url: z
				.string()
				.url('is not a valid URL')
				.regex(/^https?:\/\//i, 'must start with https://'),
		}),
	}),
});

const LABELS: Record<string, string> = {
	...PART_LABELS,
	'action.parameters.display_text': 'Button Text',
	'action.parameters.url': 'URL',
};

export const ctaUrlMessage: InteractiveKind = {
	option: {
		name: 'Call-to-Action URL',
		value: 'cta_url',
		description: 'One button that opens a link',
	},
	fields: ctaFields,
	schema: ctaUrlSchema,
	build(fns, i) {
		return {
			interactive: {
				type: 'cta_url',
				...readHeaderBodyFooter(fns, i),
				action: {
					name: 'cta_url',
					parameters: {
						display_text: readText(fns, 'ctaText', i, 'Button Text'),
						url: readText(fns, 'ctaUrl', i, 'URL', { trim: true }),
					},
				},
			},
			labels: LABELS,
		};
	},
};
