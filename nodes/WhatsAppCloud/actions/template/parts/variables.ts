import type { IDataObject } from 'n8n-workflow';

import { PLACEHOLDER } from '../definition';
import type { Check, Path } from './types';

/** Every variable of a text, repeats included: {{1}} twice is a numbering Meta refuses. */
export const vars = (s: string) => [...s.matchAll(PLACEHOLDER)].map((m) => m[1]);

/**
 * Checks a text's variables at `path`: positional ones 1..n in order, named ones lowercase, none
 * at the ends, one example each.
 */
export function checkVariables(
	value: string,
	examples: number,
	path: Path,
	{ issue, named }: Check,
): void {
	const found = vars(value);
	if (named) {
		if (found.some((v) => /^\d+$/.test(v)))
			issue(path, 'mixes {{1}}-style variables into a template with named parameters');
	} else {
		const numbers = found.map(Number);
		if (numbers.some(Number.isNaN))
			issue(path, 'has named variables; choose Parameter Format "Named" or use {{1}}, {{2}} ...');
		else if (numbers.some((n, i) => n !== i + 1))
			issue(
				path,
				`must number its variables {{1}}, {{2}} ... in order (found ${found.map((v) => `{{${v}}}`).join(', ')})`,
			);
	}
	const trimmed = value.trim();
	if (found.length && (/^\{\{/.test(trimmed) || /\}\}$/.test(trimmed)))
		issue(path, 'may not start or end with a variable (Meta rejects it, error 2388299)');
	if (found.length !== examples)
		issue(
			path,
			`has ${found.length} variable(s) but ${examples} example(s): give one example per variable`,
		);
}

/** The examples of a form field: one per line, blank lines left out. */
export function exampleLines(value: string): string[] {
	return value
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);
}

/** Named examples from `name=value` lines; a line without `=` is an example without a name. */
export function namedExamples(values: string[]): IDataObject[] {
	return values.map((l) => {
		const m = /^([a-z0-9_]+)=(.*)$/.exec(l);
		return { param_name: m?.[1] ?? '', example: m?.[2] ?? l };
	});
}
