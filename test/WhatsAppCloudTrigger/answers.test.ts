/**
 * The trigger as the way back for Send and Wait answers: a tap on a reply button reaches the
 * WhatsApp Cloud Trigger as Meta's signed webhook, and the trigger passes it to the waiting
 * execution through this n8n's own waiting webhook, where n8n checks the reference's signature.
 * Runs through n8n-core's real engine and the steps of n8n's waiting webhooks
 * (dev/harness/waiting.ts), with the sandbox as Meta and as the approver.
 */
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import {
	ANSWER_KEY,
	formatResumeReference,
	parseResumeReference,
	resumeUrlOf,
	signAnswer,
	type ButtonAnswer,
} from '../../nodes/shared/resume';
import { actionNode } from '../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../dev/harness/sandbox';
import { useWaitingServer, type WaitingServer } from '../../dev/harness/waiting';
import type { TriggerHandle } from '../../dev/harness/webhook-server';
import type { GraphSandbox } from '../../dev/sandbox/server';
import { tapReplyButton } from '../../dev/sandbox/webhooks';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
let server: WaitingServer;

useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => {
		sandbox.accepted.length = 0;
		sandbox.log.length = 0;
	},
);
useWaitingServer((started) => (server = started));
beforeEach(() => {
	server.waiting.calls.length = 0;
	server.waiting.logs.length = 0;
});

const TO = '+491511234567';
const NODE_ID = '7b2e4f60-1a3c-4d5e-8f90-112233445566';
const NAME = 'Manager approval';

const listening = (parameters: INodeParameters = {}, creds?: ICredentialDataDecryptedObject) => {
	const t = server.trigger(
		{ updates: ['message'], verifyToken: 'vt', registration: 'manual', ...parameters },
		creds ?? credentials,
	);
	t.listen();
	return t;
};

async function ask(creds: ICredentialDataDecryptedObject = credentials) {
	const node = actionNode(
		{
			resource: 'message',
			operation: SEND_AND_WAIT_OPERATION,
			to: TO,
			message: 'Refund 120 EUR to order A-1042?',
			responseType: 'approval',
			approvalOptions: { values: { approvalType: 'double' } },
		},
		{ id: NODE_ID, name: NAME },
	);
	const execution = await server.waiting.start({ nodes: [node], credentials: creds });
	expect(execution.status).toBe('waiting');
	const sent = sandbox.accepted.at(-1)!;
	const ids = (
		(sent.body.interactive as { action: { buttons?: Array<{ reply: { id: string } }> } }).action
			.buttons ?? []
	).map((b) => b.reply.id);
	return { execution, sent, ids };
}

const answerOf = (executionId: string) =>
	server.waiting.output(executionId, NAME).map((item) => item.json);

async function tap(
	trigger: TriggerHandle,
	messageId: string,
	title: string,
	options: { buttonId?: string; from?: string } = {},
) {
	const result = await tapReplyButton(sandbox, messageId, title, { to: trigger.url, ...options });
	await server.settled();
	expect(result.delivery.status).toBe(200);
	return result;
}

