import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { countryCode, graphId, phoneDigits } from '../../../shared/ids';
import { LIMIT } from '../../helpers/limits';
import { itemError } from '../../helpers/validation';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import {
	type AnalyticsKind,
	type AnalyticsQuery,
	analyticsFields,
	dataPointJson,
	GRANULARITY_LABEL,
	type Granularity,
	GROUP_PRODUCT_TYPES,
	groupsOf,
	isSafeCursor,
	KINDS,
	type ListFilter,
	PRODUCT_TYPES,
} from './analytics';
import { accountCurrency, businessAccountField, readBusinessAccount } from './common';

const displayOptions = { show: { resource: ['businessAccount'], operation: ['getAnalytics'] } };

const PRODUCT_TYPE_NAMES: Record<string, string> = {
	[PRODUCT_TYPES.template]: 'Template Messages (0)',
	[PRODUCT_TYPES.nonTemplate]: 'Non-Template Messages (2)',
	[PRODUCT_TYPES.inbound]: 'Inbound Messages (100)',
	[PRODUCT_TYPES.groupNotification]: 'Group Notifications (101)',
	[PRODUCT_TYPES.groupCustomerSupport]: 'Group Customer Support (102)',
	[PRODUCT_TYPES.inboundGroup]: 'Inbound Group Messages (103, Not Combinable)',
};

/** "MARKETING_LITE" -> "Marketing Lite" for an option's name. */
const title = (value: string) =>
	value
		.toLowerCase()
		.split('_')
		.map((w) => w.charAt(0).toUpperCase() + w.slice(1))
		.join(' ');

const sorted = (options: INodePropertyOptions[]) =>
	[...options].sort((a, b) => a.name.localeCompare(b.name));

/** The editor field of one filter of the table. */
function filterField(filter: ListFilter): INodeProperties {
	if (filter.value === 'phone')
		return {
			displayName: filter.label,
			name: filter.option,
			type: 'string',
			default: '',
			placeholder: '16505550111, 4915112345678',
			description:
				'Only these business phone numbers, as phone numbers with country code (not their IDs), separated by commas',
		};
	if (filter.value === 'country')
		return {
			displayName: filter.label,
			name: filter.option,
			type: 'string',
			default: '',
			placeholder: 'US, IN, DE',
			description:
				'Only messages to these countries: two-letter country codes (ISO 3166), separated by commas',
		};
	const options = sorted(
		(filter.values ?? []).map((value) => ({
			name: filter.value === 'number' ? PRODUCT_TYPE_NAMES[value] : title(value),
			value,
		})),
	);
	if (filter.single)
		// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- the default is the first of the table's values
		return {
			displayName: filter.label,
			name: filter.option,
			type: 'options',
			default: options[0].value,
			options,
			description: 'Which API the templates were sent through',
		};
	return {
		displayName: filter.label,
		name: filter.option,
		type: 'multiOptions',
		default: [],
		options,
		description:
			filter.meta === 'dimensions'
				? 'Split the figures by these; each data point then names its value of each. Empty: one total per period.'
				: filter.meta === 'metric_types'
					? 'The figures to get. Empty: all of them.'
					: filter.meta === 'product_types'
						? 'Only these kinds of messages. Empty: all. Inbound group messages (103) cannot be combined with another type.'
						: `Only these ${filter.label.toLowerCase()}. Empty: all.`,
	};
}

const kindOptions: INodePropertyOptions[] = [
	{
		name: 'Calls',
		value: 'calls',
		description: 'Calls made and received: how many, their average duration and cost',
	},
	{
		name: 'Conversations (Legacy)',
		value: 'conversations',
		description:
			"Conversations and their cost under Meta's older per-conversation pricing (before July 2025)",
	},
	{
		name: 'Messages',
		value: 'messages',
		description: 'Messages sent and delivered',
	},
	{
		name: 'Pricing',
		value: 'pricing',
		description:
			'Messages charged and their cost, by country, pricing category, type and tier (recommended)',
	},
	{
		name: 'Templates',
		value: 'templates',
		description:
			'Sent, delivered, read, clicks and cost per template, per day (up to 90 days back)',
	},
];

