/**
 * Message templates, as the WhatsApp Business Management API keeps them: list (filtered, paged with
 * cursors), create (Meta's checks, a header sample only as a Resumable Upload handle), delete by
 * name (one language or all), get and edit by ID, and Meta's review, which sends the
 * `message_template_status_update` webhook.
 */
import {
	apiFixture,
	graphError,
	pick,
	refusedBySchema,
	SANDBOX_WABA_ID,
	type Delivery,
	type Req,
	type Res,
	type SandboxTemplate,
} from './graph';
import type { GraphSandbox } from './server';
import { TemplateLifecycle } from './templateLifecycle';

/** Meta's example templates, as `GET /{waba-id}/message_templates` returns them. */
const SEED_TEMPLATES: SandboxTemplate[] = apiFixture<{ data: SandboxTemplate[] }>(
	'template_get_full__meta_docs.json',
).data;

export class Templates {
	private counter = 0;

	/** Archive, unpause, compare, the library, max prices and edit limits (templateLifecycle.ts). */
	readonly lifecycle: TemplateLifecycle;

	/**
	 * Seeds the sandbox's templates with Meta's examples (test/fixtures/api/template_get_full__meta_docs.json)
	 * and one approved template of each later kind (carousels, authentication, a Flow button).
	 */
	constructor(private readonly sandbox: GraphSandbox) {
		this.lifecycle = new TemplateLifecycle(sandbox);
		for (const t of [...SEED_TEMPLATES, ...KIND_TEMPLATES])
			sandbox.templates.set(t.id, { ...t, wabaId: SANDBOX_WABA_ID } as SandboxTemplate);
	}

	/**
	 * A template send as Meta checks its buttons and cards (`/messages` and `/marketing_messages`):
	 * each button component at a button of its kind, every button with a variable given its value,
	 * an authentication code of at most 15 characters, a Flow button's action, and a carousel sent
	 * with its cards (as many as created for media cards, 2 to 10 product cards), each card's header,
	 * body and buttons as the card defines them. Sends of other kinds, or of templates that do not
	 * exist or are not approved, are left to the other checks.
	 */
	checkSend(wabaId: string, body: Record<string, unknown> | undefined): Res | undefined {
		if (body?.type !== 'template') return undefined;
		const sent = (body.template ?? {}) as Json;
		const language = (sent.language as Json | undefined)?.code;
		const t = [...this.sandbox.templates.values()].find(
			(x) => x.wabaId === wabaId && x.name === sent.name && x.language === language,
		);
		if (!t || t.status !== 'APPROVED' || !Array.isArray(sent.components ?? [])) return undefined;
		const components = (sent.components ?? []) as Json[];
		const isAuth = upper(t.category) === 'AUTHENTICATION';
		// an authentication template to a user ID is refused for that first (131062, messages.ts)
		if (isAuth && typeof body.to !== 'string' && typeof body.recipient === 'string')
			return undefined;
		const defined = (type: string) => t.components.find((c) => upper(c.type) === type);
		if (isAuth) {
			const code = ((components.find((c) => c.type === 'body')?.parameters ?? []) as Json[])[0]
				?.text;
			if (typeof code === 'string' && [...code].length > 15)
				return sendErrors.invalid(
					`body: an authentication code may have at most 15 characters, this one has ${[...code].length}`,
				);
		}
		const buttons = (defined('BUTTONS')?.buttons ?? []) as Json[];
		const problem = buttonsProblem(
			buttons,
			components.filter((c) => c.type === 'button'),
			'',
		);
		if (problem) return problem;
		const carousel = defined('CAROUSEL');
		if (carousel) return carouselSendProblem(carousel, components);
		return undefined;
	}

	/** Adds a template (status APPROVED unless given); returns its ID. */
	add(template: Omit<SandboxTemplate, 'id' | 'wabaId'> & { id?: string; wabaId?: string }): string {
		const id = template.id ?? String(2000000000000000 + ++this.counter);
		this.sandbox.templates.set(id, {
			status: 'APPROVED',
			parameter_format: 'POSITIONAL',
			wabaId: SANDBOX_WABA_ID,
			...template,
			id,
		} as SandboxTemplate);
		return id;
	}

	/**
	 * Meta's review: sets a template's status and sends the `message_template_status_update`
	 * webhook to the app callback, if one is registered.
	 */
	async review(
		id: string,
		status: 'APPROVED' | 'REJECTED',
		reason: string,
	): Promise<Delivery | undefined> {
		const t = this.sandbox.templates.get(id);
		if (!t) throw new Error(`no template ${id}`);
		t.status = status;
		if (!this.sandbox.webhooks.app) return undefined;
		return await this.sandbox.deliver({
			object: 'whatsapp_business_account',
			entry: [
				{
					id: t.wabaId,
					time: Math.floor(Date.now() / 1000),
					changes: [
						{
							field: 'message_template_status_update',
							value: {
								event: status,
								message_template_id: Number(id),
								message_template_name: t.name,
								message_template_language: t.language,
								reason,
								message_template_category: t.category,
							},
						},
					],
				},
			],
		} as never);
	}

