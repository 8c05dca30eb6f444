/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * A local simulator of the parts of Meta's Graph API that the nodes use, for end-to-end tests,
 * benchmarks and the demo. It speaks real HTTP on 127.0.0.1 and answers with Meta's shapes
 * (test/fixtures/api). It can add latency, inject throttling and server errors from a seeded
 * random source, and enforce a per-number rate cap; it records every accepted message so tests
 * can count losses and duplicates.
 */
import { createHash, createHmac } from 'crypto';
import { readFileSync } from 'fs';
import path from 'path';
import * as http from 'http';
import type { AddressInfo } from 'net';

import { callbackOf } from '../../nodes/WhatsAppCloudTrigger/events';
import { checkAgainstOpenApi } from './openapi';

export type SandboxPhoneNumber = {
	id: string;
	display_phone_number: string;
	verified_name: string;
	quality_rating?: string;
	wabaId: string;
	[field: string]: unknown;
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
	 * Refuse message sends that Meta's OpenAPI request schema does not allow (test/sandbox/openapi.ts),
	 * as Meta refuses an invalid parameter. On unless set to false.
	 */
	strictOpenApi?: boolean;
};

type Override = { url: string; verifyToken: string };

export type Delivery = { url: string; status: number; body: string; ms: number };

export type AcceptedMessage = {
	id: string;
	phoneNumberId: string;
	body: Record<string, unknown>;
	at: number;
};

type Req = {
	method: string;
	path: string[];
	query: URLSearchParams;
	headers: http.IncomingHttpHeaders;
	raw: Buffer;
	json: Record<string, unknown> | undefined;
	token: string;
};

type Res = { status: number; body: unknown; headers?: Record<string, string>; reset?: boolean };

export const SANDBOX_TOKEN = 'sandbox-token';
export const SANDBOX_APP_SECRET = 'sandbox-app-secret';
export const SANDBOX_WABA_ID = '102290129340398';
export const SANDBOX_PHONE_NUMBER_ID = '106540352242922';
export const SANDBOX_APP_ID = '1234567890123456';

