/**
 * The template lifecycle beyond create, read, edit and delete (templates.ts): archive and
 * unarchive (on their own host, without a version segment, as the one known client calls them),
 * unpause, compare, Meta's Template Library and templates made from it, the max price
 * (`optimization_spec`) of marketing templates, and the edit limits of approved templates.
 *
 * Where Meta's exact error code for a refusal is not known to our reference (the edit limits, the
 * comparison's rules, the library's inputs), the sandbox answers as Meta answers a bad parameter:
 * code 100 with an error_user_msg that says what is wrong.
 */
import { graphError, type Req, type Res, type SandboxTemplate } from './graph';
import type { GraphSandbox } from './server';

type Json = Record<string, unknown>;
const upper = (v: unknown) => String(v ?? '').toUpperCase();
const invalid = (message: string, extra: Json = {}) =>
	graphError(400, 100, 'Invalid parameter', { error_user_msg: message, ...extra });

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The windows Meta compares, in seconds. */
const COMPARE_WINDOWS = [7, 30, 60, 90].map((d) => d * 86_400);

/** A library template as Meta's `GET /message_template_library` lists it. */
export type LibraryTemplate = {
	id: string;
	name: string;
	language: string;
	category: 'UTILITY' | 'AUTHENTICATION';
	topic: string;
	usecase: string;
	industry: string[];
	body: string;
	body_params: string[];
	buttons: Array<{ type: string; text?: string; url?: string; phone_number?: string }>;
};