	/** `/{waba-id}/message_templates`: GET lists, POST creates, DELETE deletes by name. */
	forAccount(wabaId: string, req: Req): Res {
		const templates = this.sandbox.templates;
		if (req.method === 'GET') {
			const q = (k: string) => req.query.get(k)?.toLowerCase();
			const list = [...templates.values()].filter(
				(t) =>
					t.wabaId === wabaId &&
					(!q('name') || t.name.toLowerCase().includes(q('name')!)) &&
					(!q('status') || q('status')!.split(',').includes(String(t.status).toLowerCase())) &&
					(!q('category') ||
						q('category')!.split(',').includes(String(t.category).toLowerCase())) &&
					(!q('language') || q('language')!.split(',').includes(t.language.toLowerCase())),
			);
			const limit = Math.max(1, Number(req.query.get('limit') ?? 25));
			const start = req.query.get('after')
				? Number(Buffer.from(String(req.query.get('after')), 'base64').toString())
				: 0;
			const page = list.slice(start, start + limit);
			const fields = (req.query.get('fields') ?? 'id,name,status,category,language').split(',');
			const after = Buffer.from(String(start + page.length)).toString('base64');
			return {
				status: 200,
				body: {
					data: page.map((t) => pick(t, fields)),
					paging: {
						cursors: { before: Buffer.from(String(start)).toString('base64'), after },
						...(start + page.length < list.length
							? { next: `${this.sandbox.url}/v25.0/${wabaId}/message_templates?after=${after}` }
							: {}),
					},
				},
			};
		}
		if (req.method === 'POST') {
			const b = req.json ?? {};
			// Meta's OpenAPI request schema first (an open one: it types the fields it names)
			const unlike = refusedBySchema('POST /{Version}/{WABA-ID}/message_templates', b);
			if (unlike) return unlike;
			if (b.library_template_name !== undefined) return this.lifecycle.createFromLibrary(wabaId, b);
			const name = String(b.name ?? '');
			if (!/^[a-z0-9_]{1,512}$/.test(name))
				return graphError(400, 100, 'Invalid parameter', {
					error_subcode: 2388042,
					error_user_msg: 'Template name can only have lowercase letters, numbers and underscores.',
				});
			if (!['MARKETING', 'UTILITY', 'AUTHENTICATION'].includes(String(b.category).toUpperCase()))
				return graphError(400, 100, 'Invalid parameter', {
					error_user_msg: 'Category must be MARKETING, UTILITY or AUTHENTICATION.',
				});
			const components = b.components as Array<Record<string, unknown>> | undefined;
			if (
				!Array.isArray(components) ||
				!components.some((c) => String(c.type).toUpperCase() === 'BODY')
			)
				return graphError(400, 100, 'Invalid parameter', {
					error_user_msg: 'A template needs a BODY component.',
				});
			if (
				[...templates.values()].some(
					(t) => t.wabaId === wabaId && t.name === name && t.language === b.language,
				)
			) {
				return graphError(400, 100, 'Invalid parameter', {
					error_subcode: 2388024,
					error_user_title: 'Message template already exists',
					error_user_msg: `There is already ${b.language} content for this template. You can create a new template and try again.`,
				});
			}
			for (const c of components) {
				const handle = (c.example as { header_handle?: string[] } | undefined)?.header_handle?.[0];
				if (
					String(c.type).toUpperCase() === 'HEADER' &&
					['IMAGE', 'VIDEO', 'DOCUMENT'].includes(String(c.format).toUpperCase())
				) {
					if (
						!handle ||
						![...this.sandbox.uploadSessions.values()].some((u) => u.handle === handle)
					) {
						return graphError(400, 100, 'Invalid parameter', {
							error_user_msg: 'The header sample must be a handle from the Resumable Upload API.',
						});
					}
				}
			}
			const category = String(b.category).toUpperCase();
			const priced = this.lifecycle.optimizationProblem(category, b.optimization_spec);
			if (priced) return priced;
			const refused = createProblem(
				category,
				b,
				components,
				(handle) => [...this.sandbox.uploadSessions.values()].some((u) => u.handle === handle),
				(flow) => this.flowExists(wabaId, flow),
			);
			if (refused) return refused;
			const id = String(3000000000000000 + ++this.counter);
			templates.set(id, {
				id,
				wabaId,
				name,
				language: String(b.language),
				category,
				status: 'PENDING',
				parameter_format: String(b.parameter_format ?? 'POSITIONAL').toUpperCase(),
				...(b.message_send_ttl_seconds !== undefined
					? { message_send_ttl_seconds: b.message_send_ttl_seconds }
					: {}),
				...(b.optimization_spec !== undefined ? { optimization_spec: b.optimization_spec } : {}),
				// Meta keeps an authentication template as the text and URL button it shows
				components: (category === 'AUTHENTICATION'
					? asAuthenticationReads(components)
					: components) as SandboxTemplate['components'],
			});
			return { status: 200, body: { id, status: 'PENDING', category } };
		}
		if (req.method === 'DELETE') {
			const name = req.query.get('name');
			const hsm = req.query.get('hsm_id');
			const matches = [...templates.values()].filter(
				(t) => t.wabaId === wabaId && t.name === name && (!hsm || t.id === hsm),
			);
			if (!name || !matches.length)
				return graphError(400, 100, 'Invalid parameter', {
					error_user_msg: `Message template "${name}" was not found.`,
				});
			for (const t of matches) templates.delete(t.id);
			return { status: 200, body: { success: true } };
		}
		return graphError(400, 100, 'Unsupported method');
	}

