import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { asText } from '../../../helpers/validation';

/**
 * One kind of interactive message (reply buttons, a list, a Flow, a carousel, ...): its option in
 * Interactive Type, its fields, Meta's rules for it and how its fields become Meta's `interactive`
 * object. Send Interactive is these kinds put together (./index.ts lists them), so a kind is
 * added in its own file and in that list, and in the list of each shared field it shows
 * (./shared.ts: Header, Footer, Catalog ID).
 */
export type InteractiveKind = {
	/** Its option in Interactive Type; `value` is what saved workflows hold. */
	option: { name: string; value: string; description: string };
	/** Its own fields above the body, under the Header fields several kinds share. */
	headerFields?: INodeProperties[];
	/** Its own Body, shown instead of the shared one. */
	bodyField?: INodeProperties;
	/**
	 * Its fields under the footer, in the order the editor shows them. A field several kinds show
	 * (Catalog ID) is one object that each of them lists; it appears where the first one lists it.
	 */
	fields: INodeProperties[];
	/** Meta's rules for the `interactive` object: a payload that passes them is one Meta accepts. */
	schema: z.ZodTypeAny;
	/**
	 * The fields of item `itemIndex` as Meta's `interactive` object, and the editor label of every
	 * path in that object, for the errors of `schema`. The labels are made per payload because they
	 * name the entry the user filled in ("Cards > Card 3 > Button Text"), and one entry of a form
	 * may end up anywhere in the payload (rows grouped into sections).
	 */
	build(
		fns: IExecuteFunctions,
		itemIndex: number,
	): { interactive: IDataObject; labels: Record<string, string> };
	/**
	 * What the item's output adds once the message went out as this kind, from the checked
	 * `interactive` object: a Flow's token, which the customer's answers come back with.
	 */
	output?(interactive: IDataObject): IDataObject | undefined;
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
