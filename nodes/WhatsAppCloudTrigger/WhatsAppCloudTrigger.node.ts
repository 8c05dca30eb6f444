import type {
	IDataObject,
	IHookFunctions,
	INodeProperties,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { credentialText } from '../../credentials/WhatsAppCloudApi.credentials';
import {
	businessAccountModes,
	getBusinessAccounts,
	getPhoneNumbers,
	phoneNumberModes,
} from '../shared/listSearch';
import { unprocessedEvent, verifySignature } from './webhook';
import { APP_ONLY_EVENTS, missedByOverride, OPTION_EVENTS } from './events';
import { COMBINE_LIMITS } from './combine';
import { receive } from './receive';
import { registration, type RegistrationMode } from './registration';
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
		displayName: `With this registration, All Events means messages, statuses, errors and group events. Only the app-wide callback gets: ${APP_ONLY_EVENTS.map((e) => e.option.name).join(', ')}. ${RECEIVE_ELSEWHERE}`,
		name: 'appOnlyNotice_all',
		type: 'notice',
		default: '',
		displayOptions: { show: { registration: OVERRIDE_REGISTRATIONS, updates: ['*'] } },
	},
];

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
				modes: businessAccountModes,
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
