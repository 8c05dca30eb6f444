/**
 * Message > Send and Wait for Response: sends one question and puts the execution to wait until
 * the approver answers, as n8n's own send-and-wait nodes do (operation `sendAndWait`, fields
 * `message`, `responseType`, `approvalOptions`, `options.limitWaitTime`: with these names n8n
 * offers the node to AI agents as a human-review tool).
 *
 * - Approval: native reply buttons whose IDs carry a resume reference (nodes/shared/resume.ts).
 *   WhatsApp sends the tap to the app's webhook, where the WhatsApp Cloud Trigger resumes this
 *   execution through n8n's waiting webhook. Without a trigger, "Response Via: Link" sends one
 *   call-to-action button to the signed resume URL instead.
 * - Free text: a call-to-action button opens a form page served by this node's waiting webhook.
 * The answer comes back as `{ data: { approved, answer, choice, respondedAt, from, messageId } }`
 * (sendAndWait.form.ts).
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	IWebhookDescription,
} from 'n8n-workflow';
import {
	NodeOperationError,
	SEND_AND_WAIT_OPERATION,
	updateDisplayOptions,
	WAIT_INDEFINITELY,
} from 'n8n-workflow';
import { z } from 'zod';

import { credentialText } from '../../../../../credentials/WhatsAppCloudApi.credentials';
import {
	answerProof,
	formatResumeReference,
	parseResumeReference,
	signatureOfResumeUrl,
	type Choice,
} from '../../../../shared/resume';
import { GRAPH_CODE } from '../../../../shared/errors';
import { GraphApiError } from '../../../../shared/transport';
import { LIMIT, upTo, upToLower } from '../../../helpers/limits';
import {
	asText,
	itemError,
	readText,
	text as chars,
	validatePayload,
} from '../../../helpers/validation';
import type { OperationContext } from '../../../transport/context';
import {
	recipientField,
	textFormatOption,
	windowTemplateCollection,
} from '../../common.descriptions';
import { formatText } from '../../../helpers/markdown';
import type { Operation } from '../../types';
import { buildEnvelope, sendMessage, type Recipient, type SendOptions } from '../send';
import { ctaUrlSchema, replyButtonsSchema } from '../interactive.schemas';
import {
	askedRecipient,
	choicesOf,
	DEFAULT_APPROVE_LABEL,
	DEFAULT_DECLINE_LABEL,
	linkTag,
	questionOf,
	type ChoiceSpec,
} from './webhook';
import { windowTemplate } from '../windowTemplate';

export { sendAndWaitWebhook } from './webhook';

/**
 * The node's waiting webhooks, as n8n's send-and-wait nodes declare them: GET and POST on the node
 * ID, restarted executions only. n8n checks the URL's signature before the node sees a request.
 */
export const sendAndWaitWebhooks: IWebhookDescription[] = (['GET', 'POST'] as const).map(
	(httpMethod) => ({
		name: 'default',
		httpMethod,
		responseMode: 'onReceived',
		responseData: '',
		path: '={{ $nodeId }}',
		restartWebhook: true,
		isFullPath: true,
	}),
);

/** What the editor shows on the node while its execution waits. */
export const SEND_AND_WAIT_TOOLTIP =
	'={{ $parameter["operation"] === "sendAndWait" ? "The execution continues when the approver answers on WhatsApp (or when the wait limit passes)" : "" }}';

const displayOptions = { show: { resource: ['message'], operation: [SEND_AND_WAIT_OPERATION] } };

const limitWaitTime: INodeProperties = {
	displayName: 'Limit Wait Time',
	name: 'limitWaitTime',
	type: 'fixedCollection',
	default: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } },
	description:
		'Whether to stop waiting after a while. On timeout the execution continues with the input items unchanged (no data.respondedAt).',
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Limit Type',
					name: 'limitType',
					type: 'options',
					default: 'afterTimeInterval',
					options: [
						{
							name: 'After Time Interval',
							value: 'afterTimeInterval',
							description: 'Waits for a certain amount of time',
						},
						{
							name: 'At Specified Time',
							value: 'atSpecifiedTime',
							description: 'Waits until a date and time',
						},
					],
				},
				{
					displayName: 'Amount',
					name: 'resumeAmount',
					type: 'number',
					typeOptions: { minValue: 0, numberPrecision: 2 },
					default: 45,
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Unit',
					name: 'resumeUnit',
					type: 'options',
					default: 'minutes',
					options: [
						{ name: 'Days', value: 'days' },
						{ name: 'Hours', value: 'hours' },
						{ name: 'Minutes', value: 'minutes' },
					],
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Max Date and Time',
					name: 'maxDateAndTime',
					type: 'dateTime',
					default: '',
					description: 'When to stop waiting',
					displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
				},
			],
		},
	],
};

