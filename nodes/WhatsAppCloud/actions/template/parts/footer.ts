import type { IDataObject } from 'n8n-workflow';

import { LIMIT } from '../../../helpers/limits';
import { charCount } from '../../../helpers/validation';
import { type PartRule, tooLong } from './types';
import { vars } from './variables';

/** A template's footer: a short text without variables. */

/** The footer component of a text; none when it is empty. */
export const footerComponents = (text: string): IDataObject[] =>
	text ? [{ type: 'FOOTER', text }] : [];

/** Meta's rules for a footer's text: its length, and no variables. */
export const checkFooter: PartRule = (c, at, { issue }) => {
	if (c.text === undefined) return;
	const value = String(c.text);
	if (charCount(value) > LIMIT.templateFooterText)
		issue(at('text'), tooLong(value, LIMIT.templateFooterText));
	if (vars(value).length) issue(at('text'), 'may not have variables');
};
