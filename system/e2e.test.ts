/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * `npm run test:e2e` (opt-in, not part of `npm test`): the packed package in a real n8n server
 * (system/lib/n8n.ts: node 24, n8n 2.40.7 or $N8N_VERSION, cached per version in ~/.cache/n8n-nodes-whatsapp-cloud-e2e).
 *
 * 1. A credential pointing at the Graph API sandbox (a child process), and workflows "WhatsApp
 *    Cloud Trigger -> WhatsApp Cloud (send text)", imported and published with n8n's CLI; then
 *    `n8n start`.
 * 2. Manual registration: the trigger answers Meta's verify handshake, refuses a wrong signature
 *    with 401, and a signed customer message posted to its production URL starts the workflow,
 *    whose reply reaches the sandbox.
 * 3. A live workflow whose trigger is tested in between, for each automatic registration (phone
 *    number override, account override, app-wide callback): on start n8n registers the production
 *    URL with the sandbox; then, through n8n's REST API as the editor calls it, "Execute step" on
 *    the trigger (listen for a test event) and stop listening. The registration must still point
 *    at the production URL, no registration write may have reached the sandbox, and a message
 *    the sandbox delivers as Meta would must start the production workflow (its reply reaches
 *    the sandbox). Then the workflow is unpublished, which hands the events to the next mode.
 * 4. Send and Wait for Response, in workflows "Webhook -> WhatsApp Cloud (Send and Wait) ->
 *    WhatsApp Cloud (send the result as text)": reply buttons whose taps Meta delivers to the
 *    manual trigger, which resumes the waiting execution through n8n's waiting webhook (a tampered
 *    reference is refused by n8n, a second tap finds nothing waiting); an approval through a link
 *    (a link preview resumes nothing); a free-text answer through the form page; one node asking
 *    twice in a loop, where a late tap on the first question does not answer the second. And n8n lists the
 *    action node as a human-review tool for AI agents (`whatsAppCloudHitlTool`).
 */
import { createHmac } from 'crypto';
import { readFileSync } from 'fs';
import path from 'path';

import {
	formatResumeReference,
	parseResumeReference,
	type ResumeReference,
} from '../nodes/shared/resume';
import {
	metaJson,
	SANDBOX_APP_ID,
	SANDBOX_APP_SECRET,
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_WABA_ID,
	sandboxCredentialData,
} from '../dev/sandbox/server';
import {
	BROWSER_AGENT,
	customerTextWebhook,
	WHATSAPP_PREVIEW_AGENT,
} from '../dev/sandbox/webhooks';
import { N8N_VERSION, N8n, N8nRest, sleep, waitFor } from './lib/n8n';
import { SandboxProcess, type SandboxAccepted, type SandboxWebhooks } from '../dev/sandbox-process';

const PORT = 5699;
const TRIGGER = 'WhatsApp Cloud Trigger';
const CUSTOMER = '491511234567';

/**
 * A workflow of system/workflows/, as n8n's CLI imports it: the file is what runs, and the checks
 * read its IDs, paths and recipients from it rather than restating them.
 */
type Workflow = {
	id: string;
	name: string;
	nodes: Array<{ name: string; webhookId?: string; parameters: Record<string, unknown> }>;
};
type Ids = { id: string; webhookId: string };

function workflow(name: string): Workflow {
	const file = path.join(__dirname, 'workflows', `${name}.workflow.json`);
	return JSON.parse(readFileSync(file, 'utf8')) as Workflow;
}

/** The workflow's ID and the webhook ID of its first node (the trigger or n8n's Webhook node). */
function idsOf(w: Workflow): Ids {
	const webhookId = w.nodes[0]?.webhookId;
	if (!webhookId) throw new Error(`workflow ${w.id}: its first node has no webhookId`);
	return { id: w.id, webhookId };
}

function parameterOf(w: Workflow, node: string, name: string): string {
	const value = w.nodes.find((n) => n.name === node)?.parameters[name];
	if (typeof value !== 'string') throw new Error(`workflow ${w.id}: ${node} has no ${name}`);
	return value;
}

type Mode = 'businessAccount' | 'phoneNumber' | 'app';

