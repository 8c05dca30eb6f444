/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * The Marketing Messages API, as Meta runs it beside the Cloud API:
 * - `POST /{phone-number-id}/marketing_messages`: a marketing template send, checked against Meta's
 *   OpenAPI request schema for the endpoint (test/fixtures/openapi/marketing-message.schema.json,
 *   with the exceptions in CONTRADICTIONS below), then the scripted answers play, the template is
 *   checked as `/messages` checks it (messages.ts) and must be a marketing one, the account's
 *   onboarding and the product policy decide how it goes (see `send`), the faults roll, and the
 *   message is taken and recorded;
 * - `GET /{waba-id}?fields=marketing_messages_onboarding_status`, the account's onboarding status;
 * - on `/messages`, the refusal of marketing templates (131063) for an account that disabled them
 *   on the Cloud API (`disable_marketing_messages_on_cloud_api`).
 * The state (onboarding per account, templates still syncing or unavailable) is in
 * `GraphSandbox.marketingMessages`; `SandboxOptions.marketingMessages` sets it at start and reset.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { isDeepStrictEqual } from 'util';

import type { Faults } from './faults';
import { graphError, type Req, type Res, type SandboxPhoneNumber } from './graph';
import type { Messages } from './messages';
import { checkAgainstOpenApi, type Contradiction } from './openapi';
import type { GraphSandbox } from './server';

export type MarketingMessagesOptions = {
	/** Every account's `marketing_messages_onboarding_status`; ELIGIBLE unless given. */
	onboardingStatus?: string;
	/** Every account has `disable_marketing_messages_on_cloud_api` set. */
	disabledOnCloudApi?: boolean;
};

export type MarketingState = {
	/** `marketing_messages_onboarding_status` by WABA ID (ELIGIBLE when absent). */
	onboarding: Map<string, string>;
	/** WABA IDs whose `/messages` refuses marketing templates (131063). */
	disabledOnCloudApi: Set<string>;
	/** Template IDs still syncing with the account's ad account (134101). */
	syncing: Set<string>;
	/** Template IDs Meta holds unavailable on the Marketing Messages API (134102). */
	unavailable: Set<string>;
	/**
	 * Messages `/marketing_messages` took, by message ID: how Meta delivered them (through the
	 * Cloud API under CLOUD_API_FALLBACK for an account that is not onboarded; Meta's answer is the
	 * same either way, only the statuses' pricing category tells) and the product policy.
	 */
	sends: Map<
		string,
		{ deliveredThrough: 'marketingMessagesApi' | 'cloudApi'; productPolicy: string }
	>;
};

export const newMarketingState = (): MarketingState => ({
	onboarding: new Map(),
	disabledOnCloudApi: new Set(),
	syncing: new Set(),
	unavailable: new Set(),
	sends: new Map(),
});

const ONBOARDED = 'ONBOARDED';
const DEFAULT_STATUS = 'ELIGIBLE';

// ---------------------------------------------------------------------------------------------
// The request schema. Meta's MarketingMessageRequestPayload is a closed object whose template is
// TemplateObject, the same schema `/messages` takes: the envelope is checked here, the body without
// the two fields of this endpoint through openapi.ts (with its own exceptions).

type Property = {
	type?: string;
	enum?: unknown[];
	const?: unknown;
	$ref?: string;
	maxLength?: number;
	[annotation: string]: unknown;
};
type Payload = {
	type?: string;
	additionalProperties?: boolean;
	properties: Record<string, Property>;
	required: string[];
	[annotation: string]: unknown;
};
type Root = { $ref: string; $defs: Record<string, unknown> };
/** The schema a contradiction's patch gets: the endpoint's root, as openapi.ts passes its own. */
type PatchRoot = Parameters<NonNullable<Contradiction['patch']>>[0];
const payloadOf = (root: PatchRoot) =>
	(root as unknown as Root).$defs.MarketingMessageRequestPayload as Payload;

