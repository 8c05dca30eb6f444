import { z } from 'zod';

import { text } from '../../helpers/validation';

/**
 * Meta's rules for the interactive messages the node sends (reply buttons, lists, call-to-action
 * links, location requests, contact-info requests), as zod schemas: a payload that passes them is one Meta accepts.
 */

export type InteractiveKind =
	| 'button'
	| 'list'
	| 'cta_url'
	| 'location_request_message'
	| 'contact_request'
	| 'flow'
	// option values of the kinds in ./interactive (not Meta's types: see sendInteractive's FORMS)
	| 'carousel'
	| 'productCarousel'
	| 'product'
	| 'productList'
	| 'catalogMessage';

const mediaHeader = (kind: 'image' | 'video' | 'document') =>
	z.object({
		type: z.literal(kind),
		[kind]: z.union([
			z.object({ id: z.string().min(1) }),
			z.object({
				link: z
					.string()
					.url()
					.regex(/^https:\/\//i, 'must be an https:// link'),
			}),
		]),
	});
const header = z.union([
	z.object({ type: z.literal('text'), text: text(60) }),
	mediaHeader('image'),
	mediaHeader('video'),
	mediaHeader('document'),
]);
const footer = z.object({ text: text(60) }).optional();

const unique =
	<T>(key: (t: T) => string, what: string) =>
	(items: T[], ctx: z.RefinementCtx) => {
		const seen = new Set<string>();
		items.forEach((item, index) => {
			const k = key(item);
			if (seen.has(k))
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: [index],
					message: `repeats "${k}": ${what} must be unique`,
				});
			seen.add(k);
		});
	};

const noOuterSpaces = (s: string) => s === s.trim();

export const replyButtonsSchema = z.object({
	type: z.literal('button'),
	header: header.optional(),
	body: z.object({ text: text(1024) }),
	footer,
	action: z.object({
		buttons: z
			.array(
				z.object({
					type: z.literal('reply'),
					reply: z.object({
						id: text(256).refine(noOuterSpaces, 'may not start or end with a space'),
						title: text(20),
					}),
				}),
			)
			.min(1)
			.max(3)
			.superRefine(unique((b) => b.reply.id, 'button IDs'))
			.superRefine(unique((b) => b.reply.title, 'button titles')),
	}),
});

const row = z.object({ id: text(200), title: text(24), description: text(72).optional() });
export const listMessageSchema = z.object({
	type: z.literal('list'),
	header: z
		.object({
			type: z.literal('text', {
				errorMap: () => ({
					message: 'must be text: lists cannot have an image, video or document header',
				}),
			}),
			text: text(60),
		})
		.optional(),
	body: z.object({ text: text(4096) }),
	footer,
	action: z
		.object({
			button: text(20),
			sections: z
				.array(z.object({ title: text(24).optional(), rows: z.array(row).min(1) }))
				.min(1)
				.max(10),
		})
		.superRefine((action, ctx) => {
			const rows = action.sections.flatMap((s) => s.rows);
			if (rows.length > 10)
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['sections'],
					message: `have ${rows.length} rows in all (WhatsApp allows at most 10)`,
				});
			unique<{ id: string }>((r) => r.id, 'row IDs')(rows, ctx);
			if (action.sections.length > 1) {
				action.sections.forEach((s, index) => {
					if (!s.title)
						ctx.addIssue({
							code: z.ZodIssueCode.custom,
							path: ['sections', index, 'title'],
							message: 'is needed when the list has more than one section',
						});
				});
			}
		}),
});

export const ctaUrlSchema = z.object({
	type: z.literal('cta_url'),
	header: header.optional(),
	body: z.object({ text: text(1024) }),
	footer,
	action: z.object({
		name: z.literal('cta_url'),
		parameters: z.object({
			display_text: text(20),
			url: z
				.string()
				.url('is not a valid URL')
				.regex(/^https?:\/\//i, 'must start with https://'),
		}),
	}),
});

export const locationRequestSchema = z.object({
	type: z.literal('location_request_message'),
	body: z.object({ text: text(1024) }),
	action: z.object({ name: z.literal('send_location') }),
});

/**
 * Asks the customer to share their phone number with one tap: the way to get the number of a
 * customer known only by a user ID (their answer is a contacts message). Like a location request,
 * only a body and a fixed action.
 */
export const contactRequestSchema = z.object({
	type: z.literal('contact_request'),
	body: z.object({ text: text(1024) }),
	action: z.object({ name: z.literal('request_contact_info') }),
});

/** The payload schema of each kind of interactive message. */
export const INTERACTIVE_SCHEMAS: Partial<Record<InteractiveKind, z.ZodTypeAny>> = {
	button: replyButtonsSchema,
	list: listMessageSchema,
	cta_url: ctaUrlSchema,
	location_request_message: locationRequestSchema,
	contact_request: contactRequestSchema,
};