/** The published workflows with an automatic registration, in the order they are checked. */
const LIVE: Array<{ mode: Mode; registered: string } & Ids> = (
	[
		// a phone number's override wins over the account's, which wins over the app's callback: so
		// each workflow, once checked, is unpublished to hand the events to the next one
		{ mode: 'phoneNumber', registered: 'phone number override' },
		{ mode: 'businessAccount', registered: 'WhatsApp Business Account override' },
		{ mode: 'app', registered: 'app-wide callback' },
	] as const
).map((live) => ({ ...live, ...idsOf(workflow(`e2e-live-${live.mode}`)) }));

const REGISTRATION_PATH: Record<Mode, string> = {
	phoneNumber: `/${SANDBOX_PHONE_NUMBER_ID}`,
	businessAccount: `/${SANDBOX_WABA_ID}/subscribed_apps`,
	app: `/${SANDBOX_APP_ID}/subscriptions`,
};

/** The manual-registration workflow: handshake, a wrong signature, a signed message. */
async function checkManual(n8n: N8n, sandbox: SandboxProcess, webhookId: string) {
	const url = n8n.productionUrl(webhookId);
	await waitFor(
		'n8n to serve the workflow webhook',
		async () =>
			(await fetch(`${url}?hub.mode=subscribe&hub.challenge=42&hub.verify_token=e2e-verify`))
				.status === 200,
		180,
	);
	const challenge = await (
		await fetch(`${url}?hub.mode=subscribe&hub.challenge=4242&hub.verify_token=e2e-verify`)
	).text();
	if (challenge !== '4242') throw new Error(`verify handshake answered "${challenge}"`);
	console.log('e2e: the trigger answered the verify handshake in n8n');

	await sandbox.reset();
	const text = `Hello from the e2e test ${Date.now()}`;
	const body = metaJson(
		customerTextWebhook({ from: CUSTOMER, name: 'E2E', messageId: 'wamid.E2E1' }, text),
	);
	const bad = await fetch(url, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
		},
		body,
	});
	if (bad.status !== 401) throw new Error(`a wrong signature got ${bad.status}, not 401`);
	const signature = `sha256=${createHmac('sha256', SANDBOX_APP_SECRET).update(body).digest('hex')}`;
	const good = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
		body,
	});
	if (good.status !== 200) throw new Error(`the signed message got ${good.status}`);
	await waitFor(
		'the reply to reach the sandbox',
		async () => (await sandbox.stats()).texts.includes(`Echo from n8n: ${text}`),
		60,
	);
	console.log(
		'e2e: a wrong signature got 401; the signed message started the workflow and the reply reached the sandbox',
	);
}

/** The URL a mode's registration slot holds in the sandbox, if any. */
function registeredUrl(hooks: SandboxWebhooks, mode: Mode): string | undefined {
	if (mode === 'phoneNumber') return hooks.phoneOverrides[SANDBOX_PHONE_NUMBER_ID]?.url;
	if (mode === 'businessAccount')
		return hooks.subscribedWabas.includes(SANDBOX_WABA_ID)
			? hooks.wabaOverrides[SANDBOX_WABA_ID]?.url
			: undefined;
	return hooks.app?.url;
}

/** The registrations alone (without the deliveries), to compare before and after. */
function registrations(hooks: SandboxWebhooks): string {
	const { app, subscribedWabas, wabaOverrides, phoneOverrides } = hooks;
	return JSON.stringify({ app, subscribedWabas, wabaOverrides, phoneOverrides });
}

/**
 * A live workflow whose trigger is tested in between: listen for a test event the way the editor
 * does, stop, and the live registration and the production workflow must be as before.
 */
