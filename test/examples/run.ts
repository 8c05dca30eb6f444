/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * Runs an example workflow (examples/<name>.workflow.json) as n8n would run it once published,
 * through n8n-core's real engine against a fresh Graph API sandbox, with the pinned input of
 * test/examples/<name>.input.json, and returns what happened, step by step, for comparison with
 * test/examples/<name>.requests.json:
 *
 * 1. Publish: each trigger of the example registers itself with Meta (the sandbox).
 * 2. Each step of the input file, in order:
 *    - `start`: an execution from that start node (a Manual Trigger, n8n's Webhook node, a Schedule
 *      Trigger: in n8n's mode for it, manual, webhook or trigger) with the pinned items;
 *    - `webhook`: Meta (the sandbox) signs the pinned webhook and sends it to the callback the
 *      registrations resolve to; the trigger there answers it, and each run it emits starts an
 *      execution from that trigger with its items;
 *    - `burst`: one customer writing several messages in a row, to a trigger with Combine
 *      Messages Within: each webhook is sent as above and must be answered 200 at once, one call
 *      must then hold the burst, and only when the customer has been quiet for the trigger's
 *      quiet time (on the run's manual clock) does the trigger emit; each run it emitted then
 *      starts an execution;
 *    - `tap`: the person a Send and Wait question went to taps the reply button with this title
 *      (the sandbox makes Meta's webhook of it and sends it to the registered callback);
 *    - `joinRequest`: someone asks to join a group through its invite link (the sandbox keeps the
 *      request and holds Meta's `group_join_request_created` webhook);
 *    - `windowCloses`: a day passes without a word from a customer (by phone) or in a group (by
 *      subject or place, as for `joinRequest`): Meta refuses free-form messages there (131047);
 *    - `meta: "groupWebhooks"`: Meta sends the group webhooks it holds (a group created, a join
 *      request, ...): the runner holds them from the start (`sandbox.groups.webhookDelayMs =
 *      null`), so that they arrive at this step, in order, and not at some moment of another;
 *      each run the triggers emit starts an execution, as for `webhook`.
 * 3. Unpublish: each trigger deregisters.
 *
 * An input's `now` fixes the moment of the whole run (fixNow): what `$now` and `$today` give, and
 * where Date starts; the example runs with its own settings (its time zone).
 *
 * Executions run in n8n's waiting-execution harness (dev/harness/waiting.ts), so a node that
 * waits is resumed as n8n resumes it. Each step's record: the nodes that ran with the number of
 * items each output (or its error), the Graph requests the sandbox received (normalised, below),
 * and the calls the stand-ins for outside services received (test/examples/nodeTypes.ts).
 */
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import type {
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	IPinData,
	ITaskData,
	IWorkflowSettings,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { Settings } from 'luxon';
import path from 'path';

import { ManualClock } from '../../dev/harness/clock';
import { TestNodeTypes } from '../../dev/harness/engine';
import { WaitingServer } from '../../dev/harness/waiting';
import { TriggerHandle } from '../../dev/harness/webhook-server';
import {
	GraphSandbox,
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_WABA_ID,
	sandboxCredentialData,
	type ReceivedRequest,
	type SandboxGroup,
	type SandboxTemplate,
} from '../../dev/sandbox/server';
import type { AnalyticsField, SandboxDataPoint } from '../../dev/sandbox/analytics';
import { tapReplyButton } from '../../dev/sandbox/webhooks';
import { Bursts, COMBINE_LIMITS, replaceBursts } from '../../nodes/WhatsAppCloudTrigger/combine';
import { exampleNodeTypes, OUR, StandIns, type StandInCall, type StandInScript } from './nodeTypes';

export const EXAMPLES_DIR = path.resolve(__dirname, '../../examples');

export type ExampleWorkflow = {
	name: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
};

type Payload = Parameters<GraphSandbox['deliver']>[0];

export type Step = { what: string } & (
	| { start: string; items: INodeExecutionData[] }
	| { webhook: Payload }
	| { burst: Payload[] }
	| { tap: string }
	| { meta: 'groupWebhooks' }
	| { joinRequest: JoinRequest }
	| { windowCloses: { group: string | number } | { customer: string } }
);

/**
 * Someone opening a group's invite link and asking to join. The group is named by its subject or
 * by its place among the groups the sandbox holds (0 the first made), never by its ID, which the
 * sandbox makes; `timestamp` (unix seconds) makes the request's ID the same every run.
 */
export type JoinRequest = {
	group: string | number;
	wa_id: string;
	user_id?: string;
	timestamp?: number;
};

/** test/examples/<name>.input.json */
export type ExampleInput = StandInScript & {
	/** What the input pins and why, for the reader. */
	why?: string;
	/**
	 * The moment the run happens (ISO text with an offset, `2026-12-01T06:00:00Z`): what n8n's
	 * `$now`, `$today` and `DateTime` give for the run's duration (luxon's Settings.now, which n8n's
	 * expressions read), so that a scheduled workflow asks for the same period every day the test
	 * runs. Without it, the real time.
	 */
	now?: string;
	/** What Meta holds before the example runs: the templates it sends, as their owner made them. */
	sandbox?: {
		templates?: Array<Omit<SandboxTemplate, 'id' | 'wabaId' | 'status' | 'parameter_format'>>;
		/** The account's onboarding to the Marketing Messages API. */
		marketingOnboarding?: string;
		/** Recipients who are not on WhatsApp. */
		undeliverable?: string[];
		/**
		 * Files customers sent (a voice note, a photo), for the trigger to download: under the media
		 * ID the pinned webhooks name, or the next ID the sandbox gives when there is none.
		 */
		media?: Array<{ id?: string; mimeType: string; filename?: string; base64: string }>;
		/** Groups the number already has (made elsewhere), with the sandbox's IDs. */
		groups?: Array<
			Pick<SandboxGroup, 'subject'> &
				Partial<Pick<SandboxGroup, 'description' | 'joinApprovalMode'>>
		>;
		/**
		 * The account's analytics: its currency (ISO 4217; USD without it) and, per analytics field
		 * (`template_analytics`, `pricing_analytics`, ...), the data points Meta holds, with Meta's
		 * keys (`sandbox.analytics.seed`). A field without data points answers from the messages
		 * the run sent.
		 */
		analytics?: {
			currency?: string;
			dataPoints?: Partial<Record<AnalyticsField, SandboxDataPoint[]>>;
		};
	};
	/** Nodes whose output is pinned, as in n8n's editor. */
	pinData?: IPinData;
	steps: Step[];
};

export type GraphRequest = { method: string; path: string; query?: IDataObject; body?: unknown };

/** test/examples/<name>.requests.json: one entry per step. */
export type StepRecord = {
	what: string;
	/** Each node run, in order: `<node>: <items it put out>`, or `<node>: <its error>`. */
	ran: string[];
	graph: GraphRequest[];
	outside: StandInCall[];
};

export const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

export function loadExample(name: string): ExampleWorkflow {
	return readJson<ExampleWorkflow>(path.join(EXAMPLES_DIR, `${name}.workflow.json`));
}

const TRIGGER = `${OUR}.whatsAppCloudTrigger`;

/** A multipart/form-data body, part by part: fields as text, files by name, type, size, bytes. */
function multipart(body: Buffer, contentType: string): IDataObject[] {
	const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
	if (!boundary) throw new Error(`multipart without boundary: ${contentType}`);
	const parts: IDataObject[] = [];
	const text = body.toString('latin1');
	for (const chunk of text.split(`--${boundary}`).slice(1)) {
		if (chunk.startsWith('--')) break;
		const split = chunk.indexOf('\r\n\r\n');
		const head = chunk.slice(0, split);
		const content = Buffer.from(chunk.slice(split + 4, chunk.length - 2), 'latin1');
		const name = /name="([^"]*)"/.exec(head)?.[1];
		const filename = /filename="([^"]*)"/.exec(head)?.[1];
		const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1];
		parts.push(
			filename === undefined
				? { name, value: content.toString('utf8') }
				: {
						name,
						filename,
						contentType: type,
						bytes: content.length,
						sha256: createHash('sha256').update(content).digest('hex'),
					},
		);
	}
	return parts;
}

