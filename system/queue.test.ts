/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * `npm run test:queue` (a system suite like `npm run test:e2e`, whose cached node 24 and n8n it reuses):
 * the packed package in a real n8n queue-mode deployment on this machine.
 *
 * - Postgres (Debian's `postgresql`, its cluster started if down) with a fresh database, and a
 *   Redis of this run's own (Debian's `redis-server`, on 6379 or the next free port); installed
 *   with apt-get when missing, which needs root (the script says what to run otherwise).
 * - One `n8n start` (main), two `n8n worker`, two `n8n webhook`, each with its own user folder
 *   holding the packed package, the same encryption key and HMAC secret, the Graph API sandbox as
 *   Meta (50 ms per request) enforcing a per-number cap over all processes (a sliding second).
 *
 * Steps, each measured:
 * 1. Bulk: a workflow (Webhook -> Split Out -> WhatsApp Cloud Send Text, one sender) called with
 *    4 x 250 texts at once on the webhook process; the executions run on both workers at once.
 *    Accepted once, refused (130429), lost, doubled, pace while sending / cap, which worker ran each.
 * 2. Trigger: main registers the trigger's production URL (the webhook process's) with Meta; a
 *    signed customer message arrives at the webhook process, the reply is sent by a worker.
 * 3. Redelivery: the same signed event posted to webhook process 1, again, to webhook process 2
 *    and to main: one execution over all (the shared duplicate memory); then one event posted to
 *    both webhook processes at the same moment (reported). Then two messages of one customer
 *    within Combine Messages Within, to one webhook process (one execution) and one to each
 *    (reported).
 * 4. Send and Wait (when the node has the operation): the execution waits after sending buttons;
 *    the tap reaches the trigger on the webhook process, which resumes the execution on a worker.
 *
 * Prints a short report; the suite fails listing every failed check. Stops every process it started; Postgres stays
 * up only if it was running before.
 *
 * Settings: QUEUE_CAP=80 QUEUE_PACE=80 QUEUE_EXECUTIONS=4 QUEUE_ITEMS=250 QUEUE_CONCURRENCY=2
 * npm run test:queue
 */
import { createHmac } from 'crypto';
import { readFileSync, writeFileSync } from 'fs';
import path from 'path';

import {
	metaJson,
	SANDBOX_APP_SECRET,
	SANDBOX_PHONE_NUMBER_ID,
	sandboxCredentialData,
} from '../dev/sandbox/server';
import { customerTextWebhook } from '../dev/sandbox/webhooks';
import { GiveUp, root, sleep, waitFor, work } from './lib/n8n';
import {
	Ports,
	Postgres,
	prepareDeployment,
	Redis,
	type Deployment,
	type N8nProcess,
} from './lib/queue';
import { SandboxProcess } from '../dev/sandbox-process';

/** A setting of the run from the environment (`QUEUE_CAP=40 npm run test:queue`). */
function arg(name: string, fallback: number): number {
	const value = process.env[`QUEUE_${name.toUpperCase()}`];
	if (value === undefined) return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1)
		throw new Error(`QUEUE_${name.toUpperCase()} must be a whole number above 0, not "${value}"`);
	return n;
}
/** Meta's throughput for the number, enforced by the sandbox over all processes. */
const CAP = arg('cap', 80);
/** Messages per Second in the node (each worker paces itself to it). */
const PACE = arg('pace', CAP);
const EXECUTIONS = arg('executions', 4);
const ITEMS = arg('items', 250);
/**
 * Jobs per worker at once: 2, so that 4 executions started together must spread over both
 * workers (n8n warns below 5; a real deployment would keep its default of 10).
 */
const CONCURRENCY = arg('concurrency', 2);
const WORKERS = 2;
const LATENCY_MS = 50;

const CUSTOMER = '491511234567';
const CREDENTIAL_ID = 'queueWhatsApp001';
// the IDs, paths and webhook IDs the checks use, read from the workflow files that run
const webhookOf = (name: string) => {
	const w = workflow(name);
	const first = w.nodes[0] as { webhookId: string; parameters: { path?: string } };
	return { id: w.id, webhookId: first.webhookId, path: first.parameters.path ?? '' };
};
const BULK = webhookOf('queue-bulk');
const ECHO = webhookOf('queue-echo');
const APPROVAL = webhookOf('queue-approval');
const ECHO_PREFIX = 'Queue echo: ';

