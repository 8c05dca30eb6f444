import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { GRAPH_ID } from '../../../../shared/ids';
import { asText } from '../../../helpers/validation';

/**
 * One kind of interactive message whose form lives in this folder: how its fields become Meta's
 * `interactive` object, and the editor label of every path in that object. The labels are made
 * per payload because they name the entry the user filled in ("Cards > Card 3 > Button Text"),
 * and one entry of a form may end up anywhere in the payload (rows grouped into sections).
 */
export type InteractiveForm = {
	build(
		fns: IExecuteFunctions,
		itemIndex: number,
	): { interactive: IDataObject; labels: Record<string, string> };
};

/**
 * The entries of a fixedCollection with `multipleValues`, as the editor keeps them (`cards.card`
 * of the node's parameters, or `quickReplies.reply` of one card); none when it was never opened.
 */
export const entriesOf = (value: unknown): IDataObject[] =>
	Array.isArray(value) ? (value as IDataObject[]) : [];

/**
 * The issues of `schema` for a value, raised in the refinement `ctx` at the value's own path: a
 * choice between two shapes by a field of the value, where a zod union would only say "Invalid input".
 */
export function checkWith(schema: z.ZodTypeAny, value: unknown, ctx: z.RefinementCtx): void {
	const result = schema.safeParse(value);
	if (!result.success) for (const issue of result.error.issues) ctx.addIssue(issue as z.IssueData);
}

/** A free-text value of an entry, as `asText` reads it, with surrounding white space removed. */
export const trimmed = (
	fns: Pick<IExecuteFunctions, 'getNode'>,
	value: unknown,
	label: string,
	itemIndex: number,
) => asText(fns, value, label, itemIndex).trim();

/** How many line breaks a text has (CR LF counts once). */
export const lineBreaks = (value: string) => (value.match(/\r\n|\r|\n/g) ?? []).length;

/**
 * A catalog ID: the numeric ID Meta gives a catalog (Commerce Manager shows it under the catalog's
 * settings). Anything else cannot name a catalog, so it fails before the send.
 */
export const catalogId = z
	.string()
	.min(1)
	.regex(GRAPH_ID, 'must be the numeric ID of the catalog, as Commerce Manager shows it');

/**
 * The Catalog ID field of item `i`: picked from the account's catalog or typed (a resource
 * locator), or the plain text a workflow saved before it was one.
 */
export const readCatalogId = (
	fns: Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>,
	itemIndex: number,
) =>
	asText(
		fns,
		fns.getNodeParameter('catalogId', itemIndex, '', { extractValue: true }),
		'Catalog ID',
		itemIndex,
	).trim();

/** A product retailer ID (the product's "Content ID" in Commerce Manager): any non-empty text. */
export const retailerId = z.string().min(1);
