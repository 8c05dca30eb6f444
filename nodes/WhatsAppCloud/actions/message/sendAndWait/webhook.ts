/**
 * The waiting side of Send and Wait: what n8n's waiting webhook runs when someone answers. An
 * approver answers in one of three ways:
 * - taps a reply button (or a template's quick reply): the trigger receives the tap from Meta and
 *   posts the answer here (JSON, `ANSWER_KEY`);
 * - opens the call-to-action link of an approval: a page with one button per choice, whose form
 *   posts the choice back to the same signed URL;
 * - opens the call-to-action link of a free-text question: a form whose text is posted back.
 * Opening a link (GET) never resumes the execution: WhatsApp and other apps fetch links for
 * previews, and such a fetch must not approve anything. Only a POST answers.
 *
 * An answer counts only for the question it was given to: a tap's proof and a link's `q` are made
 * from the question and the person asked (`questionOf`, `askedRecipient`) when it is sent, and made
 * again here from the node's parameters when the answer arrives. When the node asks again in the
 * same execution (a loop, an agent's second review), the new question's answers differ from the
 * old one's, and an old tap or link resumes nothing.
 */
import { createHash } from 'crypto';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { credentialText } from '../../../../../credentials/WhatsAppCloudApi.credentials';
import {
	ANSWER_KEY,
	answerProof,
	answerSignatureMatches,
	proofMatches,
	readAnswer,
	RESUMED_REPLY,
	type Choice,
} from '../../../../shared/resume';
import { isBusinessScopedUserId, recipientSchema } from '../../../helpers/validation';

/** One answer the approval offers: its choice, its label, and whether it counts as approval. */
export type ChoiceSpec = { choice: Choice; label: string; approved: boolean };

type ApprovalValues = {
	approvalType?: string;
	approveLabel?: string;
	disapproveLabel?: string;
	customLabel?: string;
	customApproves?: boolean;
};

export const DEFAULT_APPROVE_LABEL = '✓ Approve';
export const DEFAULT_DECLINE_LABEL = '✗ Decline';

/**
 * The choices of an approval from the node's Approval Options, in button order: approve, decline
 * (with "Approve and Disapprove"), then the custom choice when it has a label. Labels are read as
 * they are; the operation checks them before sending.
 */
export function choicesOf(values: ApprovalValues | undefined): ChoiceSpec[] {
	const v = values ?? {};
	const text = (value: unknown, fallback: string) =>
		value === undefined || value === null || value === '' ? fallback : String(value);
	const choices: ChoiceSpec[] = [
		{ choice: 'approve', label: text(v.approveLabel, DEFAULT_APPROVE_LABEL), approved: true },
	];
	if (v.approvalType === 'double')
		choices.push({
			choice: 'decline',
			label: text(v.disapproveLabel, DEFAULT_DECLINE_LABEL),
			approved: false,
		});
	const custom = text(v.customLabel, '').trim();
	if (custom)
		choices.push({ choice: 'custom', label: custom, approved: v.customApproves === true });
	return choices;
}

const part = (value: unknown) =>
	typeof value === 'string'
		? value
		: typeof value === 'number' || typeof value === 'boolean'
			? String(value)
			: value === undefined || value === null
				? ''
				: // the send refuses objects here, so an object never matches a question that was sent
					'\u0000object';

/**
 * The question as the approver reads it: header, message, footer and each choice's label, as the
 * node's parameters give them for its one item. Read the same way when the question is sent and
 * when an answer arrives.
 */
export function questionOf(
	options: IDataObject,
	message: unknown,
	choices: ChoiceSpec[],
): string[] {
	return [
		part(options.header),
		part(message),
		part(options.footer),
		...choices.map((c) => `${c.choice}:${c.label}`),
	];
}

/** The person asked, as To names them once normalised (digits with `+`, or a user ID). */
export function askedRecipient(to: unknown): string | undefined {
	const parsed = recipientSchema.safeParse(part(to));
	return parsed.success ? parsed.data : undefined;
}

/**
 * The `q` of a link's resume URL: a digest of the execution, the node, the person and the
 * question. n8n signs the URL with it, so it cannot be changed; it need not be secret, only
 * different for a different question.
 */
export function linkTag(
	executionId: string,
	nodeId: string,
	recipient: string,
	question: string[],
): string {
	return createHash('sha256')
		.update(JSON.stringify(['link', executionId, nodeId, recipient, question]))
		.digest()
		.subarray(0, 16)
		.toString('base64url');
}

/** What the node asks now, read from its parameters in the waiting webhook. */
function askedNow(fns: IWebhookFunctions, choices: ChoiceSpec[]) {
	const options = fns.getNodeParameter('options', {}) as IDataObject;
	return {
		question: questionOf(options, fns.getNodeParameter('message', ''), choices),
		recipient: askedRecipient(fns.getNodeParameter('to', '')),
	};
}

