/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, no-console */
/**
 * The multi-process part of `npm run bench` (`--only multi`): 1, 2 and 4 n8n processes send from
 * one phone number at once, each with Messages per Second set to the number's whole cap, against a
 * sandbox that enforces that cap over a rolling second with 50 ms latency, as Meta does (130429
 * beyond it). Each process (bench/bench-sender.ts) runs one sendText execution of its share
 * of the texts through n8n-core's real engine; they start at the same moment. Every text is unique,
 * so the sandbox's record tells:
 * - accepted once: texts the sandbox took exactly once;
 * - refused: 130429 answers the sandbox gave (every refused call, retries included);
 * - lost: texts never taken (their items failed, retries exhausted);
 * - doubled: texts taken more than once;
 * - pace / cap: accepted messages / (last acceptance - first acceptance) / cap.
 */
import { spawn, type ChildProcess } from 'child_process';
import path from 'path';

import { SandboxProcess } from '../dev/sandbox-process';

export const MULTI_TARGETS = { single: 0.95, shared: 0.9, refusedShare: 0.1 };

export type MultiResult = {
	processes: number;
	cap: number;
	texts: number;
	acceptedOnce: number;
	refused: number;
	lost: number;
	doubled: number;
	pace: number;
	seconds: number;
	failedItems: number;
	/** Per process: how often it lowered its pace, to how little at the lowest, when it was done. */
	paces: string;
};

type SenderReport = {
	first: number;
	count: number;
	ms: number;
	sent: number;
	failed: number;
	/** Times the process lowered its pace, and the lowest allowance it set (messages per second). */
	lowered: number;
	lowest: number | null;
};

/** Starts one sending process; resolves once it has loaded and printed READY. */
function startSender(
	url: string,
	cap: number,
	first: number,
	count: number,
	latencyMs: number,
): Promise<{ child: ChildProcess; report: Promise<SenderReport> }> {
	const root = path.resolve(__dirname, '..');
	const tsxCli = require.resolve('tsx/cli', { paths: [root] });
	const child = spawn(
		process.execPath,
		[
			tsxCli,
			path.join(root, 'bench/bench-sender.ts'),
			'--url',
			url,
			'--cap',
			String(cap),
			'--first',
			String(first),
			'--count',
			String(count),
			'--latency',
			String(latencyMs),
		],
		{
			stdio: ['pipe', 'pipe', 'inherit'],
			env: { ...process.env, N8N_LOG_LEVEL: 'silent' },
		},
	);
	let out = '';
	let ready: () => void;
	const isReady = new Promise<void>((resolve) => (ready = resolve));
	const report = new Promise<SenderReport>((resolve, reject) => {
		child.stdout!.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			if (out.includes('READY')) ready();
		});
		child.on('exit', (code) => {
			const last = out.trim().split('\n').pop() ?? '';
			if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as SenderReport);
			else reject(new Error(`bench-sender ${first}+${count} exited with ${code}`));
		});
	});
	// a sender that dies while loading must not leave the benchmark waiting for its READY
	report.catch(() => ready());
	return isReady.then(() => ({ child, report }));
}

