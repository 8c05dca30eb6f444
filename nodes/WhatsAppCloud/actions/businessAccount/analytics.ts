import type { IDataObject } from 'n8n-workflow';

import { LIMIT } from '../../helpers/limits';

/**
 * Meta's analytics of a WhatsApp Business Account, as one table: per kind the field of the account
 * that answers it, the granularities it takes (Meta spells them differently per field: `DAY` for
 * messages, `DAILY` for the others), how far back it reaches, and the filters it takes with their
 * values. The checks, the editor's fields and the request all read this table.
 */

export type AnalyticsKind = 'messages' | 'pricing' | 'conversations' | 'templates' | 'calls';

/** The node's one granularity list; each kind's own spelling is in its `granularity`. */
export type Granularity = 'HALF_HOUR' | 'DAY' | 'MONTH';

export const GRANULARITY_LABEL: Record<Granularity, string> = {
	HALF_HOUR: 'Half Hour',
	DAY: 'Day',
	MONTH: 'Month',
};

/**
 * A list filter: the option in the kind's Filters collection, its editor label, Meta's name for
 * it, and what a value may be (one of `values`, a phone number, a country code).
 */
export type ListFilter = {
	option: string;
	label: string;
	meta: string;
	value: 'enum' | 'number' | 'phone' | 'country';
	values?: readonly string[];
	/** Meta takes one value, not a list (`product_type(CLOUD_API)`). */
	single?: boolean;
};

export type KindSpec = {
	label: string;
	/** The kind inside a sentence: "template analytics". */
	noun: string;
	field: string;
	granularity: Partial<Record<Granularity, string>>;
	lookback: { years: number } | { days: number };
	/** The node parameter (a collection) that holds the kind's filters. */
	filtersParameter: string;
	filters: ListFilter[];
};

const phoneNumbers: ListFilter = {
	option: 'phoneNumbers',
	label: 'Phone Numbers',
	meta: 'phone_numbers',
	value: 'phone',
};
const countryCodes: ListFilter = {
	option: 'countryCodes',
	label: 'Country Codes',
	meta: 'country_codes',
	value: 'country',
};

/** Meta's product types of the messages field: 0 template, 2 non-template, 100 inbound, 101-103 groups. */
export const PRODUCT_TYPES = {
	template: '0',
	nonTemplate: '2',
	inbound: '100',
	groupNotification: '101',
	groupCustomerSupport: '102',
	inboundGroup: '103',
} as const;

/** Product types of group messages: Meta does not break them down by country. */
export const GROUP_PRODUCT_TYPES: readonly string[] = [
	PRODUCT_TYPES.groupNotification,
	PRODUCT_TYPES.groupCustomerSupport,
	PRODUCT_TYPES.inboundGroup,
];

const PER_PERIOD = { HALF_HOUR: 'HALF_HOUR', DAY: 'DAILY', MONTH: 'MONTHLY' } as const;