const headerOption: INodeProperties = {
	displayName: 'Header',
	name: 'header',
	type: 'string',
	default: '',
	placeholder: 'Refund approval',
	description: `Bold text above the message, ${upToLower(LIMIT.headerText)}`,
};

const footerOption: INodeProperties = {
	displayName: 'Footer',
	name: 'footer',
	type: 'string',
	default: '',
	placeholder: 'Answer within 45 minutes',
	description: `Small grey text under the message, ${upToLower(LIMIT.footerText)}`,
};

const replyToOption: INodeProperties = {
	displayName: 'Reply To Message ID',
	name: 'replyToMessageId',
	type: 'string',
	default: '',
	placeholder: 'wamid.HBgL...',
	description: "Quote an earlier message: its ID (wamid), e.g. the trigger's messageId",
};

const linkLabelOption: INodeProperties = {
	displayName: 'Message Button Label',
	name: 'messageButtonLabel',
	type: 'string',
	default: 'Respond',
	description: `The call-to-action button that opens the answer page (free text, or approvals sent as a link), ${upToLower(LIMIT.buttonTitle)}`,
};

const sorted = (options: INodeProperties[]) =>
	options.sort((a, b) => a.displayName.localeCompare(b.displayName));

const properties: INodeProperties[] = [
	recipientField,
	{
		displayName:
			'Button answers reach this execution through a WhatsApp Cloud Trigger: keep one active for the same Meta app (any registration that receives this number\'s messages). Without one, choose "Response Via: Link" in the options.',
		name: 'sendAndWaitNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { responseType: ['approval'] } },
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: `The question the approver reads, ${upToLower(LIMIT.interactiveBody)}. WhatsApp formatting works: *bold*, _italic_.`,
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		default: 'approval',
		options: [
			{
				name: 'Approval',
				value: 'approval',
				description: 'The approver taps a button: approve, decline or a custom choice',
			},
			{
				name: 'Free Text',
				value: 'freeText',
				description: 'The approver writes an answer in a form that a button opens',
			},
		],
	},
	{
		displayName: 'Approval Options',
		name: 'approvalOptions',
		type: 'fixedCollection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { responseType: ['approval'] } },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Approve Button Label',
						name: 'approveLabel',
						type: 'string',
						default: DEFAULT_APPROVE_LABEL,
						description: upTo(LIMIT.buttonTitle),
					},
					{
						displayName: 'Custom Choice Approves',
						name: 'customApproves',
						type: 'boolean',
						default: false,
						description: 'Whether the custom choice counts as approval (data.approved true)',
					},
					{
						displayName: 'Custom Choice Label',
						name: 'customLabel',
						type: 'string',
						default: '',
						placeholder: 'Ask me later',
						description: `A further button, ${upToLower(LIMIT.buttonTitle)}; empty for none. Its answer has choice "custom".`,
					},
					{
						displayName: 'Disapprove Button Label',
						name: 'disapproveLabel',
						type: 'string',
						default: DEFAULT_DECLINE_LABEL,
						description: upTo(LIMIT.buttonTitle),
						displayOptions: { show: { approvalType: ['double'] } },
					},
					{
						displayName: 'Type of Approval',
						name: 'approvalType',
						type: 'options',
						default: 'single',
						options: [
							{ name: 'Approve Only', value: 'single' },
							{ name: 'Approve and Disapprove', value: 'double' },
						],
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { responseType: ['approval'] } },
		options: sorted([
			headerOption,
			footerOption,
			limitWaitTime,
			linkLabelOption,
			replyToOption,
			textFormatOption,
			{
				displayName: 'Response Via',
				name: 'responseVia',
				type: 'options',
				default: 'buttons',
				options: [
					{
						name: 'Buttons',
						value: 'buttons',
						description:
							'Native reply buttons; a WhatsApp Cloud Trigger of the same app resumes the execution',
					},
					{
						name: 'Link',
						value: 'link',
						description:
							'One call-to-action button that opens a page with the choices; needs no trigger',
					},
				],
			},
			windowTemplateCollection({
				displayName: 'Template Outside 24-Hour Window',
				name: 'windowTemplate',
				placeholder: 'Add template',
				description:
					"WhatsApp delivers the buttons only within 24 hours of the approver's last message (error 131047). Outside it, send this approved template instead: its quick-reply buttons (one per choice, in order: approve, decline, custom) carry the answer back through the trigger.",
				templateName: {
					placeholder: 'approval_request',
					description: 'An approved template with a quick-reply button per choice',
				},
				parameters: {
					placeholder: 'Refund of 120 EUR for order A-1042',
					description:
						"One value per line for the template body's variables, in order ({{1}}, {{2}} …)",
				},
			}),
		]),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { responseType: ['freeText'] } },
		options: sorted([
			headerOption,
			footerOption,
			limitWaitTime,
			linkLabelOption,
			replyToOption,
			textFormatOption,
			{
				displayName: 'Response Form Title',
				name: 'responseFormTitle',
				type: 'string',
				default: '',
				description: 'Title of the page where the approver writes the answer',
			},
			{
				displayName: 'Response Form Button Label',
				name: 'responseFormButtonLabel',
				type: 'string',
				default: 'Submit',
			},
		]),
	},
];