async function checkTestInBetween(
	n8n: N8n,
	rest: N8nRest,
	sandbox: SandboxProcess,
	live: (typeof LIVE)[number],
) {
	const { mode, id } = live;
	const production = n8n.productionUrl(live.webhookId);
	const fail = (what: string): never => {
		throw new Error(`a live workflow whose trigger is tested in between (${mode}): ${what}`);
	};
	const before = await sandbox.webhooks();
	if (registeredUrl(before, mode) !== production)
		fail(
			`before the test, the ${live.registered} points at ${registeredUrl(before, mode) ?? 'nothing'}, not the production URL ${production}`,
		);
	const path = new RegExp(`^/v[0-9.]+${REGISTRATION_PATH[mode]}$`);
	const writes = async (since: number) =>
		(await sandbox.requests()).filter(
			(r) => r.at >= since && r.method !== 'GET' && path.test(r.path),
		);

	// "Execute step" on the trigger in the editor: n8n registers the test webhook and calls the
	// trigger's checkExists/create with the test URL (webhook-test/...)
	const listenedAt = Date.now();
	const answer = await rest.call<{ waitingForWebhook?: boolean }>(
		'POST',
		`/rest/workflows/${id}/run`,
		{
			workflowId: id,
			startNodes: [{ name: TRIGGER, sourceData: null }],
			destinationNode: { nodeName: TRIGGER, mode: 'inclusive' },
		},
	);
	if (!answer?.waitingForWebhook)
		fail(`n8n did not listen for a test event, it answered ${JSON.stringify(answer)}`);
	// n8n has called checkExists (and create, had it answered false) before answering
	const testUrl = n8n.testUrl(live.webhookId);
	const listening = await sandbox.webhooks();
	const held = registeredUrl(listening, mode);
	if (held !== production)
		fail(
			`listening for a test event took the ${live.registered} away from the live workflow: it points at ${held ?? 'nothing'}${held === testUrl ? ' (the test URL)' : ''} instead of the production URL ${production}`,
		);
	if (registrations(listening) !== registrations(before))
		fail(
			`listening for a test event changed the registrations: ${registrations(before)} became ${registrations(listening)} (test URL ${testUrl})`,
		);
	await waitFor(
		`the trigger to log that it leaves the ${live.registered} alone`,
		async () =>
			n8n
				.logs()
				.split('\n')
				.some((line) => line.includes('test event') && line.includes(production)),
		30,
	).catch(() =>
		fail(
			`while listening, n8n's log has no line from the trigger saying the events stay with ${production}`,
		),
	);
	// the editor's "Stop listening": n8n removes the test webhook in the background and calls the
	// trigger's delete with the test URL, which reads the registration first
	const stoppedAt = Date.now();
	await rest.call('DELETE', `/rest/test-webhook/${id}`);
	await waitFor(
		'the trigger to check its registration when the test stopped',
		async () =>
			(await sandbox.requests()).some(
				(r) => r.at >= stoppedAt && r.method === 'GET' && path.test(r.path),
			),
		30,
	).catch(() =>
		fail('after "stop listening", the trigger never read its registration (delete hook not run)'),
	);
	// a write would follow the read at once
	await sleep(1500);
	const written = await writes(listenedAt);
	if (written.length)
		fail(
			`listening and stopping sent registration writes to Meta: ${written.map((r) => `${r.method} ${r.path}`).join(', ')}`,
		);
	const after = await sandbox.webhooks();
	if (registeredUrl(after, mode) !== production)
		fail(
			`after the test stopped, the ${live.registered} points at ${registeredUrl(after, mode) ?? 'nothing'}, not the production URL ${production}`,
		);
	if (registrations(after) !== registrations(before))
		fail(`the registrations changed: ${registrations(before)} became ${registrations(after)}`);

	// Meta sends a customer's message: the production workflow runs and replies
	const text = `Hello after a test, ${mode} ${Date.now()}`;
	const { delivery } = await sandbox.customerWrites(CUSTOMER, 'E2E', text);
	if (delivery.url !== production)
		fail(`the sandbox delivered the message to ${delivery.url}, not to ${production}`);
	if (delivery.status !== 200)
		fail(`the production webhook answered the signed message with ${delivery.status}`);
	const reply = `Echo from n8n (${mode}): ${text}`;
	await waitFor(
		'the reply to reach the sandbox',
		async () => (await sandbox.stats()).texts.includes(reply),
		60,
	).catch(() => fail(`the production workflow's reply "${reply}" never reached the sandbox`));
	console.log(
		`e2e: ${mode}: listening for a test event and stopping left the ${live.registered} on the production URL (no registration write); a message Meta delivered started the live workflow and its reply reached the sandbox`,
	);
}

/** The Send and Wait workflows: a webhook starts each, the answer is sent on as a text. */
type Ask = Ids & { path: string; what: string };
const askOf = (file: string, what: string): Ask => {
	const w = workflow(file);
	return { ...idsOf(w), path: parameterOf(w, 'Webhook', 'path'), what };
};
const ASKS: Record<'approve' | 'link' | 'free', Ask> = {
	approve: askOf('e2e-ask-approve', 'Approval (buttons)'),
	link: askOf('e2e-ask-link', 'Approval (link)'),
	free: askOf('e2e-ask-free', 'Free Text'),
};
/** The loop workflow: one Send and Wait node asks once per order, in one execution. */
const TWICE = askOf('e2e-ask-twice', 'one node asking twice');