	/** Whether the account has the Flow a template's Flow button names (by ID or name). */
	private flowExists(wabaId: string, flow: Json): boolean {
		if (flow.flow_json !== undefined) return true;
		const flows = (
			this.sandbox as unknown as {
				flows?: Map<string, { id: string; name: string; wabaId: string }>;
			}
		).flows;
		if (!flows) return true;
		return [...flows.values()].some(
			(f) =>
				f.wabaId === wabaId &&
				(flow.flow_id !== undefined ? f.id === String(flow.flow_id) : f.name === flow.flow_name),
		);
	}

	/** `/{template-id}`: GET reads the template, POST edits it (as Meta allows by status). */
	byId(id: string, req: Req): Res {
		const t = this.sandbox.templates.get(id)!;
		if (req.method === 'GET')
			return {
				status: 200,
				body: pick(
					t,
					(
						req.query.get('fields') ??
						'id,name,language,status,category,components,parameter_format'
					).split(','),
				),
			};
		if (req.method === 'POST') {
			const unlike = refusedBySchema('POST /{Version}/{TEMPLATE_ID}', req.json ?? {});
			if (unlike) return unlike;
			if (!['APPROVED', 'REJECTED', 'PAUSED'].includes(String(t.status)))
				return graphError(400, 100, 'Invalid parameter', {
					error_user_msg: `A template with status ${t.status} cannot be edited.`,
				});
			const b = req.json ?? {};
			if (b.category && t.status === 'APPROVED' && String(b.category).toUpperCase() !== t.category)
				return graphError(400, 100, 'Invalid parameter', {
					error_user_msg: 'The category of an approved template cannot be changed.',
				});
			const limited = this.lifecycle.editProblem(t, b);
			if (limited) return limited;
			if (b.components) t.components = b.components as SandboxTemplate['components'];
			if (b.category) t.category = String(b.category).toUpperCase();
			if (t.status === 'REJECTED') t.status = 'PENDING';
			return { status: 200, body: { success: true } };
		}
		return graphError(400, 100, 'Unsupported method');
	}
}

type Json = Record<string, unknown>;
const upper = (v: unknown) => String(v ?? '').toUpperCase();
const chars = (v: unknown) => [...String(v ?? '')].length;
const PLACEHOLDER = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;
const variables = (text: unknown) =>
	new Set([...String(text ?? '').matchAll(PLACEHOLDER)].map((m) => m[1])).size;

/** The IDs of the seeded templates of the later kinds, by what they show. */
export const KIND_TEMPLATE_IDS = {
	/** Media card carousel, 3 cards: image, body {{1}}, a quick reply and a URL button. */
	mediaCarousel: '4100000000000001',
	/** Product card carousel with View (SPM) buttons. */
	productCarousel: '4100000000000002',
	/** Product card carousel with URL buttons ending in a variable. */
	productLinkCarousel: '4100000000000003',
	/** Authentication: copy code, with security recommendation and a 5-minute expiry. */
	copyCode: '4100000000000004',
	/** Authentication: one-tap autofill. */
	oneTap: '4100000000000005',
	/** Authentication: zero-tap. */
	zeroTap: '4100000000000006',
	/** Utility: a body variable and a Flow button (navigate to BOOKING) after a quick reply. */
	flowButton: '4100000000000007',
};

const card = (n: number, plant: string, price: string, slug: string) => ({
	components: [
		{ type: 'HEADER', format: 'IMAGE', example: { header_handle: [`4::aW1hZ2Uv${n}`] } },
		{ type: 'BODY', text: `${plant} for {{1}} this week.`, example: { body_text: [[price]] } },
		{
			type: 'BUTTONS',
			buttons: [
				{ type: 'QUICK_REPLY', text: 'More like this' },
				{
					type: 'URL',
					text: 'Buy',
					url: 'https://shop.example.com/p/{{1}}',
					example: [slug],
				},
			],
		},
	],
});

const productCard = (button: Json) => ({
	components: [
		{ type: 'HEADER', format: 'PRODUCT' },
		{ type: 'BUTTONS', buttons: [button] },
	],
});

/** An authentication template as Meta reads it back: fixed text, the code button as a URL button. */
function authenticationRead(
	kind: 'COPY_CODE' | 'ONE_TAP' | 'ZERO_TAP',
	minutes: number | undefined,
	security: boolean,
	text = 'Copy code',
): SandboxTemplate['components'] {
	const expiry = minutes !== undefined ? `&code_expiration_minutes=${minutes}` : '';
	return [
		{
			type: 'BODY',
			text: `*{{1}}* is your verification code.${security ? ' For your security, do not share this code.' : ''}`,
			...(security ? { add_security_recommendation: true } : {}),
			example: { body_text: [['123456']] },
		},
		...(minutes !== undefined
			? [
					{
						type: 'FOOTER',
						text: `This code expires in ${minutes} minutes.`,
						code_expiration_minutes: minutes,
					},
				]
			: []),
		{
			type: 'BUTTONS',
			buttons: [
				{
					type: 'URL',
					text,
					url: `https://www.whatsapp.com/otp/code/?otp_type=${kind}${expiry}&code=otp{{1}}`,
					example: [`https://www.whatsapp.com/otp/code/?otp_type=${kind}${expiry}&code=otp123456`],
				},
			],
		},
	];
}