/** Whether a link answer came through the link of the question this node asks now. */
function linkIsCurrent(fns: IWebhookFunctions, choices: ChoiceSpec[]): boolean {
	const { question, recipient } = askedNow(fns, choices);
	const q = fns.getQueryData() as IDataObject;
	if (!recipient || typeof q.q !== 'string') return false;
	return q.q === linkTag(fns.getExecutionId(), fns.getNode().id, recipient, question);
}

/** Phone digits without `+`, for comparing a recipient with Meta's `from`. */
const digits = (phone: string) => (phone.startsWith('+') ? phone.slice(1) : phone);

/** The item the execution continues with: `data` as n8n's send-and-wait nodes name it. */
function answerItem(data: IDataObject) {
	return [[{ json: { data: { ...data, respondedAt: new Date().toISOString() } } }]];
}

/** Link previews and other fetchers; a GET from them gets an empty page. */
const PREVIEW_AGENTS =
	/bot|crawl|spider|preview|whatsapp|facebookexternalhit|meta-externalagent|skype|teams|slack|telegram|discord|twitter|linkedin|embedly|curl|wget|python|go-http|okhttp|headless/i;

export function isLinkPreview(userAgent: unknown): boolean {
	return typeof userAgent !== 'string' || !userAgent.trim() || PREVIEW_AGENTS.test(userAgent);
}

const escapeHtml = (text: string) =>
	text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
	);

/** No scripts, no outside resources; forms post only to this same URL. */
const CSP =
	"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLE =
	'body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1f2933}' +
	'p.message{white-space:pre-wrap;font-size:1.05rem}button{display:block;width:100%;margin:.5rem 0;padding:.8rem;font-size:1rem;border:0;border-radius:.5rem;background:#128c7e;color:#fff}' +
	'button.secondary{background:#e4e7eb;color:#1f2933}textarea{width:100%;min-height:8rem;font:inherit;padding:.5rem;box-sizing:border-box}.error{color:#b42318}';

function page(title: string, content: string): string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${content}</body></html>`;
}

function choicePage(message: string, choices: ChoiceSpec[], error = ''): string {
	const buttons = choices
		.map(
			(c, n) =>
				`<form method="post"><input type="hidden" name="choice" value="${c.choice}"><button type="submit"${n ? ' class="secondary"' : ''}>${escapeHtml(c.label)}</button></form>`,
		)
		.join('');
	return page(
		'Your answer',
		`${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}<p class="message">${escapeHtml(message)}</p>${buttons}`,
	);
}

function formPage(message: string, title: string, button: string, error = ''): string {
	return page(
		title || 'Your answer',
		`${title ? `<h1>${escapeHtml(title)}</h1>` : ''}${error ? `<p class="error">${escapeHtml(error)}</p>` : ''}<p class="message">${escapeHtml(message)}</p><form method="post"><textarea name="answer" required maxlength="4096"></textarea><button type="submit">${escapeHtml(button || 'Submit')}</button></form>`,
	);
}

const DONE_PAGE = (answer: string) =>
	page(
		'Thank you',
		`<h1>Thank you</h1><p>Your answer was recorded: <strong>${escapeHtml(answer)}</strong>.</p><p>You can close this page.</p>`,
	);

function sendHtml(fns: IWebhookFunctions, status: number, html: string): IWebhookResponseData {
	const res = fns.getResponseObject();
	res.setHeader('Content-Security-Policy', CSP);
	res.status(status).type('html').send(html);
	return { noWebhookResponse: true };
}

const STALE_PAGE = page(
	'No longer open',
	'<h1>This question is no longer open</h1><p>This link belongs to another question, or the question was asked again. Use the link in the newest message.</p>',
);

/**
 * A link that n8n signed for this execution and node, but not for the question the node asks now
 * (or a button's resume URL opened as a page): nothing resumes.
 */
function staleLink(fns: IWebhookFunctions, method: string): IWebhookResponseData {
	if (method === 'POST')
		fns.logger.warn(
			`${fns.getNode().name}: refused an answer through a link that is not the current question's`,
		);
	return sendHtml(fns, 403, STALE_PAGE);
}

function refuse(fns: IWebhookFunctions, status: number, reason: string): IWebhookResponseData {
	fns.logger.warn(
		`${fns.getNode().name}: refused an answer from the trigger (${status}): ${reason}`,
	);
	fns.getResponseObject().status(status).json({ resumed: false, reason });
	return { noWebhookResponse: true };
}

/**
 * An answer the trigger posted: a tap on one of this node's buttons. It resumes the execution only
 * when the trigger signed it (the trigger signs only taps whose Meta signature it checked), its
 * proof is the one this node gives that choice of the question it asks now, and it came from the
 * person asked. Anything else is refused with the reason, which the trigger logs and reports.
 */
