/**
 * The approved template sent instead of a free-form message when the customer's 24-hour window is
 * closed (131047): Fallback Template on every send, Template Outside 24-Hour Window on Send and
 * Wait. It is read and built while the items are prepared, so a template Meta would refuse
 * (unknown, not approved, a variable outside its body, an authentication template to a user ID)
 * fails before any message of the run leaves, not after the refusal it was meant to answer.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import {} from 'n8n-workflow';

import type { OperationContext } from '../../transport/context';
import { isTemplateNotFound, templateOf } from '../template/common';
import type { TemplateDefinition } from '../template/definition';
import { buildTemplateMessage } from '../template/send/message';
import { templateVariables, type TemplateVariable } from '../template/send/variables';
import type { Recipient } from '../../helpers/validation';
import { itemError } from '../../helpers/validation';
import { groupTemplateError, groupTemplateProblem } from './groups';

/** A body variable is filled from one line of Body Parameters; an authentication code too. */
const isBodyVariable = (v: TemplateVariable) => v.kind === 'body' || v.kind === 'authCode';

/** A `name=value` line fills the body variable of that name. */
const NAMED_LINE = /^([a-z0-9_]+)=(.*)$/;

export type WindowTemplateSpec = {
	/** The option's name, the start of every field named in an error. */
	option: string;
	name: string;
	language: string;
	/** Body Parameters: one value per line, in order, or `name=value` for a named variable. */
	lines: string[];
	recipient: Recipient;
	/**
	 * Values for variables outside the body that the caller fills itself (Send and Wait's quick
	 * replies); throws, through `fail`, when the template cannot take them.
	 */
	extra?: (
		variables: TemplateVariable[],
		fail: (message: string, description: string) => Error,
	) => Record<string, string>;
};

/** The `template` object of a send, read, checked and built for item `i`. */
export async function windowTemplate(
	fns: IExecuteFunctions,
	ctx: OperationContext,
	i: number,
	spec: WindowTemplateSpec,
): Promise<IDataObject> {
	const { name, language } = spec;
	const field = (label: string) => `${spec.option} > ${label}`;
	const fail = (message: string, description: string) => itemError(fns, i, message, description);
	let template: TemplateDefinition | undefined;
	let failure: unknown;
	try {
		template = await templateOf(
			fns,
			ctx,
			{ __rl: true, mode: 'name', value: `${name}:${language}` },
			i,
		);
	} catch (error) {
		failure = error;
	}
	// a template the account does not have; anything else (a Graph error, a credential without
	// the account ID) stays as it was said
	if (isTemplateNotFound(failure))
		throw fail(
			`${field('Template Name')}: the account has no template "${name}" in language ${language}`,
			`Check the name and ${field('Language Code')} in WhatsApp Manager > Message templates.`,
		);
	if (!template) throw failure;
	if (String(template.status).toUpperCase() !== 'APPROVED')
		throw fail(
			`${field('Template Name')}: "${name}" (${language}) is ${template.status}, not approved`,
			'Only an approved template reaches someone outside the 24-hour window.',
		);
	if (
		String(template.category).toUpperCase() === 'AUTHENTICATION' &&
		spec.recipient.type === 'userId'
	)
		throw fail(
			`${field('Template Name')}: "${name}" is an authentication template, which Meta sends only to a phone number, and To is a business-scoped user ID`,
			"Meta would refuse it (error 131062). Choose a utility or marketing template, or send to the customer's phone number.",
		);

	if (spec.recipient.type === 'group') {
		const problem = groupTemplateProblem(template);
		if (problem) throw groupTemplateError(fns, i, field('Template Name'), template, problem);
	}

	const variables = templateVariables(template);
	const values: Record<string, string> = spec.extra?.(variables, fail) ?? {};
	const outside = variables.find((v) => v.required && !isBodyVariable(v) && !(v.id in values));
	if (outside)
		throw fail(
			`${field('Template Name')}: "${name}" has a variable outside its body (${outside.label})`,
			`${field('Body Parameters')} fills body variables only. Choose a template whose other parts have no variables.`,
		);

	const body = variables.filter(isBodyVariable);
	if (spec.lines.length !== body.length) {
		const names = body.map((v) => `{{${v.parameter}}}`).join(', ');
		throw fail(
			`${field('Body Parameters')} has ${spec.lines.length} line${spec.lines.length === 1 ? '' : 's'}, but template "${name}" has ${body.length} body variable${body.length === 1 ? '' : 's'}${names ? ` (${names})` : ''}`,
			'Give one line per body variable, in order; a named one can be given as name=value.',
		);
	}
	const open = [...body];
	for (const line of spec.lines) {
		const named = NAMED_LINE.exec(line);
		const byName = named ? open.find((v) => v.parameter === named[1]) : undefined;
		const v = byName ?? open[0];
		values[v.id] = byName ? named![2].trim() : line;
		open.splice(open.indexOf(v), 1);
	}

	const built = buildTemplateMessage(template, values);
	const p = built.problems[0];
	if (p)
		throw fail(
			`${field(p.variable && isBodyVariable(p.variable) ? 'Body Parameters' : 'Template Name')}: variable "${p.variable?.label ?? p.field}" ${p.message}`,
			'Meta refuses such a parameter.',
		);
	if (built.uploads.length)
		throw fail(
			`${field('Template Name')}: "${name}" needs a header file`,
			`${field('Body Parameters')} fills body variables only. Choose a template without a media header.`,
		);
	return built.template;
}
