/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * Benchmarks, printed as ratios (never asserted in tests):
 * - bulk sendText through n8n-core's real engine into the sandbox with 50 ms latency per request:
 *   achieved messages/s against the configured cap, at 80 and 1,000 messages/s;
 * - the same at 80/s against a sandbox enforcing the cap as Meta does (130429 beyond it), ours
 *   beside n8n's built-in WhatsApp node (its compiled message fields from the n8n-nodes-base npm
 *   pack, unpacked into node_modules/.cache): each message's accept time, charted as messages
 *   accepted per second into docs/bench-bulk.svg (bench/chart.ts);
 * - the same with 5% injected 130429 and 1% HTTP 500: messages lost and duplicated;
 * - webhook throughput: a signed batch of 1,000 events over HTTP into the trigger (WebhookContext),
 *   from raw request to items, beside n8n's built-in WhatsApp Trigger on the same batches in the
 *   same harness (its compiled node from the n8n-nodes-base npm pack, unpacked into test/.node-types);
 * - the time until the 200 with media download on, against a media host with 50 ms latency;
 * - the exactly-once soak: bulk sends under every fault Meta produces, lost / misreported / doubled;
 * - peak memory growth of a fresh process's first upload of a 64 MB document against the file size,
 *   through media > upload, send media, a send template document header, a template's header
 *   sample and (at Meta's 5 MB maximum) a profile picture, each in n8n's default (in-memory) and
 *   filesystem binary modes (bench/bench-upload.ts, one process per measurement);
 * - 1, 2 and 4 n8n processes sending from one number at once, each set to the number's whole cap,
 *   against a sandbox enforcing the cap over a rolling second: accepted once, refused, lost,
 *   doubled, pace against the cap (bench/bench-multi.ts, one process per sender);
 * - CPU per message of the engine's process, ours beside n8n's built-in node (cpuBench);
 * - the trigger's Combine Messages Within: heap per open burst while 1,000 customers each have 3
 *   messages waiting, the bursts alone and through HTTP with their waiting webhook() calls, and
 *   the time until all of them ran (bench/bench-combine.ts, its own process);
 * - the shared duplicate memory's cost per webhook call at its bound (dedupeBench).
 *
 * Usage: npm run bench [-- --quick] [-- --items N]
 *   [-- --only send|soak|webhook|upload|multi|cpu|combine|dedupe]
 *   [-- --multi-texts N] (texts per multi-process run; default 1,000 at 80/s, 10,000 at 1,000/s)
 */
import { createHmac } from 'crypto';

import type {
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runAction, runWorkflow, TestCredentialsHelper } from '../dev/harness/engine';
import { SHARED_SEEN, SharedSeen } from '../nodes/WhatsAppCloudTrigger/sharedSeen';
import {
	OUR_TRIGGER,
	WebhookServer,
	type TriggerHandle,
	type TriggerKind,
} from '../dev/harness/webhook-server';
import { startSandbox } from '../dev/harness/sandbox';
import {
	metaJson,
	SANDBOX_APP_ID,
	SANDBOX_APP_SECRET,
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_TOKEN,
	SANDBOX_WABA_ID,
	type SandboxFaults,
} from '../dev/sandbox/server';
import { COMBINE_LIMITS } from '../nodes/WhatsAppCloudTrigger/combine';
import { multiBench } from './bench-multi';
import { acceptRates, lineChartSvg, type ChartSeries } from './chart';
import { SandboxProcess, type SandboxStats } from '../dev/sandbox-process';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const quick = args.includes('--quick');
const itemsArg = args.indexOf('--items');
const ITEMS = itemsArg >= 0 ? Number(args[itemsArg + 1]) : quick ? 500 : 5000;
const LATENCY_MS = 50;
const multiTextsArg = args.indexOf('--multi-texts');
const MULTI_TEXTS = multiTextsArg >= 0 ? Number(args[multiTextsArg + 1]) : undefined;

type BulkResult = {
	cap: number;
	items: number;
	seconds: number;
	accepted: number;
	lost: number;
	duplicated: number;
	attempts: number;
	peakPerSecond: number;
	injected: { throttle: number; serverError: number; rateCap: number };
	failedItems: number;
	/** When the run started and ended, and when the sandbox accepted each message (epoch ms). */
	startedAt: number;
	endedAt: number;
	acceptedAt: number[];
};

/**
 * The sandbox runs in its own process, as Meta's API is remote in production: its CPU and event
 * loop do not compete with the engine's. With `enforceCap` it refuses, with 130429, a number's
 * sends beyond `cap` in any rolling second, as Meta does; without, it takes all and counts.
 * `builtIn` sends with n8n's built-in WhatsApp node instead of ours (it has no pace of its own).
 */
async function bulkSend(
	sandbox: SandboxProcess,
	cap: number,
	items: number,
	options: { faults?: SandboxFaults; enforceCap?: boolean; builtIn?: BuiltInSender } = {},
): Promise<BulkResult> {
	await sandbox.reset();
	await sandbox.setFaults(options.faults ?? {});
	await sandbox.setRateCap(options.enforceCap ? cap : 0);
	const credentials = {
		accessToken: SANDBOX_TOKEN,
		appSecret: SANDBOX_APP_SECRET,
		phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
		businessAccountId: SANDBOX_WABA_ID,
		apiVersion: 'v25.0',
		baseUrl: sandbox.url,
	};
	const input = Array.from({ length: items }, (_, i) => ({
		json: {
			phone: `+1555${String(i).padStart(7, '0')}`,
			text: `Your ticket #${i} is confirmed (cap ${cap})`,
		},
	}));
	// in-flight requests needed: cap x latency, with headroom for slower answers
	const maxConcurrent = Math.max(10, Math.ceil(cap * (LATENCY_MS / 1000) * 2));
	const startedAt = Date.now();
	const started = process.hrtime.bigint();
	const { items: out, error } = options.builtIn
		? await runBuiltIn(options.builtIn, input)
		: await runAction(
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
	const endedAt = Date.now();
	if (error) throw error;
	const stats = await sandbox.stats();
	await sandbox.setRateCap(0);
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
		injected: {
			throttle: stats.injected.throttle,
			serverError: stats.injected.serverError,
			rateCap: stats.injected.rateCap,
		},
		failedItems: out.filter((o) => o.json.error || o.error).length,
		startedAt,
		endedAt,
		acceptedAt: stats.acceptedAt,
	};
}

/** Sends `input` (phone, text) with n8n's built-in WhatsApp node, continue-on-fail, one execution. */
async function runBuiltIn(builtIn: BuiltInSender, input: INodeExecutionData[]) {
	const credentials = { accessToken: SANDBOX_TOKEN, businessAccountId: SANDBOX_WABA_ID };
	const node: INode = {
		id: 'built-in-1',
		name: 'WhatsApp Business Cloud',
		type: 'n8n-nodes-base.whatsApp',
		typeVersion: 1.1,
		position: [0, 0],
		credentials: { whatsAppApi: { id: '1', name: 'WhatsApp account' } },
		parameters: {
			resource: 'message',
			operation: 'send',
			phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
			recipientPhoneNumber: '={{ $json.phone }}',
			messageType: 'text',
			textBody: '={{ $json.text }}',
		},
		onError: 'continueRegularOutput',
	};
	const run = await runWorkflow({
		nodes: [node],
		credentials,
		input,
		types: { [node.type]: builtIn.type },
		credentialsHelper: new TestCredentialsHelper(
			{ whatsAppApi: builtIn.credentialType },
			{ whatsAppApi: credentials },
		),
	});
	const error = run.data.resultData.error as (Error & IDataObject) | undefined;
	const items = run.data.resultData.runData[node.name]?.[0]?.data?.main?.[0] ?? [];
	return { items, error };
}

function report(label: string, r: BulkResult) {
	const rate = r.accepted / r.seconds;
	const attemptRate = r.attempts / r.seconds;
	console.log(`\n${label}`);
	console.log(
		`  ${r.items} messages, cap ${r.cap}/s, ${LATENCY_MS} ms latency: ${r.seconds.toFixed(2)} s`,
	);
	console.log(`  achieved ${rate.toFixed(1)} messages/s = ${(rate / r.cap).toFixed(3)} of the cap`);
	console.log(
		`  requests ${attemptRate.toFixed(1)}/s = ${(attemptRate / r.cap).toFixed(3)} of the cap; busiest second held ${r.peakPerSecond} messages`,
	);
	if (r.injected.throttle || r.injected.serverError) {
		console.log(
			`  injected: ${r.injected.throttle} x 130429, ${r.injected.serverError} x HTTP 500`,
		);
	}
	console.log(
		`  accepted ${r.accepted}, lost ${r.lost}, duplicated ${r.duplicated}, items failed ${r.failedItems}`,
	);
}

/** Where `npm run bench` writes the bulk chart, in the repository. */
const CHART_FILE = 'docs/bench-bulk.svg';

/**
 * Ours beside n8n's built-in WhatsApp node: the same `items` texts from one number, against a
 * sandbox enforcing the cap as Meta does, each accept time recorded; prints both and writes the
 * chart of messages accepted per second (1-second windows) to CHART_FILE.
 */
async function capChart(sandbox: SandboxProcess, cap: number, items: number) {
	console.log(
		`\nBulk sendText at ${cap}/s against a sandbox enforcing the cap (130429 beyond ${cap} in any rolling second): ours beside n8n's built-in WhatsApp node`,
	);
	const ours = await bulkSend(sandbox, cap, items, { enforceCap: true });
	const builtIn = await builtInSender(sandbox.url);
	// one warm-up send first (forgotten: each run resets the sandbox), as ours is warm by now
	if (typeof builtIn !== 'string') await bulkSend(sandbox, cap, 1, { builtIn });
	const theirs =
		typeof builtIn === 'string'
			? undefined
			: await bulkSend(sandbox, cap, items, { enforceCap: true, builtIn });
	/** Seconds from the start of a run to the first message the sandbox accepted. */
	const firstAccept = (r: BulkResult) => (Math.min(...r.acceptedAt) - r.startedAt) / 1000;
	const line = (name: string, r: BulkResult) => {
		const rate = r.accepted / r.seconds;
		console.log(
			`  ${name}: ${r.items} messages in ${r.seconds.toFixed(2)} s; accepted ${r.accepted} (${((100 * r.accepted) / r.items).toFixed(1)}%), ${rate.toFixed(1)} accepted/s over its run = ${(rate / r.cap).toFixed(3)} of the cap; busiest second held ${r.peakPerSecond}; first accepted after ${firstAccept(r).toFixed(2)} s`,
		);
		console.log(
			`    ${r.attempts} requests, ${r.injected.rateCap} refused with 130429; never accepted ${r.lost}, duplicated ${r.duplicated}, items failed ${r.failedItems}`,
		);
	};
	line(`ours, Messages per Second ${cap}`, ours);
	if (theirs && typeof builtIn !== 'string') {
		line(`${builtIn.label}, no pace setting`, theirs);
		console.log(
			`  accepted: ours / built-in = ${(ours.accepted / Math.max(1, theirs.accepted)).toFixed(2)} x`,
		);
	} else {
		console.log(`  n8n's built-in WhatsApp node did not run: ${builtIn as string}`);
	}

	const series: ChartSeries[] = [
		{
			label: 'ours (WhatsApp Cloud node)',
			color: '#128c7e',
			points: acceptRates(ours.acceptedAt, ours.startedAt, ours.endedAt),
			note: `ours: ${ours.accepted.toLocaleString('en-US')} of ${items.toLocaleString('en-US')} accepted in ${ours.seconds.toFixed(1)} s`,
		},
	];
	if (theirs) {
		series.push({
			label: "n8n's built-in WhatsApp node",
			color: '#e8590c',
			points: acceptRates(theirs.acceptedAt, theirs.startedAt, theirs.endedAt),
			note: `built-in: first message accepted after ${firstAccept(theirs).toFixed(1)} s (it builds every item's request before sending), ${theirs.accepted.toLocaleString('en-US')} of ${items.toLocaleString('en-US')} accepted, ${theirs.failedItems.toLocaleString('en-US')} items failed (130429), run over in ${theirs.seconds.toFixed(1)} s`,
		});
	}
	const svg = lineChartSvg({
		title: `Bulk sendText: ${items.toLocaleString('en-US')} messages, cap ${cap}/s, ${LATENCY_MS} ms latency`,
		subtitle: `Messages the Graph API sandbox accepted in each second of the run; beyond ${cap} in any rolling second it answers 130429, as Meta does. Each run sends from one number through n8n-core's engine.`,
		xLabel: 'seconds since the run started',
		yLabel: 'messages accepted per second',
		series,
		cap: { value: cap, label: `cap ${cap}/s` },
	});
	const path = await import('path');
	const fs = await import('fs');
	const file = path.resolve(__dirname, '..', CHART_FILE);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, svg);
	console.log(`  chart: ${file}`);
}

