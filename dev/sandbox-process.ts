/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions */
/** Starts the Graph API sandbox in a child process and talks to its control API. */
import { spawn, type ChildProcess } from 'child_process';
import path from 'path';

import type { SandboxFaults } from './sandbox/server';

export type SandboxStats = {
	accepted: number;
	texts: Array<string | null>;
	ids: string[];
	acceptedAt: number[];
	undeliverableAt: number[];
	requests: number;
	messageRequests: number;
	injected: {
		throttle: number;
		serverError: number;
		pairLimit: number;
		rateCap: number;
		resetBefore: number;
		resetAfter: number;
	};
	peakPerSecond: number;
};

export type SandboxOverride = { url: string; verifyToken: string };

/** The webhook registrations the sandbox keeps, as Meta would, and the deliveries it made. */
export type SandboxWebhooks = {
	app: (SandboxOverride & { fields: string[] }) | null;
	subscribedWabas: string[];
	wabaOverrides: Record<string, SandboxOverride>;
	phoneOverrides: Record<string, SandboxOverride>;
	deliveries: SandboxDelivery[];
};

export type SandboxDelivery = { url: string; status: number; body: string; ms: number };

export type SandboxRequest = { method: string; path: string; status: number; at: number };

/** A message the sandbox accepted: its ID, the sending number, the body as sent, when (ms). */
export type SandboxAccepted = {
	id: string;
	phoneNumberId: string;
	body: Record<string, unknown>;
	at: number;
};

export class SandboxProcess {
	private constructor(
		private readonly child: ChildProcess,
		readonly url: string,
	) {}

	static async start(options: { latencyMs?: number } = {}): Promise<SandboxProcess> {
		const root = path.resolve(__dirname, '..');
		const tsxCli = require.resolve('tsx/cli', { paths: [root] });
		const child = spawn(
			process.execPath,
			[tsxCli, path.join(root, 'dev/sandbox/cli.ts'), '--latency', String(options.latencyMs ?? 0)],
			{ stdio: ['ignore', 'pipe', 'inherit'] },
		);
		const url = await new Promise<string>((resolve, reject) => {
			let buffer = '';
			child.stdout!.on('data', (chunk: Buffer) => {
				buffer += chunk.toString();
				const match = /SANDBOX_URL=(\S+)/.exec(buffer);
				if (match) resolve(match[1]);
			});
			child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
		});
		return new SandboxProcess(child, url);
	}

	private async control<T>(method: 'GET' | 'POST', action: string, body?: unknown): Promise<T> {
		const send = () =>
			fetch(`${this.url}/__sandbox/${action}`, {
				method,
				headers: { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		// After a run that held this process's event loop longer than the sandbox keeps an idle
		// connection (5 s; seen with n8n's built-in node preparing 5,000 items), fetch can reuse the
		// socket the sandbox closed meanwhile: "other side closed". A GET is safe to send again.
		const staleSocket = (error: unknown) =>
			(error as { cause?: { code?: string } }).cause?.code === 'UND_ERR_SOCKET';
		const response = await send().catch(async (error: unknown) => {
			if (method === 'GET' && staleSocket(error)) return await send();
			return await Promise.reject(error);
		});
		return (await response.json()) as T;
	}

	stats = () => this.control<SandboxStats>('GET', 'stats');

	reset = () => this.control('POST', 'reset');

	setFaults = (faults: SandboxFaults | Record<string, never>) =>
		this.control('POST', 'faults', faults);

	/** Meta's per-number cap over a rolling second, whoever sends (130429 beyond it); 0 lifts it. */
	async setRateCap(perSecond: number): Promise<void> {
		const response = await fetch(`${this.url}/__sandbox/rate-cap`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ perSecond }),
		});
		if (!response.ok) throw new Error(`the sandbox refused its rate cap: HTTP ${response.status}`);
		await response.text();
	}

	/** Recipients that get 131026 (not on WhatsApp) from now on, until the next reset. */
	setUndeliverable = (recipients: string[]) =>
		this.control('POST', 'undeliverable', { recipients });

	/** Adds a template (as Meta lists it, APPROVED unless given); answers its ID. */
	async addTemplate(template: Record<string, unknown>): Promise<string> {
		return (await this.control<{ id: string }>('POST', 'templates', template)).id;
	}

	/** Where Meta would send events now (app callback, account and phone number overrides). */
	webhooks = () => this.control<SandboxWebhooks>('GET', 'webhooks');

	/** Every Graph request the sandbox saw since the last reset. */
	requests = () => this.control<SandboxRequest[]>('GET', 'requests');

	/**
	 * A customer's text message, signed and delivered to wherever the registrations send it, as
	 * Meta would; answers the delivery (the URL and what it answered) and the message ID.
	 */
	async customerWrites(
		from: string,
		name: string,
		text: string,
	): Promise<{ delivery: SandboxDelivery; messageId: string }> {
		const answer = await this.control<
			{ delivery: SandboxDelivery; messageId: string } | { error: string }
		>('POST', 'customer', { from, name, text });
		if ('error' in answer) throw new Error(`the sandbox could not deliver: ${answer.error}`);
		return answer;
	}

	/** Every message accepted since the last reset, as sent. */
	accepted = () => this.control<SandboxAccepted[]>('GET', 'accepted');

	/**
	 * The recipient of sent message `messageId` taps its reply button titled `title` (or at that
	 * index): Meta's signed `interactive.button_reply` webhook, delivered to `to` (a URL) or to where
	 * the registrations send it. `buttonId` replaces the button's ID (a reference changed on its
	 * way). Answers the delivery and the tap's message ID.
	 */
	async tap(
		messageId: string,
		title: string | number,
		options: { to?: string; buttonId?: string } = {},
	): Promise<{ delivery: SandboxDelivery; messageId: string }> {
		const answer = await this.control<
			{ delivery: SandboxDelivery; messageId: string } | { error: string }
		>('POST', 'tap', { messageId, title, ...options });
		if ('error' in answer) throw new Error(`the sandbox could not tap: ${answer.error}`);
		return answer;
	}

	async stop(): Promise<void> {
		if (this.child.exitCode !== null) return;
		await new Promise<void>((resolve) => {
			this.child.once('exit', () => resolve());
			this.child.kill('SIGTERM');
		});
	}
}