/** One approved template of each kind added to the Cloud API in 2024-2026. */
const KIND_TEMPLATES: Array<Omit<SandboxTemplate, 'wabaId'> & { id: string }> = [
	{
		id: KIND_TEMPLATE_IDS.mediaCarousel,
		name: 'autumn_picks',
		language: 'en_US',
		category: 'MARKETING',
		status: 'APPROVED',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'BODY', text: 'Hi {{1}}, picks for you:', example: { body_text: [['Ana']] } },
			{
				type: 'CAROUSEL',
				cards: [
					card(1, 'Echeveria', '$12', 'echeveria'),
					card(2, 'Haworthia', '$9', 'haworthia'),
					card(3, 'Aloe', '$15', 'aloe'),
				],
			},
		],
	},
	{
		id: KIND_TEMPLATE_IDS.productCarousel,
		name: 'plant_products',
		language: 'en_US',
		category: 'MARKETING',
		status: 'APPROVED',
		parameter_format: 'POSITIONAL',
		components: [
			{
				type: 'BODY',
				text: 'Rare succulents, {{1}}: tap one to order.',
				example: { body_text: [['Ana']] },
			},
			{
				type: 'CAROUSEL',
				cards: [
					productCard({ type: 'SPM', text: 'View' }),
					productCard({ type: 'SPM', text: 'View' }),
				],
			},
		],
	},
	{
		id: KIND_TEMPLATE_IDS.productLinkCarousel,
		name: 'plant_product_links',
		language: 'en_US',
		category: 'MARKETING',
		status: 'APPROVED',
		parameter_format: 'POSITIONAL',
		components: [
			{ type: 'BODY', text: 'New in the shop this week.' },
			{
				type: 'CAROUSEL',
				cards: [1, 2].map(() =>
					productCard({
						type: 'URL',
						text: 'Shop',
						url: 'https://shop.example.com/p/{{1}}',
						example: ['echeveria'],
					}),
				),
			},
		],
	},
	{
		id: KIND_TEMPLATE_IDS.copyCode,
		name: 'verify_code_copy',
		language: 'en_US',
		category: 'AUTHENTICATION',
		status: 'APPROVED',
		parameter_format: 'POSITIONAL',
		message_send_ttl_seconds: 300,
		components: authenticationRead('COPY_CODE', 5, true),
	},
	{
		id: KIND_TEMPLATE_IDS.oneTap,
		name: 'verify_code_one_tap',
		language: 'en_US',
		category: 'AUTHENTICATION',
		status: 'APPROVED',
		parameter_format: 'POSITIONAL',
		components: authenticationRead('ONE_TAP', 10, false),
	},
	{
		id: KIND_TEMPLATE_IDS.zeroTap,
		name: 'verify_code_zero_tap',
		language: 'en_US',
		category: 'AUTHENTICATION',
		status: 'APPROVED',
		parameter_format: 'POSITIONAL',
		components: authenticationRead('ZERO_TAP', undefined, true),
	},
	{
		id: KIND_TEMPLATE_IDS.flowButton,
		name: 'book_table',
		language: 'en_US',
		category: 'UTILITY',
		status: 'APPROVED',
		parameter_format: 'POSITIONAL',
		components: [
			{
				type: 'BODY',
				text: 'Book a table at {{1}} in two taps.',
				example: { body_text: [['Lucky Shrub Eatery']] },
			},
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'QUICK_REPLY', text: 'Not now' },
					{
						type: 'FLOW',
						text: 'Book now',
						flow_id: '1197715005513101',
						flow_action: 'navigate',
						navigate_screen: 'BOOKING',
					},
				],
			},
		],
	},
];

/** What Meta answers a template send whose parameters do not fit the template. */
const sendErrors = {
	count: (details: string) =>
		graphError(400, 132000, 'Number of parameters does not match the expected number of params', {
			error_data: { messaging_product: 'whatsapp', details },
		}),
	format: (details: string) =>
		graphError(400, 132012, 'Parameter format does not match format in the created template', {
			error_data: { messaging_product: 'whatsapp', details },
		}),
	button: (details: string) =>
		graphError(400, 132018, 'There was an issue with the parameters in your template.', {
			error_data: { messaging_product: 'whatsapp', details },
		}),
	missing: (details: string) =>
		graphError(400, 131008, 'Required parameter is missing', {
			error_data: { messaging_product: 'whatsapp', details },
		}),
	invalid: (details: string) =>
		graphError(400, 131009, 'Parameter value is not valid', {
			error_data: { messaging_product: 'whatsapp', details },
		}),
};

/** The sub_type a template button is sent with, and how Meta names its kind in errors. */
const BUTTON_KINDS: Record<string, { subType: string; name: string }> = {
	URL: { subType: 'url', name: 'Url' },
	OTP: { subType: 'url', name: 'Url' },
	QUICK_REPLY: { subType: 'quick_reply', name: 'QuickReply' },
	COPY_CODE: { subType: 'copy_code', name: 'CopyCode' },
	FLOW: { subType: 'flow', name: 'Flow' },
	CATALOG: { subType: 'catalog', name: 'Catalog' },
	MPM: { subType: 'mpm', name: 'Mpm' },
};