type SoakResult = {
	seconds: number;
	accepted: number;
	lost: number;
	misreported: number;
	doubled: number;
	afterFailure: number;
	maxConcurrent: number;
	injected: SandboxStats['injected'];
	outcome: string;
};

/**
 * The exactly-once soak: `items` sendText with 5% 130429, 1% HTTP 500, 1% 131056, 0.25% resets
 * before and 0.25% after Meta took the message, recipients in bursts of five messages each, and
 * one recipient in the middle who is not on WhatsApp (131026). With continue-on-fail that item
 * fails alone; without it the run stops there, and its error must name exactly the items sent.
 * - lost: an item neither accepted nor reported as failed, not sent or unknown;
 * - misreported: reported sent but not accepted, or accepted but reported as not sent;
 * - doubled: accepted twice (the README says a reset after Meta took a message can do that);
 * - afterFailure: messages the sandbox took after it had answered the 131026 (requests already
 *   in flight then; none may leave the node after the answer arrives).
 */
async function soak(
	sandbox: SandboxProcess,
	cap: number,
	items: number,
	continueOnFail: boolean,
): Promise<SoakResult> {
	await sandbox.reset();
	await sandbox.setFaults({
		throttle: 0.05,
		serverError: 0.01,
		pairLimit: 0.01,
		resetBefore: 0.0025,
		resetAfter: 0.0025,
		seed: 11,
	});
	const middle = Math.floor(items / 2);
	const phoneOf = (i: number) =>
		i === middle ? '+19990000000' : `+1666${String(Math.floor(i / 5)).padStart(7, '0')}`;
	await sandbox.setUndeliverable([phoneOf(middle)]);
	const input = Array.from({ length: items }, (_, i) => ({
		json: { phone: phoneOf(i), text: `Soak #${i}` },
	}));
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
		soakCredentials(sandbox.url),
		input,
		continueOnFail ? { onError: 'continueRegularOutput' } : {},
	);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const stats = await sandbox.stats();
	const acceptedIds = new Map<number, string[]>();
	stats.texts.forEach((text, k) => {
		const i = Number(/^Soak #(\d+)$/.exec(text ?? '')?.[1] ?? -1);
		if (i >= 0) acceptedIds.set(i, [...(acceptedIds.get(i) ?? []), stats.ids[k]]);
	});
	const doubled = [...acceptedIds.values()].filter((ids) => ids.length > 1).length;
	const failedAt = stats.undeliverableAt[0] ?? Infinity;
	// with continue-on-fail the run goes on after the 131026, so only the stopping run counts this
	const afterFailure = continueOnFail ? -1 : stats.acceptedAt.filter((at) => at > failedAt).length;
	let lost = 0;
	let misreported = 0;
	let outcome: string;
	if (continueOnFail) {
		if (error) throw error;
		out.forEach((o, i) => {
			const ids = acceptedIds.get(i) ?? [];
			if (o.json.error) {
				if (ids.length && !o.json.mayHaveBeenSent) misreported++;
			} else if (!ids.includes(String(o.json.messageId))) {
				misreported++;
			}
		});
		lost = items - out.length;
		const failed = out.filter((o) => o.json.error).length;
		outcome = `${out.length - failed} sent, ${failed} failed (${out.filter((o) => o.json.mayHaveBeenSent).length} of them "may have been sent"), ${out.filter((o) => o.json.possibleDuplicate).length} flagged as possible duplicates`;
	} else {
		const batch = (
			error as
				| {
						context?: {
							batch?: {
								sent: Array<{ item: number; messageId?: string }>;
								notSent: number[];
								unknown: number[];
								failed: number[];
							};
						};
				  }
				| undefined
		)?.context?.batch;
		if (!batch)
			throw new Error(`the run did not stop with a batch report: ${error?.message ?? 'no error'}`);
		const reported = new Set<number>([middle]);
		for (const s of batch.sent) {
			reported.add(s.item);
			if (!(acceptedIds.get(s.item) ?? []).includes(String(s.messageId))) misreported++;
		}
		for (const i of batch.notSent) {
			reported.add(i);
			if (acceptedIds.has(i)) misreported++;
		}
		for (const i of [...batch.unknown, ...batch.failed]) reported.add(i);
		for (let i = 0; i < items; i++) if (!reported.has(i)) lost++;
		for (const i of acceptedIds.keys())
			if (!batch.sent.some((s) => s.item === i) && !batch.unknown.includes(i)) misreported++;
		outcome = `stopped at item ${middle}: ${batch.sent.length} reported sent, ${batch.notSent.length} not sent, ${batch.unknown.length} unknown, ${batch.failed.length} failed too`;
	}
	return {
		seconds,
		accepted: stats.accepted,
		lost,
		misreported,
		doubled,
		afterFailure,
		maxConcurrent,
		injected: stats.injected,
		outcome,
	};
}