export const KINDS: Record<AnalyticsKind, KindSpec> = {
	messages: {
		label: 'Messages',
		noun: 'message',
		field: 'analytics',
		granularity: { HALF_HOUR: 'HALF_HOUR', DAY: 'DAY', MONTH: 'MONTH' },
		lookback: { years: LIMIT.analyticsLookbackYears },
		filtersParameter: 'messageFilters',
		filters: [
			phoneNumbers,
			countryCodes,
			{
				option: 'productTypes',
				label: 'Product Types',
				meta: 'product_types',
				value: 'number',
				values: Object.values(PRODUCT_TYPES),
			},
		],
	},
	pricing: {
		label: 'Pricing',
		noun: 'pricing',
		field: 'pricing_analytics',
		granularity: PER_PERIOD,
		lookback: { years: LIMIT.analyticsLookbackYears },
		filtersParameter: 'pricingFilters',
		filters: [
			phoneNumbers,
			countryCodes,
			{
				option: 'pricingCategories',
				label: 'Pricing Categories',
				meta: 'pricing_categories',
				value: 'enum',
				values: [
					'AUTHENTICATION',
					'AUTHENTICATION_INTERNATIONAL',
					'GROUP_MARKETING',
					'GROUP_SERVICE',
					'GROUP_UTILITY',
					'MARKETING',
					'MARKETING_LITE',
					'REFERRAL_CONVERSION',
					'SERVICE',
					'UTILITY',
				],
			},
			{
				option: 'pricingTypes',
				label: 'Pricing Types',
				meta: 'pricing_types',
				value: 'enum',
				values: [
					'FREE_CUSTOMER_SERVICE',
					'FREE_ENTRY_POINT',
					'FREE_GROUP_CUSTOMER_SERVICE',
					'REGULAR',
				],
			},
			{
				option: 'metricTypes',
				label: 'Metrics',
				meta: 'metric_types',
				value: 'enum',
				values: ['COST', 'VOLUME'],
			},
			{
				option: 'dimensions',
				label: 'Break Down By',
				meta: 'dimensions',
				value: 'enum',
				values: ['COUNTRY', 'PHONE', 'PRICING_CATEGORY', 'PRICING_TYPE', 'TIER'],
			},
		],
	},
	conversations: {
		label: 'Conversations',
		noun: 'conversation',
		field: 'conversation_analytics',
		granularity: PER_PERIOD,
		lookback: { years: LIMIT.analyticsLookbackYears },
		filtersParameter: 'conversationFilters',
		filters: [
			phoneNumbers,
			{
				option: 'conversationCategories',
				label: 'Conversation Categories',
				meta: 'conversation_categories',
				value: 'enum',
				values: ['AUTHENTICATION', 'MARKETING', 'SERVICE', 'UTILITY'],
			},
			{
				option: 'conversationTypes',
				label: 'Conversation Types',
				meta: 'conversation_types',
				value: 'enum',
				values: ['FREE_ENTRY_POINT', 'FREE_TIER', 'REGULAR'],
			},
			{
				option: 'conversationDirections',
				label: 'Conversation Directions',
				meta: 'conversation_directions',
				value: 'enum',
				values: ['BUSINESS_INITIATED', 'UNKNOWN', 'USER_INITIATED'],
			},
			{
				option: 'metricTypes',
				label: 'Metrics',
				meta: 'metric_types',
				value: 'enum',
				values: ['CONVERSATION', 'COST'],
			},
			{
				option: 'dimensions',
				label: 'Break Down By',
				meta: 'dimensions',
				value: 'enum',
				values: [
					'CONVERSATION_CATEGORY',
					'CONVERSATION_DIRECTION',
					'CONVERSATION_TYPE',
					'COUNTRY',
					'PHONE',
				],
			},
		],
	},
	templates: {
		label: 'Templates',
		noun: 'template',
		field: 'template_analytics',
		granularity: { DAY: 'DAILY' },
		lookback: { days: LIMIT.templateAnalyticsLookbackDays },
		filtersParameter: 'templateFilters',
		filters: [
			{
				option: 'metricTypes',
				label: 'Metrics',
				meta: 'metric_types',
				value: 'enum',
				values: ['CLICKED', 'COST', 'DELIVERED', 'READ', 'SENT'],
			},
			{
				option: 'productType',
				label: 'Product Type',
				meta: 'product_type',
				value: 'enum',
				values: ['CLOUD_API', 'MARKETING_MESSAGES_API_FOR_WHATSAPP'],
				single: true,
			},
		],
	},
	calls: {
		label: 'Calls',
		noun: 'call',
		field: 'call_analytics',
		granularity: PER_PERIOD,
		// our reference has no lookback for calls: the year of the other fields is applied
		lookback: { years: LIMIT.analyticsLookbackYears },
		filtersParameter: 'callFilters',
		filters: [
			phoneNumbers,
			countryCodes,
			{
				option: 'directions',
				label: 'Directions',
				meta: 'directions',
				value: 'enum',
				values: ['BUSINESS_INITIATED', 'USER_INITIATED'],
			},
			{
				option: 'metricTypes',
				label: 'Metrics',
				meta: 'metric_types',
				value: 'enum',
				values: ['AVERAGE_DURATION', 'COST', 'COUNT'],
			},
			{
				// Meta writes the call dimensions in lower case
				option: 'dimensions',
				label: 'Break Down By',
				meta: 'dimensions',
				value: 'enum',
				values: ['country', 'direction', 'phone'],
			},
		],
	},
};

