import type { IDataObject } from 'n8n-workflow';

import { LIMIT } from '../../../helpers/limits';
import { charCount } from '../../../helpers/validation';
import { upper } from '../definition';
import { type PartRule, tooLong } from './types';
import { checkVariables, exampleLines, namedExamples, vars } from './variables';

/** A template's header: a text with at most one variable, a file, or a location. */

/**
 * The handle of a sample file still to upload: the form's media headers carry it until the file
 * goes through the Resumable Upload API, just before the create call (samples.ts).
 */
export const PENDING_SAMPLE = 'pending-upload';

export const pendingSample = () => ({ header_handle: [PENDING_SAMPLE] });

/** A text header from its text and its example (one line; named: name=value). */
export function textHeader(text: string, examplesText: string, named: boolean): IDataObject {
	const examples = exampleLines(examplesText);
	return {
		type: 'HEADER',
		format: 'TEXT',
		text,
		...(examples.length
			? {
					example: named
						? { header_text_named_params: namedExamples(examples) }
						: { header_text: examples },
				}
			: {}),
	};
}

/** A header of another format: a location, or a file whose sample is uploaded when creating. */
export const formatHeader = (format: string): IDataObject =>
	format === 'LOCATION'
		? { type: 'HEADER', format: 'LOCATION' }
		: { type: 'HEADER', format, example: pendingSample() };

/** Meta's rules for a header: a text's length, variable and example; a file's sample. */
export const checkHeader: PartRule = (c, at, check) => {
	const format = upper(c.format);
	const example = (c.example ?? {}) as IDataObject;
	if (format === 'TEXT') {
		const value = String(c.text ?? '');
		if (charCount(value) > LIMIT.templateHeaderText)
			check.issue(at('text'), tooLong(value, LIMIT.templateHeaderText));
		if (vars(value).length > 1) check.issue(at('text'), 'may have at most one variable');
		const examples =
			(
				(check.named ? example.header_text_named_params : example.header_text) as
					| unknown[]
					| undefined
			)?.length ?? 0;
		checkVariables(value, examples, at('text'), check);
	}
	if (
		['IMAGE', 'VIDEO', 'DOCUMENT'].includes(format) &&
		!(example.header_handle as unknown[] | undefined)?.length
	)
		check.issue(at('example'), 'needs a sample file (header_handle from the Resumable Upload API)');
};