/** The approver the Send and Wait workflows ask, and where they send the result. */
const APPROVER = parameterOf(workflow('e2e-ask-approve'), 'Ask', 'to');
const RESULT_TO = parameterOf(workflow('e2e-ask-approve'), 'Result', 'to');

const digits = (value: unknown) => String(value ?? '').replace(/\D/g, '');
const textOf = (m: SandboxAccepted) =>
	m.body.type === 'text' ? ((m.body.text as { body?: string } | undefined)?.body ?? '') : '';

/** The answers the Send and Wait workflows passed on: `RESULT {...}` texts, parsed, in order. */
async function results(sandbox: SandboxProcess): Promise<Array<Record<string, unknown>>> {
	return (await sandbox.accepted())
		.filter((m) => digits(m.body.to) === digits(RESULT_TO) && textOf(m).startsWith('RESULT '))
		.map((m) => JSON.parse(textOf(m).slice('RESULT '.length)) as Record<string, unknown>);
}

/** Waits for the one new RESULT after `before` of them; answers its `data` (the answer). */
async function nextResult(
	sandbox: SandboxProcess,
	before: number,
	fail: (what: string) => never,
): Promise<Record<string, unknown>> {
	await waitFor(
		'the answer to reach the sandbox as a RESULT text',
		async () => (await results(sandbox)).length > before,
		60,
	).catch(() => fail('the waiting execution never went on: no RESULT reached the sandbox'));
	const all = await results(sandbox);
	if (all.length !== before + 1)
		fail(
			`${all.length - before} RESULT texts arrived, not one: ${JSON.stringify(all.slice(before))}`,
		);
	const data = all[before].data as Record<string, unknown> | undefined;
	if (!data || typeof data !== 'object')
		fail(`the RESULT has no data: ${JSON.stringify(all[before])}`);
	return data!;
}

/** After `ms`, still exactly `before` RESULT texts. */
async function noNewResult(
	sandbox: SandboxProcess,
	before: number,
	ms: number,
	fail: (what: string) => never,
	why: string,
) {
	await sleep(ms);
	const all = await results(sandbox);
	if (all.length !== before)
		fail(`${why}, yet a RESULT reached the sandbox: ${JSON.stringify(all.slice(before))}`);
}

/** Each expected field of an answer, or a failure naming the ones that differ. */
function expectAnswer(
	data: Record<string, unknown>,
	expected: Record<string, unknown>,
	fail: (what: string) => never,
) {
	const wrong = Object.entries(expected).filter(([k, v]) => data[k] !== v);
	if (wrong.length)
		fail(
			`the answer has ${wrong.map(([k, v]) => `${k} = ${JSON.stringify(data[k])} (expected ${JSON.stringify(v)})`).join(', ')}; all of it: ${JSON.stringify(data)}`,
		);
}

/** Starts an ask workflow through its webhook and waits for the question to reach the sandbox. */
async function ask(
	n8n: N8n,
	sandbox: SandboxProcess,
	workflow: Ask,
	kind: 'button' | 'cta_url',
	fail: (what: string) => never,
): Promise<SandboxAccepted> {
	const seen = new Set((await sandbox.accepted()).map((m) => m.id));
	const url = `${n8n.url}/webhook/${workflow.path}`;
	const started = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ order: 'A-1042' }),
	});
	if (started.status !== 200)
		fail(`POST ${url} answered ${started.status}: ${await started.text()}`);
	let question: SandboxAccepted | undefined;
	await waitFor(
		`the ${workflow.what} question to reach the sandbox`,
		async () => {
			question = (await sandbox.accepted()).find(
				(m) => !seen.has(m.id) && digits(m.body.to) === CUSTOMER && m.body.type === 'interactive',
			);
			return question !== undefined;
		},
		60,
	).catch(() => fail(`no interactive message reached ${APPROVER} after POST ${url}`));
	const interactive = question!.body.interactive as { type?: string };
	if (interactive.type !== kind)
		fail(`the question is an interactive "${interactive.type}", not "${kind}"`);
	return question!;
}

/** The call-to-action link of a sent question (the signed resume URL). */
function linkOf(question: SandboxAccepted, n8n: N8n, fail: (what: string) => never): string {
	const url = (question.body.interactive as { action?: { parameters?: { url?: string } } }).action
		?.parameters?.url;
	if (!url) fail(`the question has no call-to-action link: ${JSON.stringify(question.body)}`);
	if (!url!.startsWith(`${n8n.url}/webhook-waiting/`))
		fail(`the link ${url} is not on this n8n's waiting webhook (${n8n.url}/webhook-waiting/)`);
	return url!;
}