export const CONTRADICTIONS: Contradiction[] = [
	{
		id: 'recipient: a business-scoped user ID instead of to',
		openapi: 'MarketingMessageRequestPayload requires to and has no recipient.',
		docs: 'Meta\'s send-marketing-messages page and business-scoped user IDs page: recipient (a BSUID) may address a marketing message instead of to; with neither, Meta answers code 100 "The parameter to is required.".',
		follow: 'docs',
		why: 'A documented field the document lacks, as on /messages. Its format is checked with the /messages schema (openapi.ts, same exception there); to stays required when recipient is absent.',
		patch: (root) => {
			const payload = payloadOf(root);
			payload.properties = Object.fromEntries(
				Object.entries(payload.properties).flatMap(
					([k, v]): Array<[string, Property]> =>
						k === 'to'
							? [
									[k, v],
									['recipient', { type: 'string' }],
								]
							: [[k, v]],
				),
			);
			payload.required = payload.required.filter((k) => k !== 'to');
		},
	},
	{
		id: 'context and biz_opaque_callback_data are allowed',
		openapi:
			'MarketingMessageRequestPayload is closed (additionalProperties: false) and lists neither context nor biz_opaque_callback_data.',
		docs: 'Our reference for the Marketing Messages API: the body is the /messages template body plus product_policy and message_activity_sharing; pywa sends context (a reply) and biz_opaque_callback_data on this endpoint too.',
		follow: 'docs',
		why: 'The node sends them when Reply To Message ID or Callback Data is set, whichever API carries the template; their shapes are checked with the /messages schema.',
		patch: (root) => {
			const payload = payloadOf(root);
			payload.properties.context = { type: 'object' };
			payload.properties.biz_opaque_callback_data = { type: 'string', maxLength: 512 };
		},
	},
	{
		id: 'recipient_type is optional',
		openapi: 'MarketingMessageRequestPayload.required lists recipient_type.',
		docs: 'Meta\'s send-messages reference: "individual" is the default (see the same exception in openapi.ts); the node always sends it.',
		follow: 'docs',
		why: 'The same envelope field with the same default as on /messages.',
		patch: (root) => {
			const payload = payloadOf(root);
			payload.required = payload.required.filter((k) => k !== 'recipient_type');
		},
	},
];

const fixtures = path.join(__dirname, '../../test/fixtures/openapi');
const read = (file: string) => JSON.parse(readFileSync(path.join(fixtures, file), 'utf8')) as Root;

/** Keywords the envelope check below understands; anything else stops the sandbox from loading. */
const ENVELOPE_KEYWORDS = new Set([
	'type',
	'enum',
	'const',
	'$ref',
	'maxLength',
	'description',
	'example',
]);

function loadPayload(): Payload {
	const root = read('marketing-message.schema.json');
	const sendRoot = read('send-message.schema.json');
	if (root.$ref !== '#/$defs/MarketingMessageRequestPayload')
		throw new Error(
			'marketing-message.schema.json: the body is not MarketingMessageRequestPayload',
		);
	// the template is checked through the /messages schema: only sound while both are Meta's same
	// schemas, which the extraction copies verbatim
	for (const [name, schema] of Object.entries(root.$defs)) {
		if (name === 'MarketingMessageRequestPayload') continue;
		if (!isDeepStrictEqual(schema, sendRoot.$defs[name]))
			throw new Error(
				`marketing-message.schema.json: ${name} differs from send-message.schema.json`,
			);
	}
	for (const c of CONTRADICTIONS) c.patch?.(root as unknown as PatchRoot);
	const payload = payloadOf(root as unknown as PatchRoot);
	if (payload.type !== 'object' || payload.additionalProperties !== false)
		throw new Error('marketing-message.schema.json: the body is no longer a closed object');
	for (const [key, property] of Object.entries(payload.properties)) {
		for (const keyword of Object.keys(property))
			if (!ENVELOPE_KEYWORDS.has(keyword))
				throw new Error(`marketing.ts cannot check keyword "${keyword}" of ${key}`);
		if (
			property.$ref !== undefined &&
			(key !== 'template' || property.$ref !== '#/$defs/TemplateObject')
		)
			throw new Error(`marketing.ts expects only template to be a reference, found ${key}`);
	}
	return payload;
}

const payload = loadPayload();

function typeOf(v: unknown): string {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'array';
	if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
	return typeof v;
}

/**
 * The problems Meta's OpenAPI request schema for `/marketing_messages` (with CONTRADICTIONS) finds
 * in a body, each as "<JSON path>: <what was expected>"; empty when the body is valid.
 */
export function checkMarketingMessage(body: Record<string, unknown>): string[] {
	const problems: string[] = [];
	const allowed = Object.keys(payload.properties);
	for (const key of Object.keys(body))
		if (!(key in payload.properties))
			problems.push(`$.${key}: is not allowed here (allowed: ${allowed.join(', ')})`);
	for (const key of payload.required) if (!(key in body)) problems.push(`$.${key}: is required`);
	for (const [key, property] of Object.entries(payload.properties)) {
		if (!(key in body) || property.$ref) continue;
		const value = body[key];
		const actual = typeOf(value);
		if (property.type && actual !== property.type) {
			problems.push(`$.${key}: expected ${property.type}, got ${actual}`);
			continue;
		}
		const values = property.enum ?? ('const' in property ? [property.const] : undefined);
		if (values && !values.some((v) => v === value))
			problems.push(
				`$.${key}: expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}; got ${JSON.stringify(value)}`,
			);
		if (
			property.maxLength !== undefined &&
			typeof value === 'string' &&
			[...value].length > property.maxLength
		)
			problems.push(
				`$.${key}: expected at most ${property.maxLength} characters, got ${[...value].length}`,
			);
	}
	// the rest is a /messages template body (type, to or recipient, context, the template itself)
	const rest = { ...body };
	delete rest.product_policy;
	delete rest.message_activity_sharing;
	return [...new Set([...problems, ...checkAgainstOpenApi(rest)])];
}

