import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { LIMIT } from '../../helpers/limits';
import { itemError } from '../../helpers/validation';

/**
 * Max Price of a marketing template (Meta's `optimization_spec`, for the Marketing Messages API):
 * the most the business pays for one delivered message, entered as a price in the currency's base
 * unit (0.05 for 5 US cents) and sent as Meta counts it, per 1,000 deliveries in the currency's
 * smallest unit: bid_amount = price × 10^(decimals of the currency) × 1,000. $0.05 gives 5000,
 * ₹0.87 gives 87000, ¥8 gives 8000. The one strategy Meta has is a bid cap.
 */

export const BID_STRATEGY = 'LOWEST_COST_WITH_BID_CAP';

/** The Max Price field: Template > Create (marketing only) and Template > Update > Update Fields. */
export const maxPriceField: INodeProperties = {
	displayName: 'Max Price',
	name: 'maxPrice',
	type: 'fixedCollection',
	default: {},
	placeholder: 'Add max price',
	description: `Marketing templates sent through the Marketing Messages API (Send Template > Send Through): the most one delivered message may cost. Sent to Meta as bid_amount, per ${LIMIT.bidDeliveries.toLocaleString('en-US')} deliveries in the smallest unit of the account's currency: price × 10^decimals × ${LIMIT.bidDeliveries.toLocaleString('en-US')} (0.05 USD → 5000, 0.87 INR → 87000, 8 JPY → 8000), with the strategy ${BID_STRATEGY}. Without it, Meta's rate card applies. A max price can be set only when the template is created.`,
	options: [
		{
			displayName: 'Max Price',
			name: 'price',
			values: [
				{
					displayName: 'Price per Message',
					name: 'amount',
					type: 'number',
					typeOptions: { minValue: 0, numberPrecision: 5 },
					default: 0,
					placeholder: '0.05',
					description:
						"In the account's currency (the currency of its WhatsApp Business Account), in whole units: 0.05 for 5 US cents",
				},
				{
					displayName: 'Currency Decimals',
					name: 'decimals',
					type: 'options',
					default: 2,
					options: [
						{ name: '0 (JPY, KRW, CLP, VND...)', value: 0 },
						{ name: '2 (USD, EUR, INR, BRL, GBP, IDR, MXN...)', value: 2 },
						{ name: '3 (KWD, BHD, JOD, OMR...)', value: 3 },
					],
					description:
						"The decimals of the account's currency (its smallest unit): 2 for cents, 0 for yen",
				},
			],
		},
	],
};

/**
 * The `optimization_spec` of an item's Max Price, or undefined when none is set. `where` is the
 * field as the editor shows it. Refused: a price that is not above 0, one with more decimals than
 * the currency's smallest unit per 1,000 deliveries can hold, one past Meta's int32.
 */
export function readMaxPrice(
	fns: IExecuteFunctions,
	i: number,
	value: unknown,
	where: string,
): IDataObject | undefined {
	const price = (value as { price?: IDataObject } | undefined)?.price;
	if (!price || typeof price !== 'object') return undefined;
	const decimals = Number(price.decimals ?? 2);
	const amount = price.amount;
	if (![0, 2, 3].includes(decimals))
		throw itemError(
			fns,
			i,
			`${where} > Currency Decimals must be 0, 2 or 3, got ${JSON.stringify(price.decimals)}`,
		);
	if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0)
		throw itemError(
			fns,
			i,
			`${where} > Price per Message must be a number above 0, got ${JSON.stringify(amount)}`,
			'Give the price in whole currency units, e.g. 0.05 for 5 US cents.',
		);
	const exact = amount * 10 ** decimals * LIMIT.bidDeliveries;
	const bid = Math.round(exact);
	if (Math.abs(exact - bid) > 1e-6)
		throw itemError(
			fns,
			i,
			`${where} > Price per Message ${amount} has more decimals than Meta's bid can hold (${decimals + 3} for this currency)`,
			`Meta counts the price per ${LIMIT.bidDeliveries.toLocaleString('en-US')} deliveries in the currency's smallest unit: ${amount} × 10^${decimals} × ${LIMIT.bidDeliveries} = ${exact}, not a whole number.`,
		);
	if (bid > LIMIT.bidAmountMax)
		throw itemError(
			fns,
			i,
			`${where} > Price per Message ${amount} is too high: bid_amount ${bid} (Meta allows at most ${LIMIT.bidAmountMax})`,
		);
	return { bid_amount: bid, bid_strategy: BID_STRATEGY };
}

/**
 * Template > Create's Max Price: `{ optimization_spec }` for a marketing template, nothing when
 * none is set; a max price on another category is refused before the request, as Meta would.
 */
export function createMaxPrice(fns: IExecuteFunctions, i: number, category: string): IDataObject {
	const spec = readMaxPrice(fns, i, fns.getNodeParameter('maxPrice', i, {}), 'Max Price');
	if (!spec) return {};
	if (category !== 'MARKETING')
		throw itemError(
			fns,
			i,
			`Max Price is only for Marketing templates, not ${category}`,
			'Meta takes a max price on marketing templates sent through the Marketing Messages API. Remove Max Price or choose Category Marketing.',
		);
	return { optimization_spec: spec };
}
