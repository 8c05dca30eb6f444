/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * A local simulator of the parts of Meta's Graph API that the nodes use, for end-to-end tests,
 * benchmarks and the demo. It speaks real HTTP on 127.0.0.1 and answers with Meta's shapes
 * (test/fixtures/api). It can add latency, inject throttling and server errors from a seeded
 * random source, and enforce a per-number rate cap; it records every accepted message so tests
 * can count losses and duplicates.
 *
 * This file holds the server, the routing, authentication, the control API and the state callers
 * read and set; the endpoints live by Graph area: messages.ts (sends), templates.ts, flows.ts
 * (WhatsApp Flows), media.ts (uploads, resumable too), phoneNumbers.ts (numbers, their
 * registration and business profiles), qrCodes.ts (QR codes and their images), groups.ts (groups,
 * their invite links, join requests and webhooks), analytics.ts (an account's analytics fields and
 * currency), blockUsers.ts (block lists), callPermissions.ts (customers' call permissions and
 * permission requests), webhooks.ts (registration, verification, delivery) and faults.ts (what is
 * injected
 * into sends).
 */
import { createHmac } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

import { Analytics } from './analytics';
import { BlockUsers } from './blockUsers';
import { Faults } from './faults';
import { Flows, type SandboxFlow } from './flows';
import { Groups } from './groups';
import {
	graphError,
	SANDBOX_APP_ID,
	SANDBOX_APP_SECRET,
	SANDBOX_CATALOG_ID,
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_TOKEN,
	SANDBOX_WABA_ID,
	type AcceptedMessage,
	type Delivery,
	type Override,
	type Req,
	type Res,
	type SandboxPhoneNumber,
	type SandboxTemplate,
} from './graph';
import { MarketingMessages, newMarketingState, type MarketingMessagesOptions } from './marketing';
import { Media } from './media';
import { Messages } from './messages';
import { exampleProfile, PhoneNumbers, type Registration, Registrations } from './phoneNumbers';
import { CallPermissions } from './callPermissions';
import { QrCodes } from './qrCodes';
import { Templates } from './templates';
import { tapReplyButton, Webhooks, type CustomerOptions } from './webhooks';

export {
	metaJson,
	SANDBOX_APP_ID,
	SANDBOX_APP_SECRET,
	SANDBOX_CATALOG_ID,
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_TOKEN,
	SANDBOX_WABA_ID,
	sandboxCredentialData,
} from './graph';
export type { AcceptedMessage, Delivery, SandboxPhoneNumber, SandboxTemplate } from './graph';
export type { FlowStatus, SandboxFlow } from './flows';
export type { GroupNotification, SandboxGroup } from './groups';

/**
 * A second number of the sandbox account's business that is not an Official Business Account, for
 * tests of what Meta refuses such numbers (groups: 131215). Not among the default numbers, so the
 * lists of numbers stay as they are: a test adds it to `options.phoneNumbers`.
 */
export const SANDBOX_NON_OBA_PHONE_NUMBER: SandboxPhoneNumber = {
	id: '106540352242923',
	display_phone_number: '15550783882',
	verified_name: 'Lucky Shrub Support',
	quality_rating: 'GREEN',
	code_verification_status: 'VERIFIED',
	platform_type: 'CLOUD_API',
	throughput: { level: 'STANDARD' },
	is_official_business_account: false,
	wabaId: SANDBOX_WABA_ID,
};

export type SandboxFaults = {
	/** Share of message sends answered with 130429 before being accepted (0..1). */
	throttle?: number;
	/** Share of message sends answered with HTTP 500 before being accepted (0..1). */
	serverError?: number;
	/** Share of message sends answered with 131056 (pair rate limit) before being accepted (0..1). */
	pairLimit?: number;
	/** Share of message sends whose connection is reset before the message is taken (0..1). */
	resetBefore?: number;
	/**
	 * Share of message sends whose connection is reset after the message was taken (0..1): the
	 * message counts as accepted, but the client never hears so.
	 */
	resetAfter?: number;
	seed?: number;
};

/**
 * What the sandbox does with the next message sends, in order, before anything else: a scripted
 * answer (any status and body, e.g. an HTML page or a 200 without a message ID), or a connection
 * reset before or after the message is taken.
 */