function soakCredentials(url: string) {
	return {
		accessToken: SANDBOX_TOKEN,
		appSecret: SANDBOX_APP_SECRET,
		phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
		businessAccountId: SANDBOX_WABA_ID,
		apiVersion: 'v25.0',
		baseUrl: url,
	};
}

function reportSoak(label: string, cap: number, items: number, r: SoakResult) {
	const i = r.injected;
	console.log(`\n${label}`);
	console.log(
		`  ${items} messages, cap ${cap}/s, ${LATENCY_MS} ms latency: ${r.seconds.toFixed(2)} s; ${r.outcome}`,
	);
	console.log(
		`  injected: ${i.throttle} x 130429, ${i.serverError} x HTTP 500, ${i.pairLimit} x 131056, ${i.resetBefore} resets before and ${i.resetAfter} after Meta took the message, 1 x 131026`,
	);
	console.log(
		`  accepted ${r.accepted}; lost ${r.lost}, misreported ${r.misreported}, doubled ${r.doubled} (resets after acceptance: ${i.resetAfter})`,
	);
	if (r.afterFailure >= 0) {
		console.log(
			`  taken by the sandbox after it answered the 131026: ${r.afterFailure} (requests already in flight; at most ${r.maxConcurrent} can be)`,
		);
	}
}