const report: string[] = [];
const failures: string[] = [];
const say = (line: string) => {
	report.push(line);
	console.log(`queue: ${line}`);
};
function check(ok: boolean, failure: string) {
	if (!ok) failures.push(failure);
	return ok;
}

/** A workflow of system/workflows/, as n8n's CLI imports it. */
function workflow(name: string): { id: string; nodes: Array<Record<string, unknown>> } {
	return JSON.parse(
		readFileSync(path.join(__dirname, 'workflows', `${name}.workflow.json`), 'utf8'),
	) as { id: string; nodes: Array<Record<string, unknown>> };
}

/** The bulk workflow with this run's Messages per Second. */
function bulkWorkflow() {
	const w = workflow('queue-bulk');
	const send = w.nodes.find((n) => n.type === 'n8n-nodes-whatsapp-cloud.whatsAppCloud');
	(send!.parameters as { options: { messagesPerSecond: number } }).options.messagesPerSecond = PACE;
	return w;
}

/** Whether the built node offers Message > Send and Wait (issue 14). */
function hasSendAndWait(): boolean {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { WhatsAppCloud } = require(
		path.join(root, 'dist/nodes/WhatsAppCloud/WhatsAppCloud.node.js'),
	);
	const properties = new WhatsAppCloud().description.properties as Array<{
		name: string;
		options?: Array<{ value?: unknown }>;
	}>;
	return properties.some(
		(p) => p.name === 'operation' && (p.options ?? []).some((o) => o.value === 'sendAndWait'),
	);
}

type Execution = { id: string; status: string; mode: string; seconds: number };

function executions(postgres: Postgres, workflowId: string): Execution[] {
	return postgres
		.query(
			`SELECT id, status, mode, COALESCE(EXTRACT(EPOCH FROM ("stoppedAt" - "startedAt")), 0) FROM execution_entity WHERE "workflowId" = '${workflowId}' ORDER BY id`,
		)
		.map(([id, status, mode, seconds]) => ({ id, status, mode, seconds: Number(seconds) }));
}

const FINAL = new Set(['success', 'error', 'crashed', 'canceled']);

/** The workers whose logs say they started a job of this execution, in the order of the jobs. */
function workersOf(deployment: Deployment, executionId: string): string[] {
	return deployment.workers
		.flatMap((w) =>
			w
				.jobsStarted()
				.filter((j) => j.execution === executionId)
				.map((j) => ({ worker: w.name, job: j.job })),
		)
		.sort((a, b) => a.job - b.job)
		.map((j) => j.worker);
}

/** The processes whose logs say they put a job of this execution on the queue. */
function enqueuedBy(deployment: Deployment, executionId: string): string {
	return (
		[deployment.main, ...deployment.webhooks]
			.filter((p) => p.enqueued(executionId) > 0)
			.map((p) => `${p.name}${p.enqueued(executionId) > 1 ? ` x${p.enqueued(executionId)}` : ''}`)
			.join('+') || 'nobody'
	);
}

async function setRateCap(sandbox: SandboxProcess, perSecond: number) {
	const response = await fetch(`${sandbox.url}/__sandbox/rate-cap`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ perSecond }),
	});
	if (!response.ok) throw new Error(`the sandbox refused the rate cap: ${response.status}`);
}

async function waitForWebhooks(postgres: Postgres, workflowId: string) {
	await waitFor(
		`main to register the webhooks of ${workflowId}`,
		async () =>
			Number(
				postgres.query(
					`SELECT count(*) FROM webhook_entity WHERE "workflowId" = '${workflowId}'`,
				)[0][0],
			) > 0,
		120,
	);
}