export type ScriptedAnswer =
	| { status: number; body: unknown; headers?: Record<string, string> }
	| 'reset-before'
	| 'reset-after';

export type SandboxOptions = {
	/** Tokens the sandbox accepts. Any other Bearer token gets error 190. */
	tokens?: string[];
	/** Tokens that get error 190 with subcode 463 (expired). */
	expiredTokens?: string[];
	appSecret?: string;
	/** Require appsecret_proof on every call. */
	requireProof?: boolean;
	phoneNumbers?: SandboxPhoneNumber[];
	/** Added to every response, in milliseconds. */
	latencyMs?: number;
	faults?: SandboxFaults;
	/** Messages per second per phone number above which sends get 130429 (sliding second). */
	rateCap?: number;
	/**
	 * Meta's pair rate limit: a message to a recipient that already has `max` accepted messages
	 * from the same number within `windowMs` gets 131056.
	 */
	pairRate?: { max: number; windowMs: number };
	/** The Meta app the sandbox plays: its ID, for `/{app-id}/subscriptions` and uploads. */
	appId?: string;
	/**
	 * Refuse message sends that Meta's OpenAPI request schema does not allow (dev/sandbox/openapi.ts),
	 * as Meta refuses an invalid parameter. On unless set to false.
	 */
	strictOpenApi?: boolean;
	/** Every account's onboarding to the Marketing Messages API (dev/sandbox/marketing.ts). */
	marketingMessages?: MarketingMessagesOptions;
	/**
	 * Keep every Graph request as it arrived, body included, in `received` (the example workflow
	 * tests compare them with their expected files). Off unless set: the benchmark and the demo
	 * send thousands of messages.
	 */
	recordRequests?: boolean;
};

/** A Graph request as the sandbox received it (see `SandboxOptions.recordRequests`). */
export type ReceivedRequest = {
	method: string;
	path: string;
	/** The path and query exactly as they arrived, percent-encoding included. */
	url: string;
	query: Record<string, string>;
	contentType: string;
	body: Buffer;
};

export class GraphSandbox {
	readonly options: Required<Omit<SandboxOptions, 'faults' | 'rateCap' | 'pairRate'>> &
		Pick<SandboxOptions, 'faults' | 'rateCap' | 'pairRate'>;

	readonly accepted: AcceptedMessage[] = [];

	/** Every request seen, for assertions (method, path, status). */
	readonly log: Array<{ method: string; path: string; status: number; at: number }> = [];

	/** Every request as it arrived, when `recordRequests` is set; control requests aside. */
	readonly received: ReceivedRequest[] = [];

	readonly injected = {
		throttle: 0,
		serverError: 0,
		pairLimit: 0,
		rateCap: 0,
		resetBefore: 0,
		resetAfter: 0,
		pairRate: 0,
	};

	/**
	 * The catalog connected to each WhatsApp Business Account (`GET /{waba-id}/product_catalogs`):
	 * Meta connects at most one; the sandbox account has one, the product messages' catalog.
	 */
	readonly catalogs = new Map<string, Array<{ id: string; name: string }>>([
		[SANDBOX_WABA_ID, [{ id: SANDBOX_CATALOG_ID, name: 'Lucky Shrub Plants' }]],
	]);

	/** Answers for the next message sends, consumed in order (see ScriptedAnswer). */
	readonly scripted: ScriptedAnswer[] = [];

	/**
	 * Answers for the next file uploads (`POST /{phone-number-id}/media`, and the bytes of a resumable
	 * upload), consumed in order once the whole body has arrived, before the file is taken: e.g. a
	 * transient 500, which the client retries by sending the file again.
	 */
	readonly scriptedUploads: Array<Exclude<ScriptedAnswer, 'reset-after'>> = [];

	/** Every upload request's path and body length, in order, whether the file was taken or not. */
	readonly uploadAttempts: Array<{ path: string; bytes: number }> = [];

	/** Recipients (digits, or a user ID as given) that are not on WhatsApp: sends to them get 131026. */
	readonly undeliverable = new Set<string>();

	/**
	 * Customers (digits, or a user ID as given) whose WhatsApp is too old for a voice call button:
	 * Meta takes the send, and the message's failed status carries 131026.
	 */
	readonly oldClients = new Set<string>();