/** One run: `processes` senders share `texts` texts from one number capped at `cap` per second. */
export async function multiRun(
	sandbox: SandboxProcess,
	processes: number,
	cap: number,
	texts: number,
	latencyMs: number,
): Promise<MultiResult> {
	const share = Math.ceil(texts / processes);
	const senders = await Promise.all(
		Array.from({ length: processes }, (_, p) =>
			startSender(
				sandbox.url,
				cap,
				p * share,
				Math.max(0, Math.min(share, texts - p * share)),
				latencyMs,
			),
		),
	);
	// the warm-up sends are forgotten; the cap applies from the first measured send on
	await sandbox.reset();
	await sandbox.setFaults({});
	await sandbox.setRateCap(cap);
	const go = Date.now() + 300;
	for (const { child } of senders) child.stdin!.end(`GO ${go}\n`);
	const reports = await Promise.all(senders.map((s) => s.report));
	const seconds = Math.max(...reports.map((r) => r.ms)) / 1000;
	const stats = await sandbox.stats();
	await sandbox.setRateCap(0);
	const taken = new Map<number, number>();
	const times: number[] = [];
	stats.texts.forEach((text, k) => {
		const i = Number(/^Multi #(\d+)$/.exec(text ?? '')?.[1] ?? -1);
		if (i < 0) return;
		taken.set(i, (taken.get(i) ?? 0) + 1);
		times.push(stats.acceptedAt[k]);
	});
	times.sort((a, b) => a - b);
	const span = (times[times.length - 1] - times[0]) / 1000;
	let lost = 0;
	for (let i = 0; i < texts; i++) if (!taken.has(i)) lost++;
	return {
		processes,
		cap,
		texts,
		acceptedOnce: [...taken.values()].filter((n) => n === 1).length,
		refused: stats.injected.rateCap,
		lost,
		doubled: [...taken.values()].filter((n) => n > 1).length,
		pace: times.length / span / cap,
		seconds,
		failedItems: reports.reduce((sum, r) => sum + r.failed, 0),
		paces: reports
			.map(
				(r) =>
					`${r.lowered ? `${r.lowered}x, >= ${Math.floor(r.lowest ?? 0)}/s` : 'kept'}, done in ${(r.ms / 1000).toFixed(1)} s`,
			)
			.join('; '),
	};
}

/** Prints one table per cap. */
export async function multiBench(options: {
	latencyMs: number;
	/** Texts per run; by default 1,000 at 80/s and 10,000 at 1,000/s. */
	texts?: number;
	caps?: number[];
	processes?: number[];
}): Promise<MultiResult[]> {
	const sandbox = await SandboxProcess.start({ latencyMs: options.latencyMs });
	const results: MultiResult[] = [];
	try {
		for (const cap of options.caps ?? [80, 1000]) {
			// 1,000 texts would fit in one rolling second of a 1,000/s number: nothing to share
			const texts = options.texts ?? (cap >= 1000 ? 10 * cap : 1000);
			console.log(
				`\nProcesses sending from one number at once: cap ${cap}/s over a rolling second, ${options.latencyMs} ms latency, ${texts.toLocaleString('en-US')} texts, Messages per Second ${cap} in each process`,
			);
			console.log(
				`  targets: pace/cap >= ${MULTI_TARGETS.single} for 1 process, >= ${MULTI_TARGETS.shared} for 2 and 4 with refused <= ${MULTI_TARGETS.refusedShare * 100}% of the texts; lost 0, doubled 0`,
			);
			console.log(
				'  processes  accepted once  refused  lost  doubled  pace/cap  seconds  items failed  each process: pace lowered, lowest, done',
			);
			for (const processes of options.processes ?? [1, 2, 4]) {
				const r = await multiRun(sandbox, processes, cap, texts, options.latencyMs);
				results.push(r);
				const target = processes === 1 ? MULTI_TARGETS.single : MULTI_TARGETS.shared;
				const met =
					r.pace >= target &&
					r.lost === 0 &&
					r.doubled === 0 &&
					(processes === 1 || r.refused <= texts * MULTI_TARGETS.refusedShare);
				console.log(
					`  ${String(processes).padStart(9)}  ${String(r.acceptedOnce).padStart(13)}  ${String(r.refused).padStart(7)}  ${String(r.lost).padStart(4)}  ${String(r.doubled).padStart(7)}  ${r.pace.toFixed(3).padStart(8)}  ${r.seconds.toFixed(1).padStart(7)}  ${String(r.failedItems).padStart(12)}  ${r.paces}${met ? '' : '  (misses a target)'}`,
				);
			}
		}
	} finally {
		await sandbox.stop();
	}
	return results;
}