async function open(url: string, userAgent: string) {
	const response = await fetch(url, { headers: { 'user-agent': userAgent } });
	return { status: response.status, html: await response.text() };
}

async function submit(url: string, fields: Record<string, string>) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'user-agent': BROWSER_AGENT, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(fields).toString(),
	});
	return { status: response.status, html: await response.text() };
}

/** A log line from n8n since `from` (an offset in its log) holding every one of `parts`. */
async function logLine(n8n: N8n, from: number, parts: string[], seconds = 15) {
	let line: string | undefined;
	await waitFor(
		`n8n to log ${parts.map((p) => `"${p}"`).join(' and ')}`,
		async () => {
			line = n8n
				.logs()
				.slice(from)
				.split('\n')
				.find((l) => parts.every((p) => l.includes(p)));
			return line !== undefined;
		},
		seconds,
	);
	return line!;
}

/** Echo replies the manual trigger's workflow sent (it must not run for a tap). */
async function echoes(sandbox: SandboxProcess) {
	return (await sandbox.accepted()).filter((m) => textOf(m).startsWith('Echo from n8n: ')).length;
}

/**
 * Approval with reply buttons: the taps Meta delivers reach the manual trigger, which resumes the
 * waiting execution through n8n's waiting webhook. A tampered reference, the genuine tap, and a
 * second tap once nothing waits any more.
 */
async function checkApprovalButtons(n8n: N8n, sandbox: SandboxProcess, triggerUrl: string) {
	const fail = (what: string): never => {
		throw new Error(`Send and Wait, approval by button: ${what}`);
	};
	const echoesBefore = await echoes(sandbox);
	const question = await ask(n8n, sandbox, ASKS.approve, 'button', fail);
	const buttons = (
		question.body.interactive as {
			action: { buttons: Array<{ reply: { id: string; title: string } }> };
		}
	).action.buttons;
	const titles = buttons.map((b) => b.reply.title);
	if (titles.join('|') !== '✓ Approve|✗ Decline')
		fail(`the buttons are ${JSON.stringify(titles)}, not ["✓ Approve", "✗ Decline"]`);
	for (const { reply } of buttons) {
		if (!reply.id.startsWith('wcwait:') || /https?:|\/|127\.0\.0\.1|webhook/i.test(reply.id))
			fail(`button "${reply.title}" has the ID "${reply.id}", not a bare wcwait: reference`);
	}
	const reference = parseResumeReference(buttons[0].reply.id);
	if (!reference) fail(`the approve button's ID "${buttons[0].reply.id}" does not parse`);
	const { executionId } = reference as ResumeReference;
	console.log(
		`e2e: Send and Wait (buttons): the question reached the sandbox with reply buttons ${titles.map((t) => `"${t}"`).join(', ')} whose IDs are wcwait: references without a URL (execution ${executionId}, ${buttons[0].reply.id.length} characters)`,
	);

	// a reference changed on its way: the trigger takes it, n8n refuses the signature
	const before = (await results(sandbox)).length;
	let logFrom = n8n.logs().length;
	const tampered = formatResumeReference({
		...(reference as ResumeReference),
		signature: 'ab'.repeat(32),
	});
	const forged = await sandbox.tap(question.id, '✓ Approve', {
		to: triggerUrl,
		buttonId: tampered,
	});
	if (forged.delivery.url !== triggerUrl)
		fail(`the sandbox delivered the tap to ${forged.delivery.url}, not ${triggerUrl}`);
	if (forged.delivery.status !== 200)
		fail(`the trigger answered the tampered tap with ${forged.delivery.status}, not 200`);
	await noNewResult(sandbox, before, 3000, fail, 'the tap carried a tampered signature');
	const refused = await logLine(n8n, logFrom, ['n8n refused the resume reference (401)']).catch(
		() =>
			fail(
				'after a tap with a tampered signature, n8n\'s log has no line "n8n refused the resume reference (401)"',
			),
	);
	console.log(
		`e2e: Send and Wait (buttons): a tap with a tampered signature got 200 from the trigger, no RESULT within 3 s, and n8n refused it: "${refused.trim()}"`,
	);

	// the genuine tap
	logFrom = n8n.logs().length;
	const tap = await sandbox.tap(question.id, '✓ Approve', { to: triggerUrl });
	if (tap.delivery.status !== 200)
		fail(`the trigger answered the tap with ${tap.delivery.status}, not 200`);
	const answer = await nextResult(sandbox, before, fail);
	expectAnswer(
		answer,
		{
			approved: true,
			choice: 'approve',
			answer: '✓ Approve',
			from: CUSTOMER,
			messageId: tap.messageId,
			sentMessageId: question.id,
			via: 'button',
		},
		fail,
	);
	await logLine(n8n, logFrom, [`passed the answer "approve"`, `execution ${executionId}`]).catch(
		() => fail(`the trigger did not log that it passed the answer to execution ${executionId}`),
	);
	console.log(
		`e2e: Send and Wait (buttons): the tap on "✓ Approve" resumed execution ${executionId}: RESULT ${JSON.stringify(answer)}`,
	);

	// a second tap: nothing waits any more
	logFrom = n8n.logs().length;
	const late = await sandbox.tap(question.id, '✗ Decline', { to: triggerUrl });
	if (late.delivery.status !== 200)
		fail(`the trigger answered the late tap with ${late.delivery.status}, not 200`);
	await noNewResult(sandbox, before + 1, 3000, fail, 'the execution had already been answered');
	const notRetried = await logLine(n8n, logFrom, [
		`did not resume execution ${executionId}`,
		'no longer waits',
		'Not retried',
	]).catch(() => {
		const said = n8n
			.logs()
			.slice(logFrom)
			.split('\n')
			.filter((l) => l.includes(executionId));
		return fail(
			`after a late tap, n8n's log does not say the execution no longer waits ("Not retried"); its lines about execution ${executionId}: ${JSON.stringify(said)}`,
		);
	});
	console.log(
		`e2e: Send and Wait (buttons): a later tap on "✗ Decline" started nothing (no second RESULT); the trigger logged: "${notRetried.trim()}"`,
	);
	const echoesAfter = await echoes(sandbox);
	if (echoesAfter !== echoesBefore)
		fail(
			`the taps also started the trigger's own workflow (${echoesAfter - echoesBefore} echo replies), which by default they must not`,
		);
	console.log(
		"e2e: Send and Wait (buttons): the three taps did not start the trigger's own workflow (no echo reply)",
	);
}

