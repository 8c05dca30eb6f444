import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';

import { itemError } from '../../helpers/validation';

/**
 * Reads a JSON components parameter (Create's and Update's Components (JSON)), as text or already
 * parsed, into an array, or fails naming the field. Meta's rules are checked afterwards, as for
 * the form (kinds/index.ts).
 */
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
			throw itemError(fns, i, `${field} is not valid JSON: ${(error as Error).message}`, '', '');
		}
	}
	if (!Array.isArray(parsed))
		throw itemError(fns, i, `${field} must be a JSON array of components`, '', '');
	return parsed as IDataObject[];
}
