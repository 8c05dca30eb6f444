import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { graphId } from '../../../shared/ids';
import { businessAccountModes } from '../../../shared/listSearch';
import type { OperationContext } from '../../transport/context';

/** The account the operation reads; empty is the credential's. */
export const businessAccountField: INodeProperties = {
	displayName: 'WhatsApp Business Account',
	name: 'businessAccountId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	hint: "Empty: the credential's account",
	description:
		'The WhatsApp Business Account to read. Leave empty to use the one in the credential.',
	modes: businessAccountModes,
};

/**
 * The account of item `i`: the one chosen in the node, checked when the node runs (an expression
 * skips the editor's digits rule, and the ID goes into the path), or the credential's.
 */
export function readBusinessAccount(fns: IExecuteFunctions, i: number, ctx: OperationContext) {
	const chosen = fns.getNodeParameter('businessAccountId', i, '', { extractValue: true });
	if (String(chosen ?? '').trim() !== '')
		return graphId(fns.getNode(), chosen, 'WhatsApp Business Account', 'businessAccount', i);
	return ctx.waba(i);
}

/**
 * The account's currency (`GET /{waba-id}?fields=currency`, ISO 4217 as Meta's account record
 * names it), read once per execution and account: every item of every data point carries it.
 */
export async function accountCurrency(
	ctx: OperationContext,
	waba: string,
	i: number,
): Promise<string | null> {
	return await ctx.once(`currency:${waba}`, async () => {
		const a = await ctx.call<{ currency?: unknown }>(
			{ method: 'GET', path: `/${waba}`, qs: { fields: 'currency' } },
			i,
		);
		return typeof a.currency === 'string' && a.currency ? a.currency : null;
	});
}