/**
 * One node asks twice in one execution (a loop over two orders): a tap on the first question's
 * buttons, after it was answered, does not answer the second; the second's own tap does.
 */
async function checkAskedTwice(n8n: N8n, sandbox: SandboxProcess, triggerUrl: string) {
	const fail = (what: string): never => {
		throw new Error(`Send and Wait, one node asks twice: ${what}`);
	};
	const questionAfter = async (seen: Set<string>, amount: string) => {
		let question: SandboxAccepted | undefined;
		await waitFor(
			`the question about ${amount} EUR to reach the sandbox`,
			async () => {
				question = (await sandbox.accepted()).find(
					(m) => !seen.has(m.id) && digits(m.body.to) === CUSTOMER && m.body.type === 'interactive',
				);
				return question !== undefined;
			},
			60,
		).catch(() => fail(`no question about ${amount} EUR reached ${APPROVER}`));
		const text = (question!.body.interactive as { body?: { text?: string } }).body?.text ?? '';
		if (!text.includes(amount)) fail(`the question reads "${text}", not one about ${amount} EUR`);
		return question!;
	};
	const seen = new Set((await sandbox.accepted()).map((m) => m.id));
	const url = `${n8n.url}/webhook/${TWICE.path}`;
	const started = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			orders: [
				{ order: 'A-1', amount: '50' },
				{ order: 'B-7', amount: '5000' },
			],
		}),
	});
	if (started.status !== 200) fail(`POST ${url} answered ${started.status}`);
	const first = await questionAfter(seen, '50');
	const before = (await results(sandbox)).length;
	await sandbox.tap(first.id, '✓ Approve', { to: triggerUrl });
	const firstAnswer = await nextResult(sandbox, before, fail);
	expectAnswer(firstAnswer, { approved: true, sentMessageId: first.id }, fail);
	seen.add(first.id);
	const second = await questionAfter(seen, '5000');
	const ids = (q: SandboxAccepted) =>
		(
			q.body.interactive as { action: { buttons: Array<{ reply: { id: string } }> } }
		).action.buttons.map((b) => b.reply.id);
	if (ids(first).some((id) => ids(second).includes(id)))
		fail('the second question carries a button reference of the first one');
	console.log(
		`e2e: Send and Wait (asked twice): the tap on the 50 EUR question resumed it, and the same node asked about 5000 EUR with references of its own`,
	);

	// the first question's Decline, tapped late: the 5000 EUR question stays open
	const logFrom = n8n.logs().length;
	await sandbox.tap(first.id, '✗ Decline', { to: triggerUrl });
	await noNewResult(sandbox, before + 1, 3000, fail, 'the tap belonged to the first question');
	const refused = await logLine(n8n, logFrom, ['the tap answers another question']).catch(() =>
		fail(
			`after a late tap on the first question, n8n's log does not say it answers another question`,
		),
	);
	console.log(
		`e2e: Send and Wait (asked twice): a late tap on the first question's "✗ Decline" resumed nothing; logged: "${refused.trim()}"`,
	);
	const own = await sandbox.tap(second.id, '✗ Decline', { to: triggerUrl });
	const secondAnswer = await nextResult(sandbox, before + 1, fail);
	expectAnswer(
		secondAnswer,
		{ approved: false, choice: 'decline', messageId: own.messageId, sentMessageId: second.id },
		fail,
	);
	console.log(
		`e2e: Send and Wait (asked twice): the second question's own tap answered it: RESULT ${JSON.stringify(secondAnswer)}`,
	);
}

