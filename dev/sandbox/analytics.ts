/**
 * A WhatsApp Business Account's analytics fields (`GET /{waba-id}?fields=<field>.start(..).end(..)
 * .granularity(..)[.<filter>(..)]`) and its `currency`. Each field takes its own granularity words,
 * lookback and filter values, and refuses anything else with a Graph error, as Meta does. The data
 * points are the seeded ones (`seed`), or, for a field without seeds, what the sandbox derives from
 * the messages it accepted: counted per period, priced from a small rate card, per template.
 *
 * Meta's exact wording of these refusals is not in our reference: the messages here are the
 * sandbox's own, with Meta's code 100 (and subcode 2388077 for product type 103 combined), and
 * "Cost not available" as our reference quotes it.
 */
import { graphError, SANDBOX_WABA_ID, type Req, type Res } from './graph';
import type { GraphSandbox } from './server';

export type AnalyticsField =
	| 'analytics'
	| 'pricing_analytics'
	| 'conversation_analytics'
	| 'template_analytics'
	| 'call_analytics';

/** A data point as Meta gives it: `start`, `end` (Unix seconds), dimensions and numbers. */
export type SandboxDataPoint = { start: number; end: number; [key: string]: unknown };

type FieldRule = {
	granularity: string[];
	lookbackDays: number;
	/** Filter -> allowed values (undefined: any value of the filter's form). */
	filters: Record<string, readonly string[] | undefined>;
	/** The data point key each filter compares. */
	keys: Record<string, string>;
};

const YEAR_DAYS = 366;

const RULES: Record<AnalyticsField, FieldRule> = {
	analytics: {
		granularity: ['HALF_HOUR', 'DAY', 'MONTH'],
		lookbackDays: YEAR_DAYS,
		filters: {
			phone_numbers: undefined,
			country_codes: undefined,
			product_types: ['0', '2', '100', '101', '102', '103'],
		},
		keys: {},
	},
	pricing_analytics: {
		granularity: ['HALF_HOUR', 'DAILY', 'MONTHLY'],
		lookbackDays: YEAR_DAYS,
		filters: {
			phone_numbers: undefined,
			country_codes: undefined,
			metric_types: ['COST', 'VOLUME'],
			pricing_types: [
				'FREE_CUSTOMER_SERVICE',
				'FREE_ENTRY_POINT',
				'FREE_GROUP_CUSTOMER_SERVICE',
				'REGULAR',
			],
			pricing_categories: [
				'AUTHENTICATION',
				'AUTHENTICATION_INTERNATIONAL',
				'MARKETING',
				'MARKETING_LITE',
				'SERVICE',
				'UTILITY',
				'REFERRAL_CONVERSION',
				'GROUP_MARKETING',
				'GROUP_SERVICE',
				'GROUP_UTILITY',
			],
			dimensions: ['COUNTRY', 'PHONE', 'PRICING_CATEGORY', 'PRICING_TYPE', 'TIER'],
		},
		keys: {
			phone_numbers: 'phone_number',
			country_codes: 'country',
			pricing_types: 'pricing_type',
			pricing_categories: 'pricing_category',
		},
	},
	conversation_analytics: {
		granularity: ['HALF_HOUR', 'DAILY', 'MONTHLY'],
		lookbackDays: YEAR_DAYS,
		filters: {
			phone_numbers: undefined,
			metric_types: ['COST', 'CONVERSATION'],
			conversation_categories: ['AUTHENTICATION', 'MARKETING', 'SERVICE', 'UTILITY'],
			conversation_types: ['FREE_ENTRY_POINT', 'FREE_TIER', 'REGULAR'],
			conversation_directions: ['BUSINESS_INITIATED', 'USER_INITIATED', 'UNKNOWN'],
			dimensions: [
				'CONVERSATION_CATEGORY',
				'CONVERSATION_DIRECTION',
				'CONVERSATION_TYPE',
				'COUNTRY',
				'PHONE',
			],
		},
		keys: {
			phone_numbers: 'phone_number',
			conversation_categories: 'conversation_category',
			conversation_types: 'conversation_type',
			conversation_directions: 'conversation_direction',
		},
	},
	template_analytics: {
		granularity: ['DAILY'],
		lookbackDays: 90,
		filters: {
			template_ids: undefined,
			metric_types: ['COST', 'CLICKED', 'DELIVERED', 'READ', 'SENT'],
			product_type: ['CLOUD_API', 'MARKETING_MESSAGES_API_FOR_WHATSAPP'],
			use_waba_timezone: ['true', 'false'],
		},
		keys: { template_ids: 'template_id' },
	},
	call_analytics: {
		granularity: ['HALF_HOUR', 'DAILY', 'MONTHLY'],
		lookbackDays: YEAR_DAYS,
		filters: {
			phone_numbers: undefined,
			country_codes: undefined,
			directions: ['BUSINESS_INITIATED', 'USER_INITIATED'],
			dimensions: ['phone', 'direction', 'country'],
			metric_types: ['COUNT', 'COST', 'AVERAGE_DURATION'],
		},
		keys: { phone_numbers: 'phone_number', country_codes: 'country', directions: 'direction' },
	},
};

