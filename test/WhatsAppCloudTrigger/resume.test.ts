/**
 * The trigger as the way back for Send and Wait answers: a tap on a reply button reaches the
 * WhatsApp Cloud Trigger as Meta's signed webhook, and the trigger passes it to the waiting
 * execution through this n8n's own waiting webhook, where n8n checks the reference's signature.
 * Runs through n8n-core's real engine and the steps of n8n's waiting webhooks
 * (test/harness/waiting.ts), with the sandbox as Meta and as the approver.
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
import { actionNode } from '../harness/engine';
import { type SandboxCredentials, useSandbox } from '../harness/sandbox';
import { useWaitingServer, type WaitingServer } from '../harness/waiting';
import type { TriggerHandle } from '../harness/webhook-server';
import type { GraphSandbox } from '../sandbox/server';
import { tapReplyButton } from '../sandbox/webhooks';

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
		sent.body.interactive as { action: { buttons: Array<{ reply: { id: string } }> } }
	).action.buttons.map((b) => b.reply.id);
	return { execution, sent, ids };
}

const answerOf = (executionId: string) =>
	server.waiting.output(executionId, NAME).map((item) => item.json);

async function tap(
	trigger: TriggerHandle,
	messageId: string,
	title: string,
	options: { buttonId?: string } = {},
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
	test('a trigger without an App Secret (checks off) still resumes, but the answer has no from', async () => {
		const trigger = listening({ checkSignature: false }, { ...credentials, appSecret: '' });
		const { execution, sent } = await ask();
		await tap(trigger, sent.id, '✓ Approve');
		expect(answerOf(execution.id)).toEqual([
			{
				data: expect.objectContaining({
					approved: true,
					answer: '✓ Approve',
					from: null,
					messageId: null,
				}),
			},
		]);
	});

	test('an answer whose signature does not match is refused by the node and logged; nothing resumes', async () => {
		const { execution, ids } = await ask();
		const reference = parseResumeReference(ids[0])!;
		const answer: ButtonAnswer = {
			executionId: execution.id,
			nodeId: NODE_ID,
			choice: 'approve',
			title: '✓ Approve',
			from: '4930999999',
			fromUserId: null,
			messageId: 'wamid.FORGED',
			sentMessageId: null,
			phoneNumberId: null,
			via: 'button',
		};
		const response = await fetch(resumeUrlOf(server.waiting.waitingBaseUrl, reference), {
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