/**
 * A request as the sandbox received it, with its body decoded: JSON parsed, a form's fields, a
 * multipart body's parts; a binary body by size.
 */
function decode(r: ReceivedRequest): GraphRequest {
	const out: GraphRequest = { method: r.method, path: r.path };
	if (Object.keys(r.query).length) out.query = r.query;
	if (!r.body.length) return out;
	const type = r.contentType.toLowerCase();
	if (type.startsWith('application/json')) out.body = JSON.parse(r.body.toString('utf8'));
	else if (type.startsWith('application/x-www-form-urlencoded'))
		out.body = Object.fromEntries(new URLSearchParams(r.body.toString('utf8')));
	else if (type.startsWith('multipart/form-data')) out.body = multipart(r.body, r.contentType);
	else out.body = { contentType: r.contentType, bytes: r.body.length };
	return out;
}

/**
 * What changes from run to run, made constant: the local addresses of n8n and the sandbox (their
 * ports), and the signature in a Send and Wait resume reference (an HMAC under the n8n instance's
 * own secret; the proof beside it is under the App Secret and stays).
 */
function normaliser(urls: Record<string, string>) {
	const replace = (s: string) => {
		for (const [placeholder, url] of Object.entries(urls)) s = s.split(url).join(placeholder);
		return s.replace(
			/(wcwait:[A-Za-z0-9_-]+:[^:]+:[adc]):[A-Za-z0-9_-]{43}:/g,
			'$1:<n8n signature>:',
		);
	};
	const walk = (v: unknown): unknown => {
		if (typeof v === 'string') return replace(v);
		if (Array.isArray(v)) return v.map(walk);
		if (v && typeof v === 'object')
			return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
		return v;
	};
	return walk;
}