describe('answers are passed to the waiting execution, and only there', () => {
	test('a second tap on an answered message: n8n says nothing waits any more; logged once, not retried, the first answer stands', async () => {
		const trigger = listening();
		const { execution, sent } = await ask();
		await tap(trigger, sent.id, '✓ Approve');
		expect(execution.status).toBe('success');
		const first = answerOf(execution.id);
		expect(first).toEqual([{ data: expect.objectContaining({ approved: true }) }]);

		server.waiting.calls.length = 0;
		trigger.logs.length = 0;
		await tap(trigger, sent.id, '✗ Decline');
		// one call to n8n, answered with its "no action required" page, and nothing more
		expect(server.waiting.calls).toEqual([
			expect.objectContaining({ executionId: execution.id, status: 200, resumed: false }),
		]);
		expect(trigger.logs).toEqual([
			expect.stringMatching(
				new RegExp(
					`^warn: .*did not resume execution ${execution.id} .*: the execution no longer waits for this answer .*Not retried\\.$`,
				),
			),
		]);
		expect(answerOf(execution.id)).toEqual(first);
		expect(execution.runs).toHaveLength(2);
		expect(trigger.runs).toHaveLength(0);
	});

	test('a tampered reference: n8n refuses it (401), the trigger logs it, nothing resumes; the genuine tap still works', async () => {
		const trigger = listening();
		const { execution, sent, ids } = await ask();
		const approve = parseResumeReference(ids[0])!;
		const tampered = [
			// another signature
			formatResumeReference({ ...approve, signature: 'ab'.repeat(32) }),
			// the approve signature on the decline choice is fine (one URL per wait), but not on
			// another execution
			formatResumeReference({ ...approve, executionId: '1' }),
		];
		for (const buttonId of tampered) await tap(trigger, sent.id, '✓ Approve', { buttonId });
		expect(server.waiting.calls.map((c) => [c.executionId, c.status, c.resumed])).toEqual([
			[execution.id, 401, false],
			['1', 404, false],
		]);
		expect(trigger.logs).toEqual([
			expect.stringMatching(/^warn: .*n8n refused the resume reference \(401\).*Not retried\.$/),
			expect.stringMatching(/^warn: .*execution 1 .*n8n answered 404.*Not retried\.$/),
		]);
		expect(execution.status).toBe('waiting');
		expect(execution.runs).toHaveLength(1);
		// the signature never shows in a log
		expect(trigger.logs.join('\n')).not.toContain(approve.signature);

		await tap(trigger, sent.id, '✓ Approve');
		expect(execution.status).toBe('success');
	});

	test("Meta's redelivery of a tap is passed on once", async () => {
		const trigger = listening();
		const { execution, sent } = await ask();
		const { payload } = await tap(trigger, sent.id, '✗ Decline');
		expect(execution.status).toBe('success');
		await sandbox.deliver(payload, { to: trigger.url });
		await server.settled();
		expect(server.waiting.calls).toHaveLength(1);
	});

	test('a damaged reference is logged, and no call is made', async () => {
		const trigger = listening();
		const { execution, sent } = await ask();
		await tap(trigger, sent.id, '✓ Approve', { buttonId: 'wcwait:1001:x:a:not-a-signature' });
		expect(server.waiting.calls).toEqual([]);
		expect(trigger.logs).toEqual([
			expect.stringMatching(/^warn: .*damaged resume reference.*Not retried\.$/),
		]);
		expect(execution.status).toBe('waiting');
	});

	test('an ordinary button reply is not an answer: it starts the workflow as before', async () => {
		const trigger = listening();
		await sandbox.deliver(
			{
				object: 'whatsapp_business_account',
				entry: [
					{
						id: '102290129340398',
						changes: [
							{
								field: 'messages',
								value: {
									messaging_product: 'whatsapp',
									metadata: {
										display_phone_number: '15550783881',
										phone_number_id: '106540352242922',
									},
									contacts: [{ profile: { name: 'Pablo' }, wa_id: '491511234567' }],
									messages: [
										{
											from: '491511234567',
											id: 'wamid.ORDINARY1',
											timestamp: '1749416383',
											type: 'interactive',
											interactive: {
												type: 'button_reply',
												button_reply: { id: 'change-button', title: 'Change' },
											},
										},
									],
								},
							},
						],
					},
				],
			} as never,
			{ to: trigger.url },
		);
		await server.settled();
		expect(trigger.items.map((i) => i.json.replyId)).toEqual(['change-button']);
		expect(server.waiting.calls).toEqual([]);
	});
});