/** A signed batch of `n` text messages (or images) in one change, as Meta batches up to 1,000. */
function batch(n: number, prefix: string, mediaIds: string[] = []) {
	const messages = Array.from({ length: n }, (_, i) =>
		mediaIds.length
			? {
					from: '16505551234',
					id: `wamid.${prefix}${i}`,
					timestamp: '1750000000',
					type: 'image',
					image: {
						id: mediaIds[i % mediaIds.length],
						mime_type: 'image/jpeg',
						sha256: 'x',
						caption: `photo ${i}`,
					},
				}
			: {
					from: '16505551234',
					id: `wamid.${prefix}${i}`,
					timestamp: '1750000000',
					type: 'text',
					text: { body: `Hello number ${i} \u00e9\ud83d\udc4b` },
				},
	);
	const payload = {
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
							contacts: [{ profile: { name: 'Sheena' }, wa_id: '16505551234' }],
							messages,
						},
					},
				],
			},
		],
	};
	const body = metaJson(payload);
	return {
		body,
		signature: `sha256=${createHmac('sha256', SANDBOX_APP_SECRET).update(body).digest('hex')}`,
	};
}

/** The version of n8n's own nodes that n8n 2.41 ships (as tools/fetch-node-types.mjs). */
const NODES_BASE = 'n8n-nodes-base@2.41.2';

/**
 * The files n8n's built-in WhatsApp Trigger loads: the node, its GenericFunctions, and the shared
 * utilities those require (which need only crypto, n8n-workflow and lodash, all installed here).
 * Only these are unpacked: `n8n-node lint` covers test/, and these three lint clean, whereas the
 * rest of the package's dist (type declarations, other helpers) does not.
 */
const BUILT_IN_FILES = [
	'dist/nodes/WhatsApp/WhatsAppTrigger.node.js',
	'dist/nodes/WhatsApp/GenericFunctions.js',
	'dist/utils/utilities.js',
];

/**
 * What sending a text with n8n's built-in WhatsApp node loads: its compiled message fields with
 * their routing (MessagesDescription, and the preSend/postReceive functions of MessageFunctions,
 * which loads MediaFunctions), its base URL (GenericFunctions) and its credential type. Not its
 * node file: that loads Send and Wait's form and e-mail utilities, whose dependencies are not
 * installed here; the send itself is only these fields, run by n8n-core's RoutingNode. They go to
 * node_modules/.cache/, not test/.node-types/: MessagesDescription does not lint clean (unused
 * eslint-disable comments), and `n8n-node lint` skips node_modules.
 */
const BUILT_IN_SEND_FILES = [
	'dist/nodes/WhatsApp/MessagesDescription.js',
	'dist/nodes/WhatsApp/MessageFunctions.js',
	'dist/nodes/WhatsApp/MediaFunctions.js',
	'dist/nodes/WhatsApp/GenericFunctions.js',
	'dist/utils/utilities.js',
	'dist/credentials/WhatsAppApi.credentials.js',
];

/**
 * Unpacks `files` of n8n-nodes-base's npm pack into `under` (a git-ignored folder of the
 * repository), once (those missing); answers the directory, or throws why it could not.
 */
