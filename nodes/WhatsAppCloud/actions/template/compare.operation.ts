import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { LIMIT } from '../../helpers/limits';
import { itemError } from '../../helpers/validation';
import type { OperationContext } from '../../transport/context';
import type { Operation } from '../types';
import { readTemplateIds } from './lifecycle';

/**
 * Template > Compare: `GET /{template-id}/compare?template_ids=[<other>]&start=&end=`, Meta's
 * comparison of two templates of the account over the last 7, 30, 60 or 90 days, as one item per
 * metric: BLOCK_RATE as an order (Meta gives no rates, only which template was blocked less),
 * MESSAGE_SENDS as numbers, TOP_BLOCK_REASON as text, each by template ID.
 */

const displayOptions = { show: { resource: ['template'], operation: ['compare'] } };

const DAY = 86_400;

const properties: INodeProperties[] = [
	{
		displayName: 'Template IDs',
		name: 'templateIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: '1387372356726668, 1304694804498707',
		hint: `Exactly ${LIMIT.compareTemplates} different IDs, separated by a comma, or an expression giving a list`,
		description: `Two templates of this account, each sent at least ${LIMIT.compareMinSends.toLocaleString('en-US')} times in the time window`,
	},
	{
		displayName: 'Time Window',
		name: 'window',
		type: 'options',
		default: 30,
		options: LIMIT.compareWindowDays.map((days) => ({
			name: `Last ${days} Days`,
			value: days,
		})),
		description: 'The days compared, counted back from now (Meta takes only these windows)',
	},
];

const description = updateDisplayOptions(displayOptions, properties);

type Keyed = { key?: string; value?: unknown };
type Metric = {
	metric?: string;
	type?: string;
	order_by_relative_metric?: unknown[];
	number_values?: Keyed[];
	string_values?: Keyed[];
};

/** `{ "<id>": value }` from Meta's `[{ key, value }]`. */
const byTemplate = (values: Keyed[]) =>
	Object.fromEntries(values.map((v) => [String(v.key), v.value])) as IDataObject;

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const ids = readTemplateIds(this, 'templateIds', i, 'Template IDs');
	if (ids.length !== LIMIT.compareTemplates)
		throw itemError(
			this,
			i,
			`Template IDs must name exactly ${LIMIT.compareTemplates} different templates, got ${ids.length}`,
			'Meta compares two templates at a time; repeats count once.',
		);
	const days = Number(this.getNodeParameter('window', i, 30));
	if (!(LIMIT.compareWindowDays as readonly number[]).includes(days))
		throw itemError(
			this,
			i,
			`Time Window must be ${LIMIT.compareWindowDays.join(', ')} days, got ${JSON.stringify(this.getNodeParameter('window', i, 30))}`,
			'Meta compares only these windows, counted back from now.',
		);
	const [first, other] = ids;
	return async () => {
		const end = Math.floor(Date.now() / 1000);
		const start = end - days * DAY;
		const answer = await ctx.call<{ data?: Metric[] }>(
			{
				method: 'GET',
				path: `/${first}/compare`,
				qs: { template_ids: JSON.stringify([other]), start, end },
			},
			i,
		);
		const window = {
			templateIds: ids,
			days,
			start: new Date(start * 1000).toISOString(),
			end: new Date(end * 1000).toISOString(),
		};
		// an empty answer is said so, not an item that vanishes from the output
		if (!answer.data?.length)
			return [
				{
					json: {
						metric: null,
						...window,
						note: 'Meta returned no metrics for these templates and window',
					},
				},
			];
		return answer.data.map((m) => {
			const json: IDataObject = { metric: m.metric ?? null };
			if (m.order_by_relative_metric) {
				// the template blocked least comes first
				json.lowestFirst = m.order_by_relative_metric.map(String);
			} else if (m.number_values) json.values = byTemplate(m.number_values);
			else if (m.string_values) json.values = byTemplate(m.string_values);
			return { json: { ...json, ...window } };
		});
	};
}

export const compare: Operation = { description, paced: false, prepare };
