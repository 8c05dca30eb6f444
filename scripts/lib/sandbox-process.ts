/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions */
/** Starts the Graph API sandbox in a child process and talks to its control API. */
import { spawn, type ChildProcess } from 'child_process';
import path from 'path';

import type { SandboxFaults } from '../../test/sandbox/server';

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

export class SandboxProcess {
	private constructor(
		private readonly child: ChildProcess,
		readonly url: string,
	) {}

	static async start(options: { latencyMs?: number } = {}): Promise<SandboxProcess> {
		const root = path.resolve(__dirname, '../..');
		const tsxCli = require.resolve('tsx/cli', { paths: [root] });
		const child = spawn(
			process.execPath,
			[tsxCli, path.join(root, 'test/sandbox/cli.ts'), '--latency', String(options.latencyMs ?? 0)],
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
		const response = await fetch(`${this.url}/__sandbox/${action}`, {
			method,
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return (await response.json()) as T;
	}

	stats = () => this.control<SandboxStats>('GET', 'stats');

	reset = () => this.control('POST', 'reset');

	setFaults = (faults: SandboxFaults | Record<string, never>) =>
		this.control('POST', 'faults', faults);

	/** Recipients that get 131026 (not on WhatsApp) from now on, until the next reset. */
	setUndeliverable = (recipients: string[]) =>
		this.control('POST', 'undeliverable', { recipients });

	async stop(): Promise<void> {
		if (this.child.exitCode !== null) return;
		await new Promise<void>((resolve) => {
			this.child.once('exit', () => resolve());
			this.child.kill('SIGTERM');
		});
	}
}