/** Step 1: EXECUTIONS x ITEMS texts from one number, started together on the webhook process. */
async function bulk(deployment: Deployment, postgres: Postgres, sandbox: SandboxProcess) {
	await sandbox.reset();
	await setRateCap(sandbox, CAP);
	await waitForWebhooks(postgres, BULK.id);
	const expected: string[] = [];
	const bodies = Array.from({ length: EXECUTIONS }, (_, b) => ({
		batch: b,
		messages: Array.from({ length: ITEMS }, (_, i) => {
			const text = `Queue batch ${b} #${i}`;
			expected.push(text);
			return { to: `+1555${b}${String(i).padStart(6, '0')}`, text };
		}),
	}));
	const url = `${deployment.webhookUrl}webhook/${BULK.path}`;
	const started = Date.now();
	const answers = await Promise.all(
		bodies.map(
			async (body) =>
				await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body),
				}),
		),
	);
	check(
		answers.every((a) => a.status === 200),
		`bulk: the webhook process answered ${answers.map((a) => a.status).join(', ')}`,
	);
	let runs: Execution[] = [];
	await waitFor(
		`${EXECUTIONS} bulk executions to finish`,
		async () => {
			runs = executions(postgres, BULK.id);
			return runs.length >= EXECUTIONS && runs.every((r) => FINAL.has(r.status));
		},
		120 + ((EXECUTIONS * ITEMS) / Math.min(CAP, PACE)) * 3,
	).catch(async (error: Error) => {
		// what the sandbox saw, to tell a hang from a slow run
		const seen = await sandbox.stats();
		const perBatch = bodies.map(
			(_, b) => seen.texts.filter((t) => t?.startsWith(`Queue batch ${b} #`)).length,
		);
		const requests = await sandbox.requests();
		const last = requests.length ? requests[requests.length - 1].at : started;
		throw new Error(
			`${error.message}: ${JSON.stringify(runs)}; the sandbox took ${perBatch.join(' + ')} messages (batches 0..${EXECUTIONS - 1}), refused ${seen.injected.rateCap}, last request ${((Date.now() - last) / 1000).toFixed(0)} s ago`,
		);
	});
	const seconds = (Date.now() - started) / 1000;
	const stats = await sandbox.stats();

	const counts = new Map<string, number>();
	for (const text of stats.texts) if (text !== null) counts.set(text, (counts.get(text) ?? 0) + 1);
	const once = expected.filter((t) => counts.get(t) === 1).length;
	const lost = expected.filter((t) => !counts.has(t)).length;
	const doubled = expected.filter((t) => (counts.get(t) ?? 0) > 1).length;
	const times = [...stats.acceptedAt].sort((a, b) => a - b);
	const window = times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : 0;
	const pace = window ? (times.length - 1) / window : 0;
	const refused = stats.injected.rateCap + stats.injected.throttle;

	say(
		`bulk: ${EXECUTIONS} x ${ITEMS} texts from one number, Messages per Second ${PACE} in the node, sandbox cap ${CAP}/s over all processes (sliding second), ${LATENCY_MS} ms per request`,
	);
	say(
		`  accepted once ${once}/${expected.length}, refused (130429) ${refused}, lost ${lost}, doubled ${doubled}; ${stats.messageRequests} send requests`,
	);
	say(
		`  pace while sending ${pace.toFixed(1)}/s = ${(pace / CAP).toFixed(2)} of the cap (busiest second ${stats.peakPerSecond}); all done ${seconds.toFixed(1)} s after the ${EXECUTIONS} calls`,
	);
	// each batch's own pace: first to last of its messages the sandbox took
	const perBatch = bodies.map((_, b) => {
		const at = stats.texts
			.map((t, k) => (t?.startsWith(`Queue batch ${b} #`) ? stats.acceptedAt[k] : undefined))
			.filter((t): t is number => t !== undefined);
		const span = at.length > 1 ? (Math.max(...at) - Math.min(...at)) / 1000 : 0;
		return `batch ${b} ${at.length} in ${span.toFixed(1)} s`;
	});
	say(`  ${perBatch.join(', ')}`);
	const byWorker = new Map<string, string[]>();
	for (const run of runs) {
		const ran = workersOf(deployment, run.id);
		const where = ran.length === 1 ? ran[0] : ran.length ? ran.join('+') : 'no worker';
		byWorker.set(where, [...(byWorker.get(where) ?? []), run.id]);
		say(
			`  execution ${run.id}: ${run.status} on ${where} in ${run.seconds.toFixed(1)} s (mode ${run.mode}, enqueued by ${enqueuedBy(deployment, run.id)})`,
		);
		check(
			ran.length === 1,
			`bulk: execution ${run.id} was started by ${where} (one worker expected)`,
		);
		check(run.status === 'success', `bulk: execution ${run.id} ended ${run.status}`);
	}
	check(runs.length === EXECUTIONS, `bulk: ${runs.length} executions, ${EXECUTIONS} expected`);
	check(
		deployment.workers.every((w) => byWorker.has(w.name)),
		`bulk: not every worker ran an execution (${[...byWorker.entries()].map(([w, ids]) => `${w}: ${ids.join(',')}`).join('; ')})`,
	);
	check(lost === 0, `bulk: ${lost} messages lost`);
	check(doubled === 0, `bulk: ${doubled} messages accepted twice`);
	check(stats.peakPerSecond <= CAP, `bulk: the sandbox took ${stats.peakPerSecond} in one second`);
}