/** Who a message send is for (its path and recipient), for ordering; undefined for other requests. */
function recipientOf(r: GraphRequest): string | undefined {
	if (r.method !== 'POST' || !r.body || typeof r.body !== 'object') return undefined;
	const { to, recipient } = r.body as IDataObject;
	const who = to ?? recipient;
	return typeof who === 'string' ? `${r.path}|${who}` : undefined;
}

/**
 * A step's Graph requests in a fixed order: sorted by method, path and body. A node sends its
 * items concurrently (up to Max Concurrent at once), so the order they arrive in is not the
 * workflow's; which requests were made, and what each said, are. Except between the messages to
 * one recipient: the order they arrived in is the order that person reads them in (the parts of a
 * split text, sent one after the other), so they keep it, in the places the sort gave them.
 */
function sorted(requests: GraphRequest[]): GraphRequest[] {
	const byRecipient = new Map<string, GraphRequest[]>();
	for (const r of requests) {
		const who = recipientOf(r);
		if (who) byRecipient.set(who, [...(byRecipient.get(who) ?? []), r]);
	}
	return requests
		.map((r) => [JSON.stringify(r), r] as const)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([, r]) => {
			const who = recipientOf(r);
			return who ? byRecipient.get(who)!.shift()! : r;
		});
}

/**
 * `<node>: <items>`, the items a node run put out over all its outputs, and how many of them carry
 * an error (continue on error keeps a failed item); or `<node>: <error>` when the node failed.
 */
function ran(node: string, task: ITaskData) {
	if (task.error) return `${node}: ${task.error.message}`;
	const items = Object.values(task.data ?? {})
		.flat()
		.flatMap((list) => list ?? []);
	const failed = items.filter((item) => item.json?.error !== undefined).length;
	return `${node}: ${items.length}${failed ? ` (${failed} with an error)` : ''}`;
}