async function unpackBuiltIn(files: string[], under = 'test/.node-types'): Promise<string> {
	const path = await import('path');
	const fs = await import('fs');
	const os = await import('os');
	const { execFileSync } = await import('child_process');
	const dir = path.resolve(__dirname, '..', under, NODES_BASE);
	const missing = files.filter((f) => !fs.existsSync(path.join(dir, f)));
	if (!missing.length) return dir;
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nodes-base-'));
	let problem = '';
	try {
		execFileSync('npm', ['pack', NODES_BASE, '--pack-destination', tmp, '--silent'], {
			stdio: ['ignore', 'ignore', 'inherit'],
		});
		const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'))!;
		fs.mkdirSync(dir, { recursive: true });
		execFileSync('tar', [
			...['-xzf', path.join(tmp, tgz), '-C', dir, '--strip-components=1'],
			...missing.map((f) => `package/${f}`),
		]);
	} catch (error) {
		problem = `could not unpack it from npm: ${(error as Error).message.split('\n')[0]}`;
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	if (problem) throw new Error(problem);
	return dir;
}

/**
 * n8n's built-in WhatsApp Trigger, for the benchmark only: its compiled node from the npm pack of
 * n8n-nodes-base, unpacked once into the git-ignored test/.node-types/. If it cannot be had or
 * loaded, a stand-in that does what it does (HMAC over the raw bytes, then each change's value
 * passed on as one item, unsplit) runs instead, labelled as such with the reason.
 */
async function builtInTrigger(): Promise<{ kind: TriggerKind; label: string }> {
	const path = await import('path');
	let problem = '';
	let file = '';
	try {
		file = path.join(await unpackBuiltIn(BUILT_IN_FILES), BUILT_IN_FILES[0]);
	} catch (error) {
		problem = (error as Error).message;
	}
	if (!problem) {
		try {
			const { WhatsAppTrigger } = (await import(file)) as { WhatsAppTrigger: new () => INodeType };
			return {
				kind: {
					type: 'n8n-nodes-base.whatsAppTrigger',
					create: () => new WhatsAppTrigger(),
					credentialType: 'whatsAppTriggerApi',
				},
				label: `n8n's built-in WhatsApp Trigger (${NODES_BASE}, its compiled node)`,
			};
		} catch (error) {
			const missing = /Cannot find module '([^']+)'/.exec((error as Error).message)?.[1];
			problem = missing
				? `loading it needs ${missing}, which is not installed here`
				: `loading it failed: ${(error as Error).message.split('\n')[0]}`;
		}
	}
	const passThrough = (): INodeType => ({
		description: {
			...OUR_TRIGGER.create().description,
			credentials: [{ name: 'whatsAppTriggerApi', required: true }],
		},
		async webhook(this: IWebhookFunctions) {
			const secret = (await this.getCredentials('whatsAppTriggerApi')).clientSecret as string;
			const req = this.getRequestObject();
			const signature = createHmac('sha256', secret).update(req.rawBody).digest('hex');
			if (this.getHeaderData()['x-hub-signature-256'] !== `sha256=${signature}`) return {};
			const body = this.getBodyData() as { entry: Array<{ changes: IDataObject[] }> };
			const events = body.entry
				.flatMap((e) => e.changes)
				.map((c) => ({ ...(c.value as IDataObject), field: c.field }));
			return { workflowData: [this.helpers.returnJsonArray(events)] };
		},
	});
	return {
		kind: {
			type: 'bench.passThrough',
			create: passThrough,
			credentialType: 'whatsAppTriggerApi',
		},
		label: `stand-in for n8n's built-in WhatsApp Trigger (${problem}): HMAC over the raw bytes, n8n's parsed body passed on as one item per change`,
	};
}

/** n8n's built-in WhatsApp node's text send, ready to run against the sandbox at `url`. */
type BuiltInSender = {
	type: INodeType;
	credentialType: ICredentialType;
	label: string;
};

/**
 * n8n's built-in WhatsApp node (WhatsApp Business Cloud), Message > Send, type Text, for the
 * benchmark only: a node type of its compiled message fields from the npm pack of n8n-nodes-base
 * (BUILT_IN_SEND_FILES), with its own base URL pointed at the sandbox. Such a node has no execute
 * of its own: n8n-core's RoutingNode builds every item's request from the fields' routing and
 * sends them, as n8n does. Its one stand-in is currency-codes, which the fields load for the
 * template currency list only (not installed here): an empty list. Answers why not, if it cannot.
 */
async function builtInSender(url: string): Promise<BuiltInSender | string> {
	const path = await import('path');
	const fs = await import('fs');
	let dir: string;
	try {
		dir = await unpackBuiltIn(BUILT_IN_SEND_FILES, 'node_modules/.cache');
	} catch (error) {
		return (error as Error).message;
	}
	const stub = path.join(dir, 'node_modules/currency-codes/index.js');
	if (!fs.existsSync(stub)) {
		fs.mkdirSync(path.dirname(stub), { recursive: true });
		fs.writeFileSync(
			stub,
			"// bench stand-in: the WhatsApp node's fields list these as template currencies only\nmodule.exports = { data: [] };\n",
		);
	}
	try {
		const load = async <T>(file: string) => (await import(path.join(dir, file))) as T;
		const { messageFields, messageTypeFields } = await load<{
			messageFields: INodeProperties[];
			messageTypeFields: INodeProperties[];
		}>(BUILT_IN_SEND_FILES[0]);
		const { WHATSAPP_BASE_URL } = await load<{ WHATSAPP_BASE_URL: string }>(BUILT_IN_SEND_FILES[3]);
		const { WhatsAppApi } = await load<{ WhatsAppApi: new () => ICredentialType }>(
			BUILT_IN_SEND_FILES[5],
		);
		const baseURL = WHATSAPP_BASE_URL.replace(/^https:\/\/graph\.facebook\.com/, url);
		return {
			type: {
				description: {
					displayName: 'WhatsApp Business Cloud',
					name: 'whatsApp',
					group: ['output'],
					version: [1, 1.1],
					description: 'Access WhatsApp API',
					defaults: { name: 'WhatsApp Business Cloud' },
					inputs: [NodeConnectionTypes.Main],
					outputs: [NodeConnectionTypes.Main],
					credentials: [{ name: 'whatsAppApi', required: true }],
					requestDefaults: { baseURL },
					properties: [
						{
							displayName: 'Resource',
							name: 'resource',
							type: 'options',
							noDataExpression: true,
							options: [{ name: 'Message', value: 'message' }],
							default: 'message',
						},
						...messageFields,
						...messageTypeFields,
					],
				},
			},
			credentialType: new WhatsAppApi(),
			label: `n8n's built-in WhatsApp node (${NODES_BASE}, its compiled message fields run by n8n-core's RoutingNode, ${new URL(baseURL).pathname} as it sends)`,
		};
	} catch (error) {
		const missing = /Cannot find module '([^']+)'/.exec((error as Error).message)?.[1];
		return missing
			? `loading it needs ${missing}, which is not installed here`
			: `loading it failed: ${(error as Error).message.split('\n')[0]}`;
	}
}

/** Posts a signed batch to a trigger; answers the time from request to the trigger's items. */
async function postBatch(
	trigger: TriggerHandle,
	{ body, signature }: { body: string; signature: string },
): Promise<{ ms: number; status: number; items: INodeExecutionData[] }> {
	const started = process.hrtime.bigint();
	const response = await fetch(trigger.url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
		body,
	});
	await response.text();
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	return { ms, status: response.status, items: trigger.calls[trigger.calls.length - 1].items };
}

