/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console */
/**
 * Benchmarks, printed as ratios (never asserted in tests):
 * - bulk sendText through n8n-core's real engine into the sandbox with 50 ms latency per request:
 *   achieved messages/s against the configured cap, at 80 and 1,000 messages/s;
 * - the same with 5% injected 130429 and 1% HTTP 500: messages lost and duplicated.
 *
 * Usage: npm run bench [-- --quick] [-- --items N]
 */
import { runAction } from '../test/harness/engine';
import { SANDBOX_APP_SECRET, SANDBOX_PHONE_NUMBER_ID, SANDBOX_TOKEN, SANDBOX_WABA_ID, type SandboxFaults } from '../test/sandbox/server';
import { SandboxProcess } from './lib/sandbox-process';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const itemsArg = args.indexOf('--items');
const ITEMS = itemsArg >= 0 ? Number(args[itemsArg + 1]) : quick ? 500 : 5000;
const LATENCY_MS = 50;

type BulkResult = {
	cap: number;
	items: number;
	seconds: number;
	accepted: number;
	lost: number;
	duplicated: number;
	attempts: number;
	peakPerSecond: number;
	injected: { throttle: number; serverError: number };
	failedItems: number;
};

/**
 * The sandbox runs in its own process, as Meta's API is remote in production: its CPU and event
 * loop do not compete with the engine's.
 */
async function bulkSend(sandbox: SandboxProcess, cap: number, items: number, faults?: SandboxFaults): Promise<BulkResult> {
	await sandbox.reset();
	await sandbox.setFaults(faults ?? {});
	const credentials = {
		accessToken: SANDBOX_TOKEN,
		appSecret: SANDBOX_APP_SECRET,
		phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
		businessAccountId: SANDBOX_WABA_ID,
		apiVersion: 'v25.0',
		baseUrl: sandbox.url,
	};
	const input = Array.from({ length: items }, (_, i) => ({
		json: { phone: `+1555${String(i).padStart(7, '0')}`, text: `Your ticket #${i} is confirmed (cap ${cap})` },
	}));
	// in-flight requests needed: cap x latency, with headroom for slower answers
	const maxConcurrent = Math.max(10, Math.ceil(cap * (LATENCY_MS / 1000) * 2));
	const started = process.hrtime.bigint();
	const { items: out, error } = await runAction(
		{
			resource: 'message',
			operation: 'sendText',
			to: '={{ $json.phone }}',
			text: '={{ $json.text }}',
			options: { messagesPerSecond: cap, maxConcurrent },
		},
		credentials,
		input,
		{ onError: 'continueRegularOutput' },
	);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	if (error) throw error;
	const stats = await sandbox.stats();
	const counts = new Map<string, number>();
	for (const text of stats.texts) if (text !== null) counts.set(text, (counts.get(text) ?? 0) + 1);
	return {
		cap,
		items,
		seconds,
		accepted: stats.accepted,
		lost: input.filter((i) => !counts.has(i.json.text)).length,
		duplicated: [...counts.values()].filter((c) => c > 1).length,
		attempts: stats.messageRequests,
		peakPerSecond: stats.peakPerSecond,
		injected: { throttle: stats.injected.throttle, serverError: stats.injected.serverError },
		failedItems: out.filter((o) => o.json.error).length,
	};
}

function report(label: string, r: BulkResult) {
	const rate = r.accepted / r.seconds;
	const attemptRate = r.attempts / r.seconds;
	console.log(`\n${label}`);
	console.log(`  ${r.items} messages, cap ${r.cap}/s, ${LATENCY_MS} ms latency: ${r.seconds.toFixed(2)} s`);
	console.log(`  achieved ${rate.toFixed(1)} messages/s = ${(rate / r.cap).toFixed(3)} of the cap`);
	console.log(`  requests ${attemptRate.toFixed(1)}/s = ${(attemptRate / r.cap).toFixed(3)} of the cap; busiest second held ${r.peakPerSecond} messages`);
	if (r.injected.throttle || r.injected.serverError) {
		console.log(`  injected: ${r.injected.throttle} x 130429, ${r.injected.serverError} x HTTP 500`);
	}
	console.log(`  accepted ${r.accepted}, lost ${r.lost}, duplicated ${r.duplicated}, items failed ${r.failedItems}`);
}

async function main() {
	console.log(`WhatsApp Cloud node benchmark (node ${process.version}, ${ITEMS} items per run${quick ? ', quick' : ''})`);
	const sandbox = await SandboxProcess.start({ latencyMs: LATENCY_MS });
	try {
		for (const cap of [80, 1000]) {
			report(`Bulk sendText at ${cap}/s`, await bulkSend(sandbox, cap, ITEMS));
		}
		for (const cap of [80, 1000]) {
			report(
				`Bulk sendText at ${cap}/s with 5% 130429 and 1% 500 injected`,
				await bulkSend(sandbox, cap, ITEMS, { throttle: 0.05, serverError: 0.01, seed: 7 }),
			);
		}
	} finally {
		await sandbox.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