/**
 * A voice call button's component: the template has a voice call button, and the parameters are
 * ttl_minutes (a whole number from 1 to 43200) and payload (at most 512), each at most once.
 */
function voiceCallSendProblem(defined: Json[], c: Json, where: string): Res | undefined {
	if (!defined.some((b) => upper(b.type) === 'VOICE_CALL'))
		return sendErrors.button(`${where}buttons: The template has no voice_call button`);
	const parameters = (c.parameters ?? []) as Json[];
	const types = parameters.map((p) => p.type);
	if (!parameters.length || new Set(types).size !== types.length)
		return sendErrors.invalid(
			`${where}buttons: a voice_call button takes ttl_minutes and payload, each at most once`,
		);
	for (const p of parameters) {
		if (p.type === 'ttl_minutes') {
			const ttl = p.ttl_minutes;
			if (!(Number.isInteger(ttl) && Number(ttl) >= 1 && Number(ttl) <= 43200))
				return sendErrors.invalid(
					`${where}buttons: ttl_minutes must be a whole number from 1 to 43200`,
				);
		} else if (p.type === 'payload') {
			if (typeof p.payload !== 'string' || chars(p.payload) > 512)
				return sendErrors.invalid(
					`${where}buttons: payload must be text of at most 512 characters`,
				);
		} else
			return sendErrors.invalid(
				`${where}buttons: a voice_call button takes ttl_minutes and payload, not ${String(p.type)}`,
			);
	}
	return undefined;
}

/** Whether a defined button takes a parameter that a send must give. */
const needsParameter = (b: Json) =>
	(upper(b.type) === 'URL' && variables(b.url) > 0) ||
	upper(b.type) === 'OTP' ||
	upper(b.type) === 'COPY_CODE';

/**
 * The button components of a send (or of one card, `where` naming it) against the defined buttons:
 * each at a button of its kind, with the parameter that kind takes, and none missing.
 */
function buttonsProblem(defined: Json[], sent: Json[], where: string): Res | undefined {
	const seen = new Set<number>();
	for (const c of sent) {
		// a voice call button is sent without an index (Meta's example): there is one per template
		if (c.sub_type === 'voice_call') {
			const problem = voiceCallSendProblem(defined, c, where);
			if (problem) return problem;
			continue;
		}
		const index = Number(c.index);
		const button = defined[index];
		if (!/^\d+$/.test(String(c.index)) || !button)
			return sendErrors.button(`${where}buttons: No button at index ${String(c.index)}`);
		const kind = BUTTON_KINDS[upper(button.type)];
		if (!kind || kind.subType !== c.sub_type)
			return sendErrors.button(
				`${where}buttons: Button at index ${index} must be of type ${kind?.name ?? upper(button.type)}`,
			);
		seen.add(index);
		const parameter = ((c.parameters ?? []) as Json[])[0] ?? {};
		if (c.sub_type === 'flow') {
			const action = parameter.action as Json | undefined;
			if (parameter.type !== 'action' || typeof action !== 'object' || action === null)
				return sendErrors.invalid(`${where}buttons: a flow button takes one action parameter`);
			if (
				action.flow_action_data !== undefined &&
				(typeof action.flow_action_data !== 'object' ||
					action.flow_action_data === null ||
					Array.isArray(action.flow_action_data))
			)
				return sendErrors.invalid(`${where}buttons: flow_action_data must be a JSON object`);
			if (action.flow_token !== undefined && typeof action.flow_token !== 'string')
				return sendErrors.invalid(`${where}buttons: flow_token must be a string`);
		}
		if (c.sub_type === 'url' && !String(parameter.text ?? '').length)
			return sendErrors.missing(`${where}Parameter value for URL was expected but was not found`);
	}
	const missed = defined.findIndex((b, index) => needsParameter(b) && !seen.has(index));
	if (missed >= 0)
		return sendErrors.missing(
			upper(defined[missed].type) === 'COPY_CODE'
				? `${where}buttons: a coupon code was expected for the button at index ${missed}`
				: `${where}Parameter value for URL was expected but was not found`,
		);
	return undefined;
}

/**
 * A carousel send: media cards as many as created, product cards 2 to 10; `card_index` from 0, each
 * once; each card's header of its kind (a product of one catalog for product cards), body
 * parameters as many as its variables, and its buttons.
 */