function messageEnvelope(messageId: string, text: string): string {
	return metaJson(customerTextWebhook({ from: CUSTOMER, name: 'Queue', messageId }, text));
}

const productionUrl = (base: string) =>
	`${base.replace(/\/$/, '')}/webhook/${ECHO.webhookId}/webhook`;

async function echoRunsSettled(postgres: Postgres, count: number) {
	await waitFor(
		`${count} trigger executions to finish`,
		async () => {
			const runs = executions(postgres, ECHO.id);
			return runs.length >= count && runs.every((r) => FINAL.has(r.status));
		},
		60,
	);
}

/** Step 2: a customer's message through Meta's registration to the webhook process. */
async function trigger(deployment: Deployment, postgres: Postgres, sandbox: SandboxProcess) {
	await sandbox.reset();
	await setRateCap(sandbox, 0);
	const production = productionUrl(deployment.webhookUrl);
	await waitFor(
		'main to register the trigger with Meta',
		async () =>
			(await sandbox.webhooks()).phoneOverrides[SANDBOX_PHONE_NUMBER_ID]?.url === production,
		60,
	).catch(async (error: Error) => {
		const hooks = await sandbox.webhooks();
		throw new Error(
			`${error.message}: the phone override is ${JSON.stringify(hooks.phoneOverrides)}`,
		);
	});
	const text = `Hello queue ${Date.now()}`;
	const { delivery } = await sandbox.customerWrites(CUSTOMER, 'Queue', text);
	check(delivery.status === 200, `trigger: the webhook process answered Meta ${delivery.status}`);
	await waitFor(
		'the reply to reach the sandbox',
		async () => (await sandbox.stats()).texts.includes(`${ECHO_PREFIX}${text}`),
		60,
	).catch(() => failures.push('trigger: the reply never reached the sandbox'));
	await echoRunsSettled(postgres, 1);
	const runs = executions(postgres, ECHO.id);
	const ran = runs.map(
		(r) =>
			`${r.id} ${r.status}, enqueued by ${enqueuedBy(deployment, r.id)}, run on ${workersOf(deployment, r.id).join('+') || 'no worker'}`,
	);
	say(
		`trigger: main registered ${production} (the webhook process) as the number's override; Meta's signed message there got ${delivery.status} in ${delivery.ms} ms; execution ${ran.join(', ')}; reply sent: ${(await sandbox.stats()).texts.includes(`${ECHO_PREFIX}${text}`) ? 'yes' : 'NO'}`,
	);
	check(
		runs.length === 1 && workersOf(deployment, runs[0].id).length === 1,
		`trigger: expected one execution on one worker, got ${ran.join(', ')}`,
	);
}

/** A signed message event for the echo workflow, and the reply the echo sends to it. */
function signedEvent(label: string) {
	const text = `${label} ${Date.now()}`;
	const body = messageEnvelope(`wamid.QUEUE${label.replace(/\W/g, '')}${Date.now()}`, text);
	const signature = `sha256=${createHmac('sha256', SANDBOX_APP_SECRET).update(body).digest('hex')}`;
	return { body, signature, reply: `${ECHO_PREFIX}${text}` };
}

const post = async (target: N8nProcess, event: ReturnType<typeof signedEvent>) =>
	await fetch(productionUrl(target.url), {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-hub-signature-256': event.signature },
		body: event.body,
	});

