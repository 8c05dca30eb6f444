/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * One sending process of the multi-process benchmark (bench/bench-multi.ts starts several): an
 * n8n process of its own, running one sendText execution through n8n-core's real engine, from the
 * same phone number as the others, with Messages per Second set to the number's whole cap (as a
 * user would, without dividing it by the number of processes).
 *
 *   tsx bench/bench-sender.ts --url http://127.0.0.1:PORT --cap 80 --first 0 --count 250
 *
 * It loads and runs one warm-up send (so the first second of the measured run is not spent
 * loading modules), prints READY, waits for a line `GO <epoch ms>` on stdin, starts at that
 * moment, and prints one JSON line: its texts' results.
 */
import { createInterface } from 'readline';

import { SenderPace } from '../nodes/WhatsAppCloud/transport/throttle';
import { runAction } from '../dev/harness/engine';
import {
	SANDBOX_APP_SECRET,
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_TOKEN,
	SANDBOX_WABA_ID,
} from '../dev/sandbox/server';

const arg = (name: string, fallback: string) =>
	process.argv.includes(`--${name}`)
		? process.argv[process.argv.indexOf(`--${name}`) + 1]
		: fallback;
const url = arg('url', '');
const cap = Number(arg('cap', '80'));
const first = Number(arg('first', '0'));
const count = Number(arg('count', '250'));
const latencyMs = Number(arg('latency', '50'));

/** The text of benchmark message `i`: unique, so that the sandbox's log tells each one apart. */
const multiText = (i: number) => `Multi #${i}`;

const credentials = {
	accessToken: SANDBOX_TOKEN,
	appSecret: SANDBOX_APP_SECRET,
	phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
	businessAccountId: SANDBOX_WABA_ID,
	apiVersion: 'v25.0',
	baseUrl: url,
};

const send = async (from: number, n: number) =>
	await runAction(
		{
			resource: 'message',
			operation: 'sendText',
			to: '={{ $json.phone }}',
			text: '={{ $json.text }}',
			// in-flight requests needed: cap x latency, with headroom for slower answers (as bench.ts)
			options: {
				messagesPerSecond: cap,
				maxConcurrent: Math.max(10, Math.ceil(cap * (latencyMs / 1000) * 2)),
			},
		},
		credentials,
		Array.from({ length: n }, (_, k) => ({
			json: {
				phone: `+1777${String(from + k).padStart(7, '0')}`,
				text: multiText(from + k),
			},
		})),
		{ onError: 'continueRegularOutput' },
	);

/** For the report: how often this process lowered its pace, and the lowest it went. */
const pace = { lowered: 0, lowest: Infinity };
const answered = SenderPace.prototype.answered;
SenderPace.prototype.answered = function (this: SenderPace, ...args) {
	const lowered = answered.apply(this, args);
	if (lowered) {
		pace.lowered++;
		pace.lowest = Math.min(pace.lowest, this.limit(args[2], args[3]));
	}
	return lowered;
};

async function main() {
	await send(10_000_000, 1);
	console.log('READY');
	const lines = createInterface({ input: process.stdin });
	const go = await new Promise<number>((resolve) =>
		lines.on('line', (line) => {
			const match = /^GO (\d+)$/.exec(line.trim());
			if (match) resolve(Number(match[1]));
		}),
	);
	lines.close();
	while (Date.now() < go) await new Promise((r) => setTimeout(r, Math.min(5, go - Date.now())));
	const started = Date.now();
	const { items, error } = await send(first, count);
	if (error) throw error;
	const failed = items.filter((i) => i.json.error);
	console.log(
		JSON.stringify({
			first,
			count,
			ms: Date.now() - started,
			sent: items.length - failed.length,
			failed: failed.length,
			lowered: pace.lowered,
			lowest: Number.isFinite(pace.lowest) ? pace.lowest : null,
			errors: [...new Set(failed.map((i) => String(i.json.error)))].slice(0, 3),
		}),
	);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
