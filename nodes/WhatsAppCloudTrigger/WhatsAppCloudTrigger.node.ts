import type {
	IBinaryKeyData,
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { credentialText } from '../../credentials/WhatsAppCloudApi.credentials';
import { getBusinessAccounts, getPhoneNumbers, phoneNumberModes } from '../shared/listSearch';
import { looksLikeResumeReference } from '../shared/resume';
import { getGraphConfig, type GraphConfig } from '../shared/transport';
import {
	normalize,
	parseWebhookBody,
	SeenEvents,
	unprocessedEvent,
	verifySignature,
	type RawEvent,
} from './webhook';
import { APP_ONLY_EVENTS, missedByOverride, OPTION_EVENTS } from './events';
import { resumeWaiting } from './answers';
import { bursts, burstText, COMBINE_LIMITS, quietTimeOf } from './combine';
import { downloadEventMedia, type MediaResult } from './media';
import { registration, type RegistrationMode } from './registration';
import { SharedSeen } from './sharedSeen';
import { NODE_DESCRIPTION } from '../shared/description';

/** The Events options, from the events table: All Events, then one per event that has an option. */
const UPDATE_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'All Events',
		value: '*',
		description: 'Every event of every kind, including ones added later',
	},
	...OPTION_EVENTS.map((e) => ({
		name: e.option.name,
		value: e.event,
		description:
			e.callback === 'app'
				? `${e.option.description} (app-wide callback only)`
				: e.option.description,
	})),
];

const OVERRIDE_REGISTRATIONS = ['businessAccount', 'phoneNumber'];

const RECEIVE_ELSEWHERE =
	'To receive them, add a trigger registered App-Wide (or by hand with the URL in the app dashboard).';

/**
 * Shown while an account or phone number registration is chosen: one notice per selected event
 * that Meta sends only to the app-wide callback, naming it; with All Events, one notice naming
 * all of them instead.
 */
const OVERRIDE_NOTICES: INodeProperties[] = [
	...APP_ONLY_EVENTS.map(
		(e): INodeProperties => ({
			displayName: `${e.option.name} events never reach this trigger: Meta sends them only to the app-wide callback, never to an account or phone number override. ${RECEIVE_ELSEWHERE}`,
			name: `appOnlyNotice_${e.event}`,
			type: 'notice',
			default: '',
			displayOptions: {
				show: { registration: OVERRIDE_REGISTRATIONS, updates: [e.event] },
				hide: { updates: ['*'] },
			},
		}),
	),
	{
		displayName: `With this registration, All Events means messages, statuses and errors. Only the app-wide callback gets: ${APP_ONLY_EVENTS.map((e) => e.option.name).join(', ')}. ${RECEIVE_ELSEWHERE}`,
		name: 'appOnlyNotice_all',
		type: 'notice',
		default: '',
		displayOptions: { show: { registration: OVERRIDE_REGISTRATIONS, updates: ['*'] } },
	},
];

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

const REGISTRATION_NAMES: Record<RegistrationMode, string> = {
	manual: 'webhook',
	businessAccount: 'WhatsApp Business Account override',
	phoneNumber: 'phone number override',
	app: 'app-wide callback',
};