async function webhookBench() {
	const rounds = quick ? 5 : 20;
	const warmUp = quick ? 2 : 5;
	const { sandbox, credentials } = await startSandbox({ latencyMs: 50 });
	const server = await new WebhookServer().start();
	try {
		const trigger = server.trigger(
			{ updates: ['*'], verifyToken: 'bench', registration: 'manual' },
			credentials,
		);
		await trigger.activate();
		const builtIn = await builtInTrigger();
		const theirs = server.trigger(
			{ updates: ['messages'] },
			{ clientId: SANDBOX_APP_ID, clientSecret: SANDBOX_APP_SECRET },
			builtIn.kind,
		);
		theirs.listen();
		const ours: number[] = [];
		const builtIns: number[] = [];
		// Both run in this one process, through the same HTTP server and WebhookContext, on the
		// same signed bytes; warm-up rounds first (not counted), then each batch goes to both, in
		// alternating order.
		for (let r = 0; r < warmUp + rounds; r++) {
			const signed = batch(1000, `R${r}-`);
			const runOurs = async () => {
				const run = await postBatch(trigger, signed);
				if (run.status !== 200 || run.items.length !== 1000)
					throw new Error(`batch ${r}: status ${run.status}, ${run.items.length} items`);
				if (r >= warmUp) ours.push(run.ms);
			};
			const runTheirs = async () => {
				const run = await postBatch(theirs, signed);
				const messages = (run.items[0]?.json.messages as unknown[] | undefined)?.length;
				if (run.status !== 200 || run.items.length !== 1 || messages !== 1000)
					throw new Error(`built-in, batch ${r}: status ${run.status}, ${messages} messages`);
				if (r >= warmUp) builtIns.push(run.ms);
			};
			if (r % 2) {
				await runTheirs();
				await runOurs();
			} else {
				await runOurs();
				await runTheirs();
			}
		}
		const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
		const perSecond = (ms: number) => Math.round(1000 / (ms / 1000)).toLocaleString('en-US');
		const ms = median(ours);
		const theirMs = median(builtIns);
		console.log(
			'\nWebhook throughput: signed batch of 1,000 message events over HTTP into the trigger',
		);
		console.log(
			`  ${rounds} batches (after ${warmUp} warm-up), median ${ms.toFixed(1)} ms per batch from raw request to 1,000 items = ${perSecond(ms)} events/s`,
		);
		console.log(
			`  (signature over the raw bytes, parsing, normalising, duplicate check; Meta's target is a median answer under 250 ms)`,
		);
		console.log(
			`  ${builtIn.label}, same harness, same batches: median ${theirMs.toFixed(1)} ms = ${perSecond(theirMs)} events/s, as 1 item holding the 1,000 unsplit`,
		);
		console.log(
			`  ours / built-in = ${(theirMs / ms).toFixed(2)} x its events/s, while splitting and normalising every event into its own item`,
		);

		const mediaIds = Array.from({ length: 10 }, (_, i) =>
			sandbox.addMedia(Buffer.alloc(200_000, i), 'image/jpeg'),
		);
		const media = server.trigger(
			{
				updates: ['message'],
				verifyToken: 'bench',
				registration: 'manual',
				options: { downloadMedia: true },
			},
			credentials,
		);
		await media.activate();
		const toAnswer: number[] = [];
		const toItems: number[] = [];
		for (let r = 0; r < (quick ? 3 : 10); r++) {
			const { body, signature } = batch(20, `M${r}-`, mediaIds);
			const started = Date.now();
			const response = await fetch(media.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
				body,
			});
			const answered = Date.now() - started;
			await response.text();
			while (media.calls.length <= r) await new Promise((res) => setTimeout(res, 5));
			const call = media.calls[r];
			toAnswer.push(answered);
			toItems.push(call.ms);
			if (call.items.some((i) => !i.binary?.data)) throw new Error('a media download failed');
		}
		console.log(
			'\nTime to the 200 with media download on (20 images of 200 kB per batch, media host with 50 ms latency per request)',
		);
		console.log(
			`  median time until Meta gets its 200: ${median(toAnswer)} ms; until the items and their media are ready: ${median(toItems)} ms`,
		);
		console.log(
			`  ratio answer/ready = ${(median(toAnswer) / median(toItems)).toFixed(3)}: Meta is answered before the downloads`,
		);
	} finally {
		await server.stop();
		await sandbox.stop();
	}
}

/**
 * Runs one of the bench's scripts in a fresh process (a clean heap for each measurement), with gc
 * exposed, and returns the JSON of the last line it prints.
 */