const description = updateDisplayOptions(displayOptions, properties);

type SendAndWaitOptions = SendOptions & {
	header?: string;
	footer?: string;
	messageButtonLabel?: string;
	responseVia?: 'buttons' | 'link';
	limitWaitTime?: { values?: IDataObject };
	windowTemplate?: { template?: { name?: string; language?: string; parameters?: string } };
};

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

const TOO_LATE = `ends after ${WAIT_INDEFINITELY.toISOString().slice(0, 10)}, when n8n stops waiting anyway; remove Limit Wait Time to wait without a limit`;

/** When the wait ends without an answer: Options > Limit Wait Time, or never. */
function waitTillOf(fns: IExecuteFunctions, i: number, options: SendAndWaitOptions): Date {
	const limit = options.limitWaitTime?.values;
	if (!limit || !Object.keys(limit).length) return WAIT_INDEFINITELY;
	const fail = (problem: string) =>
		itemError(
			fns,
			i,
			`Options > Limit Wait Time ${problem}`,
			'Give a positive amount of minutes, hours or days, or a date and time in the future.',
		);
	if (limit.limitType === 'atSpecifiedTime') {
		const raw = limit.maxDateAndTime;
		const at = new Date(typeof raw === 'number' ? raw : String(raw ?? ''));
		if (!raw || Number.isNaN(at.getTime()))
			throw fail(`> Max Date and Time is not a date: ${JSON.stringify(raw ?? '')}`);
		if (at.getTime() <= Date.now())
			throw fail(`> Max Date and Time (${at.toISOString()}) is in the past`);
		if (at.getTime() >= WAIT_INDEFINITELY.getTime())
			throw fail(`> Max Date and Time (${at.toISOString()}) ${TOO_LATE}`);
		return at;
	}
	const amount = Number(limit.resumeAmount);
	const unit = UNIT_MS[String(limit.resumeUnit ?? 'hours')];
	if (!Number.isFinite(amount) || amount <= 0 || !unit)
		throw fail(
			`> Amount must be more than 0, got ${JSON.stringify(limit.resumeAmount ?? null)} ${String(limit.resumeUnit ?? '')}`,
		);
	const until = Date.now() + amount * unit;
	// a date n8n cannot store (or one past its "wait for ever") would fail after the question left
	if (!(until < WAIT_INDEFINITELY.getTime()))
		throw fail(
			`> Amount ${JSON.stringify(limit.resumeAmount)} ${String(limit.resumeUnit ?? 'hours')} ${TOO_LATE}`,
		);
	return new Date(until);
}

const labelSchema = z.object({ label: chars(LIMIT.buttonTitle) });

/** Each choice's label: a reply button's title (LIMIT.buttonTitle), unique, as Meta requires. */
function checkLabels(fns: IExecuteFunctions, i: number, choices: ChoiceSpec[]): void {
	const fields: Record<Choice, string> = {
		approve: 'Approval Options > Approve Button Label',
		decline: 'Approval Options > Disapprove Button Label',
		custom: 'Approval Options > Custom Choice Label',
	};
	const seen = new Map<string, Choice>();
	for (const c of choices) {
		validatePayload(fns, labelSchema, { label: c.label }, i, { label: fields[c.choice] });
		const other = seen.get(c.label);
		if (other)
			throw itemError(
				fns,
				i,
				`${fields[c.choice]} repeats "${c.label}" of ${fields[other]}`,
				'WhatsApp needs a different title on each button.',
			);
		seen.set(c.label, c.choice);
	}
}

