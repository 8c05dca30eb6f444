/* eslint-disable @n8n/community-nodes/no-restricted-globals */
import { runAction } from './harness/engine';
import { startSandbox } from './helpers/sandbox';

test('2,000 sendText items with 5% injected 130429 and 1% 500: each accepted exactly once, in order, paired', async () => {
	const { sandbox, credentials } = await startSandbox({
		faults: { throttle: 0.05, serverError: 0.01, seed: 42 },
		latencyMs: 5,
	});
	try {
		const n = 2000;
		const cap = 400;
		const input = Array.from({ length: n }, (_, i) => ({
			json: { phone: `+49151${String(i).padStart(7, '0')}`, text: `ticket ${i}` },
		}));
		const started = Date.now();
		const { items, error } = await runAction(
			{
				resource: 'message',
				operation: 'sendText',
				to: '={{ $json.phone }}',
				text: '={{ $json.text }}',
				options: { messagesPerSecond: cap, maxConcurrent: 40 },
			},
			credentials,
			input,
		);
		const seconds = (Date.now() - started) / 1000;
		expect(error).toBeUndefined();

		// faults really happened
		expect(sandbox.injected.throttle).toBeGreaterThan(50);
		expect(sandbox.injected.serverError).toBeGreaterThan(5);

		// every message accepted exactly once
		const counts = new Map<string, number>();
		for (const m of sandbox.accepted) {
			const body = (m.body.text as { body: string }).body;
			counts.set(body, (counts.get(body) ?? 0) + 1);
		}
		expect(sandbox.accepted).toHaveLength(n);
		expect(counts.size).toBe(n);
		expect([...counts.values()].every((c) => c === 1)).toBe(true);

		// outputs in input order, each paired with its item and carrying the id the sandbox gave it
		const idByText = new Map(
			sandbox.accepted.map((m) => [(m.body.text as { body: string }).body, m.id]),
		);
		expect(items).toHaveLength(n);
		items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.messageId).toBe(idByText.get(`ticket ${i}`));
			expect(item.json.to).toBe(input[i].json.phone);
		});

		// Informational, not asserted: timing belongs to the benchmark. The pace guarantee itself
		// (starts per second at the sender) is tested in throttle.test.ts; arrival times at a sandbox
		// sharing this event loop jitter by a few percent.
		process.stdout.write(
			`bulk: ${n} messages in ${seconds.toFixed(1)} s (${(n / seconds).toFixed(0)}/s, cap ${cap}), injected 130429=${sandbox.injected.throttle} 500=${sandbox.injected.serverError}, peak/s=${sandbox.peakPerSecond()}\n`,
		);
	} finally {
		await sandbox.stop();
	}
});