async function benchScript<T>(script: string, args: string[]): Promise<T> {
	const { spawn } = await import('child_process');
	const path = await import('path');
	const root = path.resolve(__dirname, '..');
	const tsxCli = require.resolve('tsx/cli', { paths: [root] });
	return await new Promise((resolve, reject) => {
		// NODE_OPTIONS, not an argument: tsx runs the script in a child process, which must have gc()
		const child = spawn(process.execPath, [tsxCli, path.join(root, script), ...args], {
			stdio: ['ignore', 'pipe', 'inherit'],
			env: {
				...process.env,
				N8N_LOG_LEVEL: 'silent',
				NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc`.trim(),
			},
		});
		let out = '';
		child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
		child.on('exit', (code) =>
			code === 0
				? resolve(JSON.parse(out.trim().split('\n').pop()!) as T)
				: reject(new Error(`${script} ${args.join(' ')} exited with ${code}`)),
		);
	});
}

/** Runs bench/bench-upload.ts in a fresh process and returns its one JSON line. */
type UploadRun = { peakGrowthMb: number; ratio: number; seconds: number; uploadedBytes: number };

async function uploadRun(
	url: string,
	mode: string,
	mb: number,
	baseline: boolean,
	operation = 'upload',
): Promise<UploadRun> {
	return await benchScript<UploadRun>('bench/bench-upload.ts', [
		'--mode',
		mode,
		'--url',
		url,
		'--mb',
		String(mb),
		'--operation',
		operation,
		...(baseline ? ['--baseline'] : []),
	]);
}

/** What uploads the document in each measurement, as bench-upload.ts --operation names it. */
const UPLOADS: Array<[operation: string, label: string, mb?: number]> = [
	['upload', 'media > upload'],
	['sendMedia', 'send media'],
	['sendTemplate', 'send template, document header'],
	['templateSample', 'template > create, document header sample'],
	// Meta takes a profile picture of at most 5 MB (an image), so it is measured at that size
	['profilePicture', 'business profile > update, picture', 5],
];

/** Peak growth may reach 1.1 x the file in memory, 64 MB when streamed from disk. */
const UPLOAD_TARGETS = { default: 1.1, filesystemMb: 64 };

async function uploadBench() {
	const mb = quick ? 20 : 64;
	const sandbox = await SandboxProcess.start();
	try {
		console.log(
			`\nPeak resident memory growth of a fresh process's first upload of a ${mb} MB file, against the file size (targets: <= ${UPLOAD_TARGETS.default} x in memory, <= ${UPLOAD_TARGETS.filesystemMb} MB on disk)`,
		);
		for (const mode of ['default', 'filesystem']) {
			const base = await uploadRun(sandbox.url, mode, mb, true);
			console.log(
				`  ${mode === 'default' ? 'default (in-memory)' : 'filesystem'} binary mode (engine alone, file untouched: ${base.ratio.toFixed(2)} x)`,
			);
			for (const [operation, label, own] of UPLOADS) {
				const size = Math.min(own ?? mb, mb);
				const run = await uploadRun(sandbox.url, mode, size, false, operation);
				const met =
					mode === 'default'
						? run.ratio <= UPLOAD_TARGETS.default
						: run.peakGrowthMb <= UPLOAD_TARGETS.filesystemMb;
				const whole =
					run.uploadedBytes === size * 1024 * 1024 ? 'all bytes' : `${run.uploadedBytes} bytes!`;
				console.log(
					`    ${label}${size !== mb ? ` (${size} MB)` : ''}: +${run.peakGrowthMb.toFixed(0)} MB = ${run.ratio.toFixed(2)} x the file, ${run.seconds.toFixed(2)} s, ${whole} at WhatsApp${met ? '' : ' (over the target)'}`,
				);
			}
		}
		console.log(
			"  in memory: decoded from the item's base64 a slice at a time as it is sent; on disk: streamed from the file; only slices in flight either way",
		);
	} finally {
		await sandbox.stop();
	}
}

/**
 * n8n's floor for a send: a node of a few lines that reads To and Text of each item (two
 * expressions, as ours) and POSTs the message with n8n's HTTP helper, 50 requests at a time, with
 * nothing else: no validation, pacing, retries or output beyond the answer.
 */
const FLOOR_NODE: INodeType = {
	description: {
		displayName: 'Floor',
		name: 'floor',
		group: ['output'],
		version: 1,
		description: 'The least a send costs in n8n',
		defaults: { name: 'Floor' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'To', name: 'to', type: 'string', default: '' },
			{ displayName: 'Text', name: 'text', type: 'string', default: '' },
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
		],
	},
	async execute(this: IExecuteFunctions) {
		const items = this.getInputData();
		const out: INodeExecutionData[] = new Array(items.length);
		let next = 0;
		const worker = async () => {
			while (next < items.length) {
				const i = next++;
				const answer = (await this.helpers.httpRequest({
					method: 'POST',
					url: this.getNodeParameter('url', i) as string,
					headers: { authorization: `Bearer ${SANDBOX_TOKEN}` },
					body: {
						messaging_product: 'whatsapp',
						to: this.getNodeParameter('to', i) as string,
						type: 'text',
						text: { body: this.getNodeParameter('text', i) as string },
					},
					json: true,
				})) as IDataObject;
				out[i] = { json: answer, pairedItem: { item: i } };
			}
		};
		await Promise.all(Array.from({ length: 50 }, worker));
		return [out];
	},
};

async function floorSend(sandbox: SandboxProcess, items: number): Promise<number> {
	await sandbox.reset();
	const node: INode = {
		id: 'floor-1',
		name: 'Floor',
		type: 'floor',
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			to: '={{ $json.phone }}',
			text: '={{ $json.text }}',
			url: `${sandbox.url}/v25.0/${SANDBOX_PHONE_NUMBER_ID}/messages`,
		},
	};
	const input = Array.from({ length: items }, (_, i) => ({
		json: { phone: `+1555${String(i).padStart(7, '0')}`, text: `Your ticket #${i} is confirmed` },
	}));
	const run = await runWorkflow({
		nodes: [node],
		credentials: {},
		input,
		types: { floor: FLOOR_NODE },
	});
	if (run.data.resultData.error) throw run.data.resultData.error;
	return (await sandbox.stats()).accepted;
}

/**
 * The CPU this process spends per message, ours beside n8n's built-in node, in the same harness:
 * texts into a sandbox (in its own process, so its work does not count) that answers at once and
 * enforces no cap, with our pace set far above what the run reaches, so that both measure the
 * work of a send and not a wait. Each runs once to warm up, then `runs` times; the least CPU per
 * message of the runs is printed (the least disturbed by the rest of the machine).
 */
async function cpuBench(items: number, runs = 3) {
	const sandbox = await SandboxProcess.start({ latencyMs: 0 });
	try {
		const builtIn = await builtInSender(sandbox.url);
		const measure = async (send: () => Promise<{ accepted: number }>) => {
			let best = Infinity;
			await send();
			for (let r = 0; r < runs; r++) {
				const before = process.cpuUsage();
				const result = await send();
				const used = process.cpuUsage(before);
				if (result.accepted !== items) throw new Error(`${result.accepted} of ${items} accepted`);
				best = Math.min(best, (used.user + used.system) / items);
			}
			return best;
		};
		console.log(
			`\nCPU per message of this process (n8n's engine and the node), ${items} texts, sandbox answering at once (least of ${runs} runs after a warm-up)`,
		);
		const floor = await measure(async () => ({ accepted: await floorSend(sandbox, items) }));
		console.log(
			`  n8n's floor (a bare node: two expressions and n8n's HTTP helper per message): ${floor.toFixed(0)} µs per message`,
		);
		const ours = await measure(async () => await bulkSend(sandbox, 100_000, items));
		console.log(
			`  ours: ${ours.toFixed(0)} µs per message = ${(ours / floor).toFixed(2)} x the floor`,
		);
		if (typeof builtIn === 'string') {
			console.log(`  n8n's built-in node: not measured (${builtIn})`);
			return;
		}
		const theirs = await measure(async () => await bulkSend(sandbox, 100_000, items, { builtIn }));
		console.log(
			`  ${builtIn.label}: ${theirs.toFixed(0)} µs per message = ${(theirs / floor).toFixed(2)} x the floor`,
		);
		console.log(`  ours / built-in = ${(ours / theirs).toFixed(2)} x`);
	} finally {
		await sandbox.stop();
	}
}

/** Runs bench/bench-combine.ts in a fresh process, with gc, and prints what it measured. */
async function combineBench() {
	const customers = quick ? 300 : 1000;
	const messages = 3;
	const run = await benchScript<Record<string, number>>('bench/bench-combine.ts', [
		'--customers',
		String(customers),
		'--messages',
		String(messages),
	]);
	const n = (v: number) => v.toLocaleString('en-US');
	console.log(
		`\nCombine Messages Within: ${n(customers)} customers x ${messages} messages waiting in open bursts (heap after gc)`,
	);
	console.log(
		`  the bursts alone (normalised events in the process's bursts, no HTTP): ${n(run.aloneBytesPerBurst)} bytes per open burst`,
	);
	console.log(
		`  through HTTP into the trigger (each burst also holds its one waiting webhook() call: request, response, WebhookContext): ${run.heapBeforeMb.toFixed(1)} MB before, ${run.heapAfterMb.toFixed(1)} MB with ${n(run.open)} bursts open = ${n(run.bytesPerBurst)} bytes per open burst, ${n(run.waitingCalls)} calls waiting`,
	);
	console.log(
		`  every call answered 200 at once (slowest ${run.slowestAnswerMs} ms); past the quiet time all ${n(run.executions)} holding calls returned their combined item within ${run.msToRun} ms (n8n starts the executions then); heap after they ran: ${run.heapAfterClosingMb.toFixed(1)} MB (the harness keeps their items)`,
	);
	console.log(
		`  not measured here: under n8n's default expression engine each waiting call also holds an expression isolate of about 12 MB, which is why at most ${COMBINE_LIMITS.maxOpenBursts} bursts wait per process (README, Combining messages); this run gave room for all`,
	);
}

/**
 * What the shared duplicate memory costs a webhook call, at its bound (10,000 entries): our part
 * (read the entries from static data, look one event up, add it, cut and write back), and the
 * part n8n adds because the static data grew: it reads the workflow's static data as JSON for
 * every call and writes all of it back when a call changed it.
 */
function dedupeBench(calls = 20_000) {
	const store: IDataObject = {};
	const full = new SharedSeen(store);
	for (let n = 0; n < SHARED_SEEN.maxEntries; n++) full.add(`wamid.seed.${n}`);
	full.save();
	const bytes = JSON.stringify(store).length;
	let started = process.hrtime.bigint();
	for (let n = 0; n < calls; n++) {
		const shared = new SharedSeen(store);
		if (!shared.has(`wamid.new.${n}`)) shared.add(`wamid.new.${n}`);
		shared.save();
	}
	const ours = Number(process.hrtime.bigint() - started) / 1000 / calls;
	started = process.hrtime.bigint();
	for (let n = 0; n < calls; n++) JSON.parse(JSON.stringify(store));
	const json = Number(process.hrtime.bigint() - started) / 1000 / calls;
	console.log(
		`\nShared duplicate memory (Drop Duplicates, in the node's static data) at its bound of ${SHARED_SEEN.maxEntries.toLocaleString('en-US')} events: ${(bytes / 1024).toFixed(0)} kB of static data`,
	);
	console.log(
		`  ours per webhook call (read, look up, add, cut, write back): ${ours.toFixed(1)} µs, ${calls} calls`,
	);
	console.log(
		`  what the larger static data adds to n8n's own read and write of it per call (JSON in and out): ${json.toFixed(1)} µs, plus the database's UPDATE of ${(bytes / 1024).toFixed(0)} kB`,
	);
}

async function main() {
	console.log(
		`WhatsApp Cloud node benchmark (node ${process.version}, ${ITEMS} items per run${quick ? ', quick' : ''})`,
	);
	if (!only || only === 'webhook') await webhookBench();
	if (!only || only === 'upload') await uploadBench();
	if (!only || only === 'multi') await multiBench({ latencyMs: LATENCY_MS, texts: MULTI_TEXTS });
	if (!only || only === 'cpu') await cpuBench(quick ? 500 : 2000);
	if (!only || only === 'combine') await combineBench();
	if (!only || only === 'dedupe') dedupeBench(quick ? 2000 : 20_000);
	if (only && only !== 'send' && only !== 'soak') return;
	const sandbox = await SandboxProcess.start({ latencyMs: LATENCY_MS });
	try {
		for (const cap of only === 'soak' ? [] : [80, 1000]) {
			report(`Bulk sendText at ${cap}/s`, await bulkSend(sandbox, cap, ITEMS));
		}
		if (only !== 'soak') await capChart(sandbox, 80, ITEMS);
		for (const cap of only === 'soak' ? [] : [80, 1000]) {
			report(
				`Bulk sendText at ${cap}/s with 5% 130429 and 1% 500 injected`,
				await bulkSend(sandbox, cap, ITEMS, {
					faults: { throttle: 0.05, serverError: 0.01, seed: 7 },
				}),
			);
		}
		for (const continueOnFail of [true, false]) {
			reportSoak(
				`Exactly-once soak ${continueOnFail ? 'with continue-on-fail' : 'without continue-on-fail (the run stops at the 131026)'}`,
				1000,
				ITEMS,
				await soak(sandbox, 1000, ITEMS, continueOnFail),
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