const MAX_TEMPLATE_IDS = 10;

/** The sandbox's rate card (USD per delivered message), for data derived from accepted messages. */
const RATES: Record<string, number> = {
	MARKETING: 0.025,
	UTILITY: 0.004,
	AUTHENTICATION: 0.0135,
	SERVICE: 0,
};

/** Calling codes of a few countries, longest first, to place a recipient. */
const CALLING_CODES: Array<[string, string]> = [
	['91', 'IN'],
	['55', 'BR'],
	['49', 'DE'],
	['44', 'GB'],
	['34', 'ES'],
	['1', 'US'],
];

const PERIOD_SECONDS: Record<string, number> = {
	HALF_HOUR: 1800,
	DAY: 86_400,
	DAILY: 86_400,
};

type Parsed = { name: string; modifiers: Map<string, string> };

export class Analytics {
	/** Seeded data points by account and field. */
	private readonly seeds = new Map<string, SandboxDataPoint[]>();

	/** Each account's currency (ISO 4217); an account not in it pays in USD. */
	readonly currencies = new Map<string, string>();

	/** Accounts that have not turned template analytics on (`is_enabled_for_insights`). */
	readonly insightsDisabled = new Set<string>();

	/** Accounts on a Solution Partner's credit line: Meta never gives them `COST`. */
	readonly partnerCredit = new Set<string>();

	/** Data points of template analytics per page. */
	pageSize = 25;

	constructor(private readonly sandbox: GraphSandbox) {}

	reset(): void {
		this.seeds.clear();
		this.currencies.clear();
		this.insightsDisabled.clear();
		this.partnerCredit.clear();
		this.pageSize = 25;
	}

	/**
	 * Adds data points that a field answers for an account (the sandbox's unless told), with Meta's
	 * keys; a field with seeds answers from them only.
	 */
	seed(field: AnalyticsField, points: SandboxDataPoint[], wabaId = SANDBOX_WABA_ID): void {
		const key = `${wabaId}|${field}`;
		this.seeds.set(key, [...(this.seeds.get(key) ?? []), ...points]);
	}

	/**
	 * `GET /{waba-id}` with `currency`, `is_enabled_for_insights` or an analytics field; undefined
	 * when none of the fields is one of these, for the account's other fields to answer.
	 */
	account(wabaId: string, req: Req): Res | undefined {
		const fields = splitTop(req.query.get('fields') ?? '');
		const ours = (f: string) =>
			f === 'currency' || f === 'is_enabled_for_insights' || fieldName(f) in RULES;
		if (!fields.some(ours)) return undefined;
		const body: Record<string, unknown> = { id: wabaId };
		for (const f of fields) {
			if (f === 'id') continue;
			if (f === 'currency') body.currency = this.currencies.get(wabaId) ?? 'USD';
			else if (f === 'is_enabled_for_insights')
				body.is_enabled_for_insights = !this.insightsDisabled.has(wabaId);
			else if (fieldName(f) in RULES) {
				const parsed = parseField(f);
				if ('error' in parsed) return parsed.error;
				const answer = this.answer(wabaId, parsed);
				if ('status' in answer) return answer as Res;
				if (answer.value !== undefined) body[parsed.name] = answer.value;
			} else
				return graphError(
					400,
					100,
					`Tried accessing nonexisting field (${f}) on node type (WhatsAppBusinessAccount)`,
				);
		}
		return { status: 200, body };
	}

