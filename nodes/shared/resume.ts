import { createHmac, timingSafeEqual } from 'crypto';

/**
 * What the action node's Send and Wait and the trigger agree on: the resume reference a reply
 * button carries, the URL the trigger rebuilds from it, and the answer the trigger posts there.
 *
 * n8n signs a waiting node's resume URL, `<base>/<executionId>/<nodeId>?signature=<hex>`, with
 * an HMAC of its path and query under the instance's own secret, and checks that signature before
 * it lets anyone resume the execution. The button ID therefore needs only the parts that differ
 * per wait: the execution, the node, the choice and the signature. The base is never in it: the
 * trigger puts its own instance's waiting-webhook base in front, so it can only ever call this
 * n8n, and n8n itself refuses a reference whose signature it did not make.
 */

/** Meta's limit for a reply button's ID. */
export const BUTTON_ID_LIMIT = 256;

const PREFIX = 'wcwait';

/** The answers a Send and Wait approval offers; what each means is the waiting node's setting. */
export type Choice = 'approve' | 'decline' | 'custom';

const CODES: Record<Choice, string> = { approve: 'a', decline: 'd', custom: 'c' };
const CHOICES: Record<string, Choice> = { a: 'approve', d: 'decline', c: 'custom' };

export type ResumeReference = {
	executionId: string;
	nodeId: string;
	choice: Choice;
	/** n8n's signature of the resume URL: 64 hex digits. */
	signature: string;
};

const SIGNATURE_HEX = /^[0-9a-f]{64}$/;
/** n8n's execution IDs are digits; letters, `_` and `-` are let through for other ID schemes. */
const EXECUTION_ID = /^[A-Za-z0-9_-]{1,40}$/;
const REFERENCE = new RegExp(
	`^${PREFIX}:([A-Za-z0-9_-]{1,40}):([A-Za-z0-9%._~!*'()-]{1,256}):([adc]):([A-Za-z0-9_-]{43})$`,
);

/**
 * `wcwait:<executionId>:<nodeId, URL-encoded>:<a|d|c>:<signature, base64url>`: about 120
 * characters for n8n's usual IDs, whatever the host name. The signature is written in base64url
 * (43 characters instead of 64) to leave room in Meta's 256 characters.
 */
export function formatResumeReference(reference: ResumeReference): string {
	const signature = Buffer.from(reference.signature, 'hex').toString('base64url');
	return `${PREFIX}:${reference.executionId}:${encodeURIComponent(reference.nodeId)}:${CODES[reference.choice]}:${signature}`;
}

/** The reference in a button ID or template payload, or undefined for any other text. */
export function parseResumeReference(text: unknown): ResumeReference | undefined {
	if (typeof text !== 'string' || !text.startsWith(`${PREFIX}:`)) return undefined;
	const match = REFERENCE.exec(text);
	if (!match) return undefined;
	let nodeId: string;
	try {
		nodeId = decodeURIComponent(match[2]);
	} catch {
		return undefined;
	}
	const signature = Buffer.from(match[4], 'base64url').toString('hex');
	if (!nodeId || !SIGNATURE_HEX.test(signature)) return undefined;
	return { executionId: match[1], nodeId, choice: CHOICES[match[3]], signature };
}

/** Whether a text is meant as a resume reference (even a damaged one): the trigger logs those. */
export const looksLikeResumeReference = (text: unknown) =>
	typeof text === 'string' && text.startsWith(`${PREFIX}:`);

/**
 * The signature of a resume URL that n8n made for this execution and node, provided the URL has
 * the layout the trigger rebuilds: `<base>/<executionId>/<nodeId>?signature=<hex>` and nothing
 * else in its query. Undefined otherwise (the node then sends the whole URL as a link).
 */