const properties: INodeProperties[] = [
	businessAccountField,
	{
		displayName: 'Kind',
		name: 'kind',
		type: 'options',
		default: 'pricing',
		options: kindOptions,
		description: 'Which figures of the account to get',
	},
	{
		displayName: 'Start',
		name: 'start',
		type: 'dateTime',
		default: '={{ $today.minus({ days: 7 }).toISO() }}',
		required: true,
		description:
			"The start of the period, in the workflow's time zone unless the value names one. Meta goes back at most a year (templates: 90 days).",
	},
	{
		displayName: 'End',
		name: 'end',
		type: 'dateTime',
		default: '={{ $today.toISO() }}',
		required: true,
		description: 'The end of the period, after Start',
	},
	{
		displayName: 'Granularity',
		name: 'granularity',
		type: 'options',
		default: 'DAY',
		options: [
			{ name: 'Day', value: 'DAY' },
			{ name: 'Half Hour', value: 'HALF_HOUR' },
			{ name: 'Month', value: 'MONTH' },
		],
		description:
			'One data point per period. Templates come per day only. Sent as Meta spells it per kind: DAY or MONTH for messages, DAILY or MONTHLY for the others.',
	},
	{
		displayName: 'Template IDs',
		name: 'templateIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: '1924084211297547, 954638012257287',
		description: `The templates to report on: their IDs (Template > Get Many), separated by commas, at most ${LIMIT.templateAnalyticsIds}. Template analytics must be turned on for the account once in WhatsApp Manager.`,
		displayOptions: { show: { kind: ['templates'] } },
	},
	...(Object.keys(KINDS) as AnalyticsKind[]).map(
		(kind): INodeProperties => ({
			displayName: 'Filters',
			name: KINDS[kind].filtersParameter,
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			displayOptions: { show: { kind: [kind] } },
			options: KINDS[kind].filters
				.map(filterField)
				.sort((a, b) => a.displayName.localeCompare(b.displayName)),
		}),
	),
];

const description = updateDisplayOptions(displayOptions, properties);

/** Meta's word for a granularity, as an expression may give it, in the node's terms. */
const GRANULARITY_WORDS: Record<string, Granularity> = {
	HALF_HOUR: 'HALF_HOUR',
	DAY: 'DAY',
	DAILY: 'DAY',
	MONTH: 'MONTH',
	MONTHLY: 'MONTH',
};

/**
 * A time of a dateTime field as Unix seconds. An expression may give an ISO text (without an offset
 * it is the workflow's time zone, as the date picker means it), a JavaScript date, a Luxon date
 * (`$now`), or a number: Unix seconds, or milliseconds when it is that large.
 */
function readTime(fns: IExecuteFunctions, i: number, name: string, label: string): number {
	const raw = fns.getNodeParameter(name, i, '') as unknown;
	const fix =
		'Pick a date and time, or give one from an expression (ISO text such as 2026-11-01T00:00:00Z, or $now.minus({ days: 7 })).';
	let ms: number = NaN;
	if (raw instanceof Date) ms = raw.getTime();
	else if (
		raw &&
		typeof raw === 'object' &&
		typeof (raw as { toMillis?: unknown }).toMillis === 'function'
	)
		ms = (raw as { toMillis: () => number }).toMillis();
	else if (typeof raw === 'number' || (typeof raw === 'string' && /^\d+$/.test(raw.trim()))) {
		const n = Number(raw);
		ms = n >= 1e11 ? n : n * 1000;
	} else if (typeof raw === 'string' && raw.trim()) ms = parseZoned(raw.trim(), fns.getTimezone());
	if (raw === undefined || raw === null || raw === '')
		throw itemError(fns, i, `${label} is empty; it needs a date and time`, fix);
	if (!Number.isFinite(ms)) {
		const shown = typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? String(raw));
		throw itemError(
			fns,
			i,
			`${label} is not a date and time: ${JSON.stringify(shown.slice(0, 60))}`,
			fix,
		);
	}
	return Math.floor(ms / 1000);
}