/** What `promise` gives, or an error saying what did not happen within `ms` of real time. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(what)), ms);
	});
	try {
		return await Promise.race([promise, late]);
	} finally {
		clearTimeout(timer);
	}
}

/** Waits in real time until `done` holds (another call's work), or fails saying what did not. */
async function until(ms: number, what: string, done: () => boolean): Promise<void> {
	const end = Date.now() + ms;
	while (!done()) {
		if (Date.now() > end) throw new Error(what);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** How long a burst step waits in real time for what must happen at once (answers, the hold). */
const AT_ONCE_MS = 10_000;

/** The quiet time a trigger combines with, in ms, as its node sets it (a plain number). */
function quietMsOf(trigger: TriggerHandle): number {
	const options = (trigger.node.parameters.options ?? {}) as IDataObject;
	const seconds = options.combineMessages;
	if (typeof seconds !== 'number' || !(seconds > 0))
		throw new Error(
			`${trigger.node.name}: a burst step needs Options > Combine Messages Within as a number of seconds, not ${JSON.stringify(seconds)}`,
		);
	return Math.min(seconds, COMBINE_LIMITS.maxQuietSeconds) * 1000;
}

/** Jest's fake timers fake only Date here: timers, ticks and the event loop stay real. */
const ONLY_DATE = [
	'hrtime',
	'nextTick',
	'performance',
	'queueMicrotask',
	'requestAnimationFrame',
	'cancelAnimationFrame',
	'requestIdleCallback',
	'cancelIdleCallback',
	'setImmediate',
	'clearImmediate',
	'setInterval',
	'clearInterval',
	'setTimeout',
	'clearTimeout',
] as const;

/**
 * Makes `iso` now for a run, until the returned function puts the real clock back:
 * - luxon's `Settings.now`, which n8n's `$now`, `$today` and `DateTime` read: fixed at `iso`, so
 *   that every expression of the run sees the same moment;
 * - `Date` (jest's fake Date, timers left real): starts at `iso` and runs on with real time, so
 *   that what counts from the real clock (the node's and the sandbox's lookbacks of Meta's
 *   analytics, the times the sandbox stamps) counts from the run's day too, and a pinned day stays
 *   within Meta's 90 days of template analytics whenever the test runs.
 */
export function fixNow(iso: string): () => void {
	if (!/(Z|[+-]\d{2}:\d{2})$/.test(iso) || Number.isNaN(Date.parse(iso)))
		throw new Error(`now must be ISO text with an offset (2026-12-01T06:00:00Z), not ${iso}`);
	const at = Date.parse(iso);
	const previous = Settings.now;
	Settings.now = () => at;
	jest.useFakeTimers({ now: at, advanceTimers: true, doNotFake: [...ONLY_DATE] });
	return () => {
		jest.useRealTimers();
		Settings.now = previous;
	};
}

export async function runExample(name: string, input: ExampleInput): Promise<StepRecord[]> {
	const example = loadExample(name);
	// the bursts of Combine Messages Within wait on this clock, which moves only when a burst step
	// moves it: what closes when never depends on how fast the machine is
	const clock = new ManualClock();
	const previousBursts = replaceBursts(new Bursts(COMBINE_LIMITS, clock));
	const sandbox = await new GraphSandbox({ recordRequests: true }).start();
	const server = await new WaitingServer().start();
	// luxon's clock is fixed inside the try, so that the finally always puts it back
	let restoreNow: (() => void) | undefined;
	try {
		if (input.now !== undefined) restoreNow = fixNow(input.now);
		for (const template of input.sandbox?.templates ?? []) sandbox.addTemplate(template);
		for (const file of input.sandbox?.media ?? []) {
			const bytes = Buffer.from(file.base64, 'base64');
			if (file.id === undefined) sandbox.addMedia(bytes, file.mimeType, file.filename);
			else if (sandbox.media.has(file.id)) throw new Error(`media ${file.id} is pinned twice`);
			else sandbox.media.set(file.id, { bytes, mimeType: file.mimeType, filename: file.filename });
		}
		if (input.sandbox?.marketingOnboarding)
			sandbox.marketingMessages.onboarding.set(SANDBOX_WABA_ID, input.sandbox.marketingOnboarding);
		for (const to of input.sandbox?.undeliverable ?? []) sandbox.undeliverable.add(to);
		for (const group of input.sandbox?.groups ?? [])
			sandbox.groups.add(SANDBOX_PHONE_NUMBER_ID, group);
		const analytics = input.sandbox?.analytics;
		if (analytics?.currency) sandbox.analytics.currencies.set(SANDBOX_WABA_ID, analytics.currency);
		for (const [field, points] of Object.entries(analytics?.dataPoints ?? {}))
			sandbox.analytics.seed(field as AnalyticsField, points);
		// Meta's group webhooks (a created group's ID and invite link, join requests) wait for a
		// groupWebhooks step
		sandbox.groups.webhookDelayMs = null;
		const credentials = sandboxCredentialData(sandbox.url);
		const standIns = new StandIns(input);
		const types = exampleNodeTypes(standIns);
		const workflow = new Workflow({
			id: name,
			name: example.name,
			nodes: example.nodes,
			connections: example.connections,
			active: true,
			nodeTypes: new TestNodeTypes(types),
			settings: example.settings,
		});
		const triggers = example.nodes
			.filter((n) => n.type === TRIGGER)
			.map((node) => new TriggerHandle(server, node, workflow, credentials));
		const normalise = normaliser({ '<n8n>': server.url, '<sandbox>': sandbox.url });
		const records: StepRecord[] = [];
		const errors: string[] = [];

		/** Runs `work` as one step and records what it caused. */
		const step = async (what: string, work: () => Promise<void>) => {
			const before = {
				graph: sandbox.received.length,
				outside: standIns.calls.length,
				ran: server.waiting.nodeRuns.length,
				runs: new Map([...server.waiting.executions].map(([id, e]) => [id, e.runs.length])),
			};
			await work();
			await server.settled();
			for (const execution of server.waiting.executions.values())
				for (const run of execution.runs.slice(before.runs.get(execution.id) ?? 0))
					if (run.data.resultData.error)
						errors.push(`${what}: ${run.data.resultData.error.message}`);
			records.push({
				what,
				ran: server.waiting.nodeRuns.slice(before.ran).map((r) => ran(r.node, r.task)),
				graph: sorted(
					sandbox.received.slice(before.graph).map((r) => normalise(decode(r)) as GraphRequest),
				),
				outside: normalise(standIns.calls.slice(before.outside)) as StandInCall[],
			});
		};

		/**
		 * An execution of the whole example from `startNode` with these items, in the mode n8n runs it
		 * in: `manual` from a Manual Trigger, `trigger` from a trigger that emits on its own (the
		 * Schedule Trigger: n8n-core then passes the items it emitted on), `webhook` otherwise.
		 */
		const execute = async (
			startNode: string,
			items: INodeExecutionData[],
			mode: 'manual' | 'trigger' | 'webhook',
		) =>
			await server.waiting.start({
				nodes: example.nodes,
				connections: example.connections,
				credentials,
				input: items,
				mode,
				startNode,
				types,
				pinData: input.pinData,
				settings: example.settings,
			});

		/** The ID of the group a step names by its subject or its place among the sandbox's groups. */
		const groupNamed = (what: string, ref: string | number): string => {
			const groups = [...sandbox.groups.byId.values()];
			const group = typeof ref === 'number' ? groups[ref] : groups.find((g) => g.subject === ref);
			if (!group) throw new Error(`${what}: the sandbox holds no group ${JSON.stringify(ref)}`);
			return group.id;
		};

		if (triggers.length)
			await step('Publish: the triggers register with Meta', async () => {
				for (const trigger of triggers) await trigger.activate();
			});
		for (const s of input.steps) {
			await step(s.what, async () => {
				if ('start' in s) {
					const node = example.nodes.find((n) => n.name === s.start);
					if (!node) throw new Error(`${s.what}: the example has no node ${s.start}`);
					const type = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
					if (node.type === 'n8n-nodes-base.scheduleTrigger')
						for (const item of s.items) {
							// n8n's Schedule Trigger emits one item with the moment it fired (`timestamp`,
							// ISO with the zone's offset) and its readable parts
							const at = Date.parse(String(item.json.timestamp));
							if (typeof item.json.timestamp !== 'string' || Number.isNaN(at))
								throw new Error(
									`${s.what}: a Schedule Trigger's item needs its timestamp (ISO text)`,
								);
							if (input.now !== undefined && at !== Date.parse(input.now))
								throw new Error(
									`${s.what}: the schedule fires at ${item.json.timestamp}, not at the run's now ${input.now}`,
								);
						}
					await execute(
						s.start,
						s.items,
						node.type === 'n8n-nodes-base.manualTrigger'
							? 'manual'
							: type.trigger
								? 'trigger'
								: 'webhook',
					);
				} else if ('webhook' in s) {
					const counts = triggers.map((t) => t.runs.length);
					const delivery = await sandbox.deliver(s.webhook);
					await server.settled();
					if (delivery.status !== 200)
						errors.push(`${s.what}: the callback answered Meta ${delivery.status}`);
					const trigger = triggers.find((t) => t.url === delivery.url);
					if (!trigger) {
						errors.push(`${s.what}: Meta delivered to ${delivery.url}, no trigger of the example`);
						return;
					}
					for (const items of trigger.runs.slice(counts[triggers.indexOf(trigger)]))
						await execute(trigger.node.name, items, 'webhook');
				} else if ('burst' in s) {
					const counts = triggers.map((t) => t.runs.length);
					const answered = () => triggers.reduce((sum, t) => sum + t.calls.length, 0);
					const callsBefore = answered();
					const reached = new Set<TriggerHandle>();
					for (const [n, webhook] of s.burst.entries()) {
						// the clock stands still: a call that waited for the burst before answering Meta
						// would never answer
						const delivery = await within(
							AT_ONCE_MS,
							`${s.what}: webhook ${n + 1} of the burst was not answered at once`,
							sandbox.deliver(webhook),
						);
						if (delivery.status !== 200)
							throw new Error(
								`${s.what}: webhook ${n + 1} of the burst: the callback answered Meta ${delivery.status}`,
							);
						const trigger = triggers.find((t) => t.url === delivery.url);
						if (!trigger)
							throw new Error(
								`${s.what}: Meta delivered to ${delivery.url}, no trigger of the example`,
							);
						reached.add(trigger);
					}
					// every call has returned but the one holding the burst, which waits on the clock
					await until(
						AT_ONCE_MS,
						`${s.what}: no call holds the burst`,
						() => clock.sleeping > 0 && answered() - callsBefore + clock.sleeping >= s.burst.length,
					);
					for (const [i, trigger] of triggers.entries())
						if (trigger.runs.length !== counts[i])
							errors.push(`${s.what}: ${trigger.node.name} emitted before the customer was quiet`);
					// the quiet time is counted from the last message: one ms short of it nothing closes
					const quietMs = Math.max(...[...reached].map(quietMsOf));
					clock.advance(quietMs - 1);
					if (!clock.sleeping) errors.push(`${s.what}: the burst closed before its quiet time`);
					clock.advance(1);
					await within(
						AT_ONCE_MS,
						`${s.what}: the burst did not close once the customer was quiet`,
						server.settled(),
					);
					for (const trigger of reached)
						for (const items of trigger.runs.slice(counts[triggers.indexOf(trigger)]))
							await execute(trigger.node.name, items, 'webhook');
				} else if ('meta' in s) {
					if (s.meta !== 'groupWebhooks') throw new Error(`${s.what}: no Meta step ${s.meta}`);
					const counts = triggers.map((t) => t.runs.length);
					const sent = sandbox.groups.notifications.length;
					await sandbox.groups.flush();
					await server.settled();
					const notifications = sandbox.groups.notifications.slice(sent);
					if (!notifications.length) errors.push(`${s.what}: Meta held no group webhook`);
					for (const n of notifications)
						if (n.undelivered) errors.push(`${s.what}: ${n.field} not delivered: ${n.undelivered}`);
						else if (n.delivery?.status !== 200)
							errors.push(`${s.what}: the callback answered Meta ${n.delivery?.status}`);
					for (const [i, trigger] of triggers.entries())
						for (const items of trigger.runs.slice(counts[i]))
							await execute(trigger.node.name, items, 'webhook');
				} else if ('joinRequest' in s) {
					const { group, wa_id, user_id, timestamp } = s.joinRequest;
					sandbox.groups.requestToJoin(groupNamed(s.what, group), { wa_id, user_id }, timestamp);
				} else if ('windowCloses' in s) {
					const who = s.windowCloses;
					// the sandbox keeps a group's window by its ID, a customer's by their digits
					sandbox.closedWindows.add(
						'group' in who ? groupNamed(s.what, who.group) : who.customer.replace(/\D/g, ''),
					);
				} else {
					const asked = [...sandbox.accepted]
						.reverse()
						.find((m) => (m.body.interactive as IDataObject | undefined)?.type === 'button');
					if (!asked) throw new Error(`${s.what}: no reply-button message was sent`);
					await tapReplyButton(sandbox, asked.id, s.tap);
				}
			});
		}
		if (triggers.length)
			await step('Unpublish: the triggers deregister', async () => {
				for (const trigger of triggers) await trigger.deactivate();
			});
		if (errors.length) throw new Error(errors.join('\n'));
		return records;
	} finally {
		// a burst left waiting by a failed step closes, so that its call does not keep the server
		clock.advance(2 * COMBINE_LIMITS.maxWaitMs);
		await server.stop();
		await sandbox.stop();
		replaceBursts(previousBursts);
		restoreNow?.();
	}
}