async function buttonAnswer(
	fns: IWebhookFunctions,
	body: IDataObject,
	choices: ChoiceSpec[],
): Promise<IWebhookResponseData> {
	const node = fns.getNode();
	if (fns.getNodeParameter('responseType', 'approval') !== 'approval')
		return refuse(fns, 400, 'this node waits for a free-text answer, not a button');
	const answer = readAnswer(body[ANSWER_KEY]);
	if (!answer) return refuse(fns, 400, 'the answer does not have the shape the trigger sends');
	if (answer.nodeId !== node.id)
		return refuse(fns, 400, 'the answer names another node than this one');
	const executionId = fns.getExecutionId();
	if (executionId && answer.executionId !== executionId)
		return refuse(fns, 400, 'the answer names another execution than this one');
	const chosen = choices.find((c) => c.choice === answer.choice);
	if (!chosen) return refuse(fns, 400, `this node offers no "${answer.choice}" choice (any more)`);
	let appSecret = '';
	try {
		appSecret = credentialText(await fns.getCredentials('whatsAppCloudApi'), 'appSecret');
	} catch {
		// no credential: nothing can be checked, refused below
	}
	if (!appSecret)
		return refuse(
			fns,
			401,
			"this node's credential has no App Secret, so no tap can be checked; such questions are answered through a link",
		);
	if (!answerSignatureMatches(answer, body.signature, appSecret))
		return refuse(
			fns,
			401,
			body.signature === undefined || body.signature === null
				? "the answer is not signed: only a WhatsApp Cloud API Trigger that checked the tap against Meta's signature signs it (its Check Signatures option on, with the same App Secret)"
				: "the answer's signature does not match the App Secret of this node's credential",
		);
	const { question, recipient } = askedNow(fns, choices);
	const expected = recipient
		? answerProof(appSecret, {
				executionId: answer.executionId,
				nodeId: node.id,
				choice: chosen.choice,
				recipient,
				question,
			})
		: '';
	if (!recipient || !proofMatches(answer.proof, expected))
		return refuse(
			fns,
			403,
			'the tap answers another question than the one this node waits for (an earlier question of this node in this execution, or its Message, Options, choices or To read differently now)',
		);
	const person = isBusinessScopedUserId(recipient)
		? answer.fromUserId === recipient || answer.from === recipient
		: answer.from !== null && digits(answer.from) === digits(recipient);
	if (!person)
		return refuse(
			fns,
			403,
			`the tap came from ${answer.from ?? answer.fromUserId ?? 'someone Meta did not name'}, but the question was asked to ${recipient}`,
		);
	return {
		webhookResponse: RESUMED_REPLY,
		workflowData: answerItem({
			approved: chosen.approved,
			answer: answer.title || chosen.label,
			choice: chosen.choice,
			from: answer.from,
			messageId: answer.messageId,
			sentMessageId: answer.sentMessageId,
			via: answer.via,
		}),
	};
}

/** n8n's waiting webhook calls this for a node waiting in Send and Wait. */
export async function sendAndWaitWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	const method = req.method;
	const responseType = this.getNodeParameter('responseType', 'approval') as string;
	const message = String(this.getNodeParameter('message', '') ?? '');
	const body = (this.getBodyData() ?? {}) as IDataObject;

	if (responseType !== 'freeText') {
		const choices = choicesOf(
			this.getNodeParameter('approvalOptions.values', {}) as ApprovalValues,
		);
		if (method === 'POST' && body[ANSWER_KEY] !== undefined)
			return await buttonAnswer(this, body, choices);
		if (!linkIsCurrent(this, choices)) return staleLink(this, method);
		if (method === 'GET') {
			// a preview fetch gets nothing; a person gets the choices, which only a POST records
			if (isLinkPreview(req.headers['user-agent'])) return sendHtml(this, 200, '');
			return sendHtml(this, 200, choicePage(message, choices));
		}
		const chosen = choices.find((c) => c.choice === body.choice);
		if (method !== 'POST' || !chosen)
			return sendHtml(this, 400, choicePage(message, choices, 'Please choose one of the answers.'));
		return {
			webhookResponse: DONE_PAGE(chosen.label),
			workflowData: answerItem({
				approved: chosen.approved,
				answer: chosen.label,
				choice: chosen.choice,
				from: null,
				messageId: null,
				sentMessageId: null,
				via: 'link',
			}),
		};
	}

	if (!linkIsCurrent(this, [])) return staleLink(this, method);
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const title = String(options.responseFormTitle ?? '');
	const button = String(options.responseFormButtonLabel ?? 'Submit');
	if (method === 'GET') {
		if (isLinkPreview(req.headers['user-agent'])) return sendHtml(this, 200, '');
		return sendHtml(this, 200, formPage(message, title, button));
	}
	const text = typeof body.answer === 'string' ? body.answer.trim() : '';
	if (method !== 'POST' || !text)
		return sendHtml(this, 400, formPage(message, title, button, 'Please write your answer.'));
	return {
		webhookResponse: DONE_PAGE(text.length > 200 ? `${text.slice(0, 200)}…` : text),
		workflowData: answerItem({
			approved: null,
			answer: text,
			// n8n's own free-text answers are called `text`
			text,
			choice: null,
			from: null,
			messageId: null,
			sentMessageId: null,
			via: 'form',
		}),
	};
}
