import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import type { z } from 'zod';

import { charCount } from '../../../helpers/validation';

/**
 * What every template kind (kinds/*.ts) and every part (header, body, footer, buttons, cards) of
 * Template > Create is made of: a form read into Meta's components, and Meta's rules checked on
 * the components, whether they came from the form or from Components (JSON).
 */

/** Where an issue is, in the payload's terms: `['body', 'text']`, `['card', 1, 'buttons', 0]`. */
export type Path = Array<string | number>;

/** Reports one of Meta's rules broken at `path`. */
export type Issue = (path: Path, message: string) => void;

/** What a rule is given besides the component: the zod context, `issue`, the parameter format. */
export type Check = {
	ctx: z.RefinementCtx;
	issue: Issue;
	/** Named parameters ({{name}}) rather than positional ones ({{1}}). */
	named: boolean;
};

/** Meta's rules for one component of the message; `at` addresses it (`at('text')`). */
export type PartRule = (c: IDataObject, at: (key?: string) => Path, check: Check) => void;

/** The create form of one item, as a kind reads it. */
export type TemplateForm = {
	fns: IExecuteFunctions;
	i: number;
	named: boolean;
	/** A top-level text field, read through asText and named by its editor label. */
	text: (name: string) => string;
	/** A value inside a list entry (a card, a button, an app) as text, named by `label`. */
	entryText: (value: unknown, label: string) => string;
};

/** A template kind of the form: its fields, and Meta's components read from them. */
export type TemplateKind = {
	/** The create form's fields of this kind, in the order the form shows them. */
	fields: INodeProperties[];
	fromForm: (form: TemplateForm) => IDataObject[];
	/** Editor labels of the payload paths this kind's rules name, for the errors. */
	labels: Record<string, string>;
	/** Its choice under Template Type, for Marketing templates; none: its category chooses it. */
	templateType?: INodePropertyOptions;
};

/** A number as the errors write it: 1,024. */
export const count = (n: number) => n.toLocaleString('en-US');

/** The issue of a text longer than Meta allows. */
export const tooLong = (value: string, max: number) =>
	`is too long: ${count(charCount(value))} characters (WhatsApp allows at most ${count(max)})`;
