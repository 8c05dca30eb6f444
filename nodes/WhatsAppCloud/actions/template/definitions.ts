import type { IDataObject } from 'n8n-workflow';

import { hasEmoji, templateParameterProblem } from '../../helpers/validation';

/**
 * Templates: from a template's definition (as Meta returns it) to the variables a user fills, and
 * from those values to the `components` of a send. Pure functions, no I/O.
 */

export type TemplateButton = {
	type: string;
	text?: string;
	url?: string;
	example?: string | string[];
	otp_type?: string;
	phone_number?: string;
	flow_id?: string;
	flow_name?: string;
	flow_action?: string;
	navigate_screen?: string;
};

export type TemplateComponent = {
	type: string;
	format?: string;
	text?: string;
	example?: {
		header_text?: string[];
		header_text_named_params?: Array<{ param_name: string; example: string }>;
		header_handle?: string[];
		body_text?: string[][];
		body_text_named_params?: Array<{ param_name: string; example: string }>;
	};
	buttons?: TemplateButton[];
	add_security_recommendation?: boolean;
	/** A carousel's cards, each with its own header, body and buttons. */
	cards?: Array<{ components?: TemplateComponent[] }>;
};

export type TemplateDefinition = {
	id: string;
	name: string;
	language: string;
	status?: string;
	category?: string;
	parameter_format?: string;
	components?: TemplateComponent[];
};

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
	 *   `button_<index>_data` for the Flow button's data;
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

const PLACEHOLDER = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;

function placeholders(text: string | undefined): string[] {
	const found: string[] = [];
	for (const match of (text ?? '').matchAll(PLACEHOLDER))
		if (!found.includes(match[1])) found.push(match[1]);
	return found;
}

const upper = (s: string | undefined) => String(s ?? '').toUpperCase();

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

const buttonExample = (button: TemplateButton) =>
	Array.isArray(button.example) ? button.example[0] : button.example;

/** Product carousels are created with two cards and sent with up to this many. */
export const MAX_PRODUCT_CARDS = 10;

/** The carousel component of a template, if it has one. */
export const carouselOf = (template: TemplateDefinition) =>
	(template.components ?? []).find((c) => upper(c.type) === 'CAROUSEL');

const isProductCarousel = (carousel: TemplateComponent) =>
	upper((carousel.cards?.[0]?.components ?? []).find((c) => upper(c.type) === 'HEADER')?.format) ===
	'PRODUCT';

/**
 * The buttons that carry an authentication template's code: Meta stores the copy-code, one-tap and
 * zero-tap buttons as URL buttons ending in the code; a template read before that may say OTP.
 */
const isCodeButton = (button: TemplateButton) =>
	upper(button.type) === 'OTP' ||
	(upper(button.type) === 'URL' && placeholders(button.url).length > 0);

/** The variables of one carousel card (number `n`, from 1), from that card's components. */
function cardVariables(
	components: TemplateComponent[],
	n: number,
	product: boolean,
	optionalCard: boolean,
): TemplateVariable[] {
	const vars: TemplateVariable[] = [];
	const card = `Card ${n}`;
	for (const component of components) {
		const type = upper(component.type);
		if (type === 'HEADER' && product) {
			vars.push({
				id: `card_${n}_product`,
				label: `${card} product ID`,
				required: !optionalCard,
				kind: 'cardProduct',
				card: n,
				optionalCard,
			});
		} else if (type === 'HEADER') {
			const format = upper(component.format);
			vars.push({
				id: `card_${n}_header_media`,
				label: `${card} ${format.toLowerCase()}`,
				required: true,
				kind: 'cardMedia',
				format,
				card: n,
			});
		} else if (type === 'BODY') {
			placeholders(component.text).forEach((name, position) => {
				const example = exampleFor(component, name, position, 'body');
				vars.push({
					id: `card_${n}_body_${name}`,
					label: withExample(`${card} body {{${name}}}`, example),
					required: true,
					kind: 'cardBody',
					parameter: name,
					example,
					card: n,
				});
			});
		} else if (type === 'BUTTONS') {
			(component.buttons ?? []).forEach((button, index) => {
				const bt = upper(button.type);
				const example = buttonExample(button);
				if (bt === 'URL' && placeholders(button.url).length)
					vars.push({
						id: `card_${n}_button_${index}`,
						label: withExample(`${card} button ${index + 1} URL end`, example),
						required: !optionalCard,
						kind: 'cardButtonUrl',
						index,
						example,
						card: n,
						optionalCard,
					});
				else if (bt === 'QUICK_REPLY')
					vars.push({
						id: `card_${n}_button_${index}`,
						label: `${card} button ${index + 1} payload`,
						required: false,
						kind: 'cardButtonPayload',
						index,
						card: n,
						optionalCard,
						buttonText: button.text,
					});
			});
		}
	}
	return vars;
}