	private answer(wabaId: string, q: Parsed): Res | { value: unknown } {
		const field = q.name as AnalyticsField;
		const rule = RULES[field];
		const m = q.modifiers;
		for (const name of m.keys())
			if (
				!['start', 'end', 'granularity', 'after', 'limit'].includes(name) &&
				!(name in rule.filters)
			)
				return graphError(400, 100, `Unknown modifier ${name} for field ${field}`);
		const start = time(m.get('start'));
		const end = time(m.get('end'));
		if (start === undefined || end === undefined)
			return graphError(400, 100, 'The parameters start and end are required, as Unix timestamps');
		const granularity = m.get('granularity');
		if (!granularity) return graphError(400, 100, 'The parameter granularity is required');
		if (!rule.granularity.includes(granularity))
			return graphError(
				400,
				100,
				`Param granularity must be one of {${rule.granularity.join(', ')}} for ${field}`,
			);
		if (start >= end) return graphError(400, 100, 'start must be before end');
		const earliest = Math.floor(Date.now() / 1000) - rule.lookbackDays * 86_400;
		if (start < earliest)
			return graphError(
				400,
				100,
				`start is too far back: ${field} goes back at most ${rule.lookbackDays === YEAR_DAYS ? '1 year' : `${rule.lookbackDays} days`}`,
			);
		const filters = new Map<string, string[]>();
		for (const [name, allowed] of Object.entries(rule.filters)) {
			const raw = m.get(name);
			if (raw === undefined) continue;
			const values = listValues(raw);
			if (!values) return graphError(400, 100, `Param ${name} must be a list`);
			const bad = allowed ? values.find((v) => !allowed.includes(v)) : undefined;
			if (bad !== undefined)
				return graphError(400, 100, `Param ${name}[] must be one of {${allowed!.join(', ')}}`);
			filters.set(name, values);
		}
		const types = filters.get('product_types') ?? [];
		if (types.includes('103') && types.length > 1)
			return graphError(400, 100, 'Product type 103 cannot be combined with other product types', {
				error_subcode: 2388077,
			});
		if (field === 'template_analytics') {
			if (this.insightsDisabled.has(wabaId))
				return graphError(
					400,
					100,
					'Template analytics are not enabled for this WhatsApp Business Account (is_enabled_for_insights)',
				);
			const ids = filters.get('template_ids') ?? [];
			if (!ids.length) return graphError(400, 100, 'The parameter template_ids is required');
			if (ids.length > MAX_TEMPLATE_IDS)
				return graphError(400, 100, `template_ids takes at most ${MAX_TEMPLATE_IDS} template IDs`);
		}
		const metrics = filters.get('metric_types');
		if (
			this.partnerCredit.has(wabaId) &&
			metrics?.length === 1 &&
			metrics[0] === 'COST' &&
			field !== 'analytics'
		)
			return graphError(400, 100, 'Cost not available');

		let points = this.seeds.get(`${wabaId}|${field}`) ?? this.derive(wabaId, field, granularity);
		points = points.filter((p) => p.start >= start && p.end <= end);
		for (const [name, values] of filters) {
			const key = rule.keys[name];
			// a seeded point without the key is one the filter cannot tell apart: it stays
			if (key)
				points = points.filter((p) => p[key] === undefined || values.includes(String(p[key])));
		}
		if (this.partnerCredit.has(wabaId))
			points = points.map(
				(p) =>
					Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'cost')) as SandboxDataPoint,
			);
		points = [...points].sort((a, b) => a.start - b.start);

		if (field === 'analytics') {
			const phones = filters.get('phone_numbers');
			const countries = filters.get('country_codes');
			return {
				value: {
					...(phones ? { phone_numbers: phones } : {}),
					...(countries ? { country_codes: countries } : {}),
					granularity,
					data_points: points,
				},
			};
		}
		if (field === 'call_analytics')
			return {
				value: {
					granularity,
					...(filters.get('directions')
						? { directions: filters.get('directions')!.join(',') }
						: {}),
					data_points: points,
				},
			};
		if (field === 'template_analytics') {
			const offset = m.has('after') ? decodeCursor(m.get('after')!) : 0;
			if (offset === undefined) return graphError(400, 100, 'Invalid cursor');
			const page = points.slice(offset, offset + this.pageSize);
			const more = offset + this.pageSize < points.length;
			return {
				value: {
					data: [{ granularity: 'DAILY', product_type: 'cloud_api', data_points: page }],
					paging: {
						cursors: { before: encodeCursor(offset), after: encodeCursor(offset + page.length) },
						...(more
							? {
									next: `https://graph.facebook.com/v25.0/${wabaId}/template_analytics?after=${encodeCursor(offset + page.length)}`,
								}
							: {}),
					},
				},
			};
		}
		// pricing and conversations: the keys of dimensions not asked for are left out
		const dimensions = filters.get('dimensions') ?? [];
		return {
			value: {
				data: [
					{
						data_points: field === 'pricing_analytics' ? byDimensions(points, dimensions) : points,
					},
				],
			},
		};
	}

	/** Data points from the accepted messages of the account's numbers, per period. */
	private derive(wabaId: string, field: AnalyticsField, granularity: string): SandboxDataPoint[] {
		const numbers = new Map(
			this.sandbox.options.phoneNumbers
				.filter((p) => p.wabaId === wabaId)
				.map((p) => [p.id, p.display_phone_number]),
		);
		const buckets = new Map<string, SandboxDataPoint>();
		for (const message of this.sandbox.accepted) {
			const phone = numbers.get(message.phoneNumberId);
			if (!phone) continue;
			const [start, end] = period(message.at, granularity);
			const body = message.body;
			const template =
				body.type === 'template' ? this.templateOf(wabaId, body.template) : undefined;
			const to = String(body.to ?? '').replace(/\D/g, '');
			const country = CALLING_CODES.find(([prefix]) => to.startsWith(prefix))?.[1] ?? 'US';
			if (field === 'analytics') {
				const p = bucket(buckets, `${start}`, { start, end, sent: 0, delivered: 0 });
				(p.sent as number)++;
				(p.delivered as number)++;
			} else if (field === 'pricing_analytics') {
				const category = template ? String(template.category).toUpperCase() : 'SERVICE';
				const type = template ? 'REGULAR' : 'FREE_CUSTOMER_SERVICE';
				const p = bucket(buckets, `${start}|${category}|${type}|${country}|${phone}`, {
					start,
					end,
					phone_number: phone,
					country,
					pricing_category: category,
					pricing_type: type,
					volume: 0,
					cost: 0,
				});
				(p.volume as number)++;
				p.cost = round((p.cost as number) + (type === 'REGULAR' ? (RATES[category] ?? 0) : 0));
			} else if (field === 'template_analytics' && template) {
				const p = bucket(buckets, `${start}|${template.id}`, {
					start,
					end,
					template_id: template.id,
					sent: 0,
					delivered: 0,
					read: 0,
				});
				(p.sent as number)++;
				(p.delivered as number)++;
			}
		}
		return [...buckets.values()];
	}

	private templateOf(wabaId: string, sent: unknown) {
		const t = (sent ?? {}) as { name?: string; language?: { code?: string } };
		return [...this.sandbox.templates.values()].find(
			(x) => x.wabaId === wabaId && x.name === t.name && x.language === t.language?.code,
		);
	}
}