describe('Also Start This Workflow on Answers', () => {
	test('the tap also starts the workflow, with what became of the answer', async () => {
		const trigger = listening({ options: { startOnAnswers: true } });
		const { execution, sent, ids } = await ask();
		await tap(trigger, sent.id, '✓ Approve');
		await tap(trigger, sent.id, '✓ Approve', {
			buttonId: formatResumeReference({
				...parseResumeReference(ids[1])!,
				signature: '0'.repeat(64),
			}),
		});
		expect(trigger.items.map((i) => i.json.resume)).toEqual([
			{ executionId: execution.id, nodeId: NODE_ID, choice: 'approve', resumed: true },
			{
				executionId: execution.id,
				nodeId: NODE_ID,
				choice: 'decline',
				resumed: false,
				reason: expect.stringMatching(/401/),
			},
		]);
		expect(trigger.items[0].json).toMatchObject({ event: 'message', type: 'interactive' });
	});
});

describe("the approver's identity comes only from an answer that checks out", () => {
	test('a credential without an App Secret sends the approval as a link, and says why', async () => {
		const { execution, sent } = await ask({ ...credentials, appSecret: '' });
		expect((sent.body.interactive as { type: string }).type).toBe('cta_url');
		expect(answerOf(execution.id)[0].waiting).toMatchObject({
			responseVia: 'link',
			fallbackReason: expect.stringMatching(/no App Secret/),
		});
	});

	test('an answer whose signature does not match is refused by the node and logged; nothing resumes', async () => {
		const { execution, ids } = await ask();
		const reference = parseResumeReference(ids[0])!;
		const answer: ButtonAnswer = {
			executionId: execution.id,
			nodeId: NODE_ID,
			choice: 'approve',
			proof: reference.proof,
			title: '✓ Approve',
			from: '4930999999',
			fromUserId: null,
			messageId: 'wamid.FORGED',
			sentMessageId: null,
			phoneNumberId: null,
			via: 'button',
		};
		const response = await fetch(resumeUrlOf(server.waiting.waitingBaseUrl, reference)!, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				[ANSWER_KEY]: answer,
				signature: signAnswer(answer, 'not-the-secret'),
			}),
		});
		await server.settled();
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({
			resumed: false,
			reason: expect.stringMatching(/App Secret/),
		});
		expect(server.waiting.logs).toEqual([
			expect.stringMatching(/^warn: Manager approval: refused an answer from the trigger \(401\)/),
		]);
		expect(execution.status).toBe('waiting');
	});
});

describe("any registration that receives the number's messages brings the answers back", () => {
	test('a trigger registered as the phone number override resumes the execution', async () => {
		const trigger = server.trigger(
			{ updates: ['message'], verifyToken: 'vt-override', registration: 'phoneNumber' },
			credentials,
		);
		await trigger.activate();
		try {
			const { execution, sent } = await ask();
			// no `to`: Meta sends the tap where the registrations say
			await tapReplyButton(sandbox, sent.id, '✓ Approve');
			await server.settled();
			expect(execution.status).toBe('success');
			expect(sandbox.deliveries.at(-1)!.url).toBe(trigger.url);
		} finally {
			await trigger.deactivate();
		}
	});
});

/**
 * The answers an attacker would try: each is refused by the trigger or by the waiting node, and
 * the execution keeps waiting for the genuine tap of the person asked.
 */
