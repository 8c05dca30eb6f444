import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { jsonParse, NodeOperationError } from 'n8n-workflow';
import { z } from 'zod';

import { asText, readText, text } from '../../helpers/validation';

/**
 * A template's components as Meta's create call takes them: Meta's rules as a schema (variables,
 * lengths, buttons per category), the form fields turned into components, and the JSON form read.
 */

const PLACEHOLDER = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;
const vars = (s: string) => [...s.matchAll(PLACEHOLDER)].map((m) => m[1]);

/** Checks a text's variables: positional ones 1..n in order, named ones lowercase, none at the ends. */
function checkVariables(value: string, named: boolean, ctx: z.RefinementCtx, examples: number) {
	const found = vars(value);
	if (named) {
		if (found.some((v) => /^\d+$/.test(v)))
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message: 'mixes {{1}}-style variables into a template with named parameters',
			});
	} else {
		const numbers = found.map(Number);
		if (numbers.some(Number.isNaN))
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message: 'has named variables; choose Parameter Format "Named" or use {{1}}, {{2}} ...',
			});
		else if (numbers.some((n, i) => n !== i + 1))
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message: `must number its variables {{1}}, {{2}} ... in order (found ${found.map((v) => `{{${v}}}`).join(', ')})`,
			});
	}
	const trimmed = value.trim();
	if (found.length && (/^\{\{/.test(trimmed) || /\}\}$/.test(trimmed)))
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			message: 'may not start or end with a variable (Meta rejects it, error 2388299)',
		});
	if (found.length !== examples)
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			message: `has ${found.length} variable(s) but ${examples} example(s): give one example per variable`,
		});
}

const templateButtonSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('QUICK_REPLY'), text: text(25) }),
	z.object({
		type: z.literal('URL'),
		text: text(25),
		url: z.string().url('is not a valid URL').max(2000),
		example: z.array(z.string().min(1)).optional(),
	}),
	z.object({
		type: z.literal('PHONE_NUMBER'),
		text: text(25),
		phone_number: z
			.string()
			.regex(/^\+?\d{5,20}$/, 'must be a phone number with the country code (up to 20 digits)'),
	}),
	z.object({ type: z.literal('COPY_CODE'), example: text(15) }),
	// asks the customer to share their phone number; it takes no parameter when sent
	z.object({ type: z.literal('REQUEST_CONTACT_INFO'), text: text(25) }),
	z.object({
		type: z.literal('OTP'),
		otp_type: z.enum(['COPY_CODE', 'ONE_TAP']),
		text: text(25).optional(),
	}),
]);