function bucket(
	buckets: Map<string, SandboxDataPoint>,
	key: string,
	initial: SandboxDataPoint,
): SandboxDataPoint {
	let p = buckets.get(key);
	if (!p) buckets.set(key, (p = initial));
	return p;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** The period (Unix seconds) a moment falls in, in UTC. */
function period(atMs: number, granularity: string): [number, number] {
	const at = Math.floor(atMs / 1000);
	const length = PERIOD_SECONDS[granularity];
	if (length) {
		const start = at - (at % length);
		return [start, start + length];
	}
	const d = new Date(atMs);
	const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
	const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 1000;
	return [start, end];
}

const DIMENSION_KEYS: Record<string, string> = {
	COUNTRY: 'country',
	PHONE: 'phone_number',
	PRICING_CATEGORY: 'pricing_category',
	PRICING_TYPE: 'pricing_type',
	TIER: 'tier',
};

/**
 * Pricing data points summed over the dimensions not asked for; `tier` only with TIER, PRICING_CATEGORY
 * and COUNTRY together, as Meta gives it.
 */
function byDimensions(points: SandboxDataPoint[], dimensions: string[]): SandboxDataPoint[] {
	const keep = dimensions.map((d) => DIMENSION_KEYS[d]).filter((k) => k !== 'tier');
	const tier = ['TIER', 'PRICING_CATEGORY', 'COUNTRY'].every((d) => dimensions.includes(d));
	if (tier) keep.push('tier');
	const out = new Map<string, SandboxDataPoint>();
	for (const p of points) {
		const key = [p.start, p.end, ...keep.map((k) => String(p[k]))].join('|');
		const sum = bucket(out, key, {
			start: p.start,
			end: p.end,
			...Object.fromEntries(keep.filter((k) => p[k] !== undefined).map((k) => [k, p[k]])),
		});
		for (const n of ['volume', 'cost'])
			if (typeof p[n] === 'number') sum[n] = round(((sum[n] as number) ?? 0) + (p[n] as number));
	}
	return [...out.values()];
}

/** The field's name: what comes before its first modifier. */
const fieldName = (f: string) => f.split('.')[0];

/** `a,b.c([1,2]),d` -> `a`, `b.c([1,2])`, `d`: commas inside brackets, parentheses or quotes stay. */
function splitTop(fields: string): string[] {
	const out: string[] = [];
	let depth = 0;
	let quoted = false;
	let current = '';
	for (const c of fields) {
		if (c === '"') quoted = !quoted;
		if (!quoted && (c === '(' || c === '[')) depth++;
		if (!quoted && (c === ')' || c === ']')) depth--;
		if (c === ',' && depth === 0 && !quoted) {
			out.push(current.trim());
			current = '';
		} else current += c;
	}
	if (current.trim()) out.push(current.trim());
	return out.filter(Boolean);
}

/** `field.mod(arg).mod(arg)` into its name and modifiers; a malformed expression is Meta's 100. */
function parseField(text: string): Parsed | { error: Res } {
	const dot = text.indexOf('.');
	const name = dot < 0 ? text : text.slice(0, dot);
	const modifiers = new Map<string, string>();
	let rest = dot < 0 ? '' : text.slice(dot + 1);
	while (rest) {
		const open = rest.indexOf('(');
		if (open <= 0)
			return { error: graphError(400, 100, `Syntax error in field expression "${text}"`) };
		const mod = rest.slice(0, open);
		let depth = 0;
		let close = -1;
		let quoted = false;
		for (let k = open; k < rest.length; k++) {
			const c = rest[k];
			if (c === '"') quoted = !quoted;
			if (quoted) continue;
			if (c === '(') depth++;
			if (c === ')' && --depth === 0) {
				close = k;
				break;
			}
		}
		if (close < 0 || !/^[a-z_]+$/.test(mod))
			return { error: graphError(400, 100, `Syntax error in field expression "${text}"`) };
		modifiers.set(mod, rest.slice(open + 1, close));
		rest = rest.slice(close + 1);
		if (rest.startsWith('.')) rest = rest.slice(1);
		else if (rest)
			return { error: graphError(400, 100, `Syntax error in field expression "${text}"`) };
	}
	return { name, modifiers };
}

/** `["A","B"]`, `[0,2]`, `A,B` or `A`: Meta's samples write lists all these ways. */
function listValues(raw: string): string[] | undefined {
	const text = raw.trim();
	if (text.startsWith('[')) {
		try {
			const parsed = JSON.parse(text) as unknown;
			return Array.isArray(parsed) ? parsed.map(String) : undefined;
		} catch {
			return undefined;
		}
	}
	return text
		.split(',')
		.map((v) => v.trim())
		.filter(Boolean);
}

/** Unix seconds, or a date (YYYY-MM-DD, 00:00 UTC) as template analytics take it. */
function time(raw: string | undefined): number | undefined {
	if (raw === undefined) return undefined;
	if (/^\d+$/.test(raw)) return Number(raw);
	if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return Date.parse(`${raw}T00:00:00Z`) / 1000;
	return undefined;
}

const encodeCursor = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');

function decodeCursor(cursor: string): number | undefined {
	const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
	return match ? Number(match[1]) : undefined;
}
