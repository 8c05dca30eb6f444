import { LIMIT } from '../../../helpers/limits';
import {
	isProductCarousel,
	placeholders,
	upper,
	type TemplateButton,
	type TemplateComponent,
	type TemplateDefinition,
} from '../definition';

/**
 * The variables a send of a template fills, read off its definition: Send Template's Template
 * Variables, Template > Get's `variables`, and the body of a window template.
 */

export type VariableKind =
	| 'headerText'
	| 'headerMedia'
	| 'headerLatitude'
	| 'headerLongitude'
	| 'headerLocationName'
	| 'headerLocationAddress'
	| 'body'
	| 'authCode'
	| 'buttonUrl'
	| 'buttonPayload'
	| 'buttonCoupon'
	| 'flowToken'
	| 'flowData'
	| 'callTtl'
	| 'callPayload'
	| 'catalogId'
	| 'cardMedia'
	| 'cardProduct'
	| 'cardBody'
	| 'cardButtonUrl'
	| 'cardButtonPayload';

export type TemplateVariable = {
	/**
	 * Field id in the resource mapper. Saved workflows refer to it, so it never changes:
	 * - `header_1` / `header_<name>`, `header_media`, `header_latitude` ... for the header;
	 * - `body_1`, `body_2` ... or `body_<name>` for the body (an authentication template's one
	 *   field, its code, is `body_1` too);
	 * - `button_<index>` for the button at that index (0-based, as Meta numbers buttons): URL
	 *   suffix, quick-reply payload, coupon code, or a Flow button's token, with
	 *   `button_<index>_data` for the Flow button's data; a voice call button's minutes, with
	 *   `button_<index>_payload` for its payload;
	 * - carousels: `card_<n>_…` for card n (1-based, as the editor shows cards), with the same
	 *   suffixes as above: `card_<n>_header_media`, `card_<n>_body_<name>`,
	 *   `card_<n>_button_<index>` (index within the card), and `card_<n>_product` for a product
	 *   card's product, with one `catalog_id` for all product cards.
	 */
	id: string;
	label: string;
	required: boolean;
	kind: VariableKind;
	/** The placeholder's name for named parameters, its number for positional ones. */
	parameter?: string;
	/** Button index within the template's (or the card's) buttons. */
	index?: number;
	/** Header media format: IMAGE, VIDEO or DOCUMENT. */
	format?: string;
	/** Meta's sample value, shown to the user. */
	example?: string;
	/** Carousel card number, from 1. */
	card?: number;
	/** A product card beyond the ones the template was created with: sent only when filled. */
	optionalCard?: boolean;
	/** A quick-reply button's label: a card's default payload. */
	buttonText?: string;
};

/**
 * About this many characters of a Template Variables label show in n8n's panel at its default
 * width; a longer label is cut off, and the cut falls on the sample, the useful part.
 */
export const LABEL_WIDTH = 28;

/**
 * A label with the template's sample value when the two fit in LABEL_WIDTH; otherwise the label
 * alone (a sample cut short would mislead). Template > Get lists every sample in full.
 */
const withExample = (label: string, example?: string) => {
	const withSample = `${label} e.g. ${example ?? ''}`;
	return example && withSample.length <= LABEL_WIDTH ? withSample : label;
};

function exampleFor(
	component: TemplateComponent,
	name: string,
	position: number,
	where: 'header' | 'body',
): string | undefined {
	const ex = component.example ?? {};
	const named = where === 'header' ? ex.header_text_named_params : ex.body_text_named_params;
	const fromNamed = named?.find((p) => p.param_name === name)?.example;
	if (fromNamed !== undefined) return fromNamed;
	return where === 'header' ? ex.header_text?.[position] : ex.body_text?.[0]?.[position];
}

const buttonExample = (button: TemplateButton) =>
	Array.isArray(button.example) ? button.example[0] : button.example;

/**
 * Where a variable sits: in the message itself, or on carousel card `card`. A card's variables
 * are the message's with `card_<n>_` before the id, "Card n" in the label and a kind of their own.
 */
type Place = {
	id: string;
	card?: number;
	/** A product card beyond the created ones: its product, URL and payload are not required. */
	optionalCard?: boolean;
	/** How the labels of the header, the body and a button start. */
	header: string;
	body: string;
	button: (index: number) => string;
	/** What a quick reply's value is called. */
	payload: string;
	kinds: { media: VariableKind; body: VariableKind; url: VariableKind; payload: VariableKind };
};