/**
 * Step 3: one signed event posted again and again, to each process a load balancer may pick: what
 * Drop Duplicates does with it; then one event posted to both webhook processes at the same moment.
 */
async function redelivery(deployment: Deployment, postgres: Postgres, sandbox: SandboxProcess) {
	const event = signedEvent('Redelivered');
	const [first, second] = deployment.webhooks;
	const deliveries: Array<[string, N8nProcess]> = [
		['first delivery, to webhook process 1', first],
		['redelivery to webhook process 1 again', first],
		['redelivery to webhook process 2', second],
		['redelivery to main', deployment.main],
		['redelivery to main again', deployment.main],
	];
	const outcomes: boolean[] = [];
	say('redelivery: the same signed event (one wamid), Drop Duplicates on (the default):');
	for (const [what, target] of deliveries) {
		const before = executions(postgres, ECHO.id).length;
		const answer = await post(target, event);
		// an execution is written before the webhook answers; give the queue a moment all the same
		await sleep(3000);
		const after = executions(postgres, ECHO.id).length;
		await echoRunsSettled(postgres, after);
		const replies = (await sandbox.stats()).texts.filter((t) => t === event.reply).length;
		const started = after - before;
		outcomes.push(started > 0);
		const newRun = executions(postgres, ECHO.id).slice(before);
		say(
			`  ${what}: HTTP ${answer.status}, ${started ? `passed (execution ${newRun.map((r) => `${r.id}, enqueued by ${enqueuedBy(deployment, r.id)}, run on ${workersOf(deployment, r.id).join('+') || 'no worker'}`).join(', ')})` : 'dropped (no execution)'}; replies so far ${replies}`,
		);
		check(answer.status === 200, `redelivery: ${what} answered ${answer.status}`);
	}
	const executionsOfEvent = outcomes.filter(Boolean).length;
	say(`  executions for the one event over 3 processes: ${executionsOfEvent} (goal: 1)`);
	check(outcomes[0] === true, 'redelivery: the first delivery started no execution');
	check(
		executionsOfEvent === 1,
		`redelivery: the event ran ${executionsOfEvent} times over the processes, not once`,
	);

	// the same event to both webhook processes at once: each reads the static data before the
	// other saves, as the README says; reported, not required
	const both = signedEvent('Simultaneous');
	const before = executions(postgres, ECHO.id).length;
	const answers = await Promise.all([post(first, both), post(second, both)]);
	await sleep(3000);
	const after = executions(postgres, ECHO.id).length;
	await echoRunsSettled(postgres, after);
	say(
		`  one event to both webhook processes at the same moment: HTTP ${answers.map((a) => a.status).join(' and ')}, ${after - before} execution(s)`,
	);
	check(
		answers.every((a) => a.status === 200),
		'redelivery: a simultaneous delivery was not answered 200',
	);
}

/**
 * Step 3b: the echo's trigger combines messages within 2 seconds. Two messages of one customer to
 * one webhook process: one execution with both texts. The same to two webhook processes: each
 * combines what reaches it (reported: bursts live in each process's memory).
 */
async function burst(deployment: Deployment, postgres: Postgres, sandbox: SandboxProcess) {
	const [first, second] = deployment.webhooks;
	const runBurst = async (what: string, targets: [N8nProcess, N8nProcess]) => {
		const events = [signedEvent(`${what} one`), signedEvent(`${what} two`)];
		const before = executions(postgres, ECHO.id).length;
		const answers = [await post(targets[0], events[0]), await post(targets[1], events[1])];
		await sleep(5000);
		const after = executions(postgres, ECHO.id).length;
		await echoRunsSettled(postgres, after);
		const texts = (await sandbox.stats()).texts.filter(
			(t) => t?.startsWith(ECHO_PREFIX) && t.includes(what),
		);
		say(
			`  ${what}: HTTP ${answers.map((a) => a.status).join(' and ')}, ${after - before} execution(s), replies ${JSON.stringify(texts)}`,
		);
		check(
			answers.every((a) => a.status === 200),
			`burst: ${what} was not answered 200`,
		);
		return after - before;
	};
	say('burst: two messages of one customer within the 2 seconds of Combine Messages Within:');
	const one = await runBurst('both to webhook process 1', [first, first]);
	check(one === 1, `burst: two messages to one process gave ${one} executions, not 1`);
	await runBurst('one to each webhook process', [first, second]);
}