function carouselSendProblem(carousel: Json, components: Json[]): Res | undefined {
	const definedCards = (carousel.cards ?? []) as Json[];
	const firstHeader = ((definedCards[0]?.components ?? []) as Json[]).find(
		(c) => upper(c.type) === 'HEADER',
	);
	const product = upper(firstHeader?.format) === 'PRODUCT';
	const sent = components.find((c) => c.type === 'carousel');
	const cards = (sent?.cards ?? []) as Json[];
	if (!Array.isArray(cards)) return sendErrors.format('carousel: cards must be an array');
	if (product ? cards.length < 2 || cards.length > 10 : cards.length !== definedCards.length)
		return sendErrors.format(
			cards.length < (product ? 2 : definedCards.length)
				? 'header component parameter should not be empty'
				: `carousel: the template has ${definedCards.length} cards, the message ${cards.length}`,
		);
	const indexes = cards.map((c) => c.card_index);
	if (
		!indexes.every((n) => Number.isInteger(n)) ||
		[...indexes].sort((a, b) => Number(a) - Number(b)).some((n, i) => n !== i)
	)
		return sendErrors.invalid(
			`carousel: card_index must number the ${cards.length} cards from 0 to ${cards.length - 1}, each once`,
		);
	const catalogs = new Set<unknown>();
	for (const c of cards) {
		const n = Number(c.card_index);
		const defined = (definedCards[Math.min(n, definedCards.length - 1)]?.components ??
			[]) as Json[];
		const parts = (c.components ?? []) as Json[];
		const where = `cards[${n}]: `;
		const header = parts.find((p) => p.type === 'header');
		const parameter = ((header?.parameters ?? []) as Json[])[0];
		if (!parameter)
			return sendErrors.format(`${where}header component parameter should not be empty`);
		if (product) {
			const item = parameter.product as Json | undefined;
			if (parameter.type !== 'product' || !item)
				return sendErrors.format(
					`${where}header: expected PRODUCT, received ${upper(parameter.type)}`,
				);
			if (!String(item.product_retailer_id ?? '') || !String(item.catalog_id ?? ''))
				return sendErrors.missing(`${where}product_retailer_id and catalog_id are required`);
			catalogs.add(item.catalog_id);
		} else {
			const format = upper(defined.find((d) => upper(d.type) === 'HEADER')?.format);
			const kind = format.toLowerCase();
			const media = parameter[kind] as Json | undefined;
			if (parameter.type !== kind || !media)
				return sendErrors.format(
					`${where}header: expected ${format}, received ${upper(parameter.type)}`,
				);
			if (!media.id && !/^https:\/\//.test(String(media.link ?? '')))
				return sendErrors.invalid(`${where}header: the ${kind} needs an id or an https link`);
		}
		const expected = variables(defined.find((d) => upper(d.type) === 'BODY')?.text);
		const given = ((parts.find((p) => p.type === 'body')?.parameters ?? []) as Json[]).length;
		if (expected !== given)
			return sendErrors.count(
				`${where}body: number of localizable_params (${given}) does not match the expected number of params (${expected})`,
			);
		const problem = buttonsProblem(
			(defined.find((d) => upper(d.type) === 'BUTTONS')?.buttons ?? []) as Json[],
			parts.filter((p) => p.type === 'button'),
			where,
		);
		if (problem) return problem;
	}
	if (catalogs.size > 1)
		return sendErrors.invalid('carousel: all product cards must use the same catalog_id');
	return undefined;
}

/** What Meta answers a template it does not create. */
const createErrors = {
	invalid: (message: string) =>
		graphError(400, 100, 'Invalid parameter', { error_user_msg: message }),
	tooLong: (message: string) =>
		graphError(400, 100, 'Invalid parameter', {
			error_subcode: 2388040,
			error_user_title: 'Character limit exceeded',
			error_user_msg: message,
		}),
	header: (message: string) =>
		graphError(400, 100, 'Invalid parameter', {
			error_subcode: 2388047,
			error_user_title: 'Message header format is incorrect',
			error_user_msg: message,
		}),
};

/**
 * A call permission request component at creation, as our reference for the Calling API has Meta's
 * rules: Marketing or Utility only, one, beside a body that is not empty and at most a header and
 * a footer (no other interactive component).
 */
function callPermissionCreateProblem(category: string, components: Json[]): Res | undefined {
	const types = components.map((c) => upper(c.type));
	const count = types.filter((t) => t === 'CALL_PERMISSION_REQUEST').length;
	if (!count) return undefined;
	if (category !== 'MARKETING' && category !== 'UTILITY')
		return createErrors.invalid(
			'Call permission request templates must be in the MARKETING or UTILITY category.',
		);
	if (count > 1)
		return createErrors.invalid('A template may have one CALL_PERMISSION_REQUEST component.');
	const other = types.find(
		(t) => !['HEADER', 'BODY', 'FOOTER', 'CALL_PERMISSION_REQUEST'].includes(t),
	);
	if (other)
		return createErrors.invalid(
			`A call permission request template may only have a HEADER, a BODY and a FOOTER beside it, not ${other}.`,
		);
	const body = components.find((c) => upper(c.type) === 'BODY');
	if (!chars(body?.text))
		return createErrors.invalid('A call permission request template needs a body text.');
	return undefined;
}

/** A button of a template or card at creation: labels, URLs, phone numbers and Flows. */
function buttonCreateProblem(b: Json, where: string, flowExists: (flow: Json) => boolean) {
	const type = upper(b.type);
	if (b.text !== undefined && chars(b.text) > 25)
		return createErrors.tooLong(`${where}Button text can be at most 25 characters.`);
	if (type === 'URL') {
		if (chars(b.url) > 2000)
			return createErrors.tooLong(`${where}A button URL can be at most 2000 characters.`);
		const count = variables(b.url);
		if (count > 1 || (count && !/\}\}$/.test(String(b.url))))
			return createErrors.invalid(
				`${where}A URL button may have one variable, at the end of the URL.`,
			);
		if (count && !(b.example as unknown[] | undefined)?.length)
			return createErrors.invalid(`${where}A URL button with a variable needs an example.`);
	}
	if (type === 'VOICE_CALL') {
		if (b.text !== undefined && (chars(b.text) < 1 || chars(b.text) > 20))
			return createErrors.tooLong(`${where}A voice call button's text can be 1 to 20 characters.`);
		const ttl = b.ttl_minutes;
		if (
			ttl !== undefined &&
			!(Number.isInteger(ttl) && Number(ttl) >= 1440 && Number(ttl) <= 43200)
		)
			return createErrors.invalid(
				`${where}ttl_minutes of a voice call button must be a whole number from 1440 to 43200.`,
			);
	}
	if (type === 'PHONE_NUMBER' && chars(b.phone_number) > 20)
		return createErrors.tooLong(`${where}A phone number can be at most 20 characters.`);
	if (type === 'FLOW') {
		const given = ['flow_id', 'flow_name', 'flow_json'].filter((k) => b[k] !== undefined);
		if (given.length !== 1)
			return createErrors.invalid(
				`${where}A Flow button needs exactly one of flow_id, flow_name or flow_json.`,
			);
		if (
			b.flow_action !== undefined &&
			!['navigate', 'data_exchange'].includes(String(b.flow_action))
		)
			return createErrors.invalid(`${where}flow_action must be navigate or data_exchange.`);
		if (!flowExists(b))
			return createErrors.invalid(
				`${where}The Flow ${b.flow_id !== undefined ? `with ID ${String(b.flow_id)}` : `"${String(b.flow_name)}"`} does not exist in this WhatsApp Business Account.`,
			);
	}
	return undefined;
}