export function signatureOfResumeUrl(
	url: string,
	executionId: string,
	nodeId: string,
): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return undefined;
	}
	const signature = parsed.searchParams.get('signature') ?? '';
	const onlySignature = [...parsed.searchParams.keys()].every((k) => k === 'signature');
	const suffix = `/${executionId}/${encodeURIComponent(nodeId)}`;
	if (
		!EXECUTION_ID.test(executionId) ||
		!onlySignature ||
		!SIGNATURE_HEX.test(signature) ||
		!parsed.pathname.endsWith(suffix)
	)
		return undefined;
	return signature;
}

/** The resume URL of a reference on a waiting-webhook base (`https://n8n.example.com/webhook-waiting`). */
export function resumeUrlOf(waitingBase: string, reference: ResumeReference): string {
	const url = new URL(
		`${waitingBase.replace(/\/+$/, '')}/${reference.executionId}/${encodeURIComponent(reference.nodeId)}`,
	);
	url.searchParams.set('signature', reference.signature);
	return url.toString();
}

/** The key of the answer the trigger posts to a waiting node: `{ [ANSWER_KEY]: answer, signature }`. */
export const ANSWER_KEY = 'whatsAppCloudAnswer';

/** A tap on a reply button (or a template's quick reply) as the trigger saw it in Meta's webhook. */
export type ButtonAnswer = {
	executionId: string;
	nodeId: string;
	choice: Choice;
	/** The tapped button's title as Meta reported it. */
	title: string | null;
	/** The approver's phone, or their business-scoped user ID when Meta shares no phone. */
	from: string | null;
	fromUserId: string | null;
	/** The ID of the tap (the approver's reply message). */
	messageId: string | null;
	/** The ID of the message whose button was tapped. */
	sentMessageId: string | null;
	phoneNumberId: string | null;
	/** `button` for a reply button, `template` for a template's quick reply. */
	via: 'button' | 'template';
};

/**
 * `sha256=<hex>` over the answer as JSON, keyed with the Meta app's App Secret: the waiting node
 * takes the approver's identity from an answer only when it checks out with its own credential.
 */
export function signAnswer(answer: ButtonAnswer, appSecret: string): string {
	return `sha256=${createHmac('sha256', appSecret).update(JSON.stringify(answer)).digest('hex')}`;
}

export function answerSignatureMatches(
	answer: unknown,
	signature: unknown,
	appSecret: string,
): boolean {
	if (typeof signature !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(signature)) return false;
	const expected = Buffer.from(
		createHmac('sha256', appSecret).update(JSON.stringify(answer)).digest('hex'),
	);
	const received = Buffer.from(signature.slice(7));
	return received.length === expected.length && timingSafeEqual(received, expected);
}

/** What the waiting node answers when it took a trigger's answer and the execution goes on. */
export const RESUMED_REPLY = { resumed: true };

export type ResumeOutcome = { resumed: true } | { resumed: false; reason: string };

/**
 * What n8n's answer to a resume call means. Only the waiting node's own reply proves a resume;
 * n8n answers everything else itself: 401 for a signature it did not make, 404 for an execution
 * that is gone, 409 for one that is running or failed, and a 200 page ("no action required") for
 * one that finished or waits elsewhere.
 */
export function resumeOutcome(status: number, body: unknown): ResumeOutcome {
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			parsed = undefined;
		}
	}
	const reply = parsed as { resumed?: unknown; reason?: unknown } | undefined;
	if (status === 200 && reply?.resumed === true) return { resumed: true };
	const said = typeof reply?.reason === 'string' ? `: ${reply.reason}` : '';
	if (status === 401)
		return {
			resumed: false,
			reason: `n8n refused the resume reference (401): its signature is not valid on this instance${said}`,
		};
	if (status === 404)
		return {
			resumed: false,
			reason:
				'n8n answered 404: the execution no longer exists, or this instance serves its waiting webhooks at another path',
		};
	if (status === 409)
		return {
			resumed: false,
			reason: 'n8n answered 409: the execution is already running again or ended with an error',
		};
	if (status === 200)
		return {
			resumed: false,
			reason:
				'the execution no longer waits for this answer (answered already, timed out, or waiting at another node)',
		};
	return { resumed: false, reason: `n8n answered HTTP ${status}${said}` };
}