/** The variables of a carousel: per card; product cards 1 to 10 with one catalog for all. */
function carouselVariables(carousel: TemplateComponent): TemplateVariable[] {
	const cards = carousel.cards ?? [];
	if (!isProductCarousel(carousel))
		return cards.flatMap((card, c) => cardVariables(card.components ?? [], c + 1, false, false));
	const vars: TemplateVariable[] = [
		{ id: 'catalog_id', label: 'Catalog ID (all cards)', required: true, kind: 'catalogId' },
	];
	// every product card has the same components, so cards beyond the created ones repeat the last
	for (let n = 1; n <= MAX_PRODUCT_CARDS; n++) {
		const card = cards[Math.min(n, cards.length) - 1];
		vars.push(...cardVariables(card?.components ?? [], n, true, n > cards.length));
	}
	return vars;
}

/** The variables of a template, in the order a user reads it: header, body, buttons, cards. */
export function templateVariables(template: TemplateDefinition): TemplateVariable[] {
	const vars: TemplateVariable[] = [];
	const components = template.components ?? [];
	const isAuth = upper(template.category) === 'AUTHENTICATION';
	for (const component of components) {
		const type = upper(component.type);
		if (type === 'HEADER') {
			const format = upper(component.format || 'TEXT');
			if (format === 'TEXT') {
				placeholders(component.text).forEach((name, position) => {
					const example = exampleFor(component, name, position, 'header');
					vars.push({
						id: `header_${name}`,
						label: withExample(`Header {{${name}}}`, example),
						required: true,
						kind: 'headerText',
						parameter: name,
						example,
					});
				});
			} else if (['IMAGE', 'VIDEO', 'DOCUMENT'].includes(format)) {
				const kind = format.toLowerCase();
				vars.push({
					id: 'header_media',
					label: `Header ${kind}`,
					required: true,
					kind: 'headerMedia',
					format,
				});
			} else if (format === 'LOCATION') {
				vars.push({
					id: 'header_latitude',
					label: 'Header latitude',
					required: true,
					kind: 'headerLatitude',
				});
				vars.push({
					id: 'header_longitude',
					label: 'Header longitude',
					required: true,
					kind: 'headerLongitude',
				});
				vars.push({
					id: 'header_name',
					label: 'Header place name',
					required: true,
					kind: 'headerLocationName',
				});
				vars.push({
					id: 'header_address',
					label: 'Header address',
					required: true,
					kind: 'headerLocationAddress',
				});
			}
		} else if (type === 'BODY' && isAuth) {
			// an authentication template has one value, its code: in the body and in the code button
			if (!vars.some((v) => v.kind === 'authCode'))
				vars.push({
					id: 'body_1',
					label: 'Code',
					required: true,
					kind: 'authCode',
					parameter: '1',
				});
		} else if (type === 'BODY') {
			placeholders(component.text).forEach((name, position) => {
				const example = exampleFor(component, name, position, 'body');
				vars.push({
					id: `body_${name}`,
					label: withExample(`Body {{${name}}}`, example),
					required: true,
					kind: 'body',
					parameter: name,
					example,
				});
			});
		} else if (type === 'CAROUSEL') {
			vars.push(...carouselVariables(component));
		} else if (type === 'BUTTONS' && !isAuth) {
			(component.buttons ?? []).forEach((button, index) => {
				const bt = upper(button.type);
				const example = buttonExample(button);
				// numbered from 1 as the customer sees the buttons; the field id keeps Meta's index
				const name = `Button ${index + 1}`;
				if (bt === 'URL' && placeholders(button.url).length) {
					vars.push({
						id: `button_${index}`,
						label: withExample(`${name} URL end`, example),
						required: true,
						kind: 'buttonUrl',
						index,
						example,
					});
				} else if (bt === 'QUICK_REPLY') {
					vars.push({
						id: `button_${index}`,
						label: `${name} reply payload`,
						required: false,
						kind: 'buttonPayload',
						index,
					});
				} else if (bt === 'COPY_CODE') {
					vars.push({
						id: `button_${index}`,
						label: withExample(`${name} coupon code`, example),
						required: true,
						kind: 'buttonCoupon',
						index,
						example,
					});
				} else if (bt === 'FLOW') {
					vars.push({
						id: `button_${index}`,
						label: `${name} flow token`,
						required: false,
						kind: 'flowToken',
						index,
					});
					vars.push({
						id: `button_${index}_data`,
						label: `${name} flow data (JSON)`,
						required: false,
						kind: 'flowData',
						index,
					});
				}
			});
		}
	}
	// an authentication template always has its code, even if read without a body
	if (isAuth && !vars.some((v) => v.kind === 'authCode'))
		vars.push({ id: 'body_1', label: 'Code', required: true, kind: 'authCode', parameter: '1' });
	return vars;
}