/** The component set of a card, as Meta compares cards. */
const cardShape = (components: Json[]) =>
	components
		.map((c) =>
			upper(c.type) === 'BUTTONS'
				? `BUTTONS:${((c.buttons ?? []) as Json[]).map((b) => upper(b.type)).join(',')}`
				: `${upper(c.type)}:${upper(c.format)}`,
		)
		.join('|');

/**
 * Meta's checks of a create call beyond the name, category and duplicates: body lengths, buttons,
 * carousels (marketing only, 2 to 10 media cards or exactly 2 product cards, card headers, bodies of
 * at most 160 characters, up to two buttons, the same components on every card) and authentication
 * templates (one one-time password button, its apps, code expiry 1-90 minutes, TTL 30-900 s).
 */
function createProblem(
	category: string,
	b: Json,
	components: Json[],
	knownHandle: (handle: string) => boolean,
	flowExists: (flow: Json) => boolean,
): Res | undefined {
	const isAuth = category === 'AUTHENTICATION';
	const carousel = components.find((c) => upper(c.type) === 'CAROUSEL');
	const permission = callPermissionCreateProblem(category, components);
	if (permission) return permission;
	if (isAuth) return authenticationCreateProblem(b, components);
	for (const c of components) {
		const type = upper(c.type);
		if (type === 'BODY' && chars(c.text) > 1024)
			return createErrors.tooLong('The message body can be at most 1024 characters.');
		if (type === 'BUTTONS')
			for (const button of (c.buttons ?? []) as Json[]) {
				if (upper(button.type) === 'OTP')
					return createErrors.invalid(
						'OTP buttons are only supported in AUTHENTICATION templates.',
					);
				const problem = buttonCreateProblem(button, '', flowExists);
				if (problem) return problem;
			}
		if (carousel && ['HEADER', 'FOOTER', 'BUTTONS'].includes(type))
			return createErrors.invalid(
				`A carousel template may only have a BODY and a CAROUSEL component, not ${type}.`,
			);
	}
	if (!carousel) return undefined;
	if (category !== 'MARKETING')
		return createErrors.invalid('Carousel templates must be in the MARKETING category.');
	const cards = (carousel.cards ?? []) as Json[];
	const first = ((cards[0]?.components ?? []) as Json[]).find((c) => upper(c.type) === 'HEADER');
	const product = upper(first?.format) === 'PRODUCT';
	if (product ? cards.length !== 2 : cards.length < 2 || cards.length > 10)
		return createErrors.invalid(
			product
				? 'A product card carousel template must be created with exactly 2 cards.'
				: 'A carousel template must have between 2 and 10 cards.',
		);
	for (const [n, cardDef] of cards.entries()) {
		const where = `Card ${n}: `;
		const parts = (cardDef.components ?? []) as Json[];
		const header = parts.find((c) => upper(c.type) === 'HEADER');
		const format = upper(header?.format);
		if (!header || (product ? format !== 'PRODUCT' : !['IMAGE', 'VIDEO'].includes(format)))
			return createErrors.header(
				`${where}A card header must be ${product ? 'PRODUCT' : 'IMAGE or VIDEO'}.`,
			);
		const handle = (
			(header.example as Json | undefined)?.header_handle as string[] | undefined
		)?.[0];
		if (!product && (!handle || !knownHandle(handle)))
			return createErrors.invalid(
				`${where}The header sample must be a handle from the Resumable Upload API.`,
			);
		for (const c of parts) {
			const type = upper(c.type);
			if (type === 'BODY') {
				if (product) return createErrors.invalid(`${where}Product cards have no body.`);
				if (chars(c.text) > 160)
					return createErrors.tooLong(`${where}The card body can be at most 160 characters.`);
				const examples =
					((c.example as Json | undefined)?.body_text as unknown[][] | undefined)?.[0]?.length ?? 0;
				if (variables(c.text) !== examples)
					return createErrors.invalid(`${where}Every variable of the card body needs an example.`);
			}
			if (type === 'BUTTONS') {
				const buttons = (c.buttons ?? []) as Json[];
				if (product ? buttons.length !== 1 : buttons.length > 2)
					return createErrors.invalid(
						`${where}${product ? 'A product card has exactly one button' : 'A card can have at most 2 buttons'}.`,
					);
				for (const button of buttons) {
					const allowed = product ? ['SPM', 'URL'] : ['QUICK_REPLY', 'URL', 'PHONE_NUMBER'];
					if (!allowed.includes(upper(button.type)))
						return createErrors.invalid(
							`${where}${upper(button.type)} buttons are not supported on this card.`,
						);
					const problem = buttonCreateProblem(button, where, flowExists);
					if (problem) return problem;
				}
			}
		}
		if (cardShape(parts) !== cardShape((cards[0].components ?? []) as Json[]))
			return createErrors.invalid('All carousel cards must have the same components.');
	}
	return undefined;
}

