import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { LIMIT } from '../../../helpers/limits';
import { asText, readText } from '../../../helpers/validation';
import { upper } from '../definition';
import { checkCallPermission } from '../parts/callPermission';
import { checkBesideCards, checkCards, checkCarouselCategory } from '../parts/carousel';
import type { Check, Issue, TemplateForm, TemplateKind } from '../parts/types';
import { authentication, checkAuthentication } from './authentication';
import { mediaCarousel } from './mediaCarousel';
import { productCarousel } from './productCarousel';
import { checkPart, standard } from './standard';

/**
 * The template kinds of Template > Create, and which one a template is: in the form, by its
 * category and Template Type; in Meta's rules, by its category and its components, so that
 * Components (JSON) is held to the same rules as the form.
 */

/** The kinds, in the order the form shows their fields. */
const KINDS: TemplateKind[] = [standard, mediaCarousel, productCarousel, authentication];

/** Every kind's fields, for the create form. */
export const kindFields: INodeProperties[] = KINDS.flatMap((kind) => kind.fields);

/** The choices of Template Type (Marketing templates), sorted by name as n8n's lint has options. */
export const templateTypeOptions = KINDS.flatMap((kind) =>
	kind.templateType ? [kind.templateType] : [],
).sort((a, b) => a.name.localeCompare(b.name));

/**
 * The kind the form builds: Authentication by its category; a Marketing template by its Template
 * Type, where a type the form does not offer (from an expression) reads as a media carousel;
 * anything else is standard.
 */
function formKind(category: string, form: TemplateForm): TemplateKind {
	if (category === 'AUTHENTICATION') return authentication;
	const type = category === 'MARKETING' ? form.text('templateType') || 'standard' : 'standard';
	return KINDS.find((kind) => kind.templateType?.value === type) ?? mediaCarousel;
}

/** Builds Meta's components array from the form fields of item `i`; `labelOf` names a field. */
export function componentsFromForm(
	fns: IExecuteFunctions,
	i: number,
	named: boolean,
	category: string,
	labelOf: (name: string) => string,
): IDataObject[] {
	const form: TemplateForm = {
		fns,
		i,
		named,
		text: (name) => readText(fns, name, i, labelOf(name)),
		entryText: (value, label) => asText(fns, value, label, i),
	};
	return formKind(category, form).fromForm(form);
}

/** The cards of either carousel kind, told apart by the first card's header. */
const CARDS = { media: mediaCarousel.cards, product: productCarousel.cards };

/**
 * Meta's rules for a template that is not an authentication one: each component by its part's
 * rules (kinds/standard.ts), a carousel's message by what may stand beside cards, and each
 * carousel by its kind of cards. Issues are addressed by component kind (body, header, footer,
 * buttons), as the form shows them.
 */
function checkMessage(components: IDataObject[], category: string, check: Check): void {
	const types = components.map((c) => upper(c.type));
	const inCarousel = types.includes('CAROUSEL');
	if (inCarousel) checkCarouselCategory(category, check.issue);
	components.forEach((c, index) => {
		const kind = String(c.type).toLowerCase();
		const at = (key?: string) => (key ? [kind, key] : [kind]);
		if (inCarousel) checkBesideCards(types[index], at(), check.issue);
		if (types[index] === 'CAROUSEL') checkCards(c, CARDS, check);
		checkPart(c, types[index], at, check);
	});
}

const TEMPLATE_NAME = new RegExp(`^[a-z0-9_]{1,${LIMIT.templateName}}$`);

/** A template as Meta's create call takes it, with Meta's rules for its kind. */
export const templateSchema = z
	.object({
		name: z
			.string()
			.regex(
				TEMPLATE_NAME,
				`may only have lowercase letters, digits and underscores (up to ${LIMIT.templateName})`,
			),
		language: z
			.string()
			.regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, 'must be a language code such as en_US or de'),
		category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
		parameter_format: z.enum(['POSITIONAL', 'NAMED']),
		message_send_ttl_seconds: z.number().optional(),
		components: z.array(z.object({ type: z.string() }).passthrough()).min(1),
	})
	.superRefine((t, ctx) => {
		const issue: Issue = (path, message) =>
			ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
		const components = t.components as IDataObject[];
		if (!components.some((c) => upper(c.type) === 'BODY')) issue(['components'], 'need a body');
		checkCallPermission(components, t.category, issue);
		if (t.category === 'AUTHENTICATION')
			checkAuthentication(components, t.message_send_ttl_seconds, issue);
		else
			checkMessage(components, t.category, { ctx, issue, named: t.parameter_format === 'NAMED' });
	});

/** Editor labels of the template's parts, for errors: every kind's, and the template's own. */
export const TEMPLATE_LABELS: Record<string, string> = Object.assign(
	{ name: 'Name', language: 'Language', category: 'Category', components: 'Components' },
	...KINDS.map((kind) => kind.labels),
);
