import type { IDataObject } from 'n8n-workflow';

import { LIMIT } from '../../../helpers/limits';
import { hasEmoji, templateParameterProblem } from '../../../helpers/validation';
import {
	carouselOf,
	isCodeButton,
	isProductCarousel,
	upper,
	type TemplateComponent,
	type TemplateDefinition,
} from '../definition';
import {
	flowData,
	parameterOf,
	tooLong,
	VARIABLE_KINDS,
	type Sending,
	type TemplateUpload,
} from './parameters';
import { templateVariables, type TemplateVariable, type VariableKind } from './variables';

/**
 * The `template` object of a send, from a template's definition and the values of one item: each
 * value checked against the template and Meta's limits, then one small step per part of the send
 * (header, body, code, buttons, Flow buttons, cards). Pure functions, no I/O.
 */

export type { TemplateUpload } from './parameters';

export type TemplateProblem = {
	variable: TemplateVariable | undefined;
	field: string;
	message: string;
};

export type BuiltTemplate = {
	template: IDataObject;
	/** Header files to upload before sending, each placed with `placeUploadedMedia`. */
	uploads: TemplateUpload[];
	problems: TemplateProblem[];
};

/** One item's send being built: the template, its variables and values, and what was found. */
type Send = Sending & {
	template: TemplateDefinition;
	values: Record<string, unknown>;
	vars: TemplateVariable[];
	problems: TemplateProblem[];
	isAuth: boolean;
	carousel?: TemplateComponent;
	/** The product of each product card, and how many cards are sent: those beyond the created ones when filled. */
	productCards: TemplateVariable[];
	sentProductCards: number;
};

/** A link: a scheme's `://` or a `www.` host (fixed strings, so the test is linear). */
const LINK = /:\/\/|www\./i;

const isText = (raw: unknown) =>
	raw === undefined ||
	raw === null ||
	['string', 'number', 'boolean', 'bigint'].includes(typeof raw);

function startSend(template: TemplateDefinition, values: Record<string, unknown>): Send {
	const vars = templateVariables(template);
	const problems: TemplateProblem[] = [];
	const value = (v: TemplateVariable) => {
		const raw = values[v.id];
		return raw === undefined || raw === null || !isText(raw) ? '' : String(raw).trim();
	};
	const productCards = vars.filter((v) => v.kind === 'cardProduct');
	return {
		template,
		values,
		vars,
		problems,
		value,
		problem: (v, message) => problems.push({ variable: v, field: v.id, message }),
		uploads: [],
		named: upper(template.parameter_format) === 'NAMED',
		isAuth: upper(template.category) === 'AUTHENTICATION',
		carousel: carouselOf(template),
		// a body alone may be long; beside a header, buttons or cards it is held to the shorter limit
		bodyMax: (template.components ?? []).some((c) => upper(c.type) !== 'BODY')
			? LIMIT.bodyParameter
			: LIMIT.bodyParameterAlone,
		catalog: vars.find((v) => v.kind === 'catalogId'),
		productCards,
		sentProductCards: productCards.filter((v) => !v.optionalCard || value(v)).length,
	};
}

const ofKind = (vars: TemplateVariable[], kind: VariableKind) =>
	vars.filter((v) => v.kind === kind);

/** Whether card `n` is sent: every media card is; product cards as far as they are filled. */
const cardIsSent = (send: Send, n: number | undefined) =>
	n === undefined || !send.productCards.length || n <= send.sentProductCards;

/** Product cards beyond the created ones are sent when their product is given, in order. */
function checkProductCardOrder(send: Send): void {
	const { productCards, value } = send;
	for (const v of productCards.filter((p) => p.optionalCard && !value(p)))
		if (productCards.some((later) => (later.card ?? 0) > (v.card ?? 0) && value(later)))
			send.problem(
				v,
				'is empty, but a later card has a product: fill the product cards in order, without gaps',
			);
}

/** Each value: text (a Flow's data: JSON), given when needed, and a text parameter Meta takes. */
function checkValues(send: Send): void {
	for (const v of send.vars) {
		const raw = send.values[v.id];
		const row = VARIABLE_KINDS[v.kind];
		if (row.json) {
			const data = flowData(raw);
			if (typeof data === 'string') send.problem(v, data);
		} else if (!isText(raw)) {
			// sent as it is, the customer would read "[object Object]" or "a,b"
			send.problem(
				v,
				`must be text, but its expression gave ${Array.isArray(raw) ? 'a list' : 'an object'} (${JSON.stringify(raw)?.slice(0, 60)}); use one field of it, or JSON.stringify(…) / .join(', ')`,
			);
		} else if (
			cardIsSent(send, v.card) &&
			!send.value(v) &&
			(v.required || (v.optionalCard && row.neededOnSentCard))
		) {
			send.problem(v, 'is empty; the template needs a value');
		} else if (row.text) {
			const whitespace = templateParameterProblem(send.value(v));
			if (whitespace) send.problem(v, whitespace);
		}
	}
}