	/** Webhook registrations, as Meta keeps them. */
	readonly webhooks = {
		app: undefined as (Override & { fields: string[] }) | undefined,
		subscribedWabas: new Set<string>(),
		wabaOverrides: new Map<string, Override>(),
		phoneOverrides: new Map<string, Override>(),
	};

	/** Every webhook POST the sandbox made, in order. */
	readonly deliveries: Delivery[] = [];

	readonly media = new Map<string, { bytes: Buffer; mimeType: string; filename?: string }>();

	/** Every upload the sandbox took, in order. */
	readonly uploads: Array<{ id: string; mimeType: string; filename?: string; size: number }> = [];

	/** Templates by ID, seeded with Meta's examples (test/fixtures/api/template_get_full__meta_docs.json). */
	readonly templates = new Map<string, SandboxTemplate>();

	/** WhatsApp Flows by ID, seeded with a published one, a draft and a draft with errors (flows.ts). */
	readonly flows = new Map<string, SandboxFlow>();

	/** Resumable upload sessions (`upload:<n>`): what arrived, and with which Authorization scheme. */
	readonly uploadSessions = new Map<
		string,
		{
			fileName: string;
			length: number;
			type: string;
			bytes: Buffer;
			scheme?: string;
			handle?: string;
		}
	>();

	/**
	 * Recipients (digits, or a user ID as given) whose 24-hour customer-service window is closed:
	 * free-form sends get 131047.
	 */
	readonly closedWindows = new Set<string>();

	/**
	 * The Marketing Messages API's state: onboarding per account, templates still syncing or
	 * unavailable, and how each message it took was delivered (see marketing.ts). Reset restores the
	 * options' onboarding.
	 */
	readonly marketingMessages = newMarketingState();

	/** Business profiles by phone number ID (Meta's example for the default number). */
	readonly profiles = new Map<string, Record<string, unknown>>([
		[SANDBOX_PHONE_NUMBER_ID, exampleProfile()],
	]);

	/**
	 * Where each number stands with registration, by phone number ID (its PIN, its register and
	 * deregister calls, the code last sent); a number not in it starts as its options say.
	 */
	readonly registrations = new Map<string, Registration>();

	/** The endpoints, by Graph area. */
	private readonly areas: {
		analytics: Analytics;
		faults: Faults;
		messages: Messages;
		marketing: MarketingMessages;
		templates: Templates;
		flows: Flows;
		groups: Groups;
		media: Media;
		phoneNumbers: PhoneNumbers;
		qrCodes: QrCodes;
		blockUsers: BlockUsers;
		callPermissions: CallPermissions;
		registrations: Registrations;
		webhooks: Webhooks;
	};

	private server?: http.Server;

	private controlApi = false;

	constructor(options: SandboxOptions = {}) {
		this.options = {
			tokens: [SANDBOX_TOKEN],
			appId: SANDBOX_APP_ID,
			strictOpenApi: true,
			marketingMessages: {},
			expiredTokens: [],
			appSecret: SANDBOX_APP_SECRET,
			requireProof: false,
			recordRequests: false,
			latencyMs: 0,
			phoneNumbers: [
				{
					id: SANDBOX_PHONE_NUMBER_ID,
					display_phone_number: '15550783881',
					verified_name: 'Lucky Shrub',
					quality_rating: 'GREEN',
					code_verification_status: 'VERIFIED',
					platform_type: 'CLOUD_API',
					throughput: { level: 'STANDARD' },
					// groups are for Official Business Accounts only
					is_official_business_account: true,
					wabaId: SANDBOX_WABA_ID,
				},
			],
			...options,
		};
		const faults = new Faults(this);
		const messages = new Messages(this, faults);
		this.areas = {
			analytics: new Analytics(this),
			faults,
			messages,
			marketing: new MarketingMessages(this, messages, faults),
			templates: new Templates(this),
			flows: new Flows(this, faults),
			groups: new Groups(this),
			media: new Media(this),
			phoneNumbers: new PhoneNumbers(this),
			qrCodes: new QrCodes(this),
			blockUsers: new BlockUsers(this),
			callPermissions: new CallPermissions(),
			registrations: new Registrations(this),
			webhooks: new Webhooks(this, messages),
		};
	}

	/** The customers' call permissions and permission requests, for tests that seed or read them. */
	get callPermissions(): CallPermissions {
		return this.areas.callPermissions;
	}