describe('one answer = one question, one choice, one person', () => {
	/** The node asks, and once answered asks again in the same execution (a loop back to itself). */
	async function askTwice() {
		const node = actionNode(
			{
				resource: 'message',
				operation: SEND_AND_WAIT_OPERATION,
				to: TO,
				message:
					'={{ $json.data ? "Refund 5,000 EUR to order B-7?" : "Refund 50 EUR to order A-1?" }}',
				responseType: 'approval',
				approvalOptions: { values: { approvalType: 'double' } },
			},
			{ id: NODE_ID, name: NAME },
		);
		const execution = await server.waiting.start({
			nodes: [node],
			connections: { [NAME]: { main: [[{ node: NAME, type: 'main', index: 0 }]] } },
			credentials,
		});
		return { execution, first: sandbox.accepted.at(-1)! };
	}

	test('a tap on the first question does not answer the second one the node asks in the same execution', async () => {
		const trigger = listening({ options: { startOnAnswers: true } });
		const { execution, first } = await askTwice();
		await tap(trigger, first.id, '✓ Approve');
		// answered, and the node asked again: the second question waits
		const second = sandbox.accepted.at(-1)!;
		expect(second.id).not.toBe(first.id);
		expect((second.body.interactive as { body: { text: string } }).body.text).toBe(
			'Refund 5,000 EUR to order B-7?',
		);
		expect(execution.status).toBe('waiting');
		const runsBefore = execution.runs.length;

		// the first question's other button, tapped late: the second question stays open
		await tap(trigger, first.id, '✗ Decline');
		// and a late repeat of the first question's approve (a new tap, not Meta's redelivery)
		await tap(trigger, first.id, '✓ Approve');
		expect(execution.status).toBe('waiting');
		expect(execution.runs).toHaveLength(runsBefore);
		expect(trigger.items.slice(1).map((i) => i.json.resume)).toEqual([
			expect.objectContaining({
				choice: 'decline',
				resumed: false,
				reason: expect.stringMatching(
					/refused the answer \(403\): the tap answers another question/,
				),
			}),
			expect.objectContaining({
				choice: 'approve',
				resumed: false,
				reason: expect.stringMatching(/another question/),
			}),
		]);

		// the second question's own tap answers it
		await tap(trigger, second.id, '✗ Decline');
		expect(trigger.items.at(-1)!.json.resume).toMatchObject({ resumed: true });
		expect(execution.runs).toHaveLength(runsBefore + 1);
	});

	test('the link of the first question does not answer the second one', async () => {
		const node = actionNode(
			{
				resource: 'message',
				operation: SEND_AND_WAIT_OPERATION,
				to: TO,
				message: '={{ $json.data ? "Refund 5,000 EUR?" : "Refund 50 EUR?" }}',
				responseType: 'approval',
				approvalOptions: { values: { approvalType: 'double' } },
				options: { responseVia: 'link' },
			},
			{ id: NODE_ID, name: NAME },
		);
		const execution = await server.waiting.start({
			nodes: [node],
			connections: { [NAME]: { main: [[{ node: NAME, type: 'main', index: 0 }]] } },
			credentials,
		});
		const linkOf = (m: (typeof sandbox.accepted)[number]) =>
			(m.body.interactive as { action: { parameters: { url: string } } }).action.parameters.url;
		const firstLink = linkOf(sandbox.accepted.at(-1)!);
		const post = async (url: string, choice: string) => {
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: `choice=${choice}`,
			});
			await server.settled();
			return response.status;
		};
		expect(await post(firstLink, 'approve')).toBe(200);
		const secondLink = linkOf(sandbox.accepted.at(-1)!);
		expect(secondLink).not.toBe(firstLink);
		const runs = execution.runs.length;
		expect(await post(firstLink, 'approve')).toBe(403);
		expect(execution.runs).toHaveLength(runs);
		expect(await post(secondLink, 'decline')).toBe(200);
		expect(execution.runs).toHaveLength(runs + 1);
	});

	test("a button's reference opened as a link shows no choices and answers nothing", async () => {
		const { execution, ids } = await ask();
		const url = resumeUrlOf(server.waiting.waitingBaseUrl, parseResumeReference(ids[0])!)!;
		const page = await fetch(url, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' } });
		expect(page.status).toBe(403);
		expect(await page.text()).not.toContain('name="choice"');
		const post = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'choice=approve',
		});
		await server.settled();
		expect(post.status).toBe(403);
		expect(execution.status).toBe('waiting');
	});

	test("each choice is signed: the decline button's reference with the approve choice is refused", async () => {
		const trigger = listening({ options: { startOnAnswers: true } });
		const { execution, sent, ids } = await ask();
		const decline = parseResumeReference(ids[1])!;
		await tap(trigger, sent.id, '✗ Decline', {
			buttonId: formatResumeReference({ ...decline, choice: 'approve' }),
		});
		expect(execution.status).toBe('waiting');
		expect(trigger.items[0].json.resume).toMatchObject({
			choice: 'approve',
			resumed: false,
			reason: expect.stringMatching(/403/),
		});
		await tap(trigger, sent.id, '✗ Decline');
		expect(answerOf(execution.id)).toEqual([
			{ data: expect.objectContaining({ approved: false, choice: 'decline' }) },
		]);
	});

	test('an answer posted without a signature (or with a made-up proof) resumes nothing', async () => {
		const { execution, ids } = await ask();
		const reference = parseResumeReference(ids[0])!;
		const url = resumeUrlOf(server.waiting.waitingBaseUrl, reference)!;
		const answer: ButtonAnswer = {
			executionId: execution.id,
			nodeId: NODE_ID,
			choice: 'approve',
			proof: reference.proof,
			title: '✓ Approve',
			from: TO.slice(1),
			fromUserId: null,
			messageId: 'wamid.FORGED',
			sentMessageId: null,
			phoneNumberId: null,
			via: 'button',
		};
		const post = async (body: unknown) => {
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			await server.settled();
			return { status: response.status, body: (await response.json()) as { reason: string } };
		};
		const unsigned = await post({ [ANSWER_KEY]: answer });
		expect(unsigned).toEqual({
			status: 401,
			body: { resumed: false, reason: expect.stringMatching(/not signed/) },
		});
		// signed with the real App Secret, but a proof the node never gave
		const forged = { ...answer, proof: 'A'.repeat(22) };
		const madeUp = await post({
			[ANSWER_KEY]: forged,
			signature: signAnswer(forged, String(credentials.appSecret)),
		});
		expect(madeUp.status).toBe(403);
		expect(execution.status).toBe('waiting');
		expect(execution.runs).toHaveLength(1);
	});

	test('a signed tap from another customer than the one asked is refused, naming both', async () => {
		const trigger = listening({ options: { startOnAnswers: true } });
		const { execution, sent } = await ask();
		await tap(trigger, sent.id, '✓ Approve', { from: '4930999999' });
		expect(execution.status).toBe('waiting');
		expect(trigger.items[0].json.resume).toMatchObject({
			resumed: false,
			reason: expect.stringMatching(
				/came from 4930999999, but the question was asked to \+491511234567/,
			),
		});
		await tap(trigger, sent.id, '✓ Approve');
		expect(execution.status).toBe('success');
	});

	test('with Check Signatures off, the trigger passes no tap on: a made-up one resumes nothing', async () => {
		const trigger = listening({ checkSignature: false, options: { startOnAnswers: true } });
		const { execution, sent } = await ask();
		await tap(trigger, sent.id, '✓ Approve');
		expect(server.waiting.calls).toEqual([]);
		expect(execution.status).toBe('waiting');
		expect(trigger.items[0].json.resume).toMatchObject({
			resumed: false,
			reason: expect.stringMatching(/Check Signatures is off/),
		});
	});

	test('a deeply nested answer body is refused with 400, not a crash', async () => {
		const { execution, ids } = await ask();
		const url = resumeUrlOf(server.waiting.waitingBaseUrl, parseResumeReference(ids[0])!)!;
		const depth = 20_000;
		const nested = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
		// an answer that names this execution, node and choice, with its title nested deep
		const answer = `{"executionId":"${execution.id}","nodeId":"${NODE_ID}","choice":"approve","title":${nested}}`;
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: `{"${ANSWER_KEY}":${answer},"signature":"sha256=${'0'.repeat(64)}"}`,
		});
		await server.settled();
		expect(response.status).toBe(400);
		expect(execution.status).toBe('waiting');
	});

	test.each(['.', '..', '%2E', '%2e%2E'])(
		'a reference naming node %s is damaged: the trigger calls no other waiting URL',
		async (nodeId) => {
			const trigger = listening();
			const { execution, sent, ids } = await ask();
			const genuine = ids[0].split(':');
			genuine[2] = nodeId;
			await tap(trigger, sent.id, '✓ Approve', { buttonId: genuine.join(':') });
			expect(server.waiting.calls).toEqual([]);
			expect(trigger.logs).toEqual([expect.stringMatching(/damaged resume reference/)]);
			expect(execution.status).toBe('waiting');
		},
	);
});
