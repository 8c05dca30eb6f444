/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * A local simulator of the parts of Meta's Graph API that the nodes use, for end-to-end tests,
 * benchmarks and the demo. It speaks real HTTP on 127.0.0.1 and answers with Meta's shapes
 * (test/fixtures/api). It can add latency, inject throttling and server errors from a seeded
 * random source, and enforce a per-number rate cap; it records every accepted message so tests
 * can count losses and duplicates.
 */
import { createHmac } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

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
	seed?: number;
};

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
};

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

type Res = { status: number; body: unknown; headers?: Record<string, string> };

export const SANDBOX_TOKEN = 'sandbox-token';
export const SANDBOX_APP_SECRET = 'sandbox-app-secret';
export const SANDBOX_WABA_ID = '102290129340398';
export const SANDBOX_PHONE_NUMBER_ID = '106540352242922';

const graphError = (status: number, code: number, message: string, extra: Record<string, unknown> = {}): Res => ({
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
	readonly options: Required<Omit<SandboxOptions, 'faults' | 'rateCap'>> & Pick<SandboxOptions, 'faults' | 'rateCap'>;

	readonly accepted: AcceptedMessage[] = [];

	/** Every request seen, for assertions (method, path, status). */
	readonly log: Array<{ method: string; path: string; status: number; at: number }> = [];

	readonly injected = { throttle: 0, serverError: 0, pairLimit: 0, rateCap: 0 };

	private server?: http.Server;

	private random: () => number;

	private messageCounter = 0;

	private recentSends = new Map<string, number[]>();

	private controlApi = false;

	constructor(options: SandboxOptions = {}) {
		this.options = {
			tokens: [SANDBOX_TOKEN],
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
		Object.assign(this.injected, { throttle: 0, serverError: 0, pairLimit: 0, rateCap: 0 });
	}

	stats() {
		return {
			accepted: this.accepted.length,
			texts: this.accepted.map((m) => (m.body.text as { body?: string } | undefined)?.body ?? null),
			requests: this.log.length,
			messageRequests: this.log.filter((l) => l.path.endsWith('/messages')).length,
			injected: { ...this.injected },
			peakPerSecond: this.peakPerSecond(),
		};
	}

	private control(req: Req): Res {
		const action = req.path[1];
		if (action === 'stats' && req.method === 'GET') return { status: 200, body: this.stats() };
		if (action === 'reset' && req.method === 'POST') {
			this.reset();
			return { status: 200, body: { success: true } };
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

	private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
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
			result = this.route(req);
		} catch (error) {
			result = graphError(500, 1, `Sandbox failure: ${(error as Error).message}`);
		}
		if (this.options.latencyMs > 0) await new Promise((r) => setTimeout(r, this.options.latencyMs));
		this.log.push({ method: req.method, path: url.pathname, status: result.status, at: Date.now() });
		const isBuffer = Buffer.isBuffer(result.body);
		response.writeHead(result.status, {
			'content-type': isBuffer ? 'application/octet-stream' : 'application/json; charset=UTF-8',
			'facebook-api-version': req.path[0] ?? 'v25.0',
			...(result.headers ?? {}),
		});
		response.end(isBuffer ? (result.body as Buffer) : JSON.stringify(result.body));
	}

	private route(req: Req): Res {
		const [version, ...rest] = req.path;
		if (!version || !/^v\d+\.\d+$/.test(version)) {
			return graphError(400, 2500, 'Unknown path components: the URL must start with a Graph API version such as /v25.0');
		}
		const authError = this.authenticate(req);
		if (authError) return authError;
		const phone = this.options.phoneNumbers.find((p) => p.id === rest[0]);
		if (rest.length === 1 && req.method === 'GET' && phone) return this.getPhoneNumber(phone, req);
		if (rest.length === 2 && rest[1] === 'messages' && req.method === 'POST') {
			if (!phone) return graphError(400, 100, `Unsupported post request. Object with ID '${rest[0]}' does not exist`, { error_subcode: 33 });
			return this.sendMessage(phone, req);
		}
		if (rest.length >= 1) {
			return graphError(400, 100, `Unsupported ${req.method.toLowerCase()} request. Object with ID '${rest[0]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`, { error_subcode: 33 });
		}
		return graphError(400, 100, 'Unknown path');
	}

	private authenticate(req: Req): Res | undefined {
		if (this.options.expiredTokens.includes(req.token)) {
			return {
				status: 401,
				body: {
					error: {
						message: 'Error validating access token: Session has expired on Friday, 20-Nov-26 10:00:00 PST.',
						type: 'OAuthException',
						code: 190,
						error_subcode: 463,
						fbtrace_id: 'SandboxExpired',
					},
				},
			};
		}
		if (!this.options.tokens.includes(req.token)) {
			return { status: 401, body: { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: 'SandboxInvalid' } } };
		}
		if (this.options.requireProof) {
			const expected = createHmac('sha256', this.options.appSecret).update(req.token).digest('hex');
			if (req.query.get('appsecret_proof') !== expected) {
				return graphError(400, 100, 'Invalid appsecret_proof provided in the API argument', { fbtrace_id: 'SandboxProof' });
			}
		}
		return undefined;
	}

	private getPhoneNumber(phone: SandboxPhoneNumber, req: Req): Res {
		const fields = (req.query.get('fields') ?? 'id,display_phone_number,verified_name,quality_rating').split(',');
		const body: Record<string, unknown> = { id: phone.id };
		for (const field of fields) if (field in phone && field !== 'wabaId') body[field] = phone[field];
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
				return graphError(400, 130429, 'Rate limit hit', { error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' } });
			}
			recent.push(now);
		}
		if (!faults) return undefined;
		const roll = this.random();
		let edge = faults.throttle ?? 0;
		if (roll < edge) {
			this.injected.throttle++;
			return graphError(400, 130429, 'Rate limit hit', { error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' } });
		}
		edge += faults.serverError ?? 0;
		if (roll < edge) {
			this.injected.serverError++;
			return { status: 500, body: { error: { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1, is_transient: true, fbtrace_id: 'Sandbox500' } } };
		}
		edge += faults.pairLimit ?? 0;
		if (roll < edge) {
			this.injected.pairLimit++;
			return graphError(400, 131056, '(Business Account, Consumer Account) pair rate limit hit', { error_data: { messaging_product: 'whatsapp', details: 'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.' } });
		}
		return undefined;
	}

	private sendMessage(phone: SandboxPhoneNumber, req: Req): Res {
		const body = req.json;
		if (!body) return graphError(400, 100, 'The request body must be JSON');
		if (body.messaging_product !== 'whatsapp') {
			return graphError(400, 100, 'The parameter messaging_product is required.', { error_data: { messaging_product: 'whatsapp', details: 'messaging_product must be "whatsapp"' } });
		}
		if (body.status === 'read') {
			if (typeof body.message_id !== 'string') return graphError(400, 100, 'The parameter message_id is required.');
			return { status: 200, body: { success: true } };
		}
		const to = typeof body.to === 'string' ? body.to : undefined;
		if (!to) return graphError(400, 131008, 'Required parameter is missing', { error_data: { messaging_product: 'whatsapp', details: 'Parameter to is required' } });
		const type = typeof body.type === 'string' ? body.type : 'text';
		if (!body[type] || typeof body[type] !== 'object') {
			return graphError(400, 131008, 'Required parameter is missing', { error_data: { messaging_product: 'whatsapp', details: `Parameter ${type} is required` } });
		}
		if (type === 'text') {
			const text = body.text as { body?: unknown };
			if (typeof text.body !== 'string' || !text.body.length) return graphError(400, 100, 'Invalid parameter', { error_data: { messaging_product: 'whatsapp', details: 'text.body is required' } });
			if ([...text.body].length > 4096) return graphError(400, 100, 'Invalid parameter', { error_data: { messaging_product: 'whatsapp', details: 'text.body is too long: max 4096 characters' } });
		}
		const fault = this.injectFault(phone.id);
		if (fault) return fault;
		const id = `wamid.SBX${(++this.messageCounter).toString(16).padStart(12, '0')}`;
		this.accepted.push({ id, phoneNumberId: phone.id, body, at: Date.now() });
		const waId = to.replace(/\D/g, '');
		const message: Record<string, unknown> = { id };
		if (type === 'template') message.message_status = 'accepted';
		return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: waId }], messages: [message] } };
	}

	/** Peak number of messages accepted for one phone number within any 1-second window. */
	peakPerSecond(phoneNumberId = SANDBOX_PHONE_NUMBER_ID): number {
		const times = this.accepted.filter((m) => m.phoneNumberId === phoneNumberId).map((m) => m.at).sort((a, b) => a - b);
		let peak = 0;
		for (let lo = 0, hi = 0; hi < times.length; hi++) {
			while (times[hi] - times[lo] >= 1000) lo++;
			peak = Math.max(peak, hi - lo + 1);
		}
		return peak;
	}
}