const LOCAL_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/** ISO text as milliseconds; without an offset, read in `timeZone` (an IANA name). */
function parseZoned(text: string, timeZone: string): number {
	const local = LOCAL_ISO.exec(text);
	if (!local) return Date.parse(text);
	const [, y, mo, d, h = '0', mi = '0', s = '0'] = local;
	const asUtc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
	if (Number.isNaN(asUtc) || new Date(asUtc).getUTCDate() !== +d) return NaN;
	// the zone's offset at that moment, from what its clock shows then; twice, for a DST change
	const offsetAt = (t: number) => {
		const parts = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		}).formatToParts(new Date(t));
		const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
		return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - t;
	};
	try {
		const guess = asUtc - offsetAt(asUtc);
		return asUtc - offsetAt(guess);
	} catch {
		return asUtc;
	}
}

/** A list from a multi-select or a text field: an array, or text separated by commas. */
function readList(fns: IExecuteFunctions, i: number, value: unknown, label: string): string[] {
	if (value === undefined || value === null || value === '') return [];
	const entries = Array.isArray(value)
		? value
		: typeof value === 'string' || typeof value === 'number'
			? String(value).split(',')
			: undefined;
	if (!entries)
		throw itemError(
			fns,
			i,
			`${label} must be a list or text separated by commas, but its expression gave an object`,
		);
	return entries
		.map((e: unknown) => {
			if (e !== null && typeof e === 'object')
				throw itemError(
					fns,
					i,
					`${label} has an entry that is ${Array.isArray(e) ? 'a list' : 'an object'}`,
				);
			return String(e ?? '').trim();
		})
		.filter(Boolean);
}