	/** Template archive, compare, library, max price and edit-limit state, for tests that seed or read it. */
	get templateLifecycle() {
		return this.areas.templates.lifecycle;
	}

	/**
	 * The accounts' analytics: seeded data points (`analytics.seed(...)`), currencies, template
	 * analytics turned off, partner credit lines without cost.
	 */
	get analytics(): Analytics {
		return this.areas.analytics;
	}

	/** The QR codes of each number, for tests that seed or read them. */
	get qrCodes(): QrCodes {
		return this.areas.qrCodes;
	}

	/** The block list of each number and who wrote when, for tests that seed or read them. */
	get blockUsers(): BlockUsers {
		return this.areas.blockUsers;
	}

	/** The groups of each number and their webhooks, for tests that seed, read or flush them. */
	get groups(): Groups {
		return this.areas.groups;
	}

	get url(): string {
		const address = this.server?.address() as AddressInfo | undefined;
		if (!address) throw new Error('sandbox not started');
		return `http://127.0.0.1:${address.port}`;
	}

	async start(port = 0): Promise<this> {
		this.server = http.createServer((req, res) => void this.handle(req, res));
		this.server.keepAliveTimeout = 30_000;
		await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
		return this;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		server.closeAllConnections?.();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Serve /__sandbox/* control endpoints (stats, reset, faults) for a sandbox in another process. */
	enableControlApi(): void {
		this.controlApi = true;
	}

	/** Clears accepted messages, the request log and the fault counters. */
	reset(): void {
		this.accepted.length = 0;
		this.log.length = 0;
		this.received.length = 0;
		this.areas.faults.clear();
		Object.assign(this.injected, {
			throttle: 0,
			serverError: 0,
			pairLimit: 0,
			rateCap: 0,
			resetBefore: 0,
			resetAfter: 0,
			pairRate: 0,
		});
		this.scripted.length = 0;
		this.scriptedUploads.length = 0;
		this.uploadAttempts.length = 0;
		this.undeliverable.clear();
		this.oldClients.clear();
		this.areas.messages.undeliverableAt.length = 0;
		this.areas.marketing.reset();
		// the Flows go back to the seeded ones: their statuses only move forward (published, deprecated)
		this.areas.flows.reset();
		this.registrations.clear();
		this.areas.qrCodes.reset();
		this.areas.templates.lifecycle.reset();
		this.areas.groups.reset();
		this.areas.callPermissions.reset();
		this.areas.analytics.reset();
		this.areas.blockUsers.reset();
		this.areas.phoneNumbers.reset();
	}

	stats() {
		return {
			accepted: this.accepted.length,
			texts: this.accepted.map((m) => (m.body.text as { body?: string } | undefined)?.body ?? null),
			ids: this.accepted.map((m) => m.id),
			acceptedAt: this.accepted.map((m) => m.at),
			undeliverableAt: [...this.areas.messages.undeliverableAt],
			requests: this.log.length,
			messageRequests: this.log.filter((l) => l.path.endsWith('/messages')).length,
			injected: { ...this.injected },
			peakPerSecond: this.peakPerSecond(),
			/** The size of every file taken by `POST /{phone-number-id}/media`, in order. */
			uploads: this.uploads.map((u) => u.size),
			/** The body size of every upload request (a resumable upload's body is the file alone). */
			uploadAttempts: this.uploadAttempts.map((a) => a.bytes),
		};
	}

	/** Peak number of messages accepted for one phone number within any 1-second window. */
	peakPerSecond(phoneNumberId = SANDBOX_PHONE_NUMBER_ID): number {
		const times = this.accepted
			.filter((m) => m.phoneNumberId === phoneNumberId)
			.map((m) => m.at)
			.sort((a, b) => a - b);
		let peak = 0;
		for (let lo = 0, hi = 0; hi < times.length; hi++) {
			while (times[hi] - times[lo] >= 1000) lo++;
			peak = Math.max(peak, hi - lo + 1);
		}
		return peak;
	}

	/** Reconfigure faults between runs (resets the seeded random source). */
	setFaults(faults: SandboxFaults | undefined): void {
		this.options.faults = faults;
		this.areas.faults.reseed(faults?.seed ?? 1);
	}

	/** Adds a template (status APPROVED unless given); returns its ID. */
	addTemplate(
		template: Omit<SandboxTemplate, 'id' | 'wabaId'> & { id?: string; wabaId?: string },
	): string {
		return this.areas.templates.add(template);
	}

	/**
	 * Meta's review: sets a template's status and sends the `message_template_status_update`
	 * webhook to the app callback, if one is registered.
	 */
	async reviewTemplate(
		id: string,
		status: 'APPROVED' | 'REJECTED' = 'APPROVED',
		reason = 'NONE',
	): Promise<Delivery | undefined> {
		return await this.areas.templates.review(id, status, reason);
	}

	/** Stores a file as an incoming customer media; returns its media ID. */
	addMedia(bytes: Buffer, mimeType: string, filename?: string): string {
		return this.areas.media.add(bytes, mimeType, filename);
	}

	/**
	 * Where Meta would send this change: phone override, then WABA override, then the app callback;
	 * only Meta's override fields (`META_OVERRIDE_FIELDS` in webhooks.ts) can be redirected.
	 */
	destinationFor(wabaId: string, field: string, phoneNumberId?: string): string | undefined {
		return this.areas.webhooks.destinationFor(wabaId, field, phoneNumberId);
	}

	/**
	 * Sends a webhook payload the way Meta does: escaped-unicode JSON, signed with the app secret,
	 * to the callback the registrations resolve to (or to `to`). Returns what the callback answered.
	 */
	async deliver(
		payload: Parameters<Webhooks['deliver']>[0],
		options: Parameters<Webhooks['deliver']>[1] = {},
	): Promise<Delivery> {
		return await this.areas.webhooks.deliver(payload, options);
	}

	/** Meta's status webhook for a message the sandbox accepted (sent, delivered, read, failed). */
	async deliverStatus(
		messageId: string,
		status: 'sent' | 'delivered' | 'read' | 'failed',
		to?: string,
	): Promise<Delivery> {
		return await this.areas.webhooks.deliverStatus(messageId, status, to);
	}

	/**
	 * A customer's text message, delivered as Meta would; it also opens their 24-hour window.
	 * `userId`, `username` and `hidePhone` play a customer with a BSUID, a username, and (hidden
	 * phone) no phone this number may see.
	 */
	async customerWrites(
		from: string,
		name: string,
		text: string,
		options: CustomerOptions = {},
	): Promise<{ delivery: Delivery; messageId: string }> {
		return await this.areas.webhooks.customerWrites(from, name, text, options);
	}

	/** A participant's text message in a group of the sandbox (webhooks.ts `participantWrites`). */
	async participantWrites(
		groupId: string,
		participant: { wa_id: string; user_id: string },
		name: string,
		text: string,
		options: { to?: string } = {},
	): Promise<{ delivery: Delivery; messageId: string }> {
		return await this.areas.webhooks.participantWrites(groupId, participant, name, text, options);
	}

	private async control(req: Req): Promise<Res> {
		const action = req.path[1];
		if (action === 'stats' && req.method === 'GET') return { status: 200, body: this.stats() };
		if (action === 'requests' && req.method === 'GET') return { status: 200, body: this.log };
		if (action === 'webhooks' && req.method === 'GET') {
			const hooks = this.webhooks;
			return {
				status: 200,
				body: {
					app: hooks.app ?? null,
					subscribedWabas: [...hooks.subscribedWabas],
					wabaOverrides: Object.fromEntries(hooks.wabaOverrides),
					phoneOverrides: Object.fromEntries(hooks.phoneOverrides),
					deliveries: this.deliveries,
				},
			};
		}
		if (action === 'customer' && req.method === 'POST') {
			const { from, name, text, ...options } = (req.json ?? {}) as {
				from: string;
				name: string;
				text: string;
			} & CustomerOptions;
			try {
				return { status: 200, body: await this.customerWrites(from, name, text, options) };
			} catch (error) {
				return { status: 409, body: { error: (error as Error).message } };
			}
		}
		if (action === 'reset' && req.method === 'POST') {
			this.reset();
			return { status: 200, body: { success: true } };
		}
		if (action === 'undeliverable' && req.method === 'POST') {
			for (const r of ((req.json ?? {}).recipients as string[] | undefined) ?? [])
				this.undeliverable.add(r.replace(/\D/g, ''));
			return { status: 200, body: { success: true } };
		}
		if (action === 'templates' && req.method === 'POST') {
			const id = this.addTemplate(req.json as Parameters<GraphSandbox['addTemplate']>[0]);
			return { status: 200, body: { id } };
		}
		if (action === 'faults' && req.method === 'POST') {
			this.setFaults((req.json ?? {}) as SandboxFaults);
			return { status: 200, body: { success: true } };
		}
		if (action === 'accepted' && req.method === 'GET') return { status: 200, body: this.accepted };
		if (action === 'tap' && req.method === 'POST') {
			const { messageId, title, to, buttonId } = (req.json ?? {}) as {
				messageId: string;
				title: string | number;
				to?: string;
				buttonId?: string;
			};
			try {
				const tap = await tapReplyButton(this, messageId, title, { to, buttonId });
				return { status: 200, body: { delivery: tap.delivery, messageId: tap.messageId } };
			} catch (error) {
				return { status: 409, body: { error: (error as Error).message } };
			}
		}
		if (action === 'rate-cap' && req.method === 'POST') {
			// Meta's per-number throughput, for senders in several processes; 0 lifts the cap
			const perSecond = Number((req.json ?? {}).perSecond ?? 0);
			this.options.rateCap = perSecond > 0 ? perSecond : undefined;
			this.areas.faults.clear();
			return { status: 200, body: { success: true } };
		}
		return { status: 404, body: { error: 'unknown control endpoint' } };
	}

	private async handle(
		request: http.IncomingMessage,
		response: http.ServerResponse,
	): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks);
		const url = new URL(request.url ?? '/', 'http://sandbox');
		let json: Record<string, unknown> | undefined;
		if (raw.length && String(request.headers['content-type'] ?? '').includes('application/json')) {
			try {
				json = JSON.parse(raw.toString('utf8'));
			} catch {
				json = undefined;
			}
		}
		const auth = String(request.headers.authorization ?? '');
		const req: Req = {
			method: request.method ?? 'GET',
			path: url.pathname.split('/').filter(Boolean).map(decodeURIComponent),
			query: url.searchParams,
			headers: request.headers,
			raw,
			json,
			token: auth.replace(/^(Bearer|OAuth)\s+/i, '') || url.searchParams.get('access_token') || '',
		};
		if (this.controlApi && req.path[0] === '__sandbox') {
			const res = await this.control(req);
			response.writeHead(res.status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(res.body));
			return;
		}
		if (this.options.recordRequests)
			this.received.push({
				method: req.method,
				path: url.pathname,
				url: request.url ?? '/',
				query: Object.fromEntries(url.searchParams),
				contentType: String(request.headers['content-type'] ?? ''),
				body: raw,
			});
		let result: Res;
		try {
			result = await this.route(req);
		} catch (error) {
			result = graphError(500, 1, `Sandbox failure: ${(error as Error).message}`);
		}
		if (this.options.latencyMs > 0) await new Promise((r) => setTimeout(r, this.options.latencyMs));
		this.log.push({
			method: req.method,
			path: url.pathname,
			status: result.reset ? 0 : result.status,
			at: Date.now(),
		});
		if (result.reset) {
			// the client sees ECONNRESET with no answer
			request.socket.destroy();
			return;
		}
		const isBuffer = Buffer.isBuffer(result.body);
		response.writeHead(result.status, {
			'content-type': isBuffer ? 'application/octet-stream' : 'application/json; charset=UTF-8',
			// a handler's own content type wins
			'facebook-api-version': req.path[0] ?? 'v25.0',
			...(result.headers ?? {}),
		});
		response.end(isBuffer ? (result.body as Buffer) : JSON.stringify(result.body));
	}

	/**
	 * Hands a request to its area. `/{app-id}/subscriptions` comes before the user-token check: it takes
	 * the app's own token.
	 */
	private async route(req: Req): Promise<Res> {
		if (req.path[0] === 'media-files') return this.areas.media.file(req);
		if (req.path[0] === 'flow-assets') return this.areas.flows.download(req);
		if (req.path[0] === 'qr-images') return this.areas.qrCodes.image(req);
		// template archive and unarchive, on their own host and without a version (templateLifecycle.ts)
		if (
			req.path.length === 3 &&
			req.path[1] === 'message_templates' &&
			(req.path[2] === 'archive' || req.path[2] === 'unarchive') &&
			req.method === 'POST' &&
			this.options.phoneNumbers.some((p) => p.wabaId === req.path[0])
		)
			return (
				this.authenticate(req) ??
				(await this.areas.templates.lifecycle.archive(req.path[0], req.path[2], req))
			);
		const [version, ...rest] = req.path;
		if (!version || !/^v\d+\.\d+$/.test(version)) {
			return graphError(
				400,
				2500,
				'Unknown path components: the URL must start with a Graph API version such as /v25.0',
			);
		}
		if (rest[0] === this.options.appId && rest[1] === 'subscriptions')
			return await this.areas.webhooks.appSubscriptions(req);
		const authError = this.authenticate(req);
		if (authError) return authError;
		if (rest.length === 1 && rest[0] === 'debug_token' && req.method === 'GET')
			return this.areas.phoneNumbers.debugToken(req);
		if (rest.length === 0 && req.method === 'GET' && req.query.has('ids'))
			return this.areas.phoneNumbers.lookup(req);
		const phone = this.options.phoneNumbers.find((p) => p.id === rest[0]);
		const wabaIds = new Set(this.options.phoneNumbers.map((p) => p.wabaId));
		if (rest.length === 1 && req.method === 'GET' && phone)
			return this.areas.phoneNumbers.get(phone, req);
		if (rest.length === 1 && req.method === 'POST' && phone && req.json?.webhook_configuration) {
			return await this.areas.webhooks.setPhoneOverride(
				phone,
				req.json.webhook_configuration as Record<string, string>,
			);
		}
		if (rest.length === 1 && req.method === 'POST' && phone && req.json && 'pin' in req.json)
			return this.areas.registrations.setPin(phone, req);
		if (rest.length === 2 && req.method === 'POST' && phone) {
			const registrations = this.areas.registrations;
			if (rest[1] === 'register') return registrations.register(phone, req);
			if (rest[1] === 'deregister') return registrations.deregister(phone);
			if (rest[1] === 'request_code') return registrations.requestCode(phone, req);
			if (rest[1] === 'verify_code') return registrations.verifyCode(phone, req);
		}
		if (rest.length === 2 && rest[1] === 'messages' && req.method === 'POST') {
			if (!phone)
				return graphError(
					400,
					100,
					`Unsupported post request. Object with ID '${rest[0]}' does not exist`,
					{ error_subcode: 33 },
				);
			return (
				this.areas.templates.lifecycle.cloudApiRefusal(phone.wabaId, req.json) ??
				this.areas.marketing.cloudApiRefusal(phone, req) ??
				this.areas.flows.checkSend(phone.wabaId, req.json) ??
				this.areas.templates.checkSend(phone.wabaId, req.json) ??
				this.areas.messages.send(phone, req)
			);
		}
		if (rest.length === 2 && rest[1] === 'marketing_messages' && req.method === 'POST') {
			if (!phone)
				return graphError(
					400,
					100,
					`Unsupported post request. Object with ID '${rest[0]}' does not exist`,
					{ error_subcode: 33 },
				);
			return (
				this.areas.templates.checkSend(phone.wabaId, req.json) ??
				this.areas.marketing.send(phone, req)
			);
		}
		if (rest.length === 1 && req.method === 'GET' && wabaIds.has(rest[0]))
			return (
				this.areas.analytics.account(rest[0], req) ?? this.areas.marketing.account(rest[0], req)
			);
		if (rest.length === 2 && rest[1] === 'subscribed_apps' && wabaIds.has(rest[0]))
			return await this.areas.webhooks.subscribedApps(rest[0], req);
		if (
			rest.length === 2 &&
			rest[1] === 'phone_numbers' &&
			req.method === 'GET' &&
			wabaIds.has(rest[0])
		)
			return this.areas.phoneNumbers.list(rest[0], req);
		if (
			rest.length === 2 &&
			rest[1] === 'product_catalogs' &&
			req.method === 'GET' &&
			wabaIds.has(rest[0])
		)
			return { status: 200, body: { data: this.catalogs.get(rest[0]) ?? [] } };
		if (rest.length === 2 && rest[1] === 'message_templates' && wabaIds.has(rest[0]))
			return this.areas.templates.forAccount(rest[0], req);
		if (rest.length === 1 && this.templates.has(rest[0]))
			return this.areas.templates.byId(rest[0], req);
		if (
			rest.length === 2 &&
			rest[1] === 'unpause' &&
			req.method === 'POST' &&
			this.templates.has(rest[0])
		)
			return this.areas.templates.lifecycle.unpause(this.templates.get(rest[0])!);
		if (rest.length === 2 && rest[1] === 'compare' && this.templates.has(rest[0]))
			return this.areas.templates.lifecycle.compare(this.templates.get(rest[0])!, req);
		if (rest.length === 1 && rest[0] === 'message_template_library' && req.method === 'GET')
			return this.areas.templates.lifecycle.library(req);
		if (rest.length === 2 && rest[1] === 'flows' && wabaIds.has(rest[0]))
			return await this.areas.flows.forAccount(rest[0], req);
		if (rest.length <= 2 && this.flows.has(rest[0]))
			return await this.areas.flows.byId(rest[0], rest[1], req);
		if (
			rest.length === 2 &&
			rest[0] === this.options.appId &&
			rest[1] === 'uploads' &&
			req.method === 'POST'
		)
			return this.areas.media.createUploadSession(req);
		if (rest.length === 1 && rest[0].startsWith('upload:'))
			return this.areas.media.resumableUpload(rest[0], req);
		if (rest.length === 2 && rest[1] === 'media' && req.method === 'POST' && phone)
			return this.areas.media.upload(req);
		if (rest.length === 1 && req.method === 'GET' && this.media.has(rest[0]))
			return this.mediaInfo(rest[0]);
		if (rest.length === 1 && req.method === 'DELETE' && this.media.has(rest[0]))
			return this.areas.media.delete(rest[0]);
		if (rest.length <= 3 && rest[1] === 'message_qrdls' && phone)
			return this.areas.qrCodes.route(phone, rest[2], req);
		if (rest.length === 2 && rest[1] === 'conversational_automation' && phone)
			return this.areas.phoneNumbers.setConversational(phone, req);
		if (rest.length === 2 && rest[1] === 'block_users' && phone)
			return this.areas.blockUsers.route(phone, req);
		if (rest.length === 2 && rest[1] === 'call_permissions' && phone)
			return this.areas.callPermissions.get(phone, req);
		if (rest.length === 2 && rest[1] === 'whatsapp_business_profile' && phone)
			return this.areas.phoneNumbers.businessProfile(phone, req);
		if (rest.length === 2 && rest[1] === 'groups' && phone)
			return this.areas.groups.forNumber(phone, req);
		if (rest.length <= 2 && this.areas.groups.handles(rest[0]))
			return this.areas.groups.forGroup(rest[0], rest[1], req);
		if (rest.length >= 1) {
			return graphError(
				400,
				100,
				`Unsupported ${req.method.toLowerCase()} request. Object with ID '${rest[0]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`,
				{ error_subcode: 33 },
			);
		}
		return graphError(400, 100, 'Unknown path');
	}

	/** `GET /{media-id}`, through a method of the sandbox's own so a test can change what it reports. */
	private mediaInfo(id: string): Res {
		return this.areas.media.info(id);
	}

	private authenticate(req: Req): Res | undefined {
		if (this.options.expiredTokens.includes(req.token)) {
			return {
				status: 401,
				body: {
					error: {
						message:
							'Error validating access token: Session has expired on Friday, 20-Nov-26 10:00:00 PST.',
						type: 'OAuthException',
						code: 190,
						error_subcode: 463,
						fbtrace_id: 'SandboxExpired',
					},
				},
			};
		}
		if (!this.options.tokens.includes(req.token)) {
			return {
				status: 401,
				body: {
					error: {
						message: 'Invalid OAuth access token - Cannot parse access token',
						type: 'OAuthException',
						code: 190,
						fbtrace_id: 'SandboxInvalid',
					},
				},
			};
		}
		if (this.options.requireProof) {
			const expected = createHmac('sha256', this.options.appSecret).update(req.token).digest('hex');
			const proof = req.query.get('appsecret_proof');
			if (proof !== expected) {
				// Meta's own wording and type for these two, without the "(#100)" prefix of other errors
				const message = proof
					? 'Invalid appsecret_proof provided in the API argument'
					: 'API calls from the server require an appsecret_proof argument';
				return {
					status: 400,
					body: {
						error: { message, type: 'GraphMethodException', code: 100, fbtrace_id: 'SandboxProof' },
					},
				};
			}
		}
		return undefined;
	}
}