const MESSAGE: Place = {
	id: '',
	header: 'Header',
	body: 'Body',
	// numbered from 1 as the customer sees the buttons; the field id keeps Meta's index
	button: (index) => `Button ${index + 1}`,
	payload: 'reply payload',
	kinds: { media: 'headerMedia', body: 'body', url: 'buttonUrl', payload: 'buttonPayload' },
};

const cardPlace = (n: number, optionalCard: boolean): Place => ({
	id: `card_${n}_`,
	card: n,
	optionalCard,
	header: `Card ${n}`,
	body: `Card ${n} body`,
	button: (index) => `Card ${n} button ${index + 1}`,
	payload: 'payload',
	kinds: {
		media: 'cardMedia',
		body: 'cardBody',
		url: 'cardButtonUrl',
		payload: 'cardButtonPayload',
	},
});

const onCard = (place: Place) => (place.card === undefined ? {} : { card: place.card });

/** A media header's one variable: the file, by link, media ID or binary field. */
const mediaVariable = (format: string, place: Place): TemplateVariable => ({
	id: `${place.id}header_media`,
	label: `${place.header} ${format.toLowerCase()}`,
	required: true,
	kind: place.kinds.media,
	format,
	...onCard(place),
});

/** The message header's variables, by its format. */
const HEADER_VARIABLES: Record<
	string,
	(c: TemplateComponent, format: string) => TemplateVariable[]
> = {
	TEXT: (c) =>
		placeholders(c.text).map((name, position) => {
			const example = exampleFor(c, name, position, 'header');
			return {
				id: `header_${name}`,
				label: withExample(`Header {{${name}}}`, example),
				required: true,
				kind: 'headerText',
				parameter: name,
				example,
			};
		}),
	IMAGE: (_c, format) => [mediaVariable(format, MESSAGE)],
	VIDEO: (_c, format) => [mediaVariable(format, MESSAGE)],
	DOCUMENT: (_c, format) => [mediaVariable(format, MESSAGE)],
	LOCATION: () => [
		{ id: 'header_latitude', label: 'Header latitude', required: true, kind: 'headerLatitude' },
		{ id: 'header_longitude', label: 'Header longitude', required: true, kind: 'headerLongitude' },
		{ id: 'header_name', label: 'Header place name', required: true, kind: 'headerLocationName' },
		{
			id: 'header_address',
			label: 'Header address',
			required: true,
			kind: 'headerLocationAddress',
		},
	],
};

/** A body's variables, one per placeholder, in the message or on a card. */
const bodyVariables = (c: TemplateComponent, place: Place): TemplateVariable[] =>
	placeholders(c.text).map((name, position) => {
		const example = exampleFor(c, name, position, 'body');
		return {
			id: `${place.id}body_${name}`,
			label: withExample(`${place.body} {{${name}}}`, example),
			required: true,
			kind: place.kinds.body,
			parameter: name,
			example,
			...onCard(place),
		};
	});

type ButtonVariables = (b: TemplateButton, index: number, place: Place) => TemplateVariable[];

/** A button's variables, by its type; `onCards`: a carousel card's button of that type has them too. */
const BUTTON_VARIABLES: Record<string, { onCards: boolean; variables: ButtonVariables }> = {
	URL: {
		onCards: true,
		variables: (b, index, place) => {
			if (!placeholders(b.url).length) return [];
			const example = buttonExample(b);
			return [
				{
					id: `${place.id}button_${index}`,
					label: withExample(`${place.button(index)} URL end`, example),
					required: !place.optionalCard,
					kind: place.kinds.url,
					index,
					example,
					...onCard(place),
					optionalCard: place.optionalCard,
				},
			];
		},
	},
	QUICK_REPLY: {
		onCards: true,
		variables: (b, index, place) => [
			{
				id: `${place.id}button_${index}`,
				label: `${place.button(index)} ${place.payload}`,
				required: false,
				kind: place.kinds.payload,
				index,
				...onCard(place),
				optionalCard: place.optionalCard,
				buttonText: b.text,
			},
		],
	},
	COPY_CODE: {
		onCards: false,
		variables: (b, index, place) => {
			const example = buttonExample(b);
			return [
				{
					id: `button_${index}`,
					label: withExample(`${place.button(index)} coupon code`, example),
					required: true,
					kind: 'buttonCoupon',
					index,
					example,
				},
			];
		},
	},
	FLOW: {
		onCards: false,
		variables: (_b, index, place) => [
			{
				id: `button_${index}`,
				label: `${place.button(index)} flow token`,
				required: false,
				kind: 'flowToken',
				index,
			},
			{
				id: `button_${index}_data`,
				label: `${place.button(index)} flow data (JSON)`,
				required: false,
				kind: 'flowData',
				index,
			},
		],
	},
	// a WhatsApp call button: how long it can be tapped, and what the call's webhooks bring back;
	// both optional (the template's own minutes, or WhatsApp's 7 days, and no payload)
	VOICE_CALL: {
		onCards: false,
		variables: (_b, index, place) => [
			{
				id: `button_${index}`,
				label: `${place.button(index)} call minutes`,
				required: false,
				kind: 'callTtl',
				index,
			},
			{
				id: `button_${index}_payload`,
				label: `${place.button(index)} call payload`,
				required: false,
				kind: 'callPayload',
				index,
			},
		],
	},
};