/** A template as Meta's create call takes it, with Meta's rules for each component. */
export const templateSchema = z
	.object({
		name: z
			.string()
			.regex(
				/^[a-z0-9_]{1,512}$/,
				'may only have lowercase letters, digits and underscores (up to 512)',
			),
		language: z
			.string()
			.regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, 'must be a language code such as en_US or de'),
		category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
		parameter_format: z.enum(['POSITIONAL', 'NAMED']),
		components: z.array(z.object({ type: z.string() }).passthrough()).min(1),
	})
	.superRefine((t, ctx) => {
		const named = t.parameter_format === 'NAMED';
		// issues are addressed by component kind (body, header, footer, buttons), as the form shows them
		const at = (index: number, key?: string) => {
			const kind = String(t.components[index].type).toLowerCase();
			return key ? [kind, key] : [kind];
		};
		const tooLong = (value: string, max: number, path: (string | number)[]) =>
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path,
				message: `is too long: ${[...value].length.toLocaleString('en-US')} characters (WhatsApp allows at most ${max.toLocaleString('en-US')})`,
			});
		const types = t.components.map((c) => String(c.type).toUpperCase());
		if (!types.includes('BODY'))
			ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['components'], message: 'need a body' });
		t.components.forEach((c, index) => {
			const type = String(c.type).toUpperCase();
			const raw = c as IDataObject;
			const example = (raw.example ?? {}) as IDataObject;
			if (type === 'HEADER' && String(raw.format).toUpperCase() === 'TEXT') {
				const value = String(raw.text ?? '');
				if ([...value].length > 60) tooLong(value, 60, at(index, 'text'));
				if (vars(value).length > 1)
					ctx.addIssue({
						code: z.ZodIssueCode.custom,
						path: at(index, 'text'),
						message: 'may have at most one variable',
					});
				const count =
					(
						(named ? example.header_text_named_params : example.header_text) as
							| unknown[]
							| undefined
					)?.length ?? 0;
				checkVariables(
					value,
					named,
					{ addIssue: (i) => ctx.addIssue({ ...i, path: at(index, 'text') }) } as z.RefinementCtx,
					count,
				);
			}
			if (
				type === 'HEADER' &&
				['IMAGE', 'VIDEO', 'DOCUMENT'].includes(String(raw.format).toUpperCase()) &&
				!(example.header_handle as unknown[] | undefined)?.length
			) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: at(index, 'example'),
					message: 'needs a sample file (header_handle from the Resumable Upload API)',
				});
			}
			if (type === 'BODY' && t.category !== 'AUTHENTICATION') {
				const value = String(raw.text ?? '');
				if (![...value].length)
					ctx.addIssue({
						code: z.ZodIssueCode.too_small,
						type: 'string',
						minimum: 1,
						inclusive: true,
						path: at(index, 'text'),
					});
				if ([...value].length > 1024) tooLong(value, 1024, at(index, 'text'));
				const count = named
					? ((example.body_text_named_params as unknown[] | undefined)?.length ?? 0)
					: ((example.body_text as unknown[][] | undefined)?.[0]?.length ?? 0);
				checkVariables(
					value,
					named,
					{ addIssue: (i) => ctx.addIssue({ ...i, path: at(index, 'text') }) } as z.RefinementCtx,
					count,
				);
			}
			if (type === 'FOOTER' && raw.text !== undefined) {
				const value = String(raw.text);
				if ([...value].length > 60) tooLong(value, 60, at(index, 'text'));
				if (vars(value).length)
					ctx.addIssue({
						code: z.ZodIssueCode.custom,
						path: at(index, 'text'),
						message: 'may not have variables',
					});
			}
			if (type === 'BUTTONS') {
				const buttons = (raw.buttons ?? []) as IDataObject[];
				if (buttons.length > 10)
					ctx.addIssue({
						code: z.ZodIssueCode.custom,
						path: ['buttons'],
						message: `has ${buttons.length} buttons (WhatsApp allows at most 10)`,
					});
				buttons.forEach((b, bi) => {
					const parsed = templateButtonSchema.safeParse(b);
					if (!parsed.success)
						for (const issue of parsed.error.issues)
							ctx.addIssue({ ...issue, path: ['buttons', bi, ...issue.path] });
					if (String(b.type) === 'URL') {
						const urlVars = vars(String(b.url ?? ''));
						if (urlVars.length > 1 || (urlVars.length && !/\}\}$/.test(String(b.url))))
							ctx.addIssue({
								code: z.ZodIssueCode.custom,
								path: ['buttons', bi, 'url'],
								message: 'may have one variable, at the very end',
							});
						if (urlVars.length && !(b.example as unknown[] | undefined)?.length)
							ctx.addIssue({
								code: z.ZodIssueCode.custom,
								path: ['buttons', bi, 'example'],
								message: 'is needed: a sample value for the URL variable',
							});
					}
					if (String(b.type) === 'REQUEST_CONTACT_INFO' && t.category === 'AUTHENTICATION')
						ctx.addIssue({
							code: z.ZodIssueCode.custom,
							path: ['buttons', bi, 'type'],
							message: 'Request Contact Info buttons are for Utility and Marketing templates only',
						});
					if (String(b.type) === 'OTP' && t.category !== 'AUTHENTICATION')
						ctx.addIssue({
							code: z.ZodIssueCode.custom,
							path: ['buttons', bi, 'type'],
							message: 'One-time password buttons are for Authentication templates only',
						});
				});
				const quick = buttons.map((b) => b.type === 'QUICK_REPLY');
				const first = quick.indexOf(true);
				const last = quick.lastIndexOf(true);
				if (first >= 0 && quick.slice(first, last + 1).includes(false))
					ctx.addIssue({
						code: z.ZodIssueCode.custom,
						path: ['buttons'],
						message: 'must keep quick replies next to each other',
					});
			}
		});
	});