/** Step 4: Send and Wait, the tap arriving at the webhook process, the rest on a worker. */
async function sendAndWait(deployment: Deployment, postgres: Postgres, sandbox: SandboxProcess) {
	await sandbox.reset();
	await waitForWebhooks(postgres, APPROVAL.id);
	const answer = await fetch(`${deployment.webhookUrl}webhook/${APPROVAL.path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: '{}',
	});
	check(answer.status === 200, `send and wait: the webhook answered ${answer.status}`);
	let run: Execution | undefined;
	await waitFor(
		'the execution to wait for the answer',
		async () => {
			run = executions(postgres, APPROVAL.id)[0];
			if (run && FINAL.has(run.status)) throw new GiveUp(`the execution ended ${run.status}`);
			return run?.status === 'waiting';
		},
		60,
	);
	const stats = await sandbox.stats();
	// the question is the only message since the reset: an interactive one (no text body)
	const questionId = stats.ids[stats.texts.findIndex((t) => t === null)];
	if (!questionId) throw new Error('send and wait: the question never reached the sandbox');
	const tap = await fetch(`${sandbox.url}/__sandbox/tap`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ messageId: questionId, title: 0 }),
	});
	const tapped = (await tap.json()) as {
		messageId?: string;
		delivery?: { url: string; status: number };
		error?: string;
	};
	if (!tapped.delivery)
		throw new Error(`send and wait: the sandbox could not tap: ${tapped.error}`);
	check(
		tapped.delivery.url.startsWith(deployment.webhookUrl),
		`send and wait: the tap went to ${tapped.delivery.url}, not the webhook process`,
	);
	await waitFor(
		'the execution to finish after the tap',
		async () => {
			run = executions(postgres, APPROVAL.id)[0];
			return FINAL.has(run.status);
		},
		60,
	).catch(() =>
		failures.push(`send and wait: the execution is still ${run?.status} after the tap`),
	);
	const confirmed = (await sandbox.stats()).texts.includes('Refund 4711: approved');
	// by job: the first job sent the question and ended waiting, the second is the resumed part
	const [waitedOn, ...resumedOn] = workersOf(deployment, run!.id);
	const resumeEnqueued = deployment.webhook.enqueued(run!.id) - 1;
	const passedOn = deployment.webhook
		.logs()
		.includes(`passed the answer "approve" of message ${tapped.messageId} to execution ${run!.id}`);
	say(
		`send and wait: execution ${run!.id} sent the question on ${waitedOn ?? 'no worker'} and waited; Meta's tap reached the trigger on the webhook process (HTTP ${tapped.delivery.status}), which ${passedOn ? 'passed the answer on' : 'did NOT log passing the answer on'} and put ${resumeEnqueued} resume job(s) on the queue; resumed on ${resumedOn.join('+') || 'no worker'}, ended ${run!.status}; confirmation sent: ${confirmed ? 'yes' : 'NO'}`,
	);
	check(run!.status === 'success', `send and wait: the execution ended ${run!.status}`);
	check(confirmed, 'send and wait: the confirmation after the tap never reached the sandbox');
	check(!!waitedOn, 'send and wait: no worker logged starting the execution');
	check(
		resumedOn.length === 1,
		`send and wait: the resumed part ran on ${resumedOn.join(', ') || 'no worker'} (one worker expected)`,
	);
	check(
		resumeEnqueued === 1,
		`send and wait: the webhook process enqueued ${resumeEnqueued} resume jobs`,
	);
}