/** The code buttons of an authentication template, with their index among its buttons. */
const codeButtonIndexes = (template: TemplateDefinition) =>
	(template.components ?? [])
		.filter((c) => upper(c.type) === 'BUTTONS')
		.flatMap((c) => c.buttons ?? [])
		.flatMap((b, index) => (isCodeButton(b) ? [index] : []));

/** A given value for no variable of the template: a stale field, named with what to do. */
function checkUnknownFields(send: Send): void {
	const { template, values, vars, carousel } = send;
	const known = new Set(vars.map((v) => v.id));
	// before the one Code field, an authentication template had a field for its code button
	const codeButtons = send.isAuth
		? codeButtonIndexes(template).map((index) => `button_${index}`)
		: [];
	const stale = (field: string, message: string) =>
		send.problems.push({ variable: undefined, field, message });
	for (const key of Object.keys(values)) {
		const given = values[key];
		if (known.has(key) || given === undefined || given === null || String(given) === '') continue;
		const card = /^card_(\d+)_/.exec(key);
		if (codeButtons.includes(key)) {
			if (String(given).trim() !== send.value(vars.find((v) => v.kind === 'authCode')!))
				stale(
					key,
					'is no longer filled separately: the field "Code" fills the body and the code button; clear this one (refresh the template\'s variables in the node)',
				);
		} else if (card && carousel && !isProductCarousel(carousel)) {
			stale(
				key,
				`is for card ${card[1]}, but template "${template.name}" has ${carousel.cards?.length ?? 0} cards: WhatsApp refuses a carousel sent with another number of cards than it was approved with (error 132012); refresh the template's variables in the node`,
			);
		} else {
			stale(
				key,
				`is not a variable of template "${template.name}"; refresh the template's variables in the node`,
			);
		}
	}
}

/** One component of `type` with the parameters of `vars`, or none when there are none. */
const withParameters = (type: string, vars: TemplateVariable[], send: Send): IDataObject[] =>
	vars.length ? [{ type, parameters: vars.map((v) => parameterOf(v, send)) }] : [];

/** The first variable of a kind, as a list: a header has one file, one product. */
const firstOf = (vars: TemplateVariable[], kind: VariableKind) => ofKind(vars, kind).slice(0, 1);

/** A location header: its four values, the coordinates checked. */
function locationHeader(send: Send): IDataObject[] {
	const location = send.vars.filter((v) => v.kind.startsWith('headerL'));
	if (!location.length) return [];
	const find = (kind: VariableKind) => location.find((v) => v.kind === kind)!;
	const get = (kind: VariableKind) => send.value(find(kind));
	const lat = Number(get('headerLatitude'));
	const lng = Number(get('headerLongitude'));
	if (get('headerLatitude') && !(lat >= -90 && lat <= 90))
		send.problem(find('headerLatitude'), 'must be a number from -90 to 90');
	if (get('headerLongitude') && !(lng >= -180 && lng <= 180))
		send.problem(find('headerLongitude'), 'must be a number from -180 to 180');
	const parameter = {
		type: 'location',
		location: {
			latitude: get('headerLatitude'),
			longitude: get('headerLongitude'),
			name: get('headerLocationName'),
			address: get('headerLocationAddress'),
		},
	};
	return [{ type: 'header', parameters: [parameter] }];
}

/** The message's header: its text variables, or its file, or its location. */
const headerComponents = (send: Send) => [
	...withParameters('header', ofKind(send.vars, 'headerText'), send),
	...withParameters('header', firstOf(send.vars, 'headerMedia'), send),
	...locationHeader(send),
];

/** An authentication template's code: in the body and, again, in each code button. */
function codeComponents(send: Send): IDataObject[] {
	const code = send.vars.find((v) => v.kind === 'authCode');
	if (!code) return [];
	const text = send.value(code);
	// Meta allows no link, media or emoji in a code (the field is text: no media)
	if (!tooLong(code, send, LIMIT.authenticationCode, 'an authentication code')) {
		if (hasEmoji(text))
			send.problem(
				code,
				'contains an emoji, which WhatsApp does not allow in an authentication code',
			);
		else if (LINK.test(text))
			send.problem(
				code,
				'contains a link, which WhatsApp does not allow in an authentication code',
			);
	}
	const parameters = () => [{ type: 'text', text }];
	return [
		{ type: 'body', parameters: parameters() },
		...codeButtonIndexes(send.template).map((index) => ({
			type: 'button',
			sub_type: 'url',
			index: String(index),
			parameters: parameters(),
		})),
	];
}

