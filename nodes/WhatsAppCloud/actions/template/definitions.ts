import type { IDataObject } from 'n8n-workflow';

import { templateParameterProblem } from '../../helpers/validation';

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
	| 'buttonUrl'
	| 'buttonPayload'
	| 'buttonCoupon'
	| 'buttonOtp';

export type TemplateVariable = {
	/**
	 * Field id in the resource mapper. Saved workflows refer to it (header_1, header_media, body_1,
	 * body_<name>, button_<index>), so it never changes.
	 */
	id: string;
	label: string;
	required: boolean;
	kind: VariableKind;
	/** The placeholder's name for named parameters, its number for positional ones. */
	parameter?: string;
	/** Button index within the template's buttons. */
	index?: number;
	/** Header media format: IMAGE, VIDEO or DOCUMENT. */
	format?: string;
	/** Meta's sample value, shown to the user. */
	example?: string;
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

const withExample = (label: string, example?: string) =>
	example ? `${label} (e.g. ${example})` : label;

/** The variables of a template, in the order a user reads it: header, body, buttons. */
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
					label: `Header ${kind} (link, media ID or binary:data)`,
					required: true,
					kind: 'headerMedia',
					format,
				});
			} else if (format === 'LOCATION') {
				vars.push({
					id: 'header_latitude',
					label: 'Header location: latitude',
					required: true,
					kind: 'headerLatitude',
				});
				vars.push({
					id: 'header_longitude',
					label: 'Header location: longitude',
					required: true,
					kind: 'headerLongitude',
				});
				vars.push({
					id: 'header_name',
					label: 'Header location: name',
					required: true,
					kind: 'headerLocationName',
				});
				vars.push({
					id: 'header_address',
					label: 'Header location: address',
					required: true,
					kind: 'headerLocationAddress',
				});
			}
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
			// authentication templates have no text: their one variable is the code
			if (isAuth && !component.text && !vars.some((v) => v.kind === 'body')) {
				vars.push({
					id: 'body_1',
					label: 'Verification code',
					required: true,
					kind: 'body',
					parameter: '1',
				});
			}
		} else if (type === 'BUTTONS') {
			(component.buttons ?? []).forEach((button, index) => {
				const bt = upper(button.type);
				const example = Array.isArray(button.example) ? button.example[0] : button.example;
				if (bt === 'URL' && placeholders(button.url).length) {
					vars.push({
						id: `button_${index}`,
						label: withExample(
							`Button "${button.text ?? index}": end of the link ${button.url}`,
							example,
						),
						required: true,
						kind: 'buttonUrl',
						index,
						example,
					});
				} else if (bt === 'QUICK_REPLY') {
					vars.push({
						id: `button_${index}`,
						label: `Button "${button.text ?? index}": reply payload (optional)`,
						required: false,
						kind: 'buttonPayload',
						index,
					});
				} else if (bt === 'COPY_CODE') {
					vars.push({
						id: `button_${index}`,
						label: withExample(`Button "${button.text ?? 'Copy code'}": coupon code`, example),
						required: true,
						kind: 'buttonCoupon',
						index,
						example,
					});
				} else if (bt === 'OTP') {
					vars.push({
						id: `button_${index}`,
						label: 'Code button: the code again (empty: the verification code)',
						required: false,
						kind: 'buttonOtp',
						index,
					});
				}
			});
		}
	}
	return vars;
}

export type TemplateProblem = {
	variable: TemplateVariable | undefined;
	field: string;
	message: string;
};

export type BuiltTemplate = {
	template: IDataObject;
	/** A header file to upload before sending: the binary property's name. */
	upload?: { property: string; format: string };
	problems: TemplateProblem[];
};

const chars = (s: string) => [...s].length;

/** Percent-encodes what a URL may not hold (spaces, accents, |), leaving existing %xx escapes. */
export function encodeUrlSuffix(suffix: string): string {
	return suffix.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?#%]/g, (c) => encodeURIComponent(c));
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
	const vars = templateVariables(template);
	const problems: TemplateProblem[] = [];
	const named = upper(template.parameter_format) === 'NAMED';
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

	for (const v of vars) {
		const raw = values[v.id];
		if (!isText(raw)) {
			// sent as it is, the customer would read "[object Object]" or "a,b"
			problem(
				v,
				`must be text, but its expression gave ${Array.isArray(raw) ? 'a list' : 'an object'} (${JSON.stringify(raw)?.slice(0, 60)}); use one field of it, or JSON.stringify(…) / .join(', ')`,
			);
		} else if (v.required && !value(v) && v.kind !== 'buttonOtp') {
			problem(v, 'is empty; the template needs a value');
		} else if (v.kind === 'headerText' || v.kind === 'body') {
			const whitespace = templateParameterProblem(value(v));
			if (whitespace) problem(v, whitespace);
		}
	}
	const known = new Set(vars.map((v) => v.id));
	for (const key of Object.keys(values)) {
		if (
			!known.has(key) &&
			values[key] !== undefined &&
			values[key] !== null &&
			String(values[key]) !== ''
		) {
			problems.push({
				variable: undefined,
				field: key,
				message: `is not a variable of template "${template.name}"; refresh the template's variables in the node`,
			});
		}
	}

	const components: IDataObject[] = [];
	let upload: BuiltTemplate['upload'];
	const hasOtherComponents = (template.components ?? []).some((c) => upper(c.type) !== 'BODY');

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
				return { type: 'text', text: value(v), ...(named ? { parameter_name: v.parameter } : {}) };
			}),
		});
	}
	const media = vars.find((v) => v.kind === 'headerMedia');
	if (media) {
		const kind = String(media.format).toLowerCase();
		const raw = value(media);
		let ref: IDataObject = {};
		if (/^binary:/i.test(raw)) {
			upload = { property: raw.slice(7).trim() || 'data', format: media.format! };
			ref = { id: 'pending-upload' };
		} else if (/^https:\/\//i.test(raw)) {
			ref = { link: raw };
		} else if (/^\d+$/.test(raw)) {
			ref = { id: raw };
		} else if (raw) {
			problem(
				media,
				'must be an https:// link, a media ID (digits), or binary: followed by the name of a binary field of this item (e.g. binary:data) to upload that file',
			);
		}
		components.push({ type: 'header', parameters: [{ type: kind, [kind]: ref }] });
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
				if (upper(template.category) === 'AUTHENTICATION' && chars(value(v)) > 15)
					problem(v, 'is too long for an authentication code (at most 15 characters)');
				return { type: 'text', text: value(v), ...(named ? { parameter_name: v.parameter } : {}) };
			}),
		});
	}

	for (const v of vars.filter((b) => b.kind.startsWith('button'))) {
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
		} else if (v.kind === 'buttonOtp') {
			// authentication templates send the code in the body and again as the button's URL parameter
			const code = value(v) || value(body[0] ?? v);
			components.push({
				type: 'button',
				sub_type: 'url',
				index,
				parameters: [{ type: 'text', text: code }],
			});
		}
	}

	return {
		template: {
			name: template.name,
			language: { code: template.language },
			...(components.length ? { components } : {}),
		},
		upload,
		problems,
	};
}
