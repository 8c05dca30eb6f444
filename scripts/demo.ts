/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console */
/**
 * `npm run demo`: starts the local Graph API sandbox and runs the package through n8n-core's real
 * engine, printing what happened at each step. Each scenario checks its own outcome and the demo
 * exits non-zero if any fails.
 */
import { runAction, testCredential } from '../test/harness/engine';
import { startSandbox } from '../test/helpers/sandbox';

type Scenario = { name: string; run: () => Promise<string[]> };

const results: Array<{ name: string; ok: boolean; lines: string[] }> = [];

function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(message);
}

async function main() {
	const { sandbox, credentials } = await startSandbox({ expiredTokens: ['an-expired-token'] });
	console.log(`Graph API sandbox listening on ${sandbox.url} (Meta's API shapes, nothing leaves this machine)\n`);

	const scenarios: Scenario[] = [
		{
			name: 'Connect: the credential test reads the phone number',
			run: async () => {
				const good = await testCredential(credentials);
				check(good.status === 'OK', `credential test failed: ${good.message}`);
				const bad = await testCredential({ ...credentials, accessToken: 'an-expired-token' });
				check(bad.status === 'Error' && /190/.test(bad.message), 'expired token not reported');
				const phone = good.response as { display_phone_number: string; verified_name: string; quality_rating: string };
				return [
					`good token: ${good.message} ${phone.verified_name} (+${phone.display_phone_number}), quality ${phone.quality_rating}`,
					`expired token: ${bad.message.slice(0, 110)}...`,
				];
			},
		},
		{
			name: 'Reply: a text message to a customer',
			run: async () => {
				const { items, error } = await runAction(
					{ resource: 'message', operation: 'sendText', to: '={{ $json.phone }}', text: '={{ "Hi " + $json.name + ", your ticket " + $json.ticket + " is resolved." }}' },
					credentials,
					[{ json: { phone: '+1 (650) 555-1234', name: 'Sheena', ticket: 'T-1042' } }],
				);
				check(!error, `send failed: ${error?.message}`);
				const out = items[0].json as { messageId: string; waId: string; sent: { text: { body: string } } };
				check(out.messageId?.startsWith('wamid.'), 'no message id');
				return [`sent "${out.sent.text.body}" to ${out.waId}: ${out.messageId}`];
			},
		},
		{
			name: 'Safety: a bad row stops the batch before anything is sent',
			run: async () => {
				const before = sandbox.accepted.length;
				const { error } = await runAction(
					{ resource: 'message', operation: 'sendText', to: '={{ $json.phone }}', text: 'Your receipt is ready' },
					credentials,
					[{ json: { phone: '+4915112345678' } }, { json: { phone: 'call me maybe' } }],
				);
				check(error && sandbox.accepted.length === before, 'a message was sent despite the bad row');
				return [`error: ${error.message.slice(0, 120)}`, 'messages sent: 0'];
			},
		},
		{
			name: 'Bulk: 400 confirmations at 80/s with throttling and server errors injected',
			run: async () => {
				sandbox.setFaults({ throttle: 0.05, serverError: 0.01, seed: 3 });
				sandbox.accepted.length = 0;
				const n = 400;
				const started = Date.now();
				const { items, error } = await runAction(
					{ resource: 'message', operation: 'sendText', to: '={{ $json.phone }}', text: '={{ "Booking " + $json.n + " confirmed" }}', options: { messagesPerSecond: 80 } },
					credentials,
					Array.from({ length: n }, (_, i) => ({ json: { phone: `+1555000${String(i).padStart(4, '0')}`, n: i } })),
					{ onError: 'continueRegularOutput' },
				);
				sandbox.setFaults(undefined);
				const seconds = (Date.now() - started) / 1000;
				check(!error, `bulk failed: ${error?.message}`);
				const texts = new Set(sandbox.accepted.map((m) => (m.body.text as { body: string }).body));
				const inOrder = items.every((item, i) => (item.pairedItem as { item: number }).item === i);
				check(sandbox.accepted.length === n && texts.size === n, `expected ${n} unique accepted, got ${sandbox.accepted.length}/${texts.size}`);
				check(inOrder, 'outputs out of order');
				return [
					`${n} sent in ${seconds.toFixed(1)} s = ${(n / seconds).toFixed(1)}/s (cap 80/s, ratio ${(n / seconds / 80).toFixed(2)})`,
					`injected: ${sandbox.injected.throttle} x 130429 and ${sandbox.injected.serverError} x HTTP 500, all retried`,
					`lost 0, duplicated 0, outputs in input order`,
				];
			},
		},
	];

	try {
		for (const scenario of scenarios) {
			try {
				const lines = await scenario.run();
				results.push({ name: scenario.name, ok: true, lines });
			} catch (error) {
				results.push({ name: scenario.name, ok: false, lines: [(error as Error).message] });
			}
			const r = results[results.length - 1];
			console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}`);
			for (const line of r.lines) console.log(`      ${line}`);
		}
	} finally {
		await sandbox.stop();
	}
	const passed = results.filter((r) => r.ok).length;
	console.log(`\n${passed} of ${results.length} scenarios passed`);
	if (passed !== results.length) process.exit(1);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