/** A button's component, when its kind sends a parameter for it. */
function buttonComponents(vars: TemplateVariable[], send: Send): IDataObject[] {
	return vars.flatMap((v) => {
		const subType = VARIABLE_KINDS[v.kind].button;
		const parameter = subType && parameterOf(v, send);
		return parameter
			? [{ type: 'button', sub_type: subType, index: String(v.index), parameters: [parameter] }]
			: [];
	});
}

/** A Flow button: its token and data are both optional; with neither, it needs no component. */
function flowComponents(send: Send): IDataObject[] {
	return ofKind(send.vars, 'flowToken').flatMap((token) => {
		const dataVar = send.vars.find((v) => v.kind === 'flowData' && v.index === token.index)!;
		const data = flowData(send.values[dataVar.id]);
		const action: IDataObject = {
			...(send.value(token) ? { flow_token: send.value(token) } : {}),
			...(typeof data === 'object' && Object.keys(data).length ? { flow_action_data: data } : {}),
		};
		return Object.keys(action).length
			? [
					{
						type: 'button',
						sub_type: 'flow',
						index: String(token.index),
						parameters: [{ type: 'action', action }],
					},
				]
			: [];
	});
}

/**
 * A voice call button: its minutes (1 to 43,200 as sent) and payload (at most 512), both optional;
 * with neither, it needs no component. Meta's example sends the component without an `index`
 * (a template has one call button); whether Meta takes one is not known, so none is sent.
 */
function callComponents(send: Send): IDataObject[] {
	return ofKind(send.vars, 'callTtl').flatMap((ttlVar) => {
		const payloadVar = send.vars.find((v) => v.kind === 'callPayload' && v.index === ttlVar.index)!;
		const minutes = send.value(ttlVar);
		const payload = send.value(payloadVar);
		const ttl = Number(minutes);
		if (minutes && !(Number.isInteger(ttl) && ttl >= LIMIT.callTtlMin && ttl <= LIMIT.callTtlMax))
			send.problem(
				ttlVar,
				`must be a whole number of minutes from ${LIMIT.callTtlMin} to ${LIMIT.callTtlMax.toLocaleString('en-US')}, not ${JSON.stringify(minutes).slice(0, 40)}`,
			);
		if (payload) tooLong(payloadVar, send, LIMIT.callPayload, 'a call payload');
		const parameters: IDataObject[] = [
			...(minutes ? [{ type: 'ttl_minutes', ttl_minutes: ttl }] : []),
			...(payload ? [{ type: 'payload', payload }] : []),
		];
		return parameters.length ? [{ type: 'button', sub_type: 'voice_call', parameters }] : [];
	});
}

/** The cards of a carousel, each with its header (file or product), body and buttons. */
function carouselComponents(send: Send): IDataObject[] {
	if (!send.carousel) return [];
	const count = send.catalog ? send.sentProductCards : (send.carousel.cards?.length ?? 0);
	const cards: IDataObject[] = [];
	for (let n = 1; n <= count; n++) {
		const mine = send.vars.filter((v) => v.card === n);
		cards.push({
			card_index: n - 1,
			components: [
				...withParameters('header', firstOf(mine, 'cardMedia'), send),
				...withParameters('header', firstOf(mine, 'cardProduct'), send),
				...withParameters('body', ofKind(mine, 'cardBody'), send),
				...buttonComponents(
					mine.filter((v) => v.kind.startsWith('cardButton')),
					send,
				),
			],
		});
	}
	return [{ type: 'carousel', cards }];
}

/**
 * Builds the `template` object of a send from a definition and the values of one item, checking
 * each value against the template and Meta's limits. Problems are returned, not thrown, so the
 * caller can name the item.
 */
export function buildTemplateMessage(
	template: TemplateDefinition,
	values: Record<string, unknown>,
): BuiltTemplate {
	const send = startSend(template, values);
	checkProductCardOrder(send);
	checkValues(send);
	checkUnknownFields(send);
	// in this order, as each step adds the problems it finds
	const components = [
		...headerComponents(send),
		...withParameters('body', ofKind(send.vars, 'body'), send),
		...codeComponents(send),
		...buttonComponents(
			send.vars.filter((v) => v.kind.startsWith('button') && v.card === undefined),
			send,
		),
		...flowComponents(send),
		...callComponents(send),
		...carouselComponents(send),
	];
	return {
		template: {
			name: template.name,
			language: { code: template.language },
			...(components.length ? { components } : {}),
		},
		uploads: send.uploads,
		problems: send.problems,
	};
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
