import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { LIMIT, upTo } from '../../../helpers/limits';
import { charCount } from '../../../helpers/validation';
import { type PartRule, type TemplateForm, tooLong } from './types';
import { checkVariables, exampleLines, namedExamples } from './variables';

/** A template's body: its text with variables and their examples. */

/**
 * The message body's fields. Every form kind but authentication has them (a carousel's body
 * stands above its cards), so they show for all of them, between the header and the footer.
 */
export const bodyFields: INodeProperties[] = [
	{
		displayName: 'Body',
		name: 'bodyText',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'Dear {{1}}, here is your receipt {{2}} for a total of {{3}}.',
		description: `${upTo(LIMIT.templateBody)}; above the cards in a carousel. Variables: {{1}}, {{2}} ... in order, or {{name}} with named parameters. A variable may not start or end the text.`,
		displayOptions: { show: { definition: ['form'] }, hide: { category: ['AUTHENTICATION'] } },
	},
	{
		displayName: 'Body Examples',
		name: 'bodyExamples',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		placeholder: 'Pablo\nR-1042\n$120.00',
		description:
			'One sample value per variable, one per line, in order (named: name=value). Meta reviews the template with them.',
		displayOptions: { show: { definition: ['form'] }, hide: { category: ['AUTHENTICATION'] } },
	},
];

/** A body component from its text and its examples (one per line; named: name=value). */
export function bodyComponent(bodyText: string, examplesText: string, named: boolean): IDataObject {
	const examples = exampleLines(examplesText);
	return {
		type: 'BODY',
		text: bodyText,
		...(examples.length
			? {
					example: named
						? { body_text_named_params: namedExamples(examples) }
						: { body_text: [examples] },
				}
			: {}),
	};
}

/** The message body from the form's Body and Body Examples. */
export const bodyFromForm = (form: TemplateForm) =>
	bodyComponent(form.text('bodyText'), form.text('bodyExamples'), form.named);

/** How many examples a body carries, positional or named. */
export function bodyExampleCount(raw: IDataObject, named: boolean): number {
	const example = (raw.example ?? {}) as IDataObject;
	return named
		? ((example.body_text_named_params as unknown[] | undefined)?.length ?? 0)
		: ((example.body_text as unknown[][] | undefined)?.[0]?.length ?? 0);
}

/** Meta's rules for the message body: not empty, not too long, its variables and examples. */
export const checkBody: PartRule = (c, at, check) => {
	const value = String(c.text ?? '');
	if (!charCount(value))
		check.ctx.addIssue({
			code: z.ZodIssueCode.too_small,
			type: 'string',
			minimum: 1,
			inclusive: true,
			path: at('text'),
		});
	if (charCount(value) > LIMIT.templateBody)
		check.issue(at('text'), tooLong(value, LIMIT.templateBody));
	checkVariables(value, bodyExampleCount(c, check.named), at('text'), check);
};