// ---------------------------------------------------------------------------------------------
// The endpoints.

/** Meta's answers of this API, in its shapes. The wording of 131063 is ours (Meta gives none). */
export const marketingErrors = {
	notTemplate: () => graphError(400, 100, 'Message must be a template message.'),
	/** A template that is not marketing: 131055 before v23.0, 134100 from v23.0 on. */
	notMarketing: (version: number) =>
		version >= 23
			? graphError(400, 134100, 'Only marketing messages supported', {
					error_data: {
						messaging_product: 'whatsapp',
						details:
							'Only marketing template messages can be sent through the Marketing Messages API.',
					},
				})
			: graphError(400, 131055, 'Only marketing template messages are supported', {
					error_data: {
						messaging_product: 'whatsapp',
						details:
							'Only marketing template messages can be sent through the Marketing Messages API.',
					},
				}),
	/** A new template, or one unused for 7 days, syncs with the ad account for up to 10 minutes. */
	syncing: (version: number) =>
		version >= 23
			? graphError(400, 134101, 'Your template is still syncing', {
					error_data: {
						messaging_product: 'whatsapp',
						details: 'The template is still syncing. Try again in about 10 minutes.',
					},
				})
			: graphError(400, 131009, 'Parameter value is not valid', {
					error_data: {
						messaging_product: 'whatsapp',
						details: 'Template ad syncing is incomplete.',
					},
				}),
	/** Meta answers it with HTTP 500 (our reference's error table). */
	unavailable: () =>
		graphError(500, 134102, 'Template unavailable for use', {
			error_data: {
				messaging_product: 'whatsapp',
				details: 'The template is not available for use with the Marketing Messages API.',
			},
		}),
	disabledOnCloudApi: () =>
		graphError(400, 131063, 'Marketing templates are disabled for Cloud API', {
			error_data: {
				messaging_product: 'whatsapp',
				details:
					'This WhatsApp Business Account does not send marketing templates through Cloud API. Send them through the Marketing Messages API.',
			},
		}),
};

/** The Graph API version of a request (`v25.0` -> 25). */
const versionOf = (req: Req) => Number(/^v(\d+)/.exec(req.path[0] ?? '')?.[1] ?? 0);

export class MarketingMessages {
	constructor(
		private readonly sandbox: GraphSandbox,
		private readonly messages: Messages,
		private readonly faults: Faults,
	) {
		this.reset();
	}

	private get state(): MarketingState {
		return this.sandbox.marketingMessages;
	}

	/** Back to the options' onboarding: every account's status, nothing syncing or unavailable. */
	reset(): void {
		const { onboardingStatus, disabledOnCloudApi } = this.sandbox.options.marketingMessages ?? {};
		const state = this.state;
		state.onboarding.clear();
		state.disabledOnCloudApi.clear();
		for (const { wabaId } of this.sandbox.options.phoneNumbers) {
			state.onboarding.set(wabaId, onboardingStatus ?? DEFAULT_STATUS);
			if (disabledOnCloudApi) state.disabledOnCloudApi.add(wabaId);
		}
		state.syncing.clear();
		state.unavailable.clear();
		state.sends.clear();
	}

	/** `GET /{waba-id}?fields=...`: the account's ID and onboarding status. */
	account(wabaId: string, req: Req): Res {
		const values: Record<string, unknown> = {
			id: wabaId,
			marketing_messages_onboarding_status: this.state.onboarding.get(wabaId) ?? DEFAULT_STATUS,
		};
		const fields = (req.query.get('fields') ?? 'id')
			.split(',')
			.map((f) => f.trim())
			.filter(Boolean);
		const unknown = fields.find((f) => !(f in values));
		if (unknown)
			return graphError(
				400,
				100,
				`Tried accessing nonexisting field (${unknown}) on node type (WhatsAppBusinessAccount)`,
			);
		return {
			status: 200,
			body: Object.fromEntries(['id', ...fields].map((f) => [f, values[f]])),
		};
	}