/** A request's parts, each already checked: times in Unix seconds, values from the table. */
export type AnalyticsQuery = {
	kind: AnalyticsKind;
	start: number;
	end: number;
	granularity: Granularity;
	/** Meta's filter name and its values (one value for a `single` filter). */
	filters: Array<{ meta: string; values: string[]; single?: boolean; numbers?: boolean }>;
	/** Template analytics only: the template IDs. */
	templateIds?: string[];
	/** The `after` cursor of the page to read. */
	after?: string;
};

/** What may stand in a field expression: words, digits, `_`, and a cursor's `-` and `=`. */
const TOKEN = /^[A-Za-z0-9_]+$/;
const CURSOR = /^[A-Za-z0-9_\-=]+$/;

/**
 * The `fields` value of the one analytics request,
 * `<field>.start(<unix>).end(<unix>).granularity(<G>)[.<filter>([...])…][.after(<cursor>)]`.
 * Lists go as JSON arrays of quoted values (numbers bare), as Meta's samples write them; the HTTP
 * client then percent-encodes the whole value (brackets, quotes, commas and parentheses), which
 * Meta needs. Every value was checked against the table before; they are checked again here, so
 * that nothing but a word or a number can reach the expression and open another field or path.
 */
export function analyticsFields(query: AnalyticsQuery): string {
	const spec = KINDS[query.kind];
	const granularity = spec.granularity[query.granularity];
	const safe = (value: string, pattern = TOKEN) => {
		if (!pattern.test(value))
			throw new Error(`Not a safe analytics value: ${JSON.stringify(value.slice(0, 40))}`);
		return value;
	};
	if (!granularity) throw new Error(`No granularity ${query.granularity} for ${spec.label}`);
	if (!Number.isSafeInteger(query.start) || !Number.isSafeInteger(query.end))
		throw new Error('Analytics times must be whole Unix seconds');
	const parts = [
		spec.field,
		`start(${query.start})`,
		`end(${query.end})`,
		`granularity(${safe(granularity)})`,
	];
	if (query.templateIds?.length)
		parts.push(`template_ids(${list(query.templateIds.map((id) => safe(id)))})`);
	for (const filter of query.filters) {
		if (!filter.values.length) continue;
		const values = filter.values.map((v) => safe(v));
		parts.push(
			`${safe(filter.meta)}(${filter.single ? values[0] : filter.numbers ? `[${values.join(',')}]` : list(values)})`,
		);
	}
	if (query.after !== undefined) parts.push(`after(${safe(query.after, CURSOR)})`);
	return parts.join('.');
}

const list = (values: string[]) => `[${values.map((v) => `"${v}"`).join(',')}]`;

/** Whether a paging cursor may go into the field expression. */
export const isSafeCursor = (cursor: unknown): cursor is string =>
	typeof cursor === 'string' && CURSOR.test(cursor);

/** Meta's data point keys in the node's names; keys not listed keep Meta's name in camelCase. */
const KEY_NAMES: Record<string, string> = {
	phone_number: 'phoneNumber',
	pricing_category: 'pricingCategory',
	pricing_type: 'pricingType',
	conversation: 'conversations',
	conversation_type: 'conversationType',
	conversation_direction: 'conversationDirection',
	conversation_category: 'conversationCategory',
	average_duration: 'averageDuration',
	groups_sent: 'groupsSent',
	groups_delivered: 'groupsDelivered',
	template_id: 'templateId',
};

