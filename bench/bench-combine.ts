/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console */
/**
 * One measurement of `npm run bench` (`--only combine`): the memory of Combine Messages Within
 * while --customers customers (default 1,000) each have a burst of --messages messages (default 3)
 * waiting, measured two ways:
 * - the bursts alone: the trigger's own state, events normalised from signed bodies and added
 *   to the process's bursts, no HTTP;
 * - the whole path: every message as a signed webhook over HTTP into the trigger through n8n-core's
 *   WebhookContext (dev/harness/webhook-server.ts), so each open burst also holds its waiting
 *   webhook() call, with its request, response and context.
 * Heap (after gc) before and after, per open burst; then the clock is moved past the quiet time
 * and the time until every burst ran is printed. Runs in its own process (bench.ts starts it,
 * with gc exposed) so the heap holds nothing of the other measurements. Prints one JSON line last.
 *
 *   tsx bench/bench-combine.ts [--customers 1000] [--messages 3]
 */
import { createHmac } from 'crypto';

import { ManualClock } from '../dev/harness/clock';
import { WebhookServer } from '../dev/harness/webhook-server';
import { metaJson } from '../dev/sandbox/server';
import { sandboxCredentialData } from '../dev/sandbox/graph';
import {
	bursts,
	Bursts,
	COMBINE_LIMITS,
	replaceBursts,
} from '../nodes/WhatsAppCloudTrigger/combine';
import { normalize, parseWebhookBody } from '../nodes/WhatsAppCloudTrigger/webhook';

const arg = (name: string, fallback: number) =>
	process.argv.includes(`--${name}`)
		? Number(process.argv[process.argv.indexOf(`--${name}`) + 1])
		: fallback;
const CUSTOMERS = arg('customers', 1000);
const MESSAGES = arg('messages', 3);
const QUIET_S = 30;
const IN_FLIGHT = 50;
const PHONE_NUMBER_ID = '106540352242922';
const credentials = sandboxCredentialData('http://127.0.0.1:9');
const SECRET = String(credentials.appSecret);

/**
 * Room for every customer: the shipped bound on open bursts is set for n8n's expression isolates,
 * which this harness does not have; what is measured here is a burst's own cost.
 */
const LIMITS = { ...COMBINE_LIMITS, maxOpenBursts: CUSTOMERS };

const gc = (globalThis as { gc?: () => void }).gc;

function heap(): number {
	if (!gc) throw new Error('run with --expose-gc (npm run bench does)');
	for (let i = 0; i < 3; i++) gc();
	return process.memoryUsage().heapUsed;
}

const TEXTS = ['Hi', 'my order #4411 from last week', 'it never came, can you check?'];

/** Customer `c`'s message `m`, as Meta signs and sends it (unix seconds as text). */
function signedMessage(c: number, m: number, run: string) {
	const from = `4917${String(c).padStart(8, '0')}`;
	const body = metaJson({
		object: 'whatsapp_business_account',
		entry: [
			{
				id: '102290129340398',
				changes: [
					{
						field: 'messages',
						value: {
							messaging_product: 'whatsapp',
							metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
							contacts: [{ profile: { name: `Customer ${c}` }, wa_id: from }],
							messages: [
								{
									from,
									id: `wamid.${run}${c}.${m}`,
									timestamp: String(1_767_603_600 + m),
									type: 'text',
									text: { body: TEXTS[m % TEXTS.length] },
								},
							],
						},
					},
				],
			},
		],
	} as never);
	const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
	return { body, signature };
}

/** The bursts alone: normalised events added to a fresh set of bursts, no HTTP, no calls. */
function burstsAlone(): { bytesPerBurst: number; open: number } {
	const clock = new ManualClock();
	const own = new Bursts(LIMITS, clock);
	const bodies = Array.from({ length: CUSTOMERS * MESSAGES }, (_, i) =>
		signedMessage(i % CUSTOMERS, Math.floor(i / CUSTOMERS), 'A'),
	);
	const before = heap();
	for (const { body } of bodies) {
		const parsed = parseWebhookBody(Buffer.from(body));
		if (!parsed.ok) throw new Error(parsed.reason);
		own.take('live:bench:trigger', normalize(parsed.body), QUIET_S * 1000, true);
	}
	const after = heap();
	if (own.size !== CUSTOMERS) throw new Error(`${own.size} bursts open, not ${CUSTOMERS}`);
	return { bytesPerBurst: (after - before) / CUSTOMERS, open: own.size };
}

async function main() {
	const alone = burstsAlone();

	const clock = new ManualClock();
	replaceBursts(new Bursts(LIMITS, clock));
	const server = await new WebhookServer().start();
	const trigger = server.trigger(
		{
			updates: ['message'],
			verifyToken: 'bench',
			registration: 'manual',
			options: { combineMessages: QUIET_S },
		},
		credentials,
	);
	await trigger.activate();
	const post = async ({ body, signature }: { body: string; signature: string }) => {
		const response = await fetch(trigger.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
			body,
		});
		await response.text();
		if (response.status !== 200) throw new Error(`answered ${response.status}`);
	};
	/** Every customer's message `m`, IN_FLIGHT at a time; answers the slowest 200 in ms. */
	const round = async (customers: number, m: number, run: string) => {
		let next = 0;
		let slowest = 0;
		await Promise.all(
			Array.from({ length: IN_FLIGHT }, async () => {
				while (next < customers) {
					const signed = signedMessage(next++, m, run);
					const started = Date.now();
					await post(signed);
					slowest = Math.max(slowest, Date.now() - started);
				}
			}),
		);
		return slowest;
	};
	const closeAll = async (expected: number) => {
		const started = Date.now();
		clock.advance(QUIET_S * 1000);
		while (trigger.runs.length < expected) await new Promise((r) => setTimeout(r, 5));
		return Date.now() - started;
	};

	// warm-up (not counted): the code paths, the HTTP connections, n8n-core's lazy parts
	for (let m = 0; m < MESSAGES; m++) await round(100, m, 'W');
	await closeAll(100);
	trigger.runs.length = 0;
	trigger.calls.length = 0;

	const before = heap();
	let slowest = 0;
	for (let m = 0; m < MESSAGES; m++) slowest = Math.max(slowest, await round(CUSTOMERS, m, 'B'));
	const after = heap();
	const open = bursts().size;
	const waitingCalls = CUSTOMERS * MESSAGES - trigger.calls.length;
	const ranEarly = trigger.runs.length;
	const msToRun = await closeAll(CUSTOMERS);
	const closed = heap();
	const complete = trigger.runs.every(
		(r) => r.length === 1 && (r[0].json.messages as unknown[]).length === MESSAGES,
	);
	await trigger.deactivate();
	await server.stop();
	if (open !== CUSTOMERS || ranEarly || !complete)
		throw new Error(`open ${open}, ran early ${ranEarly}, complete ${complete}`);
	console.log(
		JSON.stringify({
			customers: CUSTOMERS,
			messages: MESSAGES,
			aloneBytesPerBurst: Math.round(alone.bytesPerBurst),
			heapBeforeMb: before / 1e6,
			heapAfterMb: after / 1e6,
			heapAfterClosingMb: closed / 1e6,
			bytesPerBurst: Math.round((after - before) / CUSTOMERS),
			open,
			waitingCalls,
			slowestAnswerMs: slowest,
			msToRun,
			executions: trigger.runs.length,
		}),
	);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