export type TemplateProblem = {
	variable: TemplateVariable | undefined;
	field: string;
	message: string;
};

/** A header file to upload before sending: for the template's header, or a card's. */
export type TemplateUpload = {
	/** The item's binary property holding the file. */
	property: string;
	/** IMAGE, VIDEO or DOCUMENT. */
	format: string;
	variable: TemplateVariable;
	/** The carousel card's `card_index` (from 0); none for the template's own header. */
	cardIndex?: number;
};

export type BuiltTemplate = {
	template: IDataObject;
	/** Header files to upload before sending, each placed with `placeUploadedMedia`. */
	uploads: TemplateUpload[];
	problems: TemplateProblem[];
};

const chars = (s: string) => [...s].length;

/** Percent-encodes what a URL may not hold (spaces, accents, |), leaving existing %xx escapes. */
export function encodeUrlSuffix(suffix: string): string {
	return suffix.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?#%]/g, (c) => encodeURIComponent(c));
}

/** Puts an uploaded file (`{ id, filename? }`) where the send's header, or card header, expects it. */
export function placeUploadedMedia(
	template: IDataObject,
	upload: TemplateUpload,
	media: IDataObject,
): void {
	const components = (template.components ?? []) as IDataObject[];
	const holder =
		upload.cardIndex === undefined
			? components
			: ((
					((components.find((c) => c.type === 'carousel')?.cards ?? []) as IDataObject[]).find(
						(card) => card.card_index === upload.cardIndex,
					) ?? {}
				).components as IDataObject[]);
	const header = holder.find((c) => c.type === 'header')!;
	const kind = upload.format.toLowerCase();
	header.parameters = [{ type: kind, [kind]: media }];
}

/** A media header parameter from a link, a media ID or `binary:<field>` (uploaded before sending). */
function mediaParameter(
	v: TemplateVariable,
	raw: string,
	problem: (message: string) => void,
	uploads: TemplateUpload[],
	cardIndex?: number,
): IDataObject {
	const kind = String(v.format).toLowerCase();
	let ref: IDataObject = {};
	if (/^binary:/i.test(raw)) {
		uploads.push({
			property: raw.slice(7).trim() || 'data',
			format: v.format!,
			variable: v,
			...(cardIndex !== undefined ? { cardIndex } : {}),
		});
		ref = { id: 'pending-upload' };
	} else if (/^https:\/\//i.test(raw)) {
		ref = { link: raw };
	} else if (/^\d+$/.test(raw)) {
		ref = { id: raw };
	} else if (raw) {
		problem(
			'must be an https:// link, a media ID (digits), or binary: followed by the name of a binary field of this item (e.g. binary:data) to upload that file',
		);
	}
	return { type: kind, [kind]: ref };
}