const PACKAGE_NAME = /^[a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z][a-zA-Z0-9_]*)+$/;

/** An authentication template at creation. */
function authenticationCreateProblem(b: Json, components: Json[]): Res | undefined {
	const ttl = b.message_send_ttl_seconds;
	if (
		ttl !== undefined &&
		!(Number.isInteger(ttl) && (ttl as number) >= 30 && (ttl as number) <= 900)
	)
		return createErrors.invalid(
			'message_send_ttl_seconds must be between 30 and 900 for AUTHENTICATION templates.',
		);
	let otp = 0;
	for (const c of components) {
		const type = upper(c.type);
		if (type === 'HEADER' || type === 'CAROUSEL')
			return createErrors.invalid(`AUTHENTICATION templates do not support a ${type} component.`);
		if (type === 'BODY' && c.text !== undefined)
			return createErrors.invalid(
				'The body of an AUTHENTICATION template is fixed: leave out its text.',
			);
		if (type === 'FOOTER') {
			if (c.text !== undefined)
				return createErrors.invalid(
					'The footer of an AUTHENTICATION template takes code_expiration_minutes only.',
				);
			const minutes = c.code_expiration_minutes;
			if (
				minutes !== undefined &&
				!(Number.isInteger(minutes) && (minutes as number) >= 1 && (minutes as number) <= 90)
			)
				return createErrors.invalid('code_expiration_minutes must be between 1 and 90.');
		}
		if (type !== 'BUTTONS') continue;
		for (const button of (c.buttons ?? []) as Json[]) {
			if (upper(button.type) !== 'OTP')
				return createErrors.invalid('AUTHENTICATION templates take one OTP button only.');
			otp++;
			const kind = upper(button.otp_type);
			if (!['COPY_CODE', 'ONE_TAP', 'ZERO_TAP'].includes(kind))
				return createErrors.invalid('otp_type must be COPY_CODE, ONE_TAP or ZERO_TAP.');
			for (const key of ['text', 'autofill_text'])
				if (button[key] !== undefined && chars(button[key]) > 25)
					return createErrors.tooLong('Button text can be at most 25 characters.');
			if (button.package_name !== undefined || button.signature_hash !== undefined)
				return createErrors.invalid('Use supported_apps to give package_name and signature_hash.');
			if (kind === 'COPY_CODE') continue;
			const apps = button.supported_apps as Json[] | undefined;
			if (!Array.isArray(apps) || !apps.length || apps.length > 5)
				return createErrors.invalid(
					'supported_apps must list 1 to 5 apps for ONE_TAP and ZERO_TAP buttons.',
				);
			for (const app of apps) {
				if (!PACKAGE_NAME.test(String(app.package_name ?? '')) || chars(app.package_name) > 224)
					return createErrors.invalid(`Invalid package_name "${String(app.package_name)}".`);
				if (!/^[A-Za-z0-9+/=]{11}$/.test(String(app.signature_hash ?? '')))
					return createErrors.invalid(
						`Invalid signature_hash "${String(app.signature_hash)}": it must be 11 characters.`,
					);
			}
			if (kind === 'ZERO_TAP' && button.zero_tap_terms_accepted !== true)
				return createErrors.invalid(
					'zero_tap_terms_accepted must be true to create a ZERO_TAP template.',
				);
		}
	}
	if (otp !== 1)
		return createErrors.invalid('AUTHENTICATION templates need exactly one OTP button.');
	return undefined;
}

/** An authentication template as created, in the form Meta reads it back (fixed text, URL button). */
function asAuthenticationReads(components: Json[]): Json[] {
	const body = components.find((c) => upper(c.type) === 'BODY') ?? {};
	const minutes = components.find((c) => upper(c.type) === 'FOOTER')?.code_expiration_minutes as
		| number
		| undefined;
	const button =
		((components.find((c) => upper(c.type) === 'BUTTONS')?.buttons ?? []) as Json[])[0] ?? {};
	return authenticationRead(
		upper(button.otp_type) as 'COPY_CODE' | 'ONE_TAP' | 'ZERO_TAP',
		minutes,
		body.add_security_recommendation === true,
		String(button.text ?? 'Copy code'),
	);
}