const LABELS: Record<string, string> = {
	'header.text': 'Options > Header',
	'body.text': 'Message',
	'footer.text': 'Options > Footer',
	'action.buttons': 'Approval Options',
	'action.parameters.display_text': 'Options > Message Button Label',
	'action.parameters.url': "the resume URL (from n8n's WEBHOOK_URL)",
};

/**
 * The template sent instead of the buttons when the approver's 24-hour window is closed: its
 * quick-reply buttons carry the choices' references, in order. Checked against the template's
 * definition before anything is sent.
 */
async function carrierTemplate(
	fns: IExecuteFunctions,
	ctx: OperationContext,
	i: number,
	options: SendAndWaitOptions,
	choices: ChoiceSpec[],
	references: Record<Choice, string> | undefined,
	recipient: Recipient,
): Promise<IDataObject | undefined> {
	const t = options.windowTemplate?.template;
	const option = 'Template Outside 24-Hour Window';
	const name = asText(fns, t?.name, `${option} > Template Name`, i).trim();
	if (!t || !name) return undefined;
	if (!references)
		throw itemError(
			fns,
			i,
			`${option} > Template Name cannot carry the answers: the resume reference does not fit a button`,
			"The template's quick replies carry a resume reference, which n8n's resume URL layout did not give (see the output's fallbackReason). Remove the template, or send to someone within their 24-hour window.",
		);
	return await windowTemplate(fns, ctx, i, {
		option,
		name,
		language: asText(fns, t.language, `${option} > Language Code`, i).trim() || 'en_US',
		lines: asText(fns, t.parameters, `${option} > Body Parameters`, i)
			.split(/\r?\n/)
			.map((l) => l.trim())
			.filter(Boolean),
		recipient,
		// each choice rides on its own quick reply, in order
		extra: (variables, fail) => {
			const quickReplies = variables.filter((v) => v.kind === 'buttonPayload');
			if (quickReplies.length < choices.length)
				throw fail(
					`${option} > Template Name: "${name}" has ${quickReplies.length} quick-reply button${quickReplies.length === 1 ? '' : 's'}, but the approval offers ${choices.length} choices`,
					`Each choice needs its own quick-reply button, in this order: ${choices.map((c) => `"${c.label}"`).join(', ')}. Choose a template with enough quick replies, or offer fewer choices.`,
				);
			return Object.fromEntries(choices.map((c, n) => [quickReplies[n].id, references[c.choice]]));
		},
	});
}