	/**
	 * Before `/messages` takes a send: a marketing template from an account that disabled them on
	 * the Cloud API is refused with 131063.
	 */
	cloudApiRefusal(phone: SandboxPhoneNumber, req: Req): Res | undefined {
		if (!this.state.disabledOnCloudApi.has(phone.wabaId) || req.json?.type !== 'template')
			return undefined;
		const template = this.templateOf(phone.wabaId, req.json.template);
		return String(template?.category).toUpperCase() === 'MARKETING'
			? marketingErrors.disabledOnCloudApi()
			: undefined;
	}

	/**
	 * `POST /{phone-number-id}/marketing_messages`. After the checks every send shares with
	 * `/messages`: a template that is not marketing is refused; for an onboarded account a template
	 * still syncing (134101) or unavailable (134102) is refused, the rest goes through this API; for
	 * an account that is not onboarded, STRICT is refused (134102, our reading of Meta's "check
	 * onboarding"), CLOUD_API_FALLBACK (the default) goes through the Cloud API, unless the account
	 * disabled marketing templates there (131063).
	 */
	send(phone: SandboxPhoneNumber, req: Req): Res {
		const { options, scripted, accepted, injected, undeliverable } = this.sandbox;
		const body = req.json;
		if (!body) return graphError(400, 100, 'The request body must be JSON');
		if (body.messaging_product !== 'whatsapp')
			return graphError(400, 100, 'The parameter messaging_product is required.');
		if (body.to === undefined && body.recipient === undefined)
			return graphError(400, 100, 'The parameter to is required.');
		if (body.type !== 'template') return marketingErrors.notTemplate();
		const problems = options.strictOpenApi !== false ? checkMarketingMessage(body) : [];
		if (problems.length)
			return graphError(400, 100, 'Invalid parameter', {
				error_data: { messaging_product: 'whatsapp', details: problems[0] },
			});
		const script = scripted.shift();
		if (script === 'reset-before') return { status: 0, body: null, reset: true };
		if (script && script !== 'reset-after') return script;

		const userId =
			typeof body.to !== 'string' && typeof body.recipient === 'string'
				? body.recipient
				: undefined;
		const to = typeof body.to === 'string' ? body.to : String(userId);
		const key = userId ?? to.replace(/\D/g, '');
		const problem = this.messages.checkTemplateSend(
			phone.wabaId,
			body.template as Record<string, unknown>,
			userId !== undefined,
		);
		if (problem) return problem;
		const template = this.templateOf(phone.wabaId, body.template)!;
		const version = versionOf(req);
		if (String(template.category).toUpperCase() !== 'MARKETING')
			return marketingErrors.notMarketing(version);
		const productPolicy = String(body.product_policy ?? 'CLOUD_API_FALLBACK');
		let deliveredThrough: 'marketingMessagesApi' | 'cloudApi' = 'marketingMessagesApi';
		if (this.state.onboarding.get(phone.wabaId) === ONBOARDED) {
			if (this.state.syncing.has(template.id)) return marketingErrors.syncing(version);
			if (this.state.unavailable.has(template.id)) return marketingErrors.unavailable();
		} else if (productPolicy === 'STRICT') {
			return marketingErrors.unavailable();
		} else if (this.state.disabledOnCloudApi.has(phone.wabaId)) {
			return marketingErrors.disabledOnCloudApi();
		} else {
			deliveredThrough = 'cloudApi';
		}
		if (undeliverable.has(key)) {
			return graphError(400, 131026, 'Message undeliverable', {
				error_data: {
					messaging_product: 'whatsapp',
					details:
						'Message failed to send because the recipient is not a WhatsApp user or has not accepted the latest terms.',
				},
			});
		}
		const fault = this.faults.beforeSend(phone.id) ?? this.faults.pairRate(phone.id, to);
		if (fault) return fault;
		const id = this.messages.nextId('SBX');
		accepted.push({ id, phoneNumberId: phone.id, body, at: Date.now() });
		this.state.sends.set(id, { deliveredThrough, productPolicy });
		if (script === 'reset-after' || this.faults.resetAfter()) {
			if (script !== 'reset-after') injected.resetAfter++;
			return { status: 0, body: null, reset: true };
		}
		return {
			status: 200,
			body: {
				messaging_product: 'whatsapp',
				contacts: [userId ? { input: to, user_id: userId } : { input: to, wa_id: key }],
				messages: [{ id, message_status: 'accepted' }],
			},
		};
	}

	/** The account's template a send names (by name and language code). */
	private templateOf(wabaId: string, template: unknown) {
		const t = template as { name?: unknown; language?: { code?: unknown } } | undefined;
		return [...this.sandbox.templates.values()].find(
			(x) => x.wabaId === wabaId && x.name === t?.name && x.language === t?.language?.code,
		);
	}
}
