import { createHmac, timingSafeEqual } from 'crypto';

/**
 * What the action node's Send and Wait and the trigger agree on: the resume reference a reply
 * button carries, the URL the trigger rebuilds from it, and the answer the trigger posts there.
 *
 * n8n signs a waiting node's resume URL, `<base>/<executionId>/<nodeId>?signature=<hex>`, with
 * an HMAC of its path and query under the instance's own secret, and checks that signature before
 * it lets anyone resume the execution. That signature is the same for every choice and for every
 * question the node asks in one execution, and it shows in the execution's output, so it proves
 * only that this n8n made the reference. Each button therefore also carries a proof: an HMAC under
 * the credential's App Secret over the execution, the node, the choice, the person asked and the
 * question as sent. The waiting node computes it again from its own parameters when an answer
 * arrives, so a tap counts only for the choice, the question and the person it was made for.
 * The base is never in a reference: the trigger puts its own instance's waiting-webhook base in
 * front, so it can only ever call this n8n.
 */

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
	/** The waiting node's proof for this choice, question and person: 22 base64url characters. */
	proof: string;
};

const SIGNATURE_HEX = /^[0-9a-f]{64}$/;
/** n8n's execution IDs are digits; letters, `_` and `-` are let through for other ID schemes. */
const EXECUTION_ID = /^[A-Za-z0-9_-]{1,40}$/;
const PROOF = /^[A-Za-z0-9_-]{22}$/;
const REFERENCE = new RegExp(
	`^${PREFIX}:([A-Za-z0-9_-]{1,40}):([A-Za-z0-9%._~!*'()-]{1,256}):([adc]):([A-Za-z0-9_-]{43}):([A-Za-z0-9_-]{22})$`,
);

/**
 * A node ID that a URL path cannot hold as one segment: `.` and `..` (however encoded) are read as
 * "this folder" and "the folder above", so a reference naming them would reach another waiting
 * URL than the node's own.
 */
const isDotSegment = (nodeId: string) => nodeId === '.' || nodeId === '..';

/**
 * `wcwait:<executionId>:<nodeId, URL-encoded>:<a|d|c>:<signature>:<proof>`, signature and proof in
 * base64url: about 145 characters for n8n's usual IDs, whatever the host name, within Meta's 256.
 */
export function formatResumeReference(reference: ResumeReference): string {
	const signature = Buffer.from(reference.signature, 'hex').toString('base64url');
	return `${PREFIX}:${reference.executionId}:${encodeURIComponent(reference.nodeId)}:${CODES[reference.choice]}:${signature}:${reference.proof}`;
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
	if (!nodeId || isDotSegment(nodeId) || !SIGNATURE_HEX.test(signature)) return undefined;
	return { executionId: match[1], nodeId, choice: CHOICES[match[3]], signature, proof: match[5] };
}

/**
 * The proof of one choice: an HMAC under the App Secret over what the answer must match, cut to
 * 128 bits (22 base64url characters) to fit a button ID. `question` is the question as sent
 * (header, message, footer, labels), `recipient` the person asked as To named them.
 */
export function answerProof(
	appSecret: string,
	parts: {
		executionId: string;
		nodeId: string;
		choice: Choice;
		recipient: string;
		question: string[];
	},
): string {
	const signed = JSON.stringify([
		PREFIX,
		parts.executionId,
		parts.nodeId,
		parts.choice,
		parts.recipient,
		parts.question,
	]);
	return createHmac('sha256', appSecret)
		.update(signed)
		.digest()
		.subarray(0, 16)
		.toString('base64url');
}

/** Whether `proof` (from an answer) is the one `expected` names; constant time. */
export function proofMatches(proof: unknown, expected: string): boolean {
	if (typeof proof !== 'string' || !PROOF.test(proof)) return false;
	return timingSafeEqual(Buffer.from(proof), Buffer.from(expected));
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

/**
 * The resume URL of a reference on a waiting-webhook base (`https://n8n.example.com/webhook-waiting`),
 * or undefined when the URL would not end in the reference's own execution and node.
 */
export function resumeUrlOf(waitingBase: string, reference: ResumeReference): string | undefined {
	let end = waitingBase.length;
	while (end > 0 && waitingBase[end - 1] === '/') end--;
	const tail = `/${reference.executionId}/${encodeURIComponent(reference.nodeId)}`;
	let url: URL;
	try {
		url = new URL(`${waitingBase.slice(0, end)}${tail}`);
	} catch {
		return undefined;
	}
	// a URL parser resolves dot segments: the path must still end where the reference put it
	if (isDotSegment(reference.nodeId) || !url.pathname.endsWith(tail)) return undefined;
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
	/** The proof the tapped button carried (see `answerProof`). */
	proof: string;
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

/** The fields of an answer, in the order they are signed. */
const ANSWER_FIELDS = [
	'executionId',
	'nodeId',
	'choice',
	'proof',
	'title',
	'from',
	'fromUserId',
	'messageId',
	'sentMessageId',
	'phoneNumberId',
	'via',
] as const;

/** More than any field of a genuine answer holds (a node ID or a button title from Meta). */
const ANSWER_FIELD_LIMIT = 1024;

/**
 * An answer as posted to a waiting node, read field by field: each known field a string (or null
 * where it may be absent) of bounded length, the choice and `via` one of theirs. Undefined for
 * anything else, so that no deep, huge or odd value from a request body is ever serialised.
 */
export function readAnswer(value: unknown): ButtonAnswer | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
	const body = value as Record<string, unknown>;
	const out: Record<string, string | null> = {};
	for (const field of ANSWER_FIELDS) {
		const v = body[field];
		if (v === null || v === undefined) out[field] = null;
		else if (typeof v === 'string' && v.length <= ANSWER_FIELD_LIMIT) out[field] = v;
		else return undefined;
	}
	if (!out.executionId || !out.nodeId || !out.proof) return undefined;
	if (out.choice !== 'approve' && out.choice !== 'decline' && out.choice !== 'custom')
		return undefined;
	if (out.via !== 'button' && out.via !== 'template') return undefined;
	return out as ButtonAnswer;
}

const signedText = (answer: ButtonAnswer) =>
	JSON.stringify(ANSWER_FIELDS.map((field) => answer[field] ?? null));

/**
 * `sha256=<hex>` over the answer's fields, keyed with the Meta app's App Secret. The trigger signs
 * only answers whose webhook call it checked against Meta's signature: the waiting node takes an
 * answer, and who gave it, only when this signature checks out with its own credential.
 */
export function signAnswer(answer: ButtonAnswer, appSecret: string): string {
	return `sha256=${createHmac('sha256', appSecret).update(signedText(answer)).digest('hex')}`;
}

export function answerSignatureMatches(
	answer: ButtonAnswer,
	signature: unknown,
	appSecret: string,
): boolean {
	if (typeof signature !== 'string' || signature.length !== 71 || !signature.startsWith('sha256='))
		return false;
	const received = Buffer.from(signature.slice(7));
	const expected = Buffer.from(
		createHmac('sha256', appSecret).update(signedText(answer)).digest('hex'),
	);
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
	// the waiting node itself refused the answer, and says why
	if (reply?.resumed === false && typeof reply.reason === 'string')
		return {
			resumed: false,
			reason: `the waiting node refused the answer (${status}): ${reply.reason}`,
		};
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