/** A send refused for the closed 24-hour window (131047) says how Send and Wait gets through. */
function withWindowHint(error: unknown, hadTemplate: boolean): Error {
	if (
		error instanceof GraphApiError &&
		error.graphCode === GRAPH_CODE.outsideWindow &&
		!hadTemplate
	)
		error.description = [
			error.description,
			'Send and Wait: to reach an approver outside the 24-hour window, add Options > Template Outside 24-Hour Window (an approved template with a quick-reply button per choice).',
		]
			.filter(Boolean)
			.join('\n\n');
	return error as Error;
}

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const count = this.getInputData().length;
	if (count !== 1)
		throw itemError(
			this,
			i,
			`Send and Wait for Response takes one item per execution, but got ${count}`,
			'An execution waits for one answer. Run it once per question, e.g. behind a Loop Over Items node with batch size 1.',
		);
	if (typeof this.getSignedResumeUrl !== 'function')
		throw new NodeOperationError(
			this.getNode(),
			'This n8n version cannot sign resume URLs, which Send and Wait needs',
			{
				itemIndex: i,
				description: 'Update n8n: its 2.x versions sign resume URLs. Nothing was sent.',
			},
		);
	const options = this.getNodeParameter('options', i, {}) as SendAndWaitOptions;
	const responseType = this.getNodeParameter('responseType', i, 'approval') as string;
	const waitTill = waitTillOf(this, i, options);
	const headerText = asText(this, options.header, 'Options > Header', i);
	const footerText = asText(this, options.footer, 'Options > Footer', i);
	const common = {
		...(headerText ? { header: { type: 'text', text: headerText } } : {}),
		body: {
			text: formatText(this, i, readText(this, 'message', i, 'Message'), options.textFormat),
		},
		...(footerText ? { footer: { text: footerText } } : {}),
	};

	const node = this.getNode();
	const executionId = this.getExecutionId();
	const choices =
		responseType === 'freeText'
			? []
			: choicesOf(this.getNodeParameter('approvalOptions.values', i, {}) as IDataObject);
	checkLabels(this, i, choices);
	// what the answer must match: read as the waiting webhook reads it again (sendAndWait.form.ts)
	const question = questionOf(options, this.getNodeParameter('message', i, ''), choices);
	const recipient = askedRecipient(this.getNodeParameter('to', i, ''));
	// a bad To fails in buildEnvelope below, with its field-named error, before anything is sent
	const tag = recipient ? linkTag(executionId, node.id, recipient, question) : '';
	// the link's URL is signed with its question's tag; the buttons' URL has no query of its own,
	// so a button's reference cannot be opened as the link
	const resumeUrl = this.getSignedResumeUrl({ q: tag });
	const signature = signatureOfResumeUrl(this.getSignedResumeUrl(), executionId, node.id);
	let appSecret = '';
	try {
		appSecret = credentialText(await this.getCredentials('whatsAppCloudApi'), 'appSecret');
	} catch {
		// no App Secret to sign the buttons with: the approver answers through the link
	}

	let references: Record<Choice, string> | undefined;
	let fallbackReason: string | undefined;
	if (choices.length && recipient) {
		if (!appSecret) {
			fallbackReason =
				"the credential has no App Secret, which a tap's answer is checked with, so the approver answers through a link";
		} else if (!signature) {
			fallbackReason =
				"n8n's resume URL does not have the layout a button reference is made from, so the approver answers through a link";
		} else {
			references = {} as Record<Choice, string>;
			for (const c of choices)
				references[c.choice] = formatResumeReference({
					executionId,
					nodeId: node.id,
					choice: c.choice,
					signature,
					proof: answerProof(appSecret, {
						executionId,
						nodeId: node.id,
						choice: c.choice,
						recipient,
						question,
					}),
				});
			const longest = Math.max(...Object.values(references).map((r) => r.length));
			const readable = Object.values(references).every(
				(r) => parseResumeReference(r)?.nodeId === node.id,
			);
			if (!readable) {
				fallbackReason =
					'the node ID has characters a button reference cannot carry, so the approver answers through a link';
				references = undefined;
			} else if (longest > LIMIT.buttonId) {
				fallbackReason = `the resume reference has ${longest} characters, more than the ${LIMIT.buttonId} a button ID may have (the node ID is long), so the approver answers through a link`;
				references = undefined;
			}
		}
	}
	const via =
		responseType === 'freeText'
			? 'form'
			: options.responseVia === 'link' || !references
				? 'link'
				: 'buttons';

	const linkLabel = asText(this, options.messageButtonLabel, 'Options > Message Button Label', i);
	const interactive =
		via === 'buttons'
			? validatePayload(
					this,
					replyButtonsSchema,
					{
						type: 'button',
						...common,
						action: {
							buttons: choices.map((c) => ({
								type: 'reply',
								reply: { id: references![c.choice], title: c.label },
							})),
						},
					},
					i,
					LABELS,
				)
			: validatePayload(
					this,
					ctaUrlSchema,
					{
						type: 'cta_url',
						...common,
						action: {
							name: 'cta_url',
							parameters: { display_text: linkLabel || 'Respond', url: resumeUrl },
						},
					},
					i,
					LABELS,
				);
	const envelope = await buildEnvelope(
		this,
		i,
		ctx,
		{ type: 'interactive', interactive: interactive as IDataObject },
		{ replyToMessageId: options.replyToMessageId },
	);
	if (responseType === 'freeText' && options.windowTemplate?.template?.name)
		throw itemError(
			this,
			i,
			'Options > Template Outside 24-Hour Window carries approval choices only',
			'Remove it for free-text questions.',
		);
	envelope.fallback = await carrierTemplate(
		this,
		ctx,
		i,
		options,
		choices,
		references,
		envelope.recipient,
	);

	return async () => {
		let sent: IDataObject | undefined;
		let failure: unknown;
		try {
			sent = await sendMessage(ctx, i, envelope);
		} catch (error) {
			failure = error;
		}
		if (!sent) throw withWindowHint(failure, Boolean(envelope.fallback));
		// Only a message that left gets an answer: a failed send throws above and nothing waits
		await this.putExecutionToWait(waitTill);
		return {
			...sent,
			waiting: {
				responseType,
				responseVia: sent.fallback ? 'template' : via,
				...(fallbackReason && via === 'link' ? { fallbackReason } : {}),
				choices: choices.map((c) => ({ choice: c.choice, label: c.label, approved: c.approved })),
				waitTill:
					waitTill.getTime() === WAIT_INDEFINITELY.getTime() ? null : waitTill.toISOString(),
			},
		};
	};
}

export const sendAndWait: Operation = { description, paced: true, prepare };