/** A few of Meta's library templates: with a URL and a phone button, with none, and a code button. */
export const LIBRARY_TEMPLATES: LibraryTemplate[] = [
	{
		id: '7000000000000001',
		name: 'delivery_update_1',
		language: 'en_US',
		category: 'UTILITY',
		topic: 'ORDER_MANAGEMENT',
		usecase: 'DELIVERY_UPDATE',
		industry: ['E_COMMERCE'],
		body: 'Good news! Your order #{{1}} is on its way. Track it with the button below.',
		body_params: ['12345'],
		buttons: [
			{ type: 'URL', text: 'Track order', url: 'https://www.example.com/{{1}}' },
			{ type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+16315551010' },
		],
	},
	{
		id: '7000000000000002',
		name: 'low_balance_warning_1',
		language: 'en_US',
		category: 'UTILITY',
		topic: 'ACCOUNT_UPDATE',
		usecase: 'LOW_BALANCE_WARNING',
		industry: ['FINANCIAL_SERVICES'],
		body: 'Hi {{1}}, the balance of your account ending in {{2}} is below {{3}}.',
		body_params: ['Jim', '1234', '$100'],
		buttons: [],
	},
	{
		id: '7000000000000003',
		name: 'payment_due_reminder_1',
		language: 'en_US',
		category: 'UTILITY',
		topic: 'PAYMENTS',
		usecase: 'PAYMENT_DUE_REMINDER',
		industry: ['FINANCIAL_SERVICES'],
		body: 'Hi {{1}}, your payment of {{2}} is due on {{3}}.',
		body_params: ['Jim', '$50', 'June 1'],
		buttons: [{ type: 'URL', text: 'Pay now', url: 'https://www.example.com/{{1}}' }],
	},
	{
		id: '7000000000000004',
		name: 'verification_code_1',
		language: 'en_US',
		category: 'AUTHENTICATION',
		topic: 'ACCOUNT_UPDATE',
		usecase: 'VERIFICATION',
		industry: ['E_COMMERCE', 'FINANCIAL_SERVICES'],
		body: '{{1}} is your verification code.',
		body_params: ['123456'],
		buttons: [{ type: 'OTP', text: 'Copy code' }],
	},
];

/** What Meta's comparison knows of a template: its sends, its block rate and main block reason. */
export type CompareStats = { sends: number; blockRate: number; topBlockReason: string };

export class TemplateLifecycle {
	/** Content edits of each template (ms timestamps), for the 1-in-24-hours, 10-in-30-days limits. */
	readonly edits = new Map<string, number[]>();

	/** Max price edits of each template (ms timestamps), 100 an hour and 2,400 a day. */
	readonly priceEdits = new Map<string, number[]>();

	/** What the comparison reads per template; a template without stats has no sends. */
	readonly stats = new Map<string, CompareStats>();

	/** The status each archived template had, to give back when it is unarchived. */
	private readonly archivedFrom = new Map<string, string>();

	private counter = 0;

	constructor(private readonly sandbox: GraphSandbox) {}

	reset(): void {
		this.edits.clear();
		this.priceEdits.clear();
		this.stats.clear();
		this.archivedFrom.clear();
	}

	private template(id: string): SandboxTemplate | undefined {
		return this.sandbox.templates.get(id);
	}

	/** The status webhook Meta sends when a template is archived or unarchived. */
	private async notify(t: SandboxTemplate, event: string): Promise<void> {
		if (!this.sandbox.destinationFor(t.wabaId, 'message_template_status_update')) return;
		await this.sandbox.deliver({
			object: 'whatsapp_business_account',
			entry: [
				{
					id: t.wabaId,
					time: Math.floor(Date.now() / 1000),
					changes: [
						{
							field: 'message_template_status_update',
							value: {
								event,
								message_template_id: Number(t.id),
								message_template_name: t.name,
								message_template_language: t.language,
								reason: 'NONE',
								message_template_category: t.category,
							},
						},
					],
				},
			],
		} as never);
	}

	/**
	 * `POST /{waba-id}/message_templates/archive|unarchive` `{"hsm_ids":"1,2"}`: up to 100 IDs; each
	 * archived (unarchived) or failed with a reason (unknown, of another account, already archived,
	 * not archived), in one answer.
	 */
	async archive(wabaId: string, action: 'archive' | 'unarchive', req: Req): Promise<Res> {
		const raw = req.json?.hsm_ids;
		if (typeof raw !== 'string' || !/^\d+(,\d+)*$/.test(raw))
			return invalid('hsm_ids must be a comma-separated list of template IDs.');
		const ids = raw.split(',');
		if (ids.length > 100)
			return invalid('You can archive or unarchive at most 100 templates at a time.');
		const done: string[] = [];
		const failed: Record<string, string> = {};
		for (const id of ids) {
			const t = this.template(id);
			if (!t || t.wabaId !== wabaId)
				failed[id] = 'Template does not exist in this WhatsApp Business Account.';
			else if (action === 'archive' && t.status === 'ARCHIVED')
				failed[id] = 'Template is already archived.';
			else if (
				action === 'archive' &&
				['PENDING_DELETION', 'DELETED', 'DISABLED'].includes(t.status)
			)
				failed[id] = `A template with status ${t.status} cannot be archived.`;
			else if (action === 'unarchive' && t.status !== 'ARCHIVED')
				failed[id] = 'Template is not archived.';
			else {
				if (action === 'archive') {
					this.archivedFrom.set(id, t.status);
					t.status = 'ARCHIVED';
				} else {
					t.status = this.archivedFrom.get(id) ?? 'APPROVED';
					this.archivedFrom.delete(id);
				}
				done.push(id);
				await this.notify(t, action === 'archive' ? 'ARCHIVED' : 'UNARCHIVED');
			}
		}
		return {
			status: 200,
			body: {
				[action === 'archive' ? 'archived_templates' : 'unarchived_templates']: done,
				failed_templates: failed,
			},
		};
	}

	/** `POST /{template-id}/unpause`: a paused template is approved again; anything else is refused. */
	unpause(t: SandboxTemplate): Res {
		if (t.status !== 'PAUSED')
			return {
				status: 200,
				body: { success: false, reason: `Template is not paused. Its status is ${t.status}.` },
			};
		t.status = 'APPROVED';
		return { status: 200, body: { success: true } };
	}

	/**
	 * `GET /{template-id}/compare?template_ids=[<other>]&start=&end=`: exactly one other template of
	 * the same account, a window of 7, 30, 60 or 90 days ending now, each template sent at least
	 * 1,000 times.
	 */
	compare(t: SandboxTemplate, req: Req): Res {
		if (req.method !== 'GET') return graphError(400, 100, 'Unsupported method');
		let others: unknown;
		try {
			others = JSON.parse(req.query.get('template_ids') ?? '');
		} catch {
			return invalid('template_ids must be a list of template IDs, such as [1234567890].');
		}
		if (!Array.isArray(others) || others.length !== 1)
			return invalid('A comparison takes exactly 2 templates: give one ID in template_ids.');
		const other = this.template(String(others[0]));
		if (String(others[0]) === t.id) return invalid('Compare two different templates.');
		if (!other || other.wabaId !== t.wabaId)
			return invalid('Both templates must belong to the same WhatsApp Business Account.');
		const start = Number(req.query.get('start'));
		const end = Number(req.query.get('end'));
		const now = Date.now() / 1000;
		if (
			!Number.isInteger(start) ||
			!Number.isInteger(end) ||
			!COMPARE_WINDOWS.includes(end - start) ||
			Math.abs(end - now) > 3600
		)
			return invalid('The time range must be the last 7, 30, 60 or 90 days.');
		for (const x of [t, other])
			if ((this.stats.get(x.id)?.sends ?? 0) < 1000)
				return invalid(
					`Template ${x.id} was sent fewer than 1,000 times in this time range; both templates need at least 1,000 sends.`,
				);
		const pair = [t, other].map((x) => ({ id: x.id, ...this.stats.get(x.id)! }));
		return {
			status: 200,
			body: {
				data: [
					{
						metric: 'BLOCK_RATE',
						type: 'RELATIVE',
						order_by_relative_metric: [...pair]
							.sort((a, b) => a.blockRate - b.blockRate)
							.map((p) => p.id),
					},
					{
						metric: 'MESSAGE_SENDS',
						number_values: pair.map((p) => ({ key: p.id, value: p.sends })),
					},
					{
						metric: 'TOP_BLOCK_REASON',
						string_values: pair.map((p) => ({ key: p.id, value: p.topBlockReason })),
					},
				],
			},
		};
	}

	/** `GET /message_template_library`: filtered by search (name or body), name, language, topic... */
	library(req: Req): Res {
		const q = (k: string) => req.query.get(k) ?? '';
		const search = q('search').toLowerCase();
		const list = LIBRARY_TEMPLATES.filter(
			(t) =>
				(!search || t.name.includes(search) || t.body.toLowerCase().includes(search)) &&
				(!q('name') || t.name === q('name')) &&
				(!q('language') || t.language === q('language')) &&
				(!q('topic') || t.topic === q('topic')) &&
				(!q('usecase') || t.usecase === q('usecase')) &&
				(!q('industry') || t.industry.includes(q('industry'))),
		);
		const limit = Math.max(1, Number(q('limit') || 25));
		const start = q('after') ? Number(Buffer.from(q('after'), 'base64').toString()) : 0;
		const page = list.slice(start, start + limit);
		const after = Buffer.from(String(start + page.length)).toString('base64');
		return {
			status: 200,
			body: {
				data: page,
				paging: {
					cursors: { before: Buffer.from(String(start)).toString('base64'), after },
					...(start + page.length < list.length
						? { next: `${this.sandbox.url}/v25.0/message_template_library?after=${after}` }
						: {}),
				},
			},
		};
	}

	/**
	 * A create with `library_template_name`: the library template must exist in that language and
	 * category, and every button that needs one must get its input, in order; the template is
	 * approved at once.
	 */
	createFromLibrary(wabaId: string, b: Json): Res {
		const name = String(b.name ?? '');
		if (!/^[a-z0-9_]{1,512}$/.test(name))
			return graphError(400, 100, 'Invalid parameter', {
				error_subcode: 2388042,
				error_user_msg: 'Template name can only have lowercase letters, numbers and underscores.',
			});
		const lib = LIBRARY_TEMPLATES.find((t) => t.name === b.library_template_name);
		if (!lib)
			return invalid(`Library template "${String(b.library_template_name)}" does not exist.`);
		if (lib.language !== b.language)
			return invalid(`The library template is not available in ${String(b.language)}.`);
		if (upper(b.category) !== lib.category)
			return invalid(`This library template's category is ${lib.category}.`);
		if (b.components !== undefined)
			return invalid('A library template takes library_template_button_inputs, not components.');
		if (
			[...this.sandbox.templates.values()].some(
				(t) => t.wabaId === wabaId && t.name === name && t.language === b.language,
			)
		)
			return graphError(400, 100, 'Invalid parameter', {
				error_subcode: 2388024,
				error_user_title: 'Message template already exists',
				error_user_msg: `There is already ${String(b.language)} content for this template. You can create a new template and try again.`,
			});
		let inputs = b.library_template_button_inputs ?? [];
		// Meta's own sample sends the list as a quoted string: taken too
		if (typeof inputs === 'string') {
			try {
				inputs = JSON.parse(inputs.replace(/'/g, '"'));
			} catch {
				return invalid('library_template_button_inputs must be a list of button inputs.');
			}
		}
		if (!Array.isArray(inputs))
			return invalid('library_template_button_inputs must be a list of button inputs.');
		const needing = lib.buttons.filter((x) => ['URL', 'PHONE_NUMBER', 'OTP'].includes(x.type));
		const given = (inputs as Json[]).filter((x) =>
			['URL', 'PHONE_NUMBER', 'OTP'].includes(upper(x.type)),
		);
		if (given.length !== needing.length || needing.some((x, k) => upper(given[k].type) !== x.type))
			return invalid(
				needing.length
					? `library_template_button_inputs: this library template needs inputs for its buttons ${needing.map((x) => x.type).join(', ')}, in that order.`
					: 'This library template has no buttons that take inputs.',
			);
		for (const input of given) {
			const type = upper(input.type);
			const url = input.url as Json | undefined;
			if (
				type === 'URL' &&
				(!/^https:\/\//.test(String(url?.base_url ?? '')) ||
					!/^https:\/\//.test(String(url?.url_suffix_example ?? '')))
			)
				return invalid('A URL button input needs url.base_url and url.url_suffix_example (https).');
			if (type === 'PHONE_NUMBER' && !/^\+?\d{1,20}$/.test(String(input.phone_number ?? '')))
				return invalid('A PHONE_NUMBER button input needs phone_number.');
			if (type === 'OTP' && !['COPY_CODE', 'ONE_TAP', 'ZERO_TAP'].includes(upper(input.otp_type)))
				return invalid('An OTP button input needs otp_type COPY_CODE, ONE_TAP or ZERO_TAP.');
		}
		const body = (b.library_template_body_inputs ?? {}) as Json;
		const minutes = body.code_expiration_minutes;
		if (
			minutes !== undefined &&
			!(Number.isInteger(minutes) && (minutes as number) >= 1 && (minutes as number) <= 90)
		)
			return invalid('code_expiration_minutes must be between 1 and 90.');
		const id = String(5000000000000000 + ++this.counter);
		this.sandbox.templates.set(id, {
			id,
			wabaId,
			name,
			language: lib.language,
			category: lib.category,
			status: 'APPROVED',
			parameter_format: 'POSITIONAL',
			library_template_name: lib.name,
			components: [
				{ type: 'BODY', text: lib.body, example: { body_text: [lib.body_params] } },
				...(lib.buttons.length ? [{ type: 'BUTTONS', buttons: lib.buttons }] : []),
			],
		});
		return { status: 200, body: { id, status: 'APPROVED', category: lib.category } };
	}

	/**
	 * A send through `/messages` of a template with a max price: Meta takes those only through the
	 * Marketing Messages API (131061, its message naming the older `bid_spec`).
	 */
	cloudApiRefusal(wabaId: string, body: Json | undefined): Res | undefined {
		if (body?.type !== 'template') return undefined;
		const sent = (body.template ?? {}) as Json;
		const language = (sent.language as Json | undefined)?.code;
		const t = [...this.sandbox.templates.values()].find(
			(x) => x.wabaId === wabaId && x.name === sent.name && x.language === language,
		);
		return t?.optimization_spec
			? graphError(
					400,
					131061,
					'Marketing templates containing bid_spec are not supported by the Cloud API',
				)
			: undefined;
	}

	/** A create's `optimization_spec`: marketing only, a positive int32 bid, the one strategy. */
	optimizationProblem(category: string, spec: unknown): Res | undefined {
		if (spec === undefined) return undefined;
		if (category !== 'MARKETING')
			return invalid('optimization_spec is only supported for MARKETING templates.');
		return this.specProblem(spec);
	}

	private specProblem(spec: unknown): Res | undefined {
		const s = (spec ?? {}) as Json;
		const bid = s.bid_amount;
		if (!Number.isInteger(bid) || (bid as number) <= 0 || (bid as number) > 2147483647)
			return invalid('optimization_spec.bid_amount must be a positive whole number (int32).');
		if (s.bid_strategy !== 'LOWEST_COST_WITH_BID_CAP')
			return invalid('optimization_spec.bid_strategy must be LOWEST_COST_WITH_BID_CAP.');
		return undefined;
	}

	/**
	 * An edit's checks beyond status and category (templates.ts): the max price only on templates
	 * created with one, 100 an hour and 2,400 a day; content of an approved template once in 24 hours
	 * and 10 times in 30 days. Records the edit when it passes.
	 */
	editProblem(t: SandboxTemplate, b: Json): Res | undefined {
		const now = Date.now();
		if (b.optimization_spec !== undefined) {
			if (!t.optimization_spec)
				return invalid(
					'optimization_spec can only be updated on a template that was created with it.',
				);
			const problem = this.specProblem(b.optimization_spec);
			if (problem) return problem;
			const done = this.priceEdits.get(t.id) ?? [];
			if (
				t.status === 'APPROVED' &&
				(done.filter((at) => now - at < HOUR).length >= 100 ||
					done.filter((at) => now - at < DAY).length >= 2400)
			)
				return graphError(400, 100, 'Invalid parameter', {
					error_user_msg:
						'The max price of an approved template can be edited at most 100 times an hour and 2,400 times a day.',
				});
		}
		const content = b.components !== undefined;
		if (content && t.status === 'APPROVED') {
			const done = this.edits.get(t.id) ?? [];
			if (done.some((at) => now - at < DAY))
				return invalid(
					'This approved template was edited in the last 24 hours. An approved template can be edited once in 24 hours and up to 10 times in 30 days.',
				);
			if (done.filter((at) => now - at < 30 * DAY).length >= 10)
				return invalid(
					'This approved template was edited 10 times in the last 30 days. An approved template can be edited once in 24 hours and up to 10 times in 30 days.',
				);
		}
		if (content && t.status === 'APPROVED')
			this.edits.set(t.id, [...(this.edits.get(t.id) ?? []), now]);
		if (b.optimization_spec !== undefined) {
			this.priceEdits.set(t.id, [...(this.priceEdits.get(t.id) ?? []), now]);
			t.optimization_spec = b.optimization_spec;
		}
		return undefined;
	}
}
