import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { LIMIT, upTo, upToLower } from '../../../helpers/limits';
import { readText, text } from '../../../helpers/validation';
import { checkWith, entriesOf, type InteractiveKind, lineBreaks, trimmed } from './form';
import { bodySchema, card, cardList } from './shared';

/**
 * Media Carousel: cards the customer scrolls sideways, under one body text and with no header
 * or footer. Each card has an image or video, an optional text and the same buttons.
 */

const MEDIA = { show: { interactiveType: ['carousel'] } };

const carouselFields: INodeProperties[] = [
	{
		displayName: 'Card Buttons',
		name: 'carouselButtons',
		type: 'options',
		default: 'url',
		options: [
			{
				name: 'Quick Replies',
				value: 'quickReply',
				description: `1 to ${LIMIT.cardQuickReplies} buttons per card; the tapped one comes back in the trigger with its ID`,
			},
			{ name: 'URL Button', value: 'url', description: 'One button per card that opens a link' },
		],
		description: 'WhatsApp requires the same kind and number of buttons on every card',
		displayOptions: MEDIA,
	},
	{
		displayName: 'Cards',
		name: 'carouselCards',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add card',
		required: true,
		description: `${LIMIT.cardsMin} to ${LIMIT.cardsMax} cards, shown left to right in this order`,
		displayOptions: MEDIA,
		options: [
			{
				displayName: 'Card',
				name: 'card',
				values: [
					{
						displayName: 'Button Text',
						name: 'buttonText',
						type: 'string',
						default: '',
						description: upTo(LIMIT.buttonTitle),
						displayOptions: { show: { '/carouselButtons': ['url'] } },
					},
					{
						displayName: 'Button URL',
						name: 'buttonUrl',
						type: 'string',
						default: '',
						placeholder: 'https://example.com/products/1042',
						displayOptions: { show: { '/carouselButtons': ['url'] } },
					},
					{
						displayName: 'Card Body',
						name: 'body',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						description: `Optional text under the media: ${upToLower(LIMIT.cardBody)} and ${LIMIT.cardBodyLineBreaks} line breaks`,
					},
					{
						displayName: 'Header Type',
						name: 'headerType',
						type: 'options',
						default: 'image',
						options: [
							{ name: 'Image', value: 'image' },
							{ name: 'Video', value: 'video' },
						],
					},
					{
						displayName: 'Header URL',
						name: 'headerLink',
						type: 'string',
						default: '',
						placeholder: 'https://example.com/photo.jpg',
						description: 'A public HTTPS link to the image or video',
					},
					{
						displayName: 'Quick Replies',
						name: 'quickReplies',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						default: {},
						placeholder: 'Add quick reply',
						description: `1 to ${LIMIT.cardQuickReplies} buttons; every card needs as many as the first`,
						displayOptions: { show: { '/carouselButtons': ['quickReply'] } },
						options: [
							{
								displayName: 'Quick Reply',
								name: 'reply',
								values: [
									{
										displayName: 'Title',
										name: 'title',
										type: 'string',
										default: '',
										description: upTo(LIMIT.buttonTitle),
									},
									{
										displayName: 'ID',
										name: 'id',
										type: 'string',
										default: '',
										description: `${upTo(LIMIT.buttonId)}; returned when tapped`,
									},
								],
							},
						],
					},
				],
			},
		],
	},
];

// ---------------------------------------------------------------------------------------------
// Meta's rules, as zod schemas: a payload that passes them is one Meta accepts.

/**
 * A card's media by link. Meta documents carousel card media only as a public link; whether it
 * also takes the ID of uploaded media is not confirmed, so the node sends links only.
 */
const cardMediaLink = z.object({
	link: z
		.string()
		.min(1)
		.url('is not a valid link')
		.regex(
			/^https:\/\//i,
			'must be an https:// link (carousel cards take their image or video by link, not by media ID)',
		),
});

const quickReply = z.object({
	type: z.literal('quick_reply'),
	quick_reply: z.object({ id: text(LIMIT.buttonId), title: text(LIMIT.buttonTitle) }),
});
const urlButton = z.object({
	name: z.literal('cta_url'),
	parameters: z.object({
		display_text: text(LIMIT.buttonTitle),
		url: z
			.string()
			.min(1)
			.url('is not a valid URL')
			.regex(/^https:\/\//i, 'must start with https://'),
	}),
});

const quickReplies = z.object({ buttons: z.array(quickReply).min(1).max(LIMIT.cardQuickReplies) });

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const mediaCard = z.object({
	card_index: z.number().int().min(0),
	type: z.literal('cta_url'),
	header: z
		.object({
			type: z.enum(['image', 'video']),
			image: cardMediaLink.optional(),
			video: cardMediaLink.optional(),
		})
		.strict()
		.superRefine((header, ctx) => {
			if (!header[header.type])
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: [header.type],
					message: 'is missing; it needs a link',
				});
		}),
	body: z
		.object({
			text: text(LIMIT.cardBody).superRefine((value, ctx) => {
				const breaks = lineBreaks(value);
				if (breaks > LIMIT.cardBodyLineBreaks)
					ctx.addIssue({
						code: z.ZodIssueCode.custom,
						message: `has ${breaks} line breaks (WhatsApp allows at most ${LIMIT.cardBodyLineBreaks})`,
					});
			}),
		})
		.optional(),
	// one URL button or quick replies, told apart by `buttons`
	action: z
		.unknown()
		.superRefine((action, ctx) =>
			checkWith(isObject(action) && 'buttons' in action ? quickReplies : urlButton, action, ctx),
		),
});

