import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { LIMIT, upToLower } from '../../../helpers/limits';
import { charCount } from '../../../helpers/validation';
import { bodyComponent, bodyExampleCount, bodyFromForm } from '../parts/body';
import {
	BUTTON_TEXT_DESCRIPTION,
	BUTTON_URL_DESCRIPTION,
	buttonsComponents,
	urlButton,
} from '../parts/buttons';
import { CAROUSEL_LABELS, carouselComponent, type CardRules } from '../parts/carousel';
import { pendingSample } from '../parts/header';
import { count, type TemplateForm, type TemplateKind } from '../parts/types';
import { checkVariables } from '../parts/variables';

/**
 * The media card carousel: a message body above its cards (LIMIT.cardsMin to cardsMax), each
 * with an image or video header, an optional short body and a few quick-reply, URL or phone
 * buttons. A send fills every card it was created with.
 */

/** Its fields show for a Marketing template of this Template Type, defined with the form. */
const shown = {
	definition: ['form'],
	category: ['MARKETING'],
	templateType: ['mediaCarousel'],
};

/** The fields of a card's button `n`. */
function cardButtonFields(n: number): INodeProperties[] {
	const type = `button${n}Type`;
	return [
		{
			displayName: `Button ${n} Phone Number`,
			name: `button${n}PhoneNumber`,
			type: 'string',
			default: '',
			placeholder: '+15550051310',
			displayOptions: { show: { [type]: ['PHONE_NUMBER'] } },
		},
		{
			displayName: `Button ${n} Text`,
			name: `button${n}Text`,
			type: 'string',
			default: '',
			description: BUTTON_TEXT_DESCRIPTION,
			displayOptions: { hide: { [type]: ['NONE'] } },
		},
		{
			displayName: `Button ${n} Type`,
			name: type,
			type: 'options',
			default: 'NONE',
			options: [
				{ name: 'None', value: 'NONE' },
				{ name: 'Phone Number', value: 'PHONE_NUMBER' },
				{ name: 'Quick Reply', value: 'QUICK_REPLY' },
				{ name: 'URL', value: 'URL' },
			],
		},
		{
			displayName: `Button ${n} URL`,
			name: `button${n}Url`,
			type: 'string',
			default: '',
			placeholder: 'https://example.com/products/{{1}}',
			description: BUTTON_URL_DESCRIPTION,
			displayOptions: { show: { [type]: ['URL'] } },
		},
		{
			displayName: `Button ${n} URL Example`,
			name: `button${n}UrlExample`,
			type: 'string',
			default: '',
			description: 'Sample value of the URL variable',
			displayOptions: { show: { [type]: ['URL'] } },
		},
	];
}

/** A card's buttons, numbered as the form numbers them. */
const CARD_BUTTONS = Array.from({ length: LIMIT.templateCardButtons }, (_, b) => b + 1);

const fields: INodeProperties[] = [
	{
		displayName: 'Card Header',
		name: 'cardHeaderFormat',
		type: 'options',
		default: 'IMAGE',
		options: [
			{ name: 'Image', value: 'IMAGE' },
			{ name: 'Video', value: 'VIDEO' },
		],
		description: 'Every card has a header of this kind; the file is chosen when sending',
		displayOptions: { show: shown },
	},
	{
		displayName: 'Cards',
		name: 'cards',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add card',
		description: `${LIMIT.cardsMin} to ${LIMIT.cardsMax} cards, each sent every time. Every card has the same parts: a body on all or none, and the same buttons in the same order.`,
		displayOptions: { show: shown },
		options: [
			{
				displayName: 'Card',
				name: 'card',
				values: [
					{
						displayName: 'Body',
						name: 'bodyText',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						placeholder: 'Echeveria, only {{1}} this week',
						description: `Optional, ${upToLower(LIMIT.cardBody)}; variables as in the message body`,
					},
					{
						displayName: 'Body Examples',
						name: 'bodyExamples',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						description: 'One sample value per card body variable, one per line',
					},
					...CARD_BUTTONS.flatMap(cardButtonFields),
					{
						displayName: 'Header Sample File',
						name: 'headerBinaryProperty',
						type: 'string',
						default: 'data',
						hint: "Input binary field with this card's sample image (JPEG, PNG) or video (MP4) for Meta's review; needs the App ID in the credential",
					},
				],
			},
		],
	},
];