/** Approval through the call-to-action link: a preview fetch, the page, the posted choice. */
async function checkApprovalLink(n8n: N8n, sandbox: SandboxProcess) {
	const fail = (what: string): never => {
		throw new Error(`Send and Wait, approval by link: ${what}`);
	};
	const question = await ask(n8n, sandbox, ASKS.link, 'cta_url', fail);
	const url = linkOf(question, n8n, fail);
	const before = (await results(sandbox)).length;
	const preview = await open(url, WHATSAPP_PREVIEW_AGENT);
	if (preview.status !== 200 || preview.html !== '')
		fail(
			`a link preview (${WHATSAPP_PREVIEW_AGENT}) got ${preview.status} with ${preview.html.length} characters, not 200 with an empty page`,
		);
	const page = await open(url, BROWSER_AGENT);
	if (page.status !== 200 || !page.html.includes('value="decline"'))
		fail(`the browser got ${page.status} without a "decline" choice: ${page.html.slice(0, 300)}`);
	await noNewResult(sandbox, before, 2000, fail, 'the link was only opened');
	console.log(
		`e2e: Send and Wait (link): the link ${url.replace(/signature=[0-9a-f]+/, 'signature=…')} gives a preview fetch 200 with an empty page, a browser the choices; opening it resumed nothing`,
	);
	const posted = await submit(url, { choice: 'decline' });
	if (posted.status !== 200)
		fail(`posting choice=decline got ${posted.status}: ${posted.html.slice(0, 300)}`);
	const answer = await nextResult(sandbox, before, fail);
	expectAnswer(answer, { approved: false, choice: 'decline', via: 'link' }, fail);
	console.log(
		`e2e: Send and Wait (link): posting choice=decline resumed it: RESULT ${JSON.stringify(answer)}`,
	);
}

/** Free text through the form page. */
async function checkFreeText(n8n: N8n, sandbox: SandboxProcess) {
	const fail = (what: string): never => {
		throw new Error(`Send and Wait, free text: ${what}`);
	};
	const question = await ask(n8n, sandbox, ASKS.free, 'cta_url', fail);
	const url = linkOf(question, n8n, fail);
	const before = (await results(sandbox)).length;
	const page = await open(url, BROWSER_AGENT);
	if (page.status !== 200 || !page.html.includes('<textarea'))
		fail(`the browser got ${page.status} without a textarea: ${page.html.slice(0, 300)}`);
	const posted = await submit(url, { answer: 'Broken pot' });
	if (posted.status !== 200)
		fail(`posting answer=Broken pot got ${posted.status}: ${posted.html.slice(0, 300)}`);
	const answer = await nextResult(sandbox, before, fail);
	expectAnswer(answer, { answer: 'Broken pot', approved: null, via: 'form' }, fail);
	console.log(
		`e2e: Send and Wait (free text): the form page has a textarea; posting "Broken pot" resumed it: RESULT ${JSON.stringify(answer)}`,
	);
}