/** Meta signs and sends its JSON with every non-ASCII character escaped as \\uXXXX (lowercase). */
export function metaJson(payload: unknown): string {
	return JSON.stringify(payload).replace(
		/[\u007f-\uffff]/g,
		(c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
}

const graphError = (
	status: number,
	code: number,
	message: string,
	extra: Record<string, unknown> = {},
): Res => ({
	status,
	body: {
		error: {
			message: `(#${code}) ${message}`,
			type: 'OAuthException',
			code,
			...extra,
			fbtrace_id: `Sandbox${Math.random().toString(36).slice(2, 12)}`,
		},
	},
});

/** mulberry32: a small seeded PRNG so fault injection is repeatable. */
function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export class GraphSandbox {
	readonly options: Required<Omit<SandboxOptions, 'faults' | 'rateCap' | 'pairRate'>> &
		Pick<SandboxOptions, 'faults' | 'rateCap' | 'pairRate'>;

	readonly accepted: AcceptedMessage[] = [];

	/** Every request seen, for assertions (method, path, status). */
	readonly log: Array<{ method: string; path: string; status: number; at: number }> = [];

	readonly injected = {
		throttle: 0,
		serverError: 0,
		pairLimit: 0,
		rateCap: 0,
		resetBefore: 0,
		resetAfter: 0,
		pairRate: 0,
	};

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

	/** Recipients (digits) that are not on WhatsApp: sends to them get 131026. */
	readonly undeliverable = new Set<string>();

	/** When each 131026 for an undeliverable recipient was answered. */
	private readonly undeliverableAt: number[] = [];

	private server?: http.Server;

	private random: () => number;

	private messageCounter = 0;

	private recentSends = new Map<string, number[]>();

	private controlApi = false;

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

	/** Templates by ID, seeded with Meta's examples (test/fixtures/api/template_get_full__meta_docs.json). */
	readonly templates = new Map<string, SandboxTemplate>();

	private templateCounter = 0;

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

	/** Recipients whose 24-hour customer-service window is closed: free-form sends get 131047. */
	readonly closedWindows = new Set<string>();

	private mediaCounter = 0;

	constructor(options: SandboxOptions = {}) {
		this.options = {
			tokens: [SANDBOX_TOKEN],
			appId: SANDBOX_APP_ID,
			strictOpenApi: true,
			expiredTokens: [],
			appSecret: SANDBOX_APP_SECRET,
			requireProof: false,
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
					wabaId: SANDBOX_WABA_ID,
				},
			],
			...options,
		};
		this.random = seeded(options.faults?.seed ?? 1);
		for (const t of SEED_TEMPLATES) this.templates.set(t.id, { ...t, wabaId: SANDBOX_WABA_ID });
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
		this.recentSends.clear();
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
		this.undeliverableAt.length = 0;
	}

	stats() {
		return {
			accepted: this.accepted.length,
			texts: this.accepted.map((m) => (m.body.text as { body?: string } | undefined)?.body ?? null),
			ids: this.accepted.map((m) => m.id),
			acceptedAt: this.accepted.map((m) => m.at),
			undeliverableAt: [...this.undeliverableAt],
			requests: this.log.length,
			messageRequests: this.log.filter((l) => l.path.endsWith('/messages')).length,
			injected: { ...this.injected },
			peakPerSecond: this.peakPerSecond(),
			/** The size of every file taken by `POST /{phone-number-id}/media`, in order. */
			uploads: this.uploads.map((u) => u.size),
		};
	}

	private control(req: Req): Res {
		const action = req.path[1];
		if (action === 'stats' && req.method === 'GET') return { status: 200, body: this.stats() };
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
		return { status: 404, body: { error: 'unknown control endpoint' } };
	}

	/** Reconfigure faults between runs (resets the seeded random source). */
	setFaults(faults: SandboxFaults | undefined): void {
		this.options.faults = faults;
		this.random = seeded(faults?.seed ?? 1);
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
			const res = this.control(req);
			response.writeHead(res.status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(res.body));
			return;
		}
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

	private async route(req: Req): Promise<Res> {
		if (req.path[0] === 'media-files') return this.mediaFile(req);
		const [version, ...rest] = req.path;
		if (!version || !/^v\d+\.\d+$/.test(version)) {
			return graphError(
				400,
				2500,
				'Unknown path components: the URL must start with a Graph API version such as /v25.0',
			);
		}
		if (rest[0] === this.options.appId && rest[1] === 'subscriptions')
			return await this.appSubscriptions(req);
		const authError = this.authenticate(req);
		if (authError) return authError;
		const phone = this.options.phoneNumbers.find((p) => p.id === rest[0]);
		const wabaIds = new Set(this.options.phoneNumbers.map((p) => p.wabaId));
		if (rest.length === 1 && req.method === 'GET' && phone) return this.getPhoneNumber(phone, req);
		if (rest.length === 1 && req.method === 'POST' && phone && req.json?.webhook_configuration) {
			return await this.setPhoneOverride(
				phone,
				req.json.webhook_configuration as Record<string, string>,
			);
		}
		if (rest.length === 2 && rest[1] === 'messages' && req.method === 'POST') {
			if (!phone)
				return graphError(
					400,
					100,
					`Unsupported post request. Object with ID '${rest[0]}' does not exist`,
					{ error_subcode: 33 },
				);
			return this.sendMessage(phone, req);
		}
		if (rest.length === 2 && rest[1] === 'subscribed_apps' && wabaIds.has(rest[0]))
			return await this.subscribedApps(rest[0], req);
		if (
			rest.length === 2 &&
			rest[1] === 'phone_numbers' &&
			req.method === 'GET' &&
			wabaIds.has(rest[0])
		)
			return this.listPhoneNumbers(rest[0], req);
		if (rest.length === 2 && rest[1] === 'message_templates' && wabaIds.has(rest[0]))
			return this.messageTemplates(rest[0], req);
		if (rest.length === 1 && this.templates.has(rest[0])) return this.template(rest[0], req);
		if (
			rest.length === 2 &&
			rest[0] === this.options.appId &&
			rest[1] === 'uploads' &&
			req.method === 'POST'
		)
			return this.createUploadSession(req);
		if (rest.length === 1 && rest[0].startsWith('upload:'))
			return this.resumableUpload(rest[0], req);
		if (rest.length === 2 && rest[1] === 'media' && req.method === 'POST' && phone)
			return this.uploadMedia(req);
		if (rest.length === 1 && req.method === 'GET' && this.media.has(rest[0]))
			return this.mediaInfo(rest[0]);
		if (rest.length === 1 && req.method === 'DELETE' && this.media.has(rest[0])) {
			this.media.delete(rest[0]);
			return { status: 200, body: { success: true } };
		}
		if (rest.length === 2 && rest[1] === 'whatsapp_business_profile' && phone)
			return this.businessProfile(phone, req);
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

	/** Meta's check of a callback URL: GET with hub.challenge, which must come back as the body. */
	private async verifyCallback(url: string, verifyToken: string): Promise<Res | undefined> {
		const challenge = String(Math.floor(Math.random() * 1e9));
		const target = new URL(url);
		target.searchParams.set('hub.mode', 'subscribe');
		target.searchParams.set('hub.challenge', challenge);
		target.searchParams.set('hub.verify_token', verifyToken);
		let status = 0;
		let body = '';
		try {
			const response = await fetch(target);
			status = response.status;
			body = await response.text();
		} catch (error) {
			body = (error as Error).message;
		}
		if (status === 200 && body === challenge) return undefined;
		return graphError(
			400,
			2200,
			`Callback verification failed with the following errors: HTTP Status Code = ${status}; HTTP Message = ${body.slice(0, 80)}`,
		);
	}

	private async subscribedApps(wabaId: string, req: Req): Promise<Res> {
		const hooks = this.webhooks;
		if (req.method === 'GET') {
			if (!hooks.subscribedWabas.has(wabaId)) return { status: 200, body: { data: [] } };
			const override = hooks.wabaOverrides.get(wabaId);
			return {
				status: 200,
				body: {
					data: [
						{
							whatsapp_business_api_data: {
								id: this.options.appId,
								name: 'Sandbox app',
								link: 'https://sandbox.invalid/',
							},
							...(override ? { override_callback_uri: override.url } : {}),
						},
					],
				},
			};
		}
		if (req.method === 'DELETE') {
			hooks.subscribedWabas.delete(wabaId);
			hooks.wabaOverrides.delete(wabaId);
			return { status: 200, body: { success: true } };
		}
		const body = req.json ?? {};
		const uri = body.override_callback_uri as string | undefined;
		if (uri !== undefined || body.verify_token !== undefined) {
			if (!uri || !body.verify_token)
				return graphError(400, 100, 'override_callback_uri and verify_token are both required');
			if (uri.length > 200)
				return graphError(400, 100, 'override_callback_uri is longer than 200 characters');
			const failure = await this.verifyCallback(uri, String(body.verify_token));
			if (failure) return failure;
			hooks.wabaOverrides.set(wabaId, { url: uri, verifyToken: String(body.verify_token) });
		} else {
			hooks.wabaOverrides.delete(wabaId);
		}
		hooks.subscribedWabas.add(wabaId);
		return { status: 200, body: { success: true } };
	}

	private async setPhoneOverride(
		phone: SandboxPhoneNumber,
		config: Record<string, string>,
	): Promise<Res> {
		const uri = config.override_callback_uri ?? '';
		if (!uri) {
			this.webhooks.phoneOverrides.delete(phone.id);
			return { status: 200, body: { success: true } };
		}
		if (!config.verify_token)
			return graphError(400, 100, 'verify_token is required with override_callback_uri');
		const failure = await this.verifyCallback(uri, config.verify_token);
		if (failure) return failure;
		this.webhooks.phoneOverrides.set(phone.id, { url: uri, verifyToken: config.verify_token });
		return { status: 200, body: { success: true } };
	}

	private async appSubscriptions(req: Req): Promise<Res> {
		if (req.token !== `${this.options.appId}|${this.options.appSecret}`) {
			return graphError(400, 190, 'This method must be called with an app access_token.');
		}
		const hooks = this.webhooks;
		if (req.method === 'GET') {
			const app = hooks.app;
			return {
				status: 200,
				body: {
					data: app
						? [
								{
									object: 'whatsapp_business_account',
									callback_url: app.url,
									active: true,
									fields: app.fields.map((name) => ({ name, version: 'v25.0' })),
								},
							]
						: [],
				},
			};
		}
		if (req.method === 'DELETE') {
			hooks.app = undefined;
			return { status: 200, body: { success: true } };
		}
		const body: Record<string, unknown> =
			req.json ?? Object.fromEntries(new URLSearchParams(req.raw.toString()));
		if (body.object !== 'whatsapp_business_account')
			return graphError(400, 100, 'object must be whatsapp_business_account');
		const url = String(body.callback_url ?? '');
		const failure = await this.verifyCallback(url, String(body.verify_token ?? ''));
		if (failure) return failure;
		const fields = Array.isArray(body.fields)
			? (body.fields as string[])
			: String(body.fields ?? 'messages').split(',');
		hooks.app = { url, verifyToken: String(body.verify_token), fields };
		return { status: 200, body: { success: true } };
	}

	/**
	 * Where Meta would send this change: phone override, then WABA override, then the app callback;
	 * only the fields the trigger's events table marks as following an override can be redirected
	 * (a field the table does not list stays with the app, as with Meta).
	 */
	destinationFor(wabaId: string, field: string, phoneNumberId?: string): string | undefined {
		const hooks = this.webhooks;
		if (callbackOf(field) === 'override') {
			const phone = phoneNumberId ? hooks.phoneOverrides.get(phoneNumberId) : undefined;
			if (phone) return phone.url;
			const waba = hooks.subscribedWabas.has(wabaId) ? hooks.wabaOverrides.get(wabaId) : undefined;
			if (waba) return waba.url;
		}
		return hooks.app && hooks.app.fields.includes(field) ? hooks.app.url : undefined;
	}

	/**
	 * Sends a webhook payload the way Meta does: escaped-unicode JSON, signed with the app secret,
	 * to the callback the registrations resolve to (or to `to`). Returns what the callback answered.
	 */
	async deliver(
		payload: {
			entry: Array<{
				id: string;
				changes: Array<{ field: string; value: Record<string, unknown> }>;
			}>;
		},
		options: { to?: string; secret?: string; signature?: string } = {},
	): Promise<Delivery> {
		const first = payload.entry[0];
		const change = first?.changes[0];
		const phoneId = (change?.value?.metadata as { phone_number_id?: string } | undefined)
			?.phone_number_id;
		const url =
			options.to ?? this.destinationFor(first?.id ?? '', change?.field ?? 'messages', phoneId);
		if (!url) throw new Error(`no callback registered for ${change?.field} of ${first?.id}`);
		const body = metaJson(payload);
		const signature =
			options.signature ??
			`sha256=${createHmac('sha256', options.secret ?? this.options.appSecret)
				.update(body)
				.digest('hex')}`;
		const started = Date.now();
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
			body,
		});
		const delivery = {
			url,
			status: response.status,
			body: await response.text(),
			ms: Date.now() - started,
		};
		this.deliveries.push(delivery);
		return delivery;
	}

	private listPhoneNumbers(wabaId: string, req: Req): Res {
		const all = this.options.phoneNumbers.filter((p) => p.wabaId === wabaId);
		const limit = Math.max(1, Number(req.query.get('limit') ?? 25));
		const start = req.query.get('after')
			? Number(Buffer.from(String(req.query.get('after')), 'base64').toString())
			: 0;
		const page = all.slice(start, start + limit);
		const fields = (
			req.query.get('fields') ?? 'id,display_phone_number,verified_name,quality_rating'
		).split(',');
		const data = page.map((p) =>
			Object.fromEntries(fields.filter((f) => f in p).map((f) => [f, p[f]])),
		);
		const after = Buffer.from(String(start + page.length)).toString('base64');
		const more = start + page.length < all.length;
		return {
			status: 200,
			body: {
				data,
				paging: {
					cursors: { before: Buffer.from(String(start)).toString('base64'), after },
					...(more
						? { next: `${this.url}/v25.0/${wabaId}/phone_numbers?after=${after}&limit=${limit}` }
						: {}),
				},
			},
		};
	}

	/** `POST /{phone-number-id}/media`, multipart: stores the file part, answers its media ID. */
	private uploadMedia(req: Req): Res {
		const scripted = this.scriptedUpload(req);
		if (scripted) return scripted;
		const type = String(req.headers['content-type'] ?? '');
		const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
		if (!type.startsWith('multipart/form-data') || !boundary)
			return graphError(400, 100, 'The upload must be multipart/form-data');
		const parts = parseMultipart(req.raw, boundary[1] ?? boundary[2]);
		const file = parts.find((p) => p.name === 'file');
		const product = parts.find((p) => p.name === 'messaging_product')?.data.toString();
		if (product !== 'whatsapp')
			return graphError(400, 100, 'The parameter messaging_product is required.');
		if (!file) return graphError(400, 100, 'The parameter file is required.');
		const mimeType =
			parts.find((p) => p.name === 'type')?.data.toString() ??
			file.contentType ??
			'application/octet-stream';
		const id = this.addMedia(file.data, mimeType, file.filename);
		this.uploads.push({ id, mimeType, filename: file.filename, size: file.data.length });
		return { status: 200, body: { id } };
	}

	/** Records an upload request and plays the next scripted upload answer, if there is one. */
	private scriptedUpload(req: Req): Res | undefined {
		this.uploadAttempts.push({ path: `/${req.path.join('/')}`, bytes: req.raw.length });
		const script = this.scriptedUploads.shift();
		if (script === 'reset-before') return { status: 0, body: null, reset: true };
		return script;
	}

	/** Adds a template (status APPROVED unless given); returns its ID. */
	addTemplate(
		template: Omit<SandboxTemplate, 'id' | 'wabaId'> & { id?: string; wabaId?: string },
	): string {
		const id = template.id ?? String(2000000000000000 + ++this.templateCounter);
		this.templates.set(id, {
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
	async reviewTemplate(
		id: string,
		status: 'APPROVED' | 'REJECTED' = 'APPROVED',
		reason = 'NONE',
	): Promise<Delivery | undefined> {
		const t = this.templates.get(id);
		if (!t) throw new Error(`no template ${id}`);
		t.status = status;
		if (!this.webhooks.app) return undefined;
		return await this.deliver({
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

	private checkTemplateSend(
		wabaId: string,
		template: Record<string, unknown> | undefined,
	): Res | undefined {
		const name = String(template?.name ?? '');
		const language = String((template?.language as { code?: string } | undefined)?.code ?? '');
		const t = [...this.templates.values()].find(
			(x) => x.wabaId === wabaId && x.name === name && x.language === language,
		);
		if (!t || t.status !== 'APPROVED') {
			return graphError(404, 132001, 'Template name does not exist in the translation', {
				error_data: {
					messaging_product: 'whatsapp',
					details: `template name (${name}) does not exist in ${language}${t ? ` (status ${t.status})` : ''}`,
				},
			});
		}
		const components =
			(template?.components as Array<{ type: string; parameters?: unknown[] }> | undefined) ?? [];
		// Meta refuses text parameters with a new line, a tab or more than four spaces in a row
		for (const component of components) {
			if (component.type !== 'header' && component.type !== 'body') continue;
			for (const parameter of (component.parameters ?? []) as Array<{
				type?: string;
				text?: unknown;
			}>) {
				if (
					parameter.type === 'text' &&
					typeof parameter.text === 'string' &&
					/[\n\t]| {5,}/.test(parameter.text)
				) {
					return graphError(
						400,
						132018,
						'There was an issue with the parameters in your template.',
						{
							error_data: {
								messaging_product: 'whatsapp',
								details:
									'Param text cannot have new-line/tab characters or more than 4 consecutive spaces',
							},
						},
					);
				}
			}
		}
		const bodyText = t.components.find((c) => String(c.type).toUpperCase() === 'BODY')?.text as
			| string
			| undefined;
		const expected = new Set(
			[...(bodyText ?? '').matchAll(/\{\{\s*([a-z0-9_]+)\s*\}\}/g)].map((m) => m[1]),
		).size;
		const sent = components.find((c) => c.type === 'body')?.parameters?.length ?? 0;
		if (bodyText !== undefined && expected !== sent) {
			return graphError(
				400,
				132000,
				'Number of parameters does not match the expected number of params',
				{
					error_data: {
						messaging_product: 'whatsapp',
						details: `body: number of localizable_params (${sent}) does not match the expected number of params (${expected})`,
					},
				},
			);
		}
		return undefined;
	}

	private messageTemplates(wabaId: string, req: Req): Res {
		if (req.method === 'GET') {
			const q = (k: string) => req.query.get(k)?.toLowerCase();
			const list = [...this.templates.values()].filter(
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
							? { next: `${this.url}/v25.0/${wabaId}/message_templates?after=${after}` }
							: {}),
					},
				},
			};
		}
		if (req.method === 'POST') {
			const b = req.json ?? {};
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
				[...this.templates.values()].some(
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
					if (!handle || ![...this.uploadSessions.values()].some((u) => u.handle === handle)) {
						return graphError(400, 100, 'Invalid parameter', {
							error_user_msg: 'The header sample must be a handle from the Resumable Upload API.',
						});
					}
				}
			}
			const id = String(3000000000000000 + ++this.templateCounter);
			const category = String(b.category).toUpperCase();
			this.templates.set(id, {
				id,
				wabaId,
				name,
				language: String(b.language),
				category,
				status: 'PENDING',
				parameter_format: String(b.parameter_format ?? 'POSITIONAL').toUpperCase(),
				components: components as SandboxTemplate['components'],
			});
			return { status: 200, body: { id, status: 'PENDING', category } };
		}
		if (req.method === 'DELETE') {
			const name = req.query.get('name');
			const hsm = req.query.get('hsm_id');
			const matches = [...this.templates.values()].filter(
				(t) => t.wabaId === wabaId && t.name === name && (!hsm || t.id === hsm),
			);
			if (!name || !matches.length)
				return graphError(400, 100, 'Invalid parameter', {
					error_user_msg: `Message template "${name}" was not found.`,
				});
			for (const t of matches) this.templates.delete(t.id);
			return { status: 200, body: { success: true } };
		}
		return graphError(400, 100, 'Unsupported method');
	}

	private template(id: string, req: Req): Res {
		const t = this.templates.get(id)!;
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
			if (!['APPROVED', 'REJECTED', 'PAUSED'].includes(String(t.status)))
				return graphError(400, 100, 'Invalid parameter', {
					error_user_msg: `A template with status ${t.status} cannot be edited.`,
				});
			const b = req.json ?? {};
			if (b.category && t.status === 'APPROVED' && String(b.category).toUpperCase() !== t.category)
				return graphError(400, 100, 'Invalid parameter', {
					error_user_msg: 'The category of an approved template cannot be changed.',
				});
			if (b.components) t.components = b.components as SandboxTemplate['components'];
			if (b.category) t.category = String(b.category).toUpperCase();
			if (t.status === 'REJECTED') t.status = 'PENDING';
			return { status: 200, body: { success: true } };
		}
		return graphError(400, 100, 'Unsupported method');
	}

	private createUploadSession(req: Req): Res {
		const fileName = req.query.get('file_name') ?? '';
		const length = Number(req.query.get('file_length'));
		const type = req.query.get('file_type') ?? '';
		if (!['application/pdf', 'image/jpeg', 'image/jpg', 'image/png', 'video/mp4'].includes(type))
			return graphError(400, 100, 'Invalid parameter', {
				error_user_msg: `file_type ${type} is not supported`,
			});
		if (!fileName || !(length > 0))
			return graphError(400, 100, 'file_name and file_length are required');
		const id = `upload:${Buffer.from(`session-${this.uploadSessions.size + 1}`).toString('base64')}`;
		this.uploadSessions.set(id, { fileName, length, type, bytes: Buffer.alloc(0) });
		return { status: 200, body: { id } };
	}

	private resumableUpload(id: string, req: Req): Res {
		const session = this.uploadSessions.get(id);
		if (!session) return graphError(400, 100, 'Unknown upload session');
		if (req.method === 'GET')
			return { status: 200, body: { id, file_offset: session.bytes.length } };
		const scripted = this.scriptedUpload(req);
		if (scripted) return scripted;
		const offset = Number(req.headers['file_offset'] ?? req.headers['file-offset'] ?? 0);
		if (offset !== session.bytes.length)
			return graphError(400, 100, `file_offset must be ${session.bytes.length}`);
		session.scheme = String(req.headers.authorization ?? '').split(' ')[0];
		session.bytes = Buffer.concat([session.bytes, req.raw]);
		if (session.bytes.length !== session.length)
			return graphError(400, 100, `Received ${session.bytes.length} of ${session.length} bytes`);
		session.handle = `4::${Buffer.from(`${id}:${session.fileName}`).toString('base64')}`;
		return { status: 200, body: { h: session.handle } };
	}

	/** Business profiles by phone number ID (Meta's example for the default number). */
	readonly profiles = new Map<string, Record<string, unknown>>([
		[
			SANDBOX_PHONE_NUMBER_ID,
			(
				JSON.parse(
					readFileSync(
						path.join(__dirname, '../fixtures/api/business_profile_get__meta_docs.json'),
						'utf8',
					),
				) as { data: Array<Record<string, unknown>> }
			).data[0],
		],
	]);

	private businessProfile(phone: SandboxPhoneNumber, req: Req): Res {
		const profile = this.profiles.get(phone.id) ?? { messaging_product: 'whatsapp' };
		if (req.method === 'GET') {
			const fields = (req.query.get('fields') ?? 'about').split(',');
			return {
				status: 200,
				body: { data: [{ ...pick(profile, fields), messaging_product: 'whatsapp' }] },
			};
		}
		const b = req.json ?? {};
		if (b.messaging_product !== 'whatsapp')
			return graphError(400, 100, 'The parameter messaging_product is required.');
		if (typeof b.about === 'string' && ([...b.about].length < 1 || [...b.about].length > 139))
			return graphError(400, 100, 'Invalid parameter', {
				error_user_msg: 'about must be 1 to 139 characters',
			});
		const handle = b.profile_picture_handle as string | undefined;
		if (handle && ![...this.uploadSessions.values()].some((u) => u.handle === handle))
			return graphError(400, 100, 'Invalid parameter', {
				error_user_msg: 'profile_picture_handle is not a valid upload handle',
			});
		const fields = Object.fromEntries(
			Object.entries(b).filter(
				([k]) => k !== 'messaging_product' && k !== 'profile_picture_handle',
			),
		);
		this.profiles.set(phone.id, {
			...profile,
			...fields,
			...(handle
				? { profile_picture_url: `https://pps.sandbox.invalid/${encodeURIComponent(handle)}` }
				: {}),
		});
		return { status: 200, body: { success: true } };
	}

	/** Every upload the sandbox took, in order. */
	readonly uploads: Array<{ id: string; mimeType: string; filename?: string; size: number }> = [];

	/** A `messages` webhook from one of the sandbox's numbers, with this value (statuses or messages). */
	private messagesEnvelope(phone: SandboxPhoneNumber, value: Record<string, unknown>) {
		return {
			object: 'whatsapp_business_account',
			entry: [
				{
					id: phone.wabaId,
					changes: [
						{
							field: 'messages',
							value: {
								messaging_product: 'whatsapp',
								metadata: {
									display_phone_number: phone.display_phone_number,
									phone_number_id: phone.id,
								},
								...value,
							},
						},
					],
				},
			],
		} as never;
	}

	/** Meta's status webhook for a message the sandbox accepted (sent, delivered, read, failed). */
	async deliverStatus(
		messageId: string,
		status: 'sent' | 'delivered' | 'read' | 'failed',
		to?: string,
	): Promise<Delivery> {
		const message = this.accepted.find((m) => m.id === messageId);
		if (!message) throw new Error(`no accepted message ${messageId}`);
		const phone = this.options.phoneNumbers.find((p) => p.id === message.phoneNumberId)!;
		const body = message.body as { to: string; biz_opaque_callback_data?: string; type?: string };
		const category = body.type === 'template' ? 'utility' : 'service';
		return await this.deliver(
			this.messagesEnvelope(phone, {
				statuses: [
					{
						id: messageId,
						status,
						timestamp: String(Math.floor(Date.now() / 1000)),
						recipient_id: body.to.replace(/\D/g, ''),
						...(body.biz_opaque_callback_data
							? { biz_opaque_callback_data: body.biz_opaque_callback_data }
							: {}),
						...(status === 'sent' || status === 'delivered'
							? { pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category } }
							: {}),
					},
				],
			}),
			{ to },
		);
	}

	/** A customer's text message, delivered as Meta would; it also opens their 24-hour window. */
	async customerWrites(
		from: string,
		name: string,
		text: string,
		options: { phoneNumberId?: string; to?: string } = {},
	): Promise<{ delivery: Delivery; messageId: string }> {
		const phone = this.options.phoneNumbers.find(
			(p) => p.id === (options.phoneNumberId ?? SANDBOX_PHONE_NUMBER_ID),
		)!;
		const messageId = `wamid.IN${(++this.messageCounter).toString(16).padStart(12, '0')}`;
		this.closedWindows.delete(from);
		const delivery = await this.deliver(
			this.messagesEnvelope(phone, {
				contacts: [{ profile: { name }, wa_id: from }],
				messages: [
					{
						from,
						id: messageId,
						timestamp: String(Math.floor(Date.now() / 1000)),
						type: 'text',
						text: { body: text },
					},
				],
			}),
			{ to: options.to },
		);
		return { delivery, messageId };
	}

	/** Stores a file as an incoming customer media; returns its media ID. */
	addMedia(bytes: Buffer, mimeType: string, filename?: string): string {
		const id = String(900000000000000 + ++this.mediaCounter);
		this.media.set(id, { bytes, mimeType, filename });
		return id;
	}

	private mediaInfo(id: string): Res {
		const media = this.media.get(id)!;
		return {
			status: 200,
			body: {
				messaging_product: 'whatsapp',
				url: `${this.url}/media-files/${id}?ext=1`,
				mime_type: media.mimeType,
				sha256: createHash('sha256').update(media.bytes).digest('hex'),
				file_size: String(media.bytes.length),
				id,
			},
		};
	}

	private mediaFile(req: Req): Res {
		if (!this.options.tokens.includes(req.token))
			return { status: 401, body: { error: 'unauthorized' } };
		const media = this.media.get(req.path[1] ?? '');
		if (!media) return { status: 404, body: { error: 'not found' } };
		return { status: 200, body: media.bytes, headers: { 'content-type': media.mimeType } };
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

	private getPhoneNumber(phone: SandboxPhoneNumber, req: Req): Res {
		const fields = (
			req.query.get('fields') ?? 'id,display_phone_number,verified_name,quality_rating'
		).split(',');
		const body: Record<string, unknown> = { id: phone.id };
		for (const field of fields)
			if (field in phone && field !== 'wabaId') body[field] = phone[field];
		if (fields.includes('webhook_configuration')) {
			// where this number's events go, as Meta reports it
			const hooks = this.webhooks;
			const waba = hooks.subscribedWabas.has(phone.wabaId)
				? hooks.wabaOverrides.get(phone.wabaId)
				: undefined;
			body.webhook_configuration = {
				...(hooks.phoneOverrides.get(phone.id)
					? { phone_number: hooks.phoneOverrides.get(phone.id)!.url }
					: {}),
				...(waba ? { whatsapp_business_account: waba.url } : {}),
				...(hooks.app ? { application: hooks.app.url } : {}),
			};
		}
		return { status: 200, body };
	}

	private injectFault(phoneNumberId: string): Res | undefined {
		const faults = this.options.faults;
		if (this.options.rateCap) {
			const now = Date.now();
			const recent = (this.recentSends.get(phoneNumberId) ?? []).filter((t) => t > now - 1000);
			this.recentSends.set(phoneNumberId, recent);
			if (recent.length >= this.options.rateCap) {
				this.injected.rateCap++;
				return graphError(400, 130429, 'Rate limit hit', {
					error_data: {
						messaging_product: 'whatsapp',
						details: 'Cloud API message throughput has been reached.',
					},
				});
			}
			recent.push(now);
		}
		if (!faults) return undefined;
		const roll = this.random();
		let edge = faults.throttle ?? 0;
		if (roll < edge) {
			this.injected.throttle++;
			return graphError(400, 130429, 'Rate limit hit', {
				error_data: {
					messaging_product: 'whatsapp',
					details: 'Cloud API message throughput has been reached.',
				},
			});
		}
		edge += faults.serverError ?? 0;
		if (roll < edge) {
			this.injected.serverError++;
			return {
				status: 500,
				body: {
					error: {
						message: 'An unknown error has occurred.',
						type: 'OAuthException',
						code: 1,
						is_transient: true,
						fbtrace_id: 'Sandbox500',
					},
				},
			};
		}
		edge += faults.resetBefore ?? 0;
		if (roll < edge) {
			this.injected.resetBefore++;
			return { status: 0, body: null, reset: true };
		}
		edge += faults.pairLimit ?? 0;
		if (roll < edge) {
			this.injected.pairLimit++;
			return graphError(400, 131056, '(Business Account, Consumer Account) pair rate limit hit', {
				error_data: {
					messaging_product: 'whatsapp',
					details:
						'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
				},
			});
		}
		return undefined;
	}

	private sendMessage(phone: SandboxPhoneNumber, req: Req): Res {
		const body = req.json;
		if (!body) return graphError(400, 100, 'The request body must be JSON');
		if (body.messaging_product !== 'whatsapp') {
			return graphError(400, 100, 'The parameter messaging_product is required.', {
				error_data: {
					messaging_product: 'whatsapp',
					details: 'messaging_product must be "whatsapp"',
				},
			});
		}
		const problems = this.options.strictOpenApi !== false ? checkAgainstOpenApi(body) : [];
		if (problems.length)
			return graphError(400, 100, 'Invalid parameter', {
				error_data: { messaging_product: 'whatsapp', details: problems[0] },
			});
		const script = this.scripted.shift();
		if (script === 'reset-before') return { status: 0, body: null, reset: true };
		if (script && script !== 'reset-after') return script;
		if (body.status === 'read') {
			if (typeof body.message_id !== 'string')
				return graphError(400, 100, 'The parameter message_id is required.');
			return { status: 200, body: { success: true } };
		}
		const to = typeof body.to === 'string' ? body.to : undefined;
		if (!to)
			return graphError(400, 131008, 'Required parameter is missing', {
				error_data: { messaging_product: 'whatsapp', details: 'Parameter to is required' },
			});
		const type = typeof body.type === 'string' ? body.type : 'text';
		if (!body[type] || typeof body[type] !== 'object') {
			return graphError(400, 131008, 'Required parameter is missing', {
				error_data: { messaging_product: 'whatsapp', details: `Parameter ${type} is required` },
			});
		}
		if (type === 'text') {
			const text = body.text as { body?: unknown };
			if (typeof text.body !== 'string' || !text.body.length)
				return graphError(400, 100, 'Invalid parameter', {
					error_data: { messaging_product: 'whatsapp', details: 'text.body is required' },
				});
			if ([...text.body].length > 4096)
				return graphError(400, 100, 'Invalid parameter', {
					error_data: {
						messaging_product: 'whatsapp',
						details: 'text.body is too long: max 4096 characters',
					},
				});
		}
		if (type === 'template') {
			const problem = this.checkTemplateSend(
				phone.wabaId,
				body.template as Record<string, unknown>,
			);
			if (problem) return problem;
		}
		if (
			type !== 'template' &&
			type !== 'reaction' &&
			this.closedWindows.has(to.replace(/\D/g, ''))
		) {
			return graphError(400, 131047, 'Re-engagement message', {
				error_data: {
					messaging_product: 'whatsapp',
					details:
						'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
				},
			});
		}
		if (this.undeliverable.has(to.replace(/\D/g, ''))) {
			this.undeliverableAt.push(Date.now());
			return graphError(400, 131026, 'Message undeliverable', {
				error_data: {
					messaging_product: 'whatsapp',
					details:
						'Message failed to send because the recipient is not a WhatsApp user or has not accepted the latest terms.',
				},
			});
		}
		const fault = this.injectFault(phone.id);
		if (fault) return fault;
		if (this.options.pairRate) {
			const { max, windowMs } = this.options.pairRate;
			const now = Date.now();
			const recent = this.accepted.filter(
				(m) => m.phoneNumberId === phone.id && m.body.to === to && m.at > now - windowMs,
			).length;
			if (recent >= max) {
				this.injected.pairRate++;
				return graphError(400, 131056, '(Business Account, Consumer Account) pair rate limit hit', {
					error_data: {
						messaging_product: 'whatsapp',
						details:
							'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
					},
				});
			}
		}
		const id = `wamid.SBX${(++this.messageCounter).toString(16).padStart(12, '0')}`;
		this.accepted.push({ id, phoneNumberId: phone.id, body, at: Date.now() });
		const resetAfter =
			script === 'reset-after' ||
			(this.options.faults?.resetAfter ? this.random() < this.options.faults.resetAfter : false);
		if (resetAfter) {
			if (script !== 'reset-after') this.injected.resetAfter++;
			return { status: 0, body: null, reset: true };
		}
		const waId = to.replace(/\D/g, '');
		const message: Record<string, unknown> = { id };
		if (type === 'template') message.message_status = 'accepted';
		return {
			status: 200,
			body: {
				messaging_product: 'whatsapp',
				contacts: [{ input: to, wa_id: waId }],
				messages: [message],
			},
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
}

export type SandboxTemplate = {
	id: string;
	wabaId: string;
	name: string;
	language: string;
	category: string;
	status: string;
	parameter_format: string;
	components: Array<Record<string, unknown> & { type: string; text?: string }>;
	[field: string]: unknown;
};

function pick(t: Record<string, unknown>, fields: string[]): Record<string, unknown> {
	return Object.fromEntries(fields.filter((f) => f in t && f !== 'wabaId').map((f) => [f, t[f]]));
}

/** Meta's example templates, as `GET /{waba-id}/message_templates` returns them. */
const SEED_TEMPLATES: SandboxTemplate[] = (
	JSON.parse(
		readFileSync(path.join(__dirname, '../fixtures/api/template_get_full__meta_docs.json'), 'utf8'),
	) as { data: SandboxTemplate[] }
).data;

/** A small multipart/form-data reader for the sandbox's upload endpoint. */
function parseMultipart(
	body: Buffer,
	boundary: string,
): Array<{ name?: string; filename?: string; contentType?: string; data: Buffer }> {
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: Array<{ name?: string; filename?: string; contentType?: string; data: Buffer }> = [];
	let start = body.indexOf(delimiter);
	while (start >= 0) {
		const next = body.indexOf(delimiter, start + delimiter.length);
		if (next < 0) break;
		const part = body.subarray(start + delimiter.length + 2, next - 2); // skip CRLF after delimiter and before the next
		const split = part.indexOf('\r\n\r\n');
		if (split >= 0) {
			const head = part.subarray(0, split).toString();
			parts.push({
				name: /name="([^"]*)"/.exec(head)?.[1],
				filename: /filename="([^"]*)"/.exec(head)?.[1],
				contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1],
				data: part.subarray(split + 4),
			});
		}
		start = next;
	}
	return parts;
}