/** What buttons a card has, to compare the cards: "a URL button" or "2 quick replies". */
const buttonsOf = (action: unknown) => {
	const buttons = isObject(action) ? action.buttons : undefined;
	return Array.isArray(buttons)
		? `${buttons.length} quick ${buttons.length === 1 ? 'reply' : 'replies'}`
		: 'a URL button';
};

const mediaCarouselSchema = z
	.object({
		type: z.literal('carousel'),
		body: bodySchema,
		action: z.object({
			cards: cardList(mediaCard).superRefine((list, ctx) => {
				const first = buttonsOf(list[0]?.action);
				list.forEach((c, index) => {
					const these = buttonsOf(c.action);
					if (index > 0 && these !== first)
						ctx.addIssue({
							code: z.ZodIssueCode.custom,
							path: [index, 'action'],
							message: `has ${these}, but card 1 has ${first}: WhatsApp requires the same kind and number of buttons on every card`,
						});
				});
			}),
		}),
	})
	.strict();

// ---------------------------------------------------------------------------------------------
// From the form to the payload.

export const mediaCarouselMessage: InteractiveKind = {
	option: {
		name: 'Media Carousel',
		value: 'carousel',
		description: `${LIMIT.cardsMin} to ${LIMIT.cardsMax} scrolling cards with an image or video and buttons`,
	},
	fields: carouselFields,
	schema: mediaCarouselSchema,
	build(fns, i) {
		const labels: Record<string, string> = { 'body.text': 'Body', 'action.cards': 'Cards' };
		const buttons = fns.getNodeParameter('carouselButtons', i, 'url') as string;
		const cards = entriesOf(fns.getNodeParameter('carouselCards.card', i, [])).map(
			(entry, index): IDataObject => {
				const at = `action.cards.${index}`;
				const type = entry.headerType === 'video' ? 'video' : 'image';
				const body = trimmed(fns, entry.body, card(index, 'Card Body'), i);
				let action: IDataObject;
				if (buttons === 'quickReply') {
					const replies = entriesOf((entry.quickReplies as IDataObject | undefined)?.reply);
					labels[`${at}.action.buttons`] = card(index, 'Quick Replies');
					action = {
						buttons: replies.map((reply, r) => {
							const label = card(index, `Quick Replies > Quick Reply ${r + 1}`);
							labels[`${at}.action.buttons.${r}.quick_reply.id`] = `${label} > ID`;
							labels[`${at}.action.buttons.${r}.quick_reply.title`] = `${label} > Title`;
							return {
								type: 'quick_reply',
								quick_reply: {
									id: trimmed(fns, reply.id, `${label} > ID`, i),
									title: trimmed(fns, reply.title, `${label} > Title`, i),
								},
							};
						}),
					};
				} else {
					labels[`${at}.action.parameters.display_text`] = card(index, 'Button Text');
					labels[`${at}.action.parameters.url`] = card(index, 'Button URL');
					action = {
						name: 'cta_url',
						parameters: {
							display_text: trimmed(fns, entry.buttonText, card(index, 'Button Text'), i),
							url: trimmed(fns, entry.buttonUrl, card(index, 'Button URL'), i),
						},
					};
				}
				labels[at] = card(index);
				labels[`${at}.action`] = card(index);
				labels[`${at}.header`] = card(index, 'Header Type');
				labels[`${at}.header.${type}`] = card(index, 'Header URL');
				labels[`${at}.header.${type}.link`] = card(index, 'Header URL');
				labels[`${at}.body.text`] = card(index, 'Card Body');
				return {
					card_index: index,
					type: 'cta_url',
					header: {
						type,
						[type]: { link: trimmed(fns, entry.headerLink, card(index, 'Header URL'), i) },
					},
					...(body ? { body: { text: body } } : {}),
					action,
				};
			},
		);
		return {
			interactive: {
				type: 'carousel',
				body: { text: readText(fns, 'body', i, 'Body') },
				action: { cards },
			},
			labels,
		};
	},
};
