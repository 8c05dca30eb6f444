import type {
	IBinaryKeyData,
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { looksLikeResumeReference } from '../shared/resume';
import { getGraphConfig, type GraphConfig } from '../shared/transport';
import {
	normalize,
	parseWebhookBody,
	SeenEvents,
	unprocessedEvent,
	type RawEvent,
} from './webhook';
import { resumeWaiting } from './answers';
import { bursts, burstText, quietTimeOf } from './combine';
import { downloadEventMedia, type MediaResult } from './media';
import { SharedSeen } from './sharedSeen';

/**
 * What the trigger does with a verified webhook call: its events read, filtered (events, phone
 * numbers, duplicates in this process and across the deployment), answered at once, combined into
 * bursts when asked, media downloaded, and the items the execution starts with.
 */

/**
 * Per process: the events each trigger node has already emitted in production runs (see README,
 * "Duplicates"). Test runs neither read nor fill it.
 */
const seenByNode = new Map<string, SeenEvents>();

function seenFor(key: string): SeenEvents {
	let seen = seenByNode.get(key);
	if (!seen) {
		seen = new SeenEvents();
		seenByNode.set(key, seen);
	}
	return seen;
}

/**
 * The body n8n already parsed, when the call says it is JSON: n8n parses exactly these calls, with
 * JSON.parse over the same raw bytes the signature was checked on, so it is the tree parsing them
 * again would give, and the signature check covers it as much as the bytes. For other content
 * types n8n's body is text, a form or an empty placeholder, not ours to read: parseWebhookBody then
 * parses the raw bytes itself, as it also does if the parsed body is not a WhatsApp webhook body.
 */
function jsonBody(this: IWebhookFunctions): unknown {
	const type = this.getHeaderData()['content-type'];
	const json = typeof type === 'string' && /^application\/json\s*(;|$)/i.test(type.trimStart());
	return json ? this.getBodyData() : undefined;
}

/**
 * A verified (or, with checks off, accepted) call: its events, filtered, answered at once.
 * `checked`: whether its signature was checked against Meta's, which answers need.
 */
export async function receive(
	this: IWebhookFunctions,
	raw: Buffer,
	checked: boolean,
): Promise<IWebhookResponseData> {
	const res = this.getResponseObject();
	const name = this.getNode().name;

	const parsed = parseWebhookBody(raw, jsonBody.call(this));
	// Whatever the Events and phone number filters say: a body this deep is not read, so it cannot
	// be filtered, and dropping it would lose it for good.
	if (!parsed.ok && parsed.tooDeep) {
		this.logger.warn(
			`${name}: answered 200 and passed a webhook call on as an "unprocessed" item: ${parsed.reason}`,
		);
		res.status(200).type('text/plain').send('OK');
		return {
			noWebhookResponse: true,
			workflowData: [[{ json: unprocessedEvent(raw, parsed.reason) }]],
		};
	}
	if (!parsed.ok) {
		this.logger.warn(`${name}: rejected a webhook call with 400: ${parsed.reason}`);
		res.status(400).type('text/plain').send('Bad request');
		return { noWebhookResponse: true };
	}

	const updates = this.getNodeParameter('updates', []) as string[];
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const phoneFilter = String(options.phoneNumberIds ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const all = updates.includes('*');
	// Only production runs (every mode but 'manual') drop duplicates. The editor's "Listen for test event" runs
	// in 'manual' mode: there, a repeated test payload (Meta's dashboard sends the same sample each
	// time) must start a run, or the listener waits forever; and nothing is remembered, so test
	// events never make production drop a real one.
	const production = this.getMode() !== 'manual';
	const seen =
		production && options.dropDuplicates !== false
			? seenFor(`${this.getWorkflow().id}:${this.getNode().id}`)
			: undefined;
	// The deployment's shared memory, read from the static data n8n loaded for this call: the
	// second check, after this process's own (sharedSeen.ts)
	const shared = seen ? new SharedSeen(this.getWorkflowStaticData('node')) : undefined;
	// Taps on a Send and Wait message's buttons are answers for the execution that waits for them
	const received = normalize(parsed.body);
	const answers = received.filter(
		(e) => e.event === 'message' && looksLikeResumeReference(e.simplified.replyId),
	);
	const startOnAnswers = options.startOnAnswers === true;
	const events = received.filter(
		(e) =>
			(startOnAnswers || !answers.includes(e)) &&
			(all || updates.includes(e.event)) &&
			(!phoneFilter.length ||
				!e.simplified.phoneNumberId ||
				phoneFilter.includes(e.simplified.phoneNumberId)) &&
			(!seen || seen.firstTime(e.key)) &&
			(!shared || !shared.has(e.key)),
	);
	// n8n saves the static data when this call returns: another process's redelivery finds them
	if (shared) {
		for (const e of events) shared.add(e.key);
		shared.save();
	}

	// Combine Messages Within: customers' messages, after the duplicates are gone, join their
	// bursts before Meta's 200, so that a call Meta has seen answered is always in its burst.
	// Answers, statuses, errors and every other event go out with this call, never held.
	const quiet = quietTimeOf(options.combineMessages);
	const scope = `${production ? 'live' : 'test'}:${this.getWorkflow().id}:${this.getNode().id}`;
	if (quiet.warning) warnOnce(this, scope, quiet.warning);
	const combinable = new Set(
		quiet.ms > 0 ? events.filter((e) => e.event === 'message' && !answers.includes(e)) : [],
	);
	const plan = combinable.size
		? bursts().take(scope, [...combinable], quiet.ms, combinable.size === events.length)
		: undefined;
	if (plan?.warning) this.logger.warn(`${name}: ${plan.warning}`);

	// Answer Meta at once: a slow workflow, download or burst must never make Meta retry.
	res.status(200).type('text/plain').send('OK');
	const resumed = await resumeWaiting.call(this, answers, checked);

	if (plan?.held) {
		// In the editor's test mode the first burst to close is the test event (see Bursts.hold)
		const closed = await bursts().hold(plan.held, !production);
		if (!closed) return { noWebhookResponse: true };
		if (closed.dropped.length)
			this.logger.warn(
				`${name}: the test event is the burst of ${closed.messages.length} message(s) that closed first; dropped ${closed.dropped.length} message(s) other customers sent meanwhile (${closed.dropped.join(', ')}): the editor takes one test event`,
			);
		const items = await itemsOf.call(
			this,
			[{ events: closed.messages, burst: true }],
			options,
			resumed,
		);
		return { noWebhookResponse: true, workflowData: [items] };
	}

	// in the body's order: each event its own item; a message that could not be combined as a
	// burst of one, so that with combining on every message item has the same fields
	const passing = new Set(plan?.passThrough);
	const outputs: Output[] = [];
	for (const e of events) {
		if (passing.has(e)) outputs.push({ events: [e], burst: true });
		else if (!combinable.has(e)) outputs.push({ events: [e], burst: false });
	}
	if (!outputs.length) return { noWebhookResponse: true };
	return {
		noWebhookResponse: true,
		workflowData: [await itemsOf.call(this, outputs, options, resumed)],
	};
}

/** What a call emits: one event as its item, or a burst of messages combined into one item. */
type Output = { events: RawEvent[]; burst: boolean };

/**
 * The items of a call's execution, in order: each event simplified (or raw), with what became of
 * an answer, and, with Download Media, its file. A burst's item is its last message's, with
 * `combined`, `messageIds`, `messages` and (simplified) the burst's `text`; its files are the
 * binary property and `<property>_1`, `_2`... in the messages' order, each message naming its own
 * in `binaryProperty`.
 */
async function itemsOf(
	this: IWebhookFunctions,
	outputs: Output[],
	options: IDataObject,
	resumed: Map<RawEvent, IDataObject>,
): Promise<INodeExecutionData[]> {
	const raw = options.output === 'raw';
	const jsonOf = (e: RawEvent): IDataObject => {
		const json: IDataObject = raw
			? {
					event: e.event,
					field: e.field,
					businessAccountId: e.simplified.businessAccountId,
					value: e.raw,
				}
			: e.simplified;
		// with "Also Start This Workflow on Answers": what became of each answer
		return resumed.has(e) ? { ...json, resume: resumed.get(e)! } : json;
	};
	const property = String(options.binaryPropertyName || 'data');
	const download = options.downloadMedia === true ? await mediaDownloader.call(this) : undefined;
	return await Promise.all(
		outputs.map(async ({ events, burst }): Promise<INodeExecutionData> => {
			const files = download ? await Promise.all(events.map(download)) : [];
			if (!burst) {
				const json = jsonOf(events[0]);
				const file = files[0];
				if (file?.ok) return { json, binary: { [property]: file.binary } };
				return file ? { json: { ...json, mediaError: file.error } } : { json };
			}
			const binary: IBinaryKeyData = {};
			let count = 0;
			const messages = events.map((e, i) => {
				const json = { ...jsonOf(e) };
				const file = files[i];
				if (file?.ok) {
					const name = count ? `${property}_${count}` : property;
					count++;
					binary[name] = file.binary;
					json.binaryProperty = name;
				} else if (file) json.mediaError = file.error;
				return json;
			});
			const json: IDataObject = { ...messages[messages.length - 1] };
			if (!raw && messages.length > 1) json.text = burstText(messages);
			json.combined = messages.length > 1;
			json.messageIds = events.map((e) => e.simplified.messageId ?? null);
			json.messages = messages;
			return count ? { json, binary } : { json };
		}),
	);
}

/**
 * Downloads an event's media (undefined when it has none). The credential is read once per call;
 * when it cannot be, each download answers why.
 */
async function mediaDownloader(
	this: IWebhookFunctions,
): Promise<(e: RawEvent) => Promise<MediaResult | undefined>> {
	let config: GraphConfig | undefined;
	let configError = '';
	try {
		config = await getGraphConfig.call(this);
	} catch (error) {
		configError = (error as Error).message;
	}
	return async (e) => {
		const media = e.simplified.media as IDataObject | null | undefined;
		if (!media?.id) return undefined;
		return config
			? await downloadEventMedia.call(this, config, media, e.simplified.phoneNumberId)
			: { ok: false, error: `Could not read the credential to download media: ${configError}` };
	};
}

/**
 * A warning about an option's value, once per trigger node and value: the option is read on every
 * call, and a log line per message would bury everything else. Bounded, as an expression can give
 * a new value each time.
 */
const warned = new Set<string>();

function warnOnce(fns: IWebhookFunctions, scope: string, warning: string): void {
	const key = `${scope}:${warning}`;
	if (warned.has(key)) return;
	if (warned.size >= 1000) warned.clear();
	warned.add(key);
	fns.logger.warn(`${fns.getNode().name}: ${warning}`);
}