/** n8n offers the action node to AI agents as a human-review tool (it has `sendAndWait`). */
async function checkHitlTool(rest: N8nRest) {
	const types = await rest.call<Array<{ name: string; displayName?: string }>>(
		'GET',
		'/types/nodes.json',
	);
	if (!Array.isArray(types)) throw new Error('GET /types/nodes.json did not answer a list');
	const name = 'n8n-nodes-whatsapp-cloud.whatsAppCloudHitlTool';
	const tool = types.find((t) => t.name === name);
	if (!tool)
		throw new Error(
			`n8n does not offer the action node as a human-review tool: /types/nodes.json lists no ${name} (ours: ${types
				.filter((t) => t.name.startsWith('n8n-nodes-whatsapp-cloud.'))
				.map((t) => t.name)
				.join(', ')})`,
		);
	console.log(
		`e2e: n8n lists ${name} ("${tool.displayName}") in /types/nodes.json: the node is a human-review tool for AI agents`,
	);
}

// The steps share one n8n server and run in order (jest runs a file's tests one after another):
// a step that fails leaves the later ones to fail on its account, so read the first failure.
describe(`the packed package in a real n8n ${N8N_VERSION}`, () => {
	let n8n: N8n;
	let sandbox: SandboxProcess;
	let rest: N8nRest;
	const echo = idsOf(workflow('e2e-echo'));

	beforeAll(async () => {
		n8n = N8n.prepare('e2e', PORT);
		sandbox = await SandboxProcess.start();
		n8n.importCredentials([
			{
				id: 'e2eWhatsAppCred1',
				name: 'WhatsApp sandbox',
				type: 'whatsAppCloudApi',
				data: sandboxCredentialData(sandbox.url),
			},
		]);
		const files = [
			'e2e-echo',
			...LIVE.map((live) => `e2e-live-${live.mode}`),
			'e2e-ask-approve',
			'e2e-ask-link',
			'e2e-ask-free',
			'e2e-ask-twice',
		];
		n8n.importWorkflows(files.map(workflow));
		for (const w of files.map(workflow)) n8n.publish(w.id);
		n8n.start();
	}, 30 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.stop();
	});

	test('manual registration: the handshake, a wrong signature refused, a signed message answered', () =>
		checkManual(n8n, sandbox, echo.webhookId));

	test('on start, each live workflow registers its production URL', async () => {
		await waitFor(
			'each live workflow to register its production URL with the sandbox',
			async () => {
				const hooks = await sandbox.webhooks();
				return LIVE.every((l) => registeredUrl(hooks, l.mode) === n8n.productionUrl(l.webhookId));
			},
			60,
		).catch(async (error: Error) => {
			throw new Error(
				`${error.message}: the sandbox has ${registrations(await sandbox.webhooks())}`,
			);
		});
		console.log(
			'e2e: on start, the live workflows registered their production URLs (phone number override, account override, app-wide callback)',
		);
	});

	test('n8n lists the action node as a human-review tool for AI agents', async () => {
		rest = new N8nRest(n8n.url);
		await rest.setupOwner();
		await checkHitlTool(rest);
	});

	test.each(LIVE.map((live, i) => [live.registered, live, i] as const))(
		'%s: testing the trigger in between leaves the production registration alone',
		async (_, live, i) => {
			await checkTestInBetween(n8n, rest, sandbox, live);
			if (i === LIVE.length - 1) return;
			// unpublishing removes this workflow's registration: the events go to the next one's
			await rest.call('POST', `/rest/workflows/${live.id}/deactivate`, {});
			await waitFor(
				`unpublishing the ${live.mode} workflow to remove its registration`,
				async () => registeredUrl(await sandbox.webhooks(), live.mode) === undefined,
				30,
			);
		},
	);

	// Send and Wait: the taps go to the manual trigger's production URL, as Meta would send them
	// to a callback registered by hand
	test('Send and Wait: an approval by reply buttons', () =>
		checkApprovalButtons(n8n, sandbox, n8n.productionUrl(echo.webhookId)));

	test('Send and Wait: one node asking twice, a late tap answers nothing', () =>
		checkAskedTwice(n8n, sandbox, n8n.productionUrl(echo.webhookId)));

	test('Send and Wait: an approval by link', () => checkApprovalLink(n8n, sandbox));

	test('Send and Wait: a free-text answer through the form', () => checkFreeText(n8n, sandbox));
});
