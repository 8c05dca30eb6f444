/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console */
/**
 * `npm run test:e2e` (opt-in, not part of `npm test`): the packed package in a real n8n server
 * (scripts/lib/n8n.ts: node 24, n8n 2.40.7, cached in ~/.cache/n8n-nodes-whatsapp-cloud-e2e).
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
 */
import { createHmac } from 'crypto';

import {
	metaJson,
	SANDBOX_APP_ID,
	SANDBOX_APP_SECRET,
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_TOKEN,
	SANDBOX_WABA_ID,
} from '../test/sandbox/server';
import { N8n, N8nRest, sleep, waitFor } from './lib/n8n';
import { SandboxProcess, type SandboxWebhooks } from './lib/sandbox-process';

const PORT = 5699;
const TRIGGER = 'WhatsApp Cloud Trigger';
const CUSTOMER = '491511234567';
const credentials = { whatsAppCloudApi: { id: 'e2eWhatsAppCred1', name: 'WhatsApp sandbox' } };

type Mode = 'businessAccount' | 'phoneNumber' | 'app';

/** The published workflows with an automatic registration, in the order they are checked. */
const LIVE: Array<{ mode: Mode; id: string; webhookId: string; registered: string }> = [
	// a phone number's override wins over the account's, which wins over the app's callback: so
	// each workflow, once checked, is unpublished to hand the events to the next one
	{
		mode: 'phoneNumber',
		id: 'e2eWhatsAppLivePN',
		webhookId: '7d1e6f3a-2b4c-4d5e-8f90-a1b2c3d4e601',
		registered: 'phone number override',
	},
	{
		mode: 'businessAccount',
		id: 'e2eWhatsAppLiveBA',
		webhookId: '7d1e6f3a-2b4c-4d5e-8f90-a1b2c3d4e602',
		registered: 'WhatsApp Business Account override',
	},
	{
		mode: 'app',
		id: 'e2eWhatsAppLiveAP',
		webhookId: '7d1e6f3a-2b4c-4d5e-8f90-a1b2c3d4e603',
		registered: 'app-wide callback',
	},
];

/** The Graph path (after the version) a mode's registration lives at. */
const REGISTRATION_PATH: Record<Mode, string> = {
	phoneNumber: `/${SANDBOX_PHONE_NUMBER_ID}`,
	businessAccount: `/${SANDBOX_WABA_ID}/subscribed_apps`,
	app: `/${SANDBOX_APP_ID}/subscriptions`,
};

function echoWorkflow(
	id: string,
	name: string,
	webhookId: string,
	registration: string,
	reply: string,
) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { [TRIGGER]: { main: [[{ node: 'Reply', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: `${id}-trigger`,
				name: TRIGGER,
				type: 'n8n-nodes-whatsapp-cloud.whatsAppCloudTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				credentials,
				parameters: { updates: ['message'], verifyToken: 'e2e-verify', registration },
			},
			{
				id: `${id}-reply`,
				name: 'Reply',
				type: 'n8n-nodes-whatsapp-cloud.whatsAppCloud',
				typeVersion: 1,
				position: [240, 0],
				credentials,
				parameters: {
					resource: 'message',
					operation: 'sendText',
					to: '={{ $json.replyTo }}',
					text: `=${reply}{{ $json.text }}`,
					options: { replyToMessageId: '={{ $json.messageId }}' },
				},
			},
		],
	};
}

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
	const body = metaJson({
		object: 'whatsapp_business_account',
		entry: [
			{
				id: SANDBOX_WABA_ID,
				changes: [
					{
						field: 'messages',
						value: {
							messaging_product: 'whatsapp',
							metadata: {
								display_phone_number: '15550783881',
								phone_number_id: SANDBOX_PHONE_NUMBER_ID,
							},
							contacts: [{ profile: { name: 'E2E' }, wa_id: CUSTOMER }],
							messages: [
								{
									from: CUSTOMER,
									id: 'wamid.E2E1',
									timestamp: String(Math.floor(Date.now() / 1000)),
									type: 'text',
									text: { body: text },
								},
							],
						},
					},
				],
			},
		],
	});
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

async function main() {
	const n8n = N8n.prepare('e2e', PORT);
	const sandbox = await SandboxProcess.start();

	n8n.importCredentials([
		{
			id: 'e2eWhatsAppCred1',
			name: 'WhatsApp sandbox',
			type: 'whatsAppCloudApi',
			data: {
				accessToken: SANDBOX_TOKEN,
				appSecret: SANDBOX_APP_SECRET,
				phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
				businessAccountId: SANDBOX_WABA_ID,
				// the sandbox's app, for the app-wide registration
				appId: SANDBOX_APP_ID,
				apiVersion: 'v25.0',
				baseUrl: sandbox.url,
				useProof: false,
			},
		},
	]);
	const manualWebhookId = '7d1e6f3a-2b4c-4d5e-8f90-a1b2c3d4e5f6';
	n8n.importWorkflows([
		echoWorkflow(
			'e2eWhatsAppFlow1',
			'WhatsApp e2e: echo',
			manualWebhookId,
			'manual',
			'Echo from n8n: ',
		),
		...LIVE.map((live) =>
			echoWorkflow(
				live.id,
				`WhatsApp e2e: live ${live.mode}`,
				live.webhookId,
				live.mode,
				`Echo from n8n (${live.mode}): `,
			),
		),
	]);
	n8n.publish('e2eWhatsAppFlow1');
	for (const live of LIVE) n8n.publish(live.id);

	let failed = false;
	try {
		n8n.start();
		await checkManual(n8n, sandbox, manualWebhookId);

		// on start n8n activated each live workflow, which registered its production URL
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
		const rest = new N8nRest(n8n.url);
		await rest.setupOwner();
		for (const [i, live] of LIVE.entries()) {
			await checkTestInBetween(n8n, rest, sandbox, live);
			if (i === LIVE.length - 1) break;
			// unpublishing removes this workflow's registration: the events go to the next one's
			await rest.call('POST', `/rest/workflows/${live.id}/deactivate`, {});
			await waitFor(
				`unpublishing the ${live.mode} workflow to remove its registration`,
				async () => registeredUrl(await sandbox.webhooks(), live.mode) === undefined,
				30,
			);
		}
		console.log('e2e: PASSED');
	} catch (error) {
		failed = true;
		console.error(`e2e: FAILED: ${(error as Error).message}`);
	} finally {
		await n8n.stop();
		await sandbox.stop();
	}
	if (failed) process.exit(1);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