/** Editor labels of the template's parts, for errors. */
export const TEMPLATE_LABELS: Record<string, string> = {
	name: 'Name',
	language: 'Language',
	category: 'Category',
	components: 'Components',
	'header.text': 'Header Text',
	'header.example': 'Header Sample File',
	'body.text': 'Body',
	'footer.text': 'Footer',
	buttons: 'Buttons',
	'buttons.*': 'Button',
	'buttons.*.text': 'Button > Text',
	'buttons.*.url': 'Button > URL',
	'buttons.*.example': 'Button > Example',
	'buttons.*.phone_number': 'Button > Phone Number',
	'buttons.*.type': 'Button > Type',
};

/** Reads a JSON components parameter (string or parsed) as an array, or fails naming the field. */
export function parseComponentsJson(
	fns: IExecuteFunctions,
	value: unknown,
	i: number,
	field: string,
): IDataObject[] {
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = jsonParse(value);
		} catch (error) {
			throw new NodeOperationError(
				fns.getNode(),
				`${field} is not valid JSON: ${(error as Error).message} [item ${i}]`,
				{ itemIndex: i },
			);
		}
	}
	if (!Array.isArray(parsed))
		throw new NodeOperationError(
			fns.getNode(),
			`${field} must be a JSON array of components [item ${i}]`,
			{ itemIndex: i },
		);
	return parsed as IDataObject[];
}

function lines(value: string): string[] {
	return value
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);
}

function namedExamples(values: string[]) {
	return values.map((l) => {
		const m = /^([a-z0-9_]+)=(.*)$/.exec(l);
		return { param_name: m?.[1] ?? '', example: m?.[2] ?? l };
	});
}

/** Builds Meta's components array from the form fields of item `i`; `labelOf` names a field. */
export function componentsFromForm(
	fns: IExecuteFunctions,
	i: number,
	named: boolean,
	category: string,
	labelOf: (name: string) => string,
): IDataObject[] {
	const p = (name: string) => readText(fns, name, i, labelOf(name));
	const components: IDataObject[] = [];
	const header = p('headerFormat') || 'NONE';
	if (header === 'TEXT') {
		const examples = lines(p('headerExample'));
		components.push({
			type: 'HEADER',
			format: 'TEXT',
			text: p('headerText'),
			...(examples.length
				? {
						example: named
							? { header_text_named_params: namedExamples(examples) }
							: { header_text: examples },
					}
				: {}),
		});
	} else if (header === 'LOCATION') {
		components.push({ type: 'HEADER', format: 'LOCATION' });
	} else if (header !== 'NONE') {
		components.push({
			type: 'HEADER',
			format: header,
			example: { header_handle: ['pending-upload'] },
		});
	}
	if (category === 'AUTHENTICATION') {
		components.push({ type: 'BODY', add_security_recommendation: true });
	} else {
		const examples = lines(p('bodyExamples'));
		components.push({
			type: 'BODY',
			text: p('bodyText'),
			...(examples.length
				? {
						example: named
							? { body_text_named_params: namedExamples(examples) }
							: { body_text: [examples] },
					}
				: {}),
		});
	}
	if (p('footerText')) components.push({ type: 'FOOTER', text: p('footerText') });
	const buttons = (fns.getNodeParameter('buttons.button', i, []) as IDataObject[]).map((b) => {
		const type = String(b.type);
		const s = (k: string) => asText(fns, b[k], `Button > ${k}`, i).trim();
		if (type === 'URL')
			return {
				type,
				text: s('text'),
				url: s('url'),
				...(s('urlExample') ? { example: [s('urlExample')] } : {}),
			};
		if (type === 'PHONE_NUMBER') return { type, text: s('text'), phone_number: s('phoneNumber') };
		if (type === 'COPY_CODE') return { type, example: s('couponExample') };
		if (type === 'OTP')
			return {
				type,
				otp_type: s('otpType') || 'COPY_CODE',
				...(s('text') ? { text: s('text') } : {}),
			};
		return { type, text: s('text') };
	});
	if (buttons.length) components.push({ type: 'BUTTONS', buttons });
	return components;
}
