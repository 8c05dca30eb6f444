/**
 * The trigger's part of Send and Wait: a tap on a waiting question's button arrives here with
 * Meta's webhook and is passed to the execution that waits for it, through this n8n's own waiting
 * webhook (the protocol is in ../shared/resume.ts, the waiting side in the action node's
 * actions/message/sendAndWait/).
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { credentialText } from '../../credentials/WhatsAppCloudApi.credentials';
import {
	ANSWER_KEY,
	parseResumeReference,
	resumeOutcome,
	resumeUrlOf,
	signAnswer,
	type ButtonAnswer,
	type ResumeOutcome,
} from '../shared/resume';
import { SeenEvents, type RawEvent } from './webhook';

/** Per process: the answers already passed on, so that Meta's redelivery of a tap is not. */
const passedOn = new SeenEvents();

/**
 * Where this n8n serves waiting webhooks: beside the trigger's own production webhook, on the same
 * base (`<base>/webhook/<id>/webhook` and `<base>/webhook-waiting/...`). Built from n8n's own
 * URL, never from a message, so the trigger can only ever call this instance.
 */
function waitingBase(fns: IWebhookFunctions): string | undefined {
	const own = fns.getNodeWebhookUrl('default');
	const tail = `/${fns.getNode().webhookId ?? ''}/webhook`;
	if (!own || !own.endsWith(tail)) return undefined;
	const webhooks = own.slice(0, -tail.length);
	return `${webhooks.slice(0, webhooks.lastIndexOf('/'))}/webhook-waiting`;
}

/**
 * Passes each answer to the execution that waits for it, through this n8n's waiting webhook (n8n
 * checks the reference's signature, the waiting node the answer's). One call per tap, never
 * retried: a refusal (a tampered, expired, already answered or foreign tap) is logged once.
 * Only a call whose signature was checked against Meta's is passed on, signed with the App
 * Secret: with Check Signatures off, anyone could have made it up. Returns what happened to each.
 */
export async function resumeWaiting(
	this: IWebhookFunctions,
	answers: RawEvent[],
	checked: boolean,
): Promise<Map<RawEvent, IDataObject>> {
	const outcomes = new Map<RawEvent, IDataObject>();
	if (!answers.length) return outcomes;
	const name = this.getNode().name;
	const base = waitingBase(this);
	let appSecret = '';
	try {
		appSecret = credentialText(await this.getCredentials('whatsAppCloudApi'), 'appSecret');
	} catch {
		// without it nothing is signed, and nothing is passed on (below)
	}
	await Promise.all(
		answers.map(async (e) => {
			const s = e.simplified;
			const reference = parseResumeReference(s.replyId);
			if (reference && !passedOn.firstTime(e.key)) return;
			let outcome: ResumeOutcome;
			const url = reference && base ? resumeUrlOf(base, reference) : undefined;
			if (!reference) {
				outcome = { resumed: false, reason: 'the button carries a damaged resume reference' };
			} else if (!checked || !appSecret) {
				outcome = {
					resumed: false,
					reason: !checked
						? 'not passed on: Check Signatures is off, so nothing shows that Meta sent this tap (turn it on for taps to answer)'
						: 'not passed on: the credential has no App Secret to sign the answer with',
				};
			} else if (!url) {
				outcome = {
					resumed: false,
					reason: "the trigger could not tell this n8n's waiting-webhook address from its own URL",
				};
			} else {
				const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
				const answer: ButtonAnswer = {
					executionId: reference.executionId,
					nodeId: reference.nodeId,
					choice: reference.choice,
					proof: reference.proof,
					title: str(s.text),
					from: str(s.replyTo),
					fromUserId: str(s.fromUserId),
					messageId: str(s.messageId),
					sentMessageId: str((s.context as IDataObject | null)?.id),
					phoneNumberId: str(s.phoneNumberId),
					via: s.type === 'button' ? 'template' : 'button',
				};
				try {
					const response = (await this.helpers.httpRequest({
						method: 'POST',
						url,
						body: { [ANSWER_KEY]: answer, signature: signAnswer(answer, appSecret) },
						json: true,
						returnFullResponse: true,
						ignoreHttpStatusErrors: true,
						disableFollowRedirect: true,
						timeout: 30_000,
					})) as { statusCode: number; body: unknown };
					outcome = resumeOutcome(response.statusCode, response.body);
				} catch (error) {
					outcome = {
						resumed: false,
						reason: `could not reach n8n's waiting webhook: ${(error as Error).message}`,
					};
				}
			}
			const target = reference
				? `execution ${reference.executionId} (node ${reference.nodeId})`
				: 'a waiting execution';
			if (outcome.resumed)
				this.logger.info(
					`${name}: passed the answer "${reference!.choice}" of message ${String(s.messageId)} to ${target}`,
				);
			else
				this.logger.warn(
					`${name}: the answer of message ${String(s.messageId)} did not resume ${target}: ${outcome.reason}. Not retried.`,
				);
			outcomes.set(e, {
				executionId: reference?.executionId ?? null,
				nodeId: reference?.nodeId ?? null,
				choice: reference?.choice ?? null,
				...outcome,
			});
		}),
	);
	return outcomes;
}