async function main() {
	const started = Date.now();
	const cleanups: Array<() => Promise<void> | void> = [];
	let cleaning: Promise<void> | undefined;
	const cleanup = () =>
		(cleaning ??= (async () => {
			for (const step of cleanups.reverse()) {
				try {
					await step();
				} catch (error) {
					console.error(`queue: cleanup: ${(error as Error).message}`);
				}
			}
		})());

	let deployment: Deployment | undefined;
	try {
		const ports = new Ports(5710);
		const postgres = Postgres.ensure('n8n_queue_test', 'n8n_queue_test', 'n8n-queue-test');
		cleanups.push(() => postgres.stop());
		const redis = await Redis.start(ports, path.join(work, 'queue'));
		cleanups.push(() => redis.stop());
		const sandbox = await SandboxProcess.start({ latencyMs: LATENCY_MS });
		cleanups.push(() => sandbox.stop());

		deployment = await prepareDeployment({
			ports,
			postgres,
			redis,
			workers: WORKERS,
			concurrency: CONCURRENCY,
		});
		const { main: mainProcess, all } = deployment;
		cleanups.push(async () => {
			await Promise.all(all.map(async (p) => await p.stop()));
		});
		const withSendAndWait = hasSendAndWait();

		mainProcess.command([
			'import:credentials',
			`--input=${writeJson('credentials.json', [
				{
					id: CREDENTIAL_ID,
					name: 'WhatsApp sandbox',
					type: 'whatsAppCloudApi',
					data: sandboxCredentialData(sandbox.url),
				},
			])}`,
		]);
		const workflows = [
			bulkWorkflow(),
			workflow('queue-echo'),
			...(withSendAndWait ? [workflow('queue-approval')] : []),
		];
		mainProcess.command(['import:workflow', `--input=${writeJson('workflows.json', workflows)}`]);
		for (const workflow of workflows)
			mainProcess.command(['publish:workflow', `--id=${workflow.id}`]);

		const boot = Date.now();
		// The webhook process first: on start, main registers the trigger's production URL (on the
		// webhook process) with Meta, which calls it at once with the verify GET. Had that failed,
		// n8n 2.40.7 removes the trigger's GET webhook with the failed POST one and retries only the
		// POST, so every retry fails the same way and the trigger stays inactive.
		for (const p of all) if (p !== mainProcess) p.start();
		await Promise.all(all.filter((p) => p !== mainProcess).map(async (p) => await p.ready()));
		mainProcess.start();
		await mainProcess.ready();
		say(
			`deployment: main :${mainProcess.env.N8N_PORT}, ${deployment.workers.map((w) => `${w.name} (health :${w.healthPort}, --concurrency=${CONCURRENCY})`).join(', ')}, webhook ${deployment.webhooks.map((w) => `:${w.env.N8N_PORT}`).join(' and ')}; Postgres :${postgres.port}, Redis :${redis.port}; ready in ${((Date.now() - boot) / 1000).toFixed(0)} s`,
		);

		// each step on its own: one that fails is reported, and the next ones still run
		const step = async (name: string, run: () => Promise<void>) => {
			try {
				await run();
			} catch (error) {
				say(`${name}: FAILED`);
				failures.push((error as Error).message);
			}
		};
		const d = deployment;
		await step('bulk', async () => await bulk(d, postgres, sandbox));
		await step('trigger', async () => await trigger(d, postgres, sandbox));
		await step('redelivery', async () => await redelivery(d, postgres, sandbox));
		await step('burst', async () => await burst(d, postgres, sandbox));
		// Send and Wait (issue 14): only when the node has the operation
		if (withSendAndWait)
			await step('send and wait', async () => await sendAndWait(d, postgres, sandbox));
		else say('send and wait: skipped (the node has no sendAndWait operation yet)');

		for (const p of all) check(p.running, `${p.name} is no longer running${p.tail()}`);
	} catch (error) {
		failures.push((error as Error).message);
	} finally {
		await cleanup();
	}
	const seconds = ((Date.now() - started) / 1000).toFixed(0);
	console.log('\n=== npm run test:queue ===');
	for (const line of report) console.log(line);
	if (deployment) console.log(`logs: ${path.dirname(deployment.main.logFile)}`);
	if (failures.length) console.log(`FAILED (${seconds} s)`);
	else console.log(`PASSED in ${seconds} s`);
}

function writeJson(name: string, value: unknown): string {
	const file = path.join(work, 'queue', name);
	writeFileSync(file, JSON.stringify(value, null, 2));
	return file;
}

// One test: the steps share one deployment, and each failure is reported by its step while the
// next steps still run, so that one run shows everything that is wrong.
test(
	`queue mode: ${WORKERS} workers, a webhook process and main, against a cap of ${CAP}/s`,
	async () => {
		await main();
		expect(failures).toEqual([]);
	},
	60 * 60_000,
);