const fmtDate = (seconds: number) => new Date(seconds * 1000).toISOString();

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const waba = readBusinessAccount(this, i, ctx);
	const kindValue = this.getNodeParameter('kind', i, 'pricing') as unknown;
	if (typeof kindValue !== 'string' || !Object.prototype.hasOwnProperty.call(KINDS, kindValue))
		throw itemError(
			this,
			i,
			`Kind must be one of ${Object.keys(KINDS).join(', ')}, got ${JSON.stringify(kindValue)}`,
		);
	const kind = kindValue as AnalyticsKind;
	const spec = KINDS[kind];

	const start = readTime(this, i, 'start', 'Start');
	const end = readTime(this, i, 'end', 'End');
	if (start >= end)
		throw itemError(
			this,
			i,
			`Start (${fmtDate(start)}) must be before End (${fmtDate(end)})`,
			'Swap the two, or widen the period.',
		);
	const earliest = new Date();
	if ('years' in spec.lookback)
		earliest.setUTCFullYear(earliest.getUTCFullYear() - spec.lookback.years);
	else earliest.setTime(earliest.getTime() - spec.lookback.days * 86_400_000);
	if (start * 1000 < earliest.getTime())
		throw itemError(
			this,
			i,
			`Start (${fmtDate(start)}) is too far back: Meta keeps ${spec.noun} analytics for ${'years' in spec.lookback ? `${spec.lookback.years} year` : `${spec.lookback.days} days`}, so the earliest start now is ${earliest.toISOString()}`,
			'Move Start forward.',
		);

	const rawGranularity = this.getNodeParameter('granularity', i, 'DAY') as unknown;
	const granularity =
		typeof rawGranularity === 'string'
			? GRANULARITY_WORDS[rawGranularity.trim().toUpperCase()]
			: undefined;
	const allowed = Object.keys(spec.granularity) as Granularity[];
	if (!granularity)
		throw itemError(
			this,
			i,
			`Granularity must be one of ${allowed.map((g) => GRANULARITY_LABEL[g]).join(', ')}, got ${JSON.stringify(rawGranularity)}`,
		);
	if (!spec.granularity[granularity])
		throw itemError(
			this,
			i,
			`Granularity ${GRANULARITY_LABEL[granularity]} is not available for ${spec.label}: Meta gives ${spec.noun} analytics per ${allowed.map((g) => GRANULARITY_LABEL[g].toLowerCase()).join(', ')} only`,
		);

	let templateIds: string[] | undefined;
	if (kind === 'templates') {
		const raw = readList(this, i, this.getNodeParameter('templateIds', i, ''), 'Template IDs');
		templateIds = [
			...new Set(raw.map((id) => graphId(this.getNode(), id, 'Template IDs', 'template', i))),
		];
		if (!templateIds.length)
			throw itemError(
				this,
				i,
				'Template IDs is empty; template analytics need at least one template ID',
				'Give the IDs of Template > Get Many, separated by commas.',
			);
		if (templateIds.length > LIMIT.templateAnalyticsIds)
			throw itemError(
				this,
				i,
				`Template IDs has ${templateIds.length} templates (Meta takes at most ${LIMIT.templateAnalyticsIds} in one request)`,
				'Split them over several items, or several runs.',
			);
	}

	const given = this.getNodeParameter(spec.filtersParameter, i, {}) as unknown;
	if (given === null || typeof given !== 'object' || Array.isArray(given))
		throw itemError(this, i, 'Filters must be a set of filters');
	const filters: AnalyticsQuery['filters'] = [];
	for (const filter of spec.filters) {
		const label = `Filters > ${filter.label}`;
		const value = (given as IDataObject)[filter.option];
		if (filter.single) {
			if (value === undefined || value === '') continue;
			const canonical = filter.values?.find(
				(v) => typeof value === 'string' && v.toLowerCase() === value.trim().toLowerCase(),
			);
			if (!canonical)
				throw itemError(
					this,
					i,
					`${label} must be one of ${filter.values?.join(', ')}, got ${JSON.stringify(value)}`,
				);
			filters.push({ meta: filter.meta, values: [canonical], single: true });
			continue;
		}
		const entries = readList(this, i, value, label);
		const values = entries.map((entry) => {
			if (filter.value === 'phone') return phoneDigits(this.getNode(), entry, label, i);
			if (filter.value === 'country') return countryCode(this.getNode(), entry, label, i);
			const canonical = filter.values?.find((v) => v.toLowerCase() === entry.toLowerCase());
			if (!canonical)
				throw itemError(
					this,
					i,
					`${label} has ${JSON.stringify(entry.slice(0, 60))}, which is not one of ${filter.values?.join(', ')}`,
				);
			return canonical;
		});
		filters.push({
			meta: filter.meta,
			values: [...new Set(values)],
			numbers: filter.value === 'number',
		});
	}
	if (kind === 'messages') {
		const types = filters.find((f) => f.meta === 'product_types')?.values ?? [];
		if (types.includes(PRODUCT_TYPES.inboundGroup) && types.length > 1)
			throw itemError(
				this,
				i,
				'Filters > Product Types: inbound group messages (103) cannot be combined with another product type',
				'Get them in an item of their own.',
			);
		const countries = filters.find((f) => f.meta === 'country_codes')?.values ?? [];
		if (countries.length && types.some((t) => GROUP_PRODUCT_TYPES.includes(t)))
			throw itemError(
				this,
				i,
				'Filters > Country Codes cannot be used with group product types (101, 102, 103): Meta does not count group messages by country',
				'Remove the country codes, or the group product types.',
			);
	}

	const query: AnalyticsQuery = { kind, start, end, granularity, filters, templateIds };
	// built now, so that a value the builder refuses fails before any request
	analyticsFields(query);

	return async (): Promise<INodeExecutionData[]> => {
		const currency = await accountCurrency(ctx, waba, i);
		const items: INodeExecutionData[] = [];
		const seen = new Set<string>();
		let after: string | undefined;
		do {
			const body = await ctx.call<IDataObject>(
				{ method: 'GET', path: `/${waba}`, qs: { fields: analyticsFields({ ...query, after }) } },
				i,
			);
			const answer = body[spec.field] as IDataObject | undefined;
			for (const group of groupsOf(answer)) {
				const points = Array.isArray(group.data_points) ? (group.data_points as IDataObject[]) : [];
				for (const point of points)
					items.push({
						json: dataPointJson(kind, point, {
							granularity:
								group.granularity ?? answer?.granularity ?? spec.granularity[granularity],
							currency,
							businessAccountId: waba,
							group,
						}),
					});
			}
			// template analytics come in pages; a cursor seen before would loop
			const paging = (answer?.paging ?? {}) as { next?: unknown; cursors?: { after?: unknown } };
			const next = paging.next ? paging.cursors?.after : undefined;
			after = isSafeCursor(next) && !seen.has(next) ? next : undefined;
			if (after) seen.add(after);
		} while (after);
		return items;
	};
}

export const getAnalytics: Operation = { description, paced: false, prepare };