/** A Flow button's data: a JSON object, given as an object or as JSON text. */
function flowData(raw: unknown): IDataObject | string | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	let value = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch {
			return 'is not valid JSON: give an object such as {"name": "Ana"}';
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		return 'must be a JSON object such as {"name": "Ana"}';
	return value as IDataObject;
}

/** A link: a scheme's `://` or a `www.` host (fixed strings, so the test is linear). */
const LINK = /:\/\/|www\./i;

/**
 * Builds the `template` object of a send from a definition and the values of one item, checking
 * each value against the template and Meta's limits. Problems are returned, not thrown, so the
 * caller can name the item.
 */
export function buildTemplateMessage(
	template: TemplateDefinition,
	values: Record<string, unknown>,
): BuiltTemplate {
	const vars = templateVariables(template);
	const problems: TemplateProblem[] = [];
	const named = upper(template.parameter_format) === 'NAMED';
	const isAuth = upper(template.category) === 'AUTHENTICATION';
	const isText = (raw: unknown) =>
		raw === undefined ||
		raw === null ||
		['string', 'number', 'boolean', 'bigint'].includes(typeof raw);
	const value = (v: TemplateVariable) => {
		const raw = values[v.id];
		return raw === undefined || raw === null || !isText(raw) ? '' : String(raw).trim();
	};
	const problem = (v: TemplateVariable, message: string) =>
		problems.push({ variable: v, field: v.id, message });

	// product cards beyond the first two are sent when their product is given, in order
	const productCards = vars.filter((v) => v.kind === 'cardProduct');
	const sentProductCards = productCards.filter((v) => !v.optionalCard || value(v)).length;
	const cardIsSent = (n: number | undefined) =>
		n === undefined || !productCards.length || n <= sentProductCards;
	for (const v of productCards.filter((p) => p.optionalCard && !value(p)))
		if (productCards.some((later) => (later.card ?? 0) > (v.card ?? 0) && value(later)))
			problem(
				v,
				'is empty, but a later card has a product: fill the product cards in order, without gaps',
			);

	for (const v of vars) {
		const raw = values[v.id];
		const sent = cardIsSent(v.card);
		if (v.kind === 'flowData') {
			const data = flowData(raw);
			if (typeof data === 'string') problem(v, data);
		} else if (!isText(raw)) {
			// sent as it is, the customer would read "[object Object]" or "a,b"
			problem(
				v,
				`must be text, but its expression gave ${Array.isArray(raw) ? 'a list' : 'an object'} (${JSON.stringify(raw)?.slice(0, 60)}); use one field of it, or JSON.stringify(…) / .join(', ')`,
			);
		} else if (
			sent &&
			!value(v) &&
			(v.required || (v.optionalCard && v.kind === 'cardButtonUrl'))
		) {
			problem(v, 'is empty; the template needs a value');
		} else if (['headerText', 'body', 'authCode', 'cardBody'].includes(v.kind)) {
			const whitespace = templateParameterProblem(value(v));
			if (whitespace) problem(v, whitespace);
		}
	}
	const known = new Set(vars.map((v) => v.id));
	const carousel = carouselOf(template);
	const cardCount = carousel?.cards?.length ?? 0;
	// before the one Code field, an authentication template had a field for its code button
	const codeButtons = isAuth
		? (template.components ?? [])
				.filter((c) => upper(c.type) === 'BUTTONS')
				.flatMap((c) => c.buttons ?? [])
				.map((b, index) => (isCodeButton(b) ? `button_${index}` : ''))
				.filter(Boolean)
		: [];
	for (const key of Object.keys(values)) {
		const given = values[key];
		if (known.has(key) || given === undefined || given === null || String(given) === '') continue;
		const card = /^card_(\d+)_/.exec(key);
		if (codeButtons.includes(key)) {
			if (String(given).trim() !== value(vars.find((v) => v.kind === 'authCode')!))
				problems.push({
					variable: undefined,
					field: key,
					message:
						'is no longer filled separately: the field "Code" fills the body and the code button; clear this one (refresh the template\'s variables in the node)',
				});
		} else if (card && carousel && !isProductCarousel(carousel)) {
			problems.push({
				variable: undefined,
				field: key,
				message: `is for card ${card[1]}, but template "${template.name}" has ${cardCount} cards: WhatsApp refuses a carousel sent with another number of cards than it was approved with (error 132012); refresh the template's variables in the node`,
			});
		} else {
			problems.push({
				variable: undefined,
				field: key,
				message: `is not a variable of template "${template.name}"; refresh the template's variables in the node`,
			});
		}
	}

	const components: IDataObject[] = [];
	const uploads: TemplateUpload[] = [];
	const hasOtherComponents = (template.components ?? []).some((c) => upper(c.type) !== 'BODY');
	const textParameter = (v: TemplateVariable) => ({
		type: 'text',
		text: value(v),
		...(named ? { parameter_name: v.parameter } : {}),
	});

	const headerText = vars.filter((v) => v.kind === 'headerText');
	if (headerText.length) {
		components.push({
			type: 'header',
			parameters: headerText.map((v) => {
				if (chars(value(v)) > 60)
					problem(
						v,
						`is too long: ${chars(value(v))} characters (a header variable may have at most 60)`,
					);
				return textParameter(v);
			}),
		});
	}
	const media = vars.find((v) => v.kind === 'headerMedia');
	if (media) {
		components.push({
			type: 'header',
			parameters: [mediaParameter(media, value(media), (m) => problem(media, m), uploads)],
		});
	}
	const location = vars.filter((v) => v.kind.startsWith('headerL'));
	if (location.length) {
		const get = (kind: VariableKind) => value(location.find((v) => v.kind === kind)!);
		const lat = Number(get('headerLatitude'));
		const lng = Number(get('headerLongitude'));
		const latVar = location.find((v) => v.kind === 'headerLatitude')!;
		const lngVar = location.find((v) => v.kind === 'headerLongitude')!;
		if (get('headerLatitude') && !(lat >= -90 && lat <= 90))
			problem(latVar, 'must be a number from -90 to 90');
		if (get('headerLongitude') && !(lng >= -180 && lng <= 180))
			problem(lngVar, 'must be a number from -180 to 180');
		components.push({
			type: 'header',
			parameters: [
				{
					type: 'location',
					location: {
						latitude: get('headerLatitude'),
						longitude: get('headerLongitude'),
						name: get('headerLocationName'),
						address: get('headerLocationAddress'),
					},
				},
			],
		});
	}

	const body = vars.filter((v) => v.kind === 'body');
	if (body.length) {
		const max = hasOtherComponents ? 1024 : 32768;
		components.push({
			type: 'body',
			parameters: body.map((v) => {
				if (chars(value(v)) > max)
					problem(
						v,
						`is too long: ${chars(value(v))} characters (at most ${max.toLocaleString('en-US')})`,
					);
				return textParameter(v);
			}),
		});
	}

	const code = vars.find((v) => v.kind === 'authCode');
	if (code) {
		// Meta: at most 15 characters, and no link, media or emoji (the field is text: no media)
		if (chars(value(code)) > 15)
			problem(
				code,
				`is too long: ${chars(value(code))} characters (an authentication code may have at most 15)`,
			);
		else if (hasEmoji(value(code)))
			problem(code, 'contains an emoji, which WhatsApp does not allow in an authentication code');
		else if (LINK.test(value(code)))
			problem(code, 'contains a link, which WhatsApp does not allow in an authentication code');
		// the code goes into the body and, again, into each code button (copy code, one tap, zero tap)
		components.push({ type: 'body', parameters: [{ type: 'text', text: value(code) }] });
		(template.components ?? [])
			.filter((c) => upper(c.type) === 'BUTTONS')
			.flatMap((c) => c.buttons ?? [])
			.forEach((button, index) => {
				if (isCodeButton(button))
					components.push({
						type: 'button',
						sub_type: 'url',
						index: String(index),
						parameters: [{ type: 'text', text: value(code) }],
					});
			});
	}

	for (const v of vars.filter((b) => b.kind.startsWith('button') && b.card === undefined)) {
		const index = String(v.index);
		if (v.kind === 'buttonUrl') {
			components.push({
				type: 'button',
				sub_type: 'url',
				index,
				parameters: [{ type: 'text', text: encodeUrlSuffix(value(v)) }],
			});
		} else if (v.kind === 'buttonPayload') {
			if (value(v))
				components.push({
					type: 'button',
					sub_type: 'quick_reply',
					index,
					parameters: [{ type: 'payload', payload: value(v) }],
				});
		} else if (v.kind === 'buttonCoupon') {
			if (chars(value(v)) > 15)
				problem(
					v,
					`is too long: ${chars(value(v))} characters (a coupon code may have at most 15)`,
				);
			components.push({
				type: 'button',
				sub_type: 'copy_code',
				index,
				parameters: [{ type: 'coupon_code', coupon_code: value(v) }],
			});
		}
	}

	// a Flow button: its token and data are both optional; with neither, the button needs no component
	for (const token of vars.filter((v) => v.kind === 'flowToken')) {
		const dataVar = vars.find((v) => v.kind === 'flowData' && v.index === token.index)!;
		const data = flowData(values[dataVar.id]);
		const action: IDataObject = {
			...(value(token) ? { flow_token: value(token) } : {}),
			...(typeof data === 'object' && Object.keys(data).length ? { flow_action_data: data } : {}),
		};
		if (Object.keys(action).length)
			components.push({
				type: 'button',
				sub_type: 'flow',
				index: String(token.index),
				parameters: [{ type: 'action', action }],
			});
	}

	if (carousel) {
		const catalog = vars.find((v) => v.kind === 'catalogId');
		const sentCards = catalog ? sentProductCards : cardCount;
		const cards: IDataObject[] = [];
		for (let n = 1; n <= sentCards; n++) {
			const mine = vars.filter((v) => v.card === n);
			const cardIndex = n - 1;
			const parts: IDataObject[] = [];
			const header = mine.find((v) => v.kind === 'cardMedia');
			if (header)
				parts.push({
					type: 'header',
					parameters: [
						mediaParameter(header, value(header), (m) => problem(header, m), uploads, cardIndex),
					],
				});
			const product = mine.find((v) => v.kind === 'cardProduct');
			if (product)
				parts.push({
					type: 'header',
					parameters: [
						{
							type: 'product',
							product: {
								product_retailer_id: value(product),
								catalog_id: catalog ? value(catalog) : '',
							},
						},
					],
				});
			const cardBody = mine.filter((v) => v.kind === 'cardBody');
			if (cardBody.length) parts.push({ type: 'body', parameters: cardBody.map(textParameter) });
			for (const b of mine.filter((v) => v.kind.startsWith('cardButton'))) {
				const index = String(b.index);
				if (b.kind === 'cardButtonUrl')
					parts.push({
						type: 'button',
						sub_type: 'url',
						index,
						parameters: [{ type: 'text', text: encodeUrlSuffix(value(b)) }],
					});
				else
					// Meta's carousel examples give every quick reply its component: without a payload of
					// its own, the button's label, which is also what a reply without payload reports
					parts.push({
						type: 'button',
						sub_type: 'quick_reply',
						index,
						parameters: [{ type: 'payload', payload: value(b) || String(b.buttonText ?? '') }],
					});
			}
			cards.push({ card_index: cardIndex, components: parts });
		}
		components.push({ type: 'carousel', cards });
	}

	return {
		template: {
			name: template.name,
			language: { code: template.language },
			...(components.length ? { components } : {}),
		},
		uploads,
		problems,
	};
}