const camel = (key: string) =>
	KEY_NAMES[key] ?? key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * The pricing words as the trigger's statuses spell them (lower case, underscores), so that a sheet
 * can put the account's figures beside the statuses' `pricingCategory` and `pricingType`.
 */
const pricingWord = (v: unknown) =>
	typeof v === 'string' && v.trim() ? v.trim().toLowerCase().replace(/-/g, '_') : v;

const iso = (v: unknown): string | null => {
	const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
	if (Number.isFinite(n)) return new Date(n * 1000).toISOString();
	// a template's day may come as a date (YYYY-MM-DD)
	if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return new Date(v).toISOString();
	return null;
};

/** A template's clicks by button type, and in all. */
function clicks(value: unknown): IDataObject {
	if (!Array.isArray(value)) return {};
	const byType: Record<string, number> = {};
	let total = 0;
	const buttons = value.map((c: IDataObject) => {
		const count = Number(c.count ?? 0);
		total += Number.isFinite(count) ? count : 0;
		const key = `${camel(String(c.type ?? 'other'))}Clicks`;
		byType[key] = (byType[key] ?? 0) + (Number.isFinite(count) ? count : 0);
		return { type: c.type, buttonContent: c.button_content, count: c.count };
	});
	return { clicked: total, ...byType, clicks: buttons };
}

/** A template's cost list (`amount_spent`, `cost_per_delivered`, …): `cost` is what was spent. */
function costs(value: unknown): IDataObject {
	if (!Array.isArray(value)) return value === undefined ? {} : { cost: value as number };
	const out: IDataObject = {};
	for (const c of value as IDataObject[]) {
		const type = String(c.type ?? '');
		if (type === 'amount_spent') out.cost = c.value as number;
		else if (type) out[camel(type)] = c.value as number;
	}
	return out;
}

/**
 * One output item per data point: when it starts and ends (ISO), the kind, its dimensions, its
 * numbers and the account's currency. Keys Meta adds later pass through in camelCase.
 */
export function dataPointJson(
	kind: AnalyticsKind,
	point: IDataObject,
	context: {
		granularity: unknown;
		currency: string | null;
		businessAccountId: string;
		group: IDataObject;
	},
): IDataObject {
	const json: IDataObject = {
		kind,
		start: iso(point.start),
		end: iso(point.end),
		granularity: context.granularity ?? null,
	};
	for (const [key, value] of Object.entries(point)) {
		if (key === 'start' || key === 'end') continue;
		if (kind === 'templates' && key === 'clicked') Object.assign(json, clicks(value));
		else if (kind === 'templates' && key === 'cost') Object.assign(json, costs(value));
		else if (key === 'pricing_category' || key === 'pricing_type')
			json[camel(key)] = pricingWord(value) as string;
		else json[camel(key)] = value as IDataObject;
	}
	// the messages field names its filters beside the data points, not in them
	if (kind === 'messages') {
		if (Array.isArray(context.group.phone_numbers))
			json.phoneNumbers = context.group.phone_numbers as string[];
		if (Array.isArray(context.group.country_codes))
			json.countryCodes = context.group.country_codes as string[];
	}
	if (kind === 'templates' && context.group.product_type !== undefined)
		json.productType = context.group.product_type as string;
	if (kind === 'calls' && context.group.directions !== undefined)
		json.directions = context.group.directions as string;
	json.currency = context.currency;
	json.businessAccountId = context.businessAccountId;
	return json;
}

/**
 * The data point groups of a field's answer. Meta answers `analytics` and `call_analytics` with the
 * data points on the field, the others with a `data` list of groups.
 */
export function groupsOf(answer: unknown): IDataObject[] {
	if (!answer || typeof answer !== 'object') return [];
	const a = answer as IDataObject;
	if (Array.isArray(a.data)) return a.data as IDataObject[];
	return [a];
}