export class WhatsAppCloudTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Cloud API Trigger',
		name: 'whatsAppCloudTrigger',
		icon: { light: 'file:../../icons/whatsapp.svg', dark: 'file:../../icons/whatsapp.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ ($parameter["updates"] || []).map((u) => (u === "*" ? "all events" : u)).join(", ") }}',
		description: NODE_DESCRIPTION,
		defaults: { name: 'WhatsApp Cloud API Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'whatsAppCloudApi', required: true }],
		webhooks: [
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName: 'Events',
				name: 'updates',
				type: 'multiOptions',
				required: true,
				options: UPDATE_OPTIONS,
				default: ['message'],
				description: 'Which events start the workflow. Each event is one item.',
			},
			{
				displayName: 'Verify Token',
				name: 'verifyToken',
				type: 'string',
				// n8n's rules mask every token field; the hint says what to do with it
				typeOptions: { password: true },
				required: true,
				default: '',
				placeholder: 'a long random text',
				hint: "Required to publish or test: any text you choose. With Manual registration, type the same text into Meta's console next to the callback URL (the field is masked: keep a copy).",
				description:
					"Any text you choose. Meta sends it back when it checks the webhook URL; the trigger answers only if it matches. With manual registration, paste the same text in Meta's console next to the URL.",
			},
			{
				displayName: 'Registration',
				name: 'registration',
				type: 'options',
				default: 'manual',
				options: [
					{
						name: 'Manual',
						value: 'manual',
						description:
							"Paste this node's production URL and the verify token in the app dashboard > WhatsApp > Configuration",
					},
					{
						name: 'Per WhatsApp Business Account',
						value: 'businessAccount',
						description:
							"On activation, route this account's events to this workflow (callback override); other workflows can do the same for other accounts of the same app",
					},
					{
						name: 'Per Phone Number',
						value: 'phoneNumber',
						description:
							"On activation, route one phone number's events to this workflow (callback override)",
					},
					{
						name: 'App-Wide',
						value: 'app',
						description:
							"On activation, set the app's one WhatsApp callback URL to this workflow (needs App ID and App Secret)",
					},
				],
				description:
					"How Meta learns this workflow's URL. The automatic modes register on activation and remove the registration on deactivation.",
			},
			...OVERRIDE_NOTICES,
			{
				displayName:
					'A Meta app has one app-wide WhatsApp callback: activating this replaces it, so other workflows (and n8n\'s built-in WhatsApp trigger) on the same app stop receiving events. To run several triggers on one app, use "Per WhatsApp Business Account" or "Per Phone Number".',
				name: 'appNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['app'] } },
			},
			{
				displayName:
					'Testing (Execute step) never takes events away from a published workflow: while Meta sends them to one (this or another), test events do not reach the editor. To test here, unpublish that workflow first, or send a message and look at its executions.',
				name: 'testNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['businessAccount', 'phoneNumber', 'app'] } },
			},
			{
				displayName: 'WhatsApp Business Account',
				name: 'businessAccountId',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				hint: "Empty: the credential's account",
				description: 'The account whose events come to this workflow',
				displayOptions: { show: { registration: ['businessAccount'] } },
				modes: [
					{
						displayName: 'From List',
						name: 'list',
						type: 'list',
						placeholder: 'Select an account...',
						typeOptions: { searchListMethod: 'getBusinessAccounts', searchable: true },
					},
					{
						displayName: 'By ID',
						name: 'id',
						type: 'string',
						placeholder: '102290129340398',
						validation: [
							{
								type: 'regex',
								properties: { regex: '^\\d+$', errorMessage: 'An account ID has only digits' },
							},
						],
					},
				],
			},
			{
				displayName: 'Phone Number',
				name: 'phoneNumberId',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				hint: "Empty: the credential's phone number",
				description: 'The phone number whose events come to this workflow',
				displayOptions: { show: { registration: ['phoneNumber'] } },
				modes: phoneNumberModes,
			},
			{
				displayName: 'Check Signatures',
				name: 'checkSignature',
				type: 'boolean',
				default: true,
				description:
					'Whether to reject calls whose X-Hub-Signature-256 does not match the App Secret. Turn off only to test locally with hand-made requests.',
			},
			{
				displayName:
					'Signature checks are off: anyone who knows this URL can start the workflow with made-up events. Turn them back on before going live.',
				name: 'signatureNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { checkSignature: [false] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Also Start This Workflow on Answers',
						name: 'startOnAnswers',
						type: 'boolean',
						default: false,
						description:
							"Whether taps on the buttons of a WhatsApp Cloud API node's Send and Wait message also start this workflow (with a resume field saying whether the waiting execution went on). Either way the trigger passes each answer to the execution that waits for it.",
					},
					{
						displayName: 'Binary Property',
						name: 'binaryPropertyName',
						type: 'string',
						default: 'data',
						description: 'Name of the binary property that receives downloaded media',
					},
					{
						displayName: 'Combine Messages Within',
						name: 'combineMessages',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0, maxValue: COMBINE_LIMITS.maxQuietSeconds },
						hint: 'Seconds of quiet that end a burst; 0 = off',
						description: `Messages one customer sends to one business number with less than this many seconds between them start one execution, when the customer pauses: the last message's item with combined, messageIds, messages (every message, in Meta's order) and text (their texts and captions, one per line); with Download Media, their files in the Binary Property (data), then data_1, data_2... Meta gets its 200 at once. A burst also closes at ${COMBINE_LIMITS.maxMessages} messages or ${COMBINE_LIMITS.maxWaitMs / 60_000} minutes after its first. Statuses, errors and Send and Wait answers are never held. 0 (default) = off; at most ${COMBINE_LIMITS.maxQuietSeconds} (a larger value counts as ${COMBINE_LIMITS.maxQuietSeconds}; a value below 0 or not a number turns it off; both are logged). Per n8n process: bursts wait in its memory and are lost if it stops.`,
					},
					{
						displayName: 'Download Media',
						name: 'downloadMedia',
						type: 'boolean',
						default: false,
						description:
							"Whether to download incoming images, videos, audio, documents and stickers into the item's binary data. Meta gets its answer first; a failed download leaves the event with a mediaError field.",
					},
					{
						displayName: 'Drop Duplicates',
						name: 'dropDuplicates',
						type: 'boolean',
						default: true,
						description:
							"Whether to drop events this trigger already emitted: Meta redelivers for up to 7 days and may send an event twice. Remembers the last 50,000 events for 7 days in this n8n process's memory, and the last 10,000 in the workflow's static data, which every n8n process of the deployment reads (queue mode: webhook processes and main). Production runs only: test events (Execute step) always come through and are not remembered.",
					},
					{
						displayName: 'Only Phone Number IDs',
						name: 'phoneNumberIds',
						type: 'string',
						default: '',
						placeholder: '106540352242922, 106540352242923',
						description:
							'Comma-separated phone number IDs: messages, statuses and errors for other numbers are ignored. Account-level events have no phone number and always pass.',
					},
					{
						displayName: 'Output',
						name: 'output',
						type: 'options',
						default: 'simplified',
						options: [
							{
								name: 'Simplified',
								value: 'simplified',
								description:
									'One clean item per event with the fields users reach for, plus the raw message or status',
							},
							{
								name: 'Raw',
								value: 'raw',
								description: "Meta's change value for each event, untouched",
							},
						],
					},
				],
			},
		],
	};

	methods = { listSearch: { getBusinessAccounts, getPhoneNumbers } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const mode = this.getNodeParameter('registration', 'manual') as RegistrationMode;
				// n8n calls checkExists once per activation, before create: one warning per activation,
				// whether the registration is new or already there
				const missed = missedByOverride(mode, this.getNodeParameter('updates', []) as string[]);
				if (missed.length) {
					this.logger.warn(
						`${this.getNode().name}: registered as ${mode === 'phoneNumber' ? 'a phone number' : 'an account'} callback override, it will never receive these selected events, which Meta sends only to the app-wide callback: ${missed.join(', ')}. Receive them with a trigger registered App-Wide (or by hand).`,
					);
				}
				if (await registration[mode].exists.call(this)) return true;
				// Listening for a test event must never take a live registration away: Meta would send
				// the live workflow's events to the editor, and stopping to listen would delete the
				// registration. So a test run leaves a registration that points elsewhere alone.
				if (this.getMode() === 'manual') {
					const live = await registration[mode].current.call(this);
					if (live) {
						this.logger.warn(
							`${this.getNode().name}: listening for a test event without registering: Meta sends this ${REGISTRATION_NAMES[mode]}'s events to ${live}, which stays as it is. Test events arrive here only while no workflow holds that registration.`,
						);
						return true;
					}
				}
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const mode = this.getNodeParameter('registration', 'manual') as RegistrationMode;
				return await registration[mode].create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const mode = this.getNodeParameter('registration', 'manual') as RegistrationMode;
				return await registration[mode].remove.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const name = this.getNode().name;

		if (this.getWebhookName() === 'setup') {
			const query = this.getQueryData() as IDataObject;
			const expected = String(this.getNodeParameter('verifyToken', '') ?? '');
			if (query['hub.mode'] === 'subscribe' && expected && query['hub.verify_token'] === expected) {
				res
					.status(200)
					.type('text/plain')
					.send(String(query['hub.challenge'] ?? ''));
			} else {
				this.logger.warn(
					`${name}: refused a verification request (wrong or missing hub.verify_token or hub.mode)`,
				);
				res.status(403).type('text/plain').send('Forbidden');
			}
			return { noWebhookResponse: true };
		}

		if (!req.rawBody) await req.readRawBody();
		const raw: Buffer = req.rawBody ?? Buffer.alloc(0);

		const checked = this.getNodeParameter('checkSignature', true) as boolean;
		if (checked) {
			let appSecret: string;
			try {
				appSecret = credentialText(await this.getCredentials('whatsAppCloudApi'), 'appSecret');
			} catch (error) {
				// Not verified, so not accepted: a 500 makes Meta send it again later
				this.logger.error(
					`${name}: answered 500, could not load the credential to check the signature: ${(error as Error).message}`,
				);
				res.status(500).type('text/plain').send('Could not check the signature');
				return { noWebhookResponse: true };
			}
			const check = verifySignature(raw, req.headers['x-hub-signature-256'], appSecret);
			if (!check.ok) {
				this.logger.warn(`${name}: rejected a webhook call with 401: ${check.reason}`);
				res.status(401).type('text/plain').send('Invalid signature');
				return { noWebhookResponse: true };
			}
		}

		try {
			return await receive.call(this, raw, checked);
		} catch (error) {
			// Past the signature check the call is genuine: an error answer would only make Meta send
			// the same body again for days, so Meta gets its 200 and the body goes on as an item.
			const reason = (error as Error)?.message ?? String(error);
			this.logger.error(
				`${name}: answered 200 but could not process a webhook call, passed on as an "unprocessed" item: ${reason}`,
			);
			if (!res.headersSent) res.status(200).type('text/plain').send('OK');
			return { noWebhookResponse: true, workflowData: [[{ json: unprocessedEvent(raw, reason) }]] };
		}
	}
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
async function receive(
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