/** A card's button `n` from its fields; none when its type is None. */
function cardButton(n: number, card: IDataObject, s: (key: string, label: string) => string) {
	const type = String(card[`button${n}Type`] ?? 'NONE');
	const text = s(`button${n}Text`, `Button ${n} > Text`).trim();
	if (type === 'QUICK_REPLY') return [{ type, text }];
	if (type === 'URL')
		return [
			urlButton(
				text,
				s(`button${n}Url`, `Button ${n} > URL`).trim(),
				s(`button${n}UrlExample`, `Button ${n} > URL Example`).trim(),
			),
		];
	if (type === 'PHONE_NUMBER')
		return [
			{ type, text, phone_number: s(`button${n}PhoneNumber`, `Button ${n} > Phone Number`).trim() },
		];
	return [];
}

/** The cards of the form: each with the one header format, its body if any, its buttons. */
function cardsFromForm(form: TemplateForm): IDataObject[] {
	const format = form.text('cardHeaderFormat') || 'IMAGE';
	const cards = form.fns.getNodeParameter('cards.card', form.i, []) as IDataObject[];
	return cards.map((card, ci) => {
		const s = (key: string, label: string) =>
			form.entryText(card[key], `Card ${ci + 1} > ${label}`);
		const components: IDataObject[] = [{ type: 'HEADER', format, example: pendingSample() }];
		const body = s('bodyText', 'Body');
		if (body.trim())
			components.push(bodyComponent(body, s('bodyExamples', 'Body Examples'), form.named));
		components.push(...buttonsComponents(CARD_BUTTONS.flatMap((n) => cardButton(n, card, s))));
		return { components };
	});
}

/** Meta's rules for media cards. */
const cards: CardRules = {
	name: 'media',
	cardCount: (n) =>
		n < LIMIT.cardsMin || n > LIMIT.cardsMax
			? `are ${n}; a carousel has ${LIMIT.cardsMin} to ${LIMIT.cardsMax} cards (and is always sent with as many as it was created with)`
			: undefined,
	header: { formats: ['IMAGE', 'VIDEO'], rule: 'a card header is an IMAGE or VIDEO', sample: true },
	body: (c, at, check) => {
		const value = String(c.text ?? '');
		if (!charCount(value.trim())) check.issue(at('body', 'text'), 'is empty; it needs a value');
		else if (charCount(value) > LIMIT.cardBody)
			check.issue(
				at('body', 'text'),
				`is too long: ${count(charCount(value))} characters (WhatsApp allows at most ${LIMIT.cardBody} in a card)`,
			);
		checkVariables(value, bodyExampleCount(c, check.named), at('body', 'text'), check);
	},
	buttons: {
		types: ['QUICK_REPLY', 'URL', 'PHONE_NUMBER'],
		names: 'quick reply, URL or phone number',
		count: (n) =>
			n > LIMIT.templateCardButtons
				? `are ${n}; a card has at most ${LIMIT.templateCardButtons}`
				: undefined,
	},
};

export const mediaCarousel: TemplateKind & { cards: CardRules } = {
	fields,
	fromForm: (form) => [bodyFromForm(form), carouselComponent(cardsFromForm(form))],
	labels: CAROUSEL_LABELS,
	templateType: {
		name: 'Media Card Carousel',
		value: 'mediaCarousel',
		description: `A message body and ${LIMIT.cardsMin} to ${LIMIT.cardsMax} cards with an image or video, text and buttons`,
	},
	cards,
};