const buttonVariables = (c: TemplateComponent, place: Place): TemplateVariable[] =>
	(c.buttons ?? []).flatMap((button, index) => {
		const row = BUTTON_VARIABLES[upper(button.type)];
		return row && (row.onCards || place.card === undefined)
			? row.variables(button, index, place)
			: [];
	});

/** An authentication template's one value, its code: in the body and in the code button. */
const codeVariable = (): TemplateVariable => ({
	id: 'body_1',
	label: 'Code',
	required: true,
	kind: 'authCode',
	parameter: '1',
});

/** The variables of one carousel card, from that card's components. */
function cardVariables(
	components: TemplateComponent[],
	place: Place,
	product: boolean,
): TemplateVariable[] {
	const vars: TemplateVariable[] = [];
	for (const component of components) {
		const type = upper(component.type);
		if (type === 'HEADER' && product)
			vars.push({
				id: `${place.id}product`,
				label: `${place.header} product ID`,
				required: !place.optionalCard,
				kind: 'cardProduct',
				card: place.card,
				optionalCard: place.optionalCard,
			});
		else if (type === 'HEADER') vars.push(mediaVariable(upper(component.format), place));
		else if (type === 'BODY') vars.push(...bodyVariables(component, place));
		else if (type === 'BUTTONS') vars.push(...buttonVariables(component, place));
	}
	return vars;
}

/** The variables of a carousel: per card; every product card a send may fill, with one catalog. */
function carouselVariables(carousel: TemplateComponent): TemplateVariable[] {
	const cards = carousel.cards ?? [];
	if (!isProductCarousel(carousel))
		return cards.flatMap((card, c) =>
			cardVariables(card.components ?? [], cardPlace(c + 1, false), false),
		);
	const vars: TemplateVariable[] = [
		{ id: 'catalog_id', label: 'Catalog ID (all cards)', required: true, kind: 'catalogId' },
	];
	// every product card has the same components, so cards beyond the created ones repeat the last
	for (let n = 1; n <= LIMIT.cardsMax; n++) {
		const card = cards[Math.min(n, cards.length) - 1];
		vars.push(...cardVariables(card?.components ?? [], cardPlace(n, n > cards.length), true));
	}
	return vars;
}

/** The variables of a template, in the order a user reads it: header, body, buttons, cards. */
export function templateVariables(template: TemplateDefinition): TemplateVariable[] {
	const vars: TemplateVariable[] = [];
	const isAuth = upper(template.category) === 'AUTHENTICATION';
	const hasCode = () => vars.some((v) => v.kind === 'authCode');
	for (const component of template.components ?? []) {
		const type = upper(component.type);
		if (type === 'HEADER') {
			const format = upper(component.format || 'TEXT');
			vars.push(...(HEADER_VARIABLES[format]?.(component, format) ?? []));
		} else if (type === 'BODY' && isAuth) {
			if (!hasCode()) vars.push(codeVariable());
		} else if (type === 'BODY') {
			vars.push(...bodyVariables(component, MESSAGE));
		} else if (type === 'CAROUSEL') {
			vars.push(...carouselVariables(component));
		} else if (type === 'BUTTONS' && !isAuth) {
			vars.push(...buttonVariables(component, MESSAGE));
		}
	}
	// an authentication template always has its code, even if read without a body
	if (isAuth && !hasCode()) vars.push(codeVariable());
	return vars;
}
