/**
 * Message > Send and Wait for Response through n8n-core's real engine: the execution waits
 * (WorkflowExecute), the approver answers (the sandbox taps a button and Meta's signed webhook
 * reaches the WhatsApp Cloud Trigger, or a browser answers the link's page), and the execution
 * goes on through the node's waiting webhook as n8n resumes it (dev/harness/waiting.ts).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import { parseResumeReference } from '../../../../nodes/shared/resume';
import { WhatsAppCloud } from '../../../../nodes/WhatsAppCloud/WhatsAppCloud.node.ts';
import { actionNode } from '../../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../../dev/harness/sandbox';
import type { TriggerHandle } from '../../../../dev/harness/webhook-server';
import { useWaitingServer, type WaitingServer } from '../../../../dev/harness/waiting';
import type { GraphSandbox } from '../../../../dev/sandbox/server';
import {
	answerPage,
	openLink,
	tapQuickReply,
	tapReplyButton,
	WHATSAPP_PREVIEW_AGENT,
} from '../../../../dev/sandbox/webhooks';
import { clearSends, head, TO } from '../send';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
let server: WaitingServer;
let trigger: TriggerHandle;

useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => {
		clearSends(sandbox);
		sandbox.closedWindows.clear();
	},
);
useWaitingServer((started) => (server = started));
beforeAll(() => {
	trigger = server.trigger(
		{ updates: ['message'], verifyToken: 'vt', registration: 'manual' },
		credentials,
	);
	trigger.listen();
});
beforeEach(() => {
	trigger.runs.length = 0;
	trigger.logs.length = 0;
	server.waiting.calls.length = 0;
	server.waiting.logs.length = 0;
});

const NODE_ID = '5d4c8a1e-2f3b-4c6d-9e8f-0a1b2c3d4e5f';
const NAME = 'Ask the manager';

/** Starts an execution whose only node is a Send and Wait with these parameters. */
async function ask(parameters: INodeParameters, input: IDataObject[] = [{ refund: 120 }]) {
	const node = actionNode(
		{ resource: 'message', operation: SEND_AND_WAIT_OPERATION, to: TO, ...parameters },
		{ id: NODE_ID, name: NAME },
	);
	const execution = await server.waiting.start({
		nodes: [node],
		credentials,
		input: input.map((json) => ({ json })),
	});
	const run = execution.runs[0];
	return { execution, run, error: run.data.resultData.error, sent: sandbox.accepted.at(-1)! };
}

const tap = async (messageId: string, title: string | number) => {
	const result = await tapReplyButton(sandbox, messageId, title, { to: trigger.url });
	await server.settled();
	return result;
};

const answerOf = (executionId: string) =>
	server.waiting.output(executionId, NAME).map((item) => item.json);

const approval = {
	message: 'Refund 120 EUR to order A-1042?',
	responseType: 'approval',
	approvalOptions: { values: { approvalType: 'double' } },
};

describe('approval: native reply buttons, answered through the trigger', () => {
	test('the question goes out as reply buttons whose IDs are resume references, and the execution waits', async () => {
		const { execution, error, sent } = await ask({
			...approval,
			approvalOptions: {
				values: { approvalType: 'double', customLabel: 'Ask me later' },
			},
			options: { header: 'Refund approval', footer: 'Lucky Shrub' },
		});
		expect(error).toBeUndefined();
		expect(execution.status).toBe('waiting');
		expect(sent.body).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'button',
				header: { type: 'text', text: 'Refund approval' },
				body: { text: 'Refund 120 EUR to order A-1042?' },
				footer: { text: 'Lucky Shrub' },
				action: {
					buttons: [
						{ type: 'reply', reply: { id: expect.any(String), title: '✓ Approve' } },
						{ type: 'reply', reply: { id: expect.any(String), title: '✗ Decline' } },
						{ type: 'reply', reply: { id: expect.any(String), title: 'Ask me later' } },
					],
				},
			},
		});
		const ids = (
			sent.body.interactive as { action: { buttons: Array<{ reply: { id: string } }> } }
		).action.buttons.map((b) => b.reply.id);
		expect(ids.map(parseResumeReference)).toEqual(
			['approve', 'decline', 'custom'].map((choice) => ({
				executionId: execution.id,
				nodeId: NODE_ID,
				choice,
				signature: expect.stringMatching(/^[0-9a-f]{64}$/),
				proof: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
			})),
		);
		// each choice has a proof of its own
		expect(new Set(ids.map((id) => parseResumeReference(id)!.proof)).size).toBe(3);
		for (const id of ids) expect(id.length).toBeLessThanOrEqual(256);
		// no URL or host name in a button: the trigger puts its own instance's base in front
		for (const id of ids) expect(id).not.toMatch(/https?:|127\.0\.0\.1/);
		expect(execution.runs[0].waitTill).toBeDefined();
		// while it waits, the node shows what it sent
		expect(answerOf(execution.id)).toEqual([
			expect.objectContaining({
				messageId: sent.id,
				waiting: {
					responseType: 'approval',
					responseVia: 'buttons',
					choices: [
						{ choice: 'approve', label: '✓ Approve', approved: true },
						{ choice: 'decline', label: '✗ Decline', approved: false },
						{ choice: 'custom', label: 'Ask me later', approved: false },
					],
					waitTill: null,
				},
			}),
		]);
	});

	test.each([
		['✓ Approve', 'approve', true],
		['✗ Decline', 'decline', false],
	])(
		'a tap on "%s" resumes the execution with choice %s, approved %s',
		async (title, choice, approved) => {
			const { execution, sent } = await ask(approval);
			const { delivery, messageId } = await tap(sent.id, title);
			expect(delivery.status).toBe(200);
			expect(execution.status).toBe('success');
			expect(answerOf(execution.id)).toEqual([
				{
					data: {
						approved,
						answer: title,
						choice,
						from: TO.replace('+', ''),
						messageId,
						sentMessageId: sent.id,
						via: 'button',
						respondedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
					},
				},
			]);
			// the tap resumed the execution and started no run of the trigger's own workflow
			expect(trigger.runs).toHaveLength(0);
			expect(trigger.logs).toEqual([
				expect.stringMatching(
					new RegExp(`^info: .*passed the answer "${choice}" .* to execution ${execution.id}`),
				),
			]);
		},
	);

	test('Text Format Markdown converts the question; the tap on it still answers it', async () => {
		const { execution, sent } = await ask({
			...approval,
			message: '**Refund** 120 EUR for [order A-1042](https://shop.example/o/A_1042)?',
			options: { textFormat: 'markdown' },
		});
		expect((sent.body.interactive as { body: unknown }).body).toEqual({
			text: '*Refund* 120 EUR for order A-1042 (https://shop.example/o/A_1042)?',
		});
		// the answer's proof is made from the question as typed, which the waiting side reads again
		const { delivery } = await tap(sent.id, '✓ Approve');
		expect(delivery.status).toBe(200);
		expect(execution.status).toBe('success');
		expect(answerOf(execution.id)[0]).toMatchObject({
			data: { approved: true, choice: 'approve' },
		});
	});

	test('a custom choice answers with choice "custom", approved as its setting says', async () => {
		for (const customApproves of [false, true]) {
			const { execution, sent } = await ask({
				...approval,
				approvalOptions: {
					values: { approvalType: 'single', customLabel: 'Half refund', customApproves },
				},
			});
			await tap(sent.id, 'Half refund');
			expect(answerOf(execution.id)).toEqual([
				{
					data: expect.objectContaining({
						approved: customApproves,
						answer: 'Half refund',
						choice: 'custom',
					}),
				},
			]);
		}
	});
});

describe('free text: a call-to-action button opens a form', () => {
	const freeText = {
		message: 'Why was order A-1042 returned?',
		responseType: 'freeText',
		options: { messageButtonLabel: 'Answer', responseFormTitle: 'Return reason' },
	};

	test('the link is the signed resume URL; the form page answers only when posted', async () => {
		const { execution, sent } = await ask(freeText);
		expect(execution.status).toBe('waiting');
		const url = (
			sent.body.interactive as { action: { parameters: { url: string; display_text: string } } }
		).action.parameters;
		expect(sent.body).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'cta_url',
				body: { text: 'Why was order A-1042 returned?' },
				action: { name: 'cta_url', parameters: { display_text: 'Answer', url: url.url } },
			},
		});
		// the link carries its question's tag, which n8n's signature covers
		expect(url.url).toMatch(
			new RegExp(
				`^${server.waiting.waitingBaseUrl}/${execution.id}/${NODE_ID}\\?q=[A-Za-z0-9_-]{22}&signature=[0-9a-f]{64}$`,
			),
		);
		// WhatsApp fetching the link for a preview gets an empty page; a person gets the form
		expect(await openLink(sandbox, sent.id, WHATSAPP_PREVIEW_AGENT)).toEqual({
			status: 200,
			html: '',
		});
		const page = await openLink(sandbox, sent.id);
		expect(page.status).toBe(200);
		expect(page.html).toContain('<textarea name="answer"');
		expect(page.html).toContain('Why was order A-1042 returned?');
		expect(page.html).toContain('<h1>Return reason</h1>');
		expect(execution.status).toBe('waiting');
		// an empty answer shows the form again and resumes nothing
		expect((await answerPage(sandbox, sent.id, { answer: '   ' })).status).toBe(400);
		expect(execution.status).toBe('waiting');

		const done = await answerPage(sandbox, sent.id, { answer: 'The pot <b>broke</b> in transit' });
		await server.settled();
		expect(done.status).toBe(200);
		expect(done.html).toContain('The pot &lt;b&gt;broke&lt;/b&gt; in transit');
		expect(execution.status).toBe('success');
		expect(answerOf(execution.id)).toEqual([
			{
				data: {
					approved: null,
					answer: 'The pot <b>broke</b> in transit',
					text: 'The pot <b>broke</b> in transit',
					choice: null,
					from: null,
					messageId: null,
					sentMessageId: null,
					via: 'form',
					respondedAt: expect.any(String),
				},
			},
		]);
	});
});

describe('Response Via: Link (no trigger needed)', () => {
	test('one call-to-action button; opening it (preview or person) never approves; the page posts the choice', async () => {
		const { execution, sent } = await ask({
			...approval,
			options: { responseVia: 'link', messageButtonLabel: 'Decide' },
		});
		expect(sent.body.interactive).toEqual({
			type: 'cta_url',
			body: { text: approval.message },
			action: {
				name: 'cta_url',
				parameters: { display_text: 'Decide', url: expect.stringContaining('/webhook-waiting/') },
			},
		});
		// n8n's waiting webhook has no bot filter of its own (the built-in nodes check the user
		// agent in their webhook): here a GET never resumes, whoever sends it
		for (const agent of [WHATSAPP_PREVIEW_AGENT, 'facebookexternalhit/1.1', '']) {
			expect(await openLink(sandbox, sent.id, agent)).toEqual({ status: 200, html: '' });
		}
		const page = await openLink(sandbox, sent.id);
		expect(page.html).toContain('name="choice" value="approve"');
		expect(page.html).toContain('name="choice" value="decline"');
		expect(execution.status).toBe('waiting');
		expect(server.waiting.calls.every((c) => !c.resumed)).toBe(true);
		// a choice the node does not offer resumes nothing
		expect((await answerPage(sandbox, sent.id, { choice: 'custom' })).status).toBe(400);
		expect(execution.status).toBe('waiting');

		const done = await answerPage(sandbox, sent.id, { choice: 'decline' });
		await server.settled();
		expect(done.html).toContain('✗ Decline');
		expect(answerOf(execution.id)).toEqual([
			{
				data: expect.objectContaining({
					approved: false,
					choice: 'decline',
					answer: '✗ Decline',
					via: 'link',
					from: null,
				}),
			},
		]);
	});

	test('a node ID too long for a button ID falls back to the link, and the output says why', async () => {
		const node = actionNode(
			{ resource: 'message', operation: SEND_AND_WAIT_OPERATION, to: TO, ...approval },
			{ id: `n-${'x'.repeat(198)}`, name: NAME },
		);
		const execution = await server.waiting.start({ nodes: [node], credentials });
		expect(execution.status).toBe('waiting');
		expect((sandbox.accepted.at(-1)!.body.interactive as IDataObject).type).toBe('cta_url');
		expect(answerOf(execution.id)[0].waiting).toMatchObject({
			responseVia: 'link',
			fallbackReason: expect.stringMatching(/more than the 256 a button ID may have/),
		});
	});
});

describe('timeout', () => {
	test('Limit Wait Time sets when the wait ends; on timeout the execution goes on with the input items', async () => {
		const before = Date.now();
		const { execution, run } = await ask(
			{
				...approval,
				options: {
					limitWaitTime: {
						values: { limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'hours' },
					},
				},
			},
			[{ refund: 120, order: 'A-1042' }],
		);
		const waitTill = new Date(run.waitTill!).getTime();
		expect(waitTill).toBeGreaterThanOrEqual(before + 2 * 3600_000);
		expect(waitTill).toBeLessThan(Date.now() + 2 * 3600_000 + 1000);
		expect(answerOf(execution.id)[0].waiting).toMatchObject({
			waitTill: new Date(waitTill).toISOString(),
		});

		await server.waiting.timeOut(execution.id);
		expect(execution.status).toBe('success');
		// no answer: the input items unchanged, without data.respondedAt
		expect(answerOf(execution.id)).toEqual([{ refund: 120, order: 'A-1042' }]);
	});

	test('a limit at a date in the future is taken as it is', async () => {
		const at = new Date(Date.now() + 86_400_000).toISOString();
		const { run } = await ask({
			...approval,
			options: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: at } } },
		});
		expect(new Date(run.waitTill!).toISOString()).toBe(at);
	});
});

describe('checked before anything is sent', () => {
	const refused = async (parameters: INodeParameters, input?: IDataObject[]) => {
		const { error, execution } = await ask(parameters, input);
		expect(sandbox.log.filter((l) => l.path.endsWith('/messages'))).toEqual([]);
		expect(execution.status).toBe('error');
		return error!;
	};

	test('a Text Format that is not one fails naming the field, before sending', async () => {
		const error = await refused({ ...approval, options: { textFormat: '={{ "html" }}' } });
		expect(error.message).toBe('Options > Text Format is "html", which is not a format [item 0]');
	});

	test('one item per execution', async () => {
		const error = await refused(approval, [{ a: 1 }, { a: 2 }]);
		expect(error.message).toMatch(/takes one item per execution, but got 2 \[item 0\]/);
	});

	test('button labels: 20 characters pass, 21 fail; labels must differ', async () => {
		const label = (approveLabel: string, customLabel = '') => ({
			...approval,
			approvalOptions: { values: { approvalType: 'double', approveLabel, customLabel } },
		});
		const { execution } = await ask(label('A'.repeat(20)));
		expect(execution.status).toBe('waiting');
		clearSends(sandbox);
		expect((await refused(label('A'.repeat(21)))).message).toBe(
			'Approval Options > Approve Button Label is too long: 21 characters (WhatsApp allows at most 20) [item 0]',
		);
		expect((await refused(label('Yes', 'Yes'))).message).toBe(
			'Approval Options > Custom Choice Label repeats "Yes" of Approval Options > Approve Button Label [item 0]',
		);
	});

	test('message 1,024 characters pass, 1,025 fail; header and footer 60 pass, 61 fail', async () => {
		expect((await ask({ ...approval, message: 'm'.repeat(1024) })).execution.status).toBe(
			'waiting',
		);
		expect(
			(
				await ask({
					...approval,
					options: { header: 'h'.repeat(60), footer: 'f'.repeat(60) },
				})
			).execution.status,
		).toBe('waiting');
		clearSends(sandbox);
		expect((await refused({ ...approval, message: 'm'.repeat(1025) })).message).toBe(
			'Message is too long: 1,025 characters (WhatsApp allows at most 1,024) [item 0]',
		);
		expect((await refused({ ...approval, options: { header: 'h'.repeat(61) } })).message).toBe(
			'Options > Header is too long: 61 characters (WhatsApp allows at most 60) [item 0]',
		);
		expect((await refused({ ...approval, options: { footer: 'f'.repeat(61) } })).message).toBe(
			'Options > Footer is too long: 61 characters (WhatsApp allows at most 60) [item 0]',
		);
	});

	test('Limit Wait Time: an amount of 0 or a date in the past fails', async () => {
		expect(
			(
				await refused({
					...approval,
					options: {
						limitWaitTime: {
							values: { limitType: 'afterTimeInterval', resumeAmount: 0, resumeUnit: 'minutes' },
						},
					},
				})
			).message,
		).toMatch(/^Options > Limit Wait Time > Amount must be more than 0, got 0 minutes \[item 0\]/);
		expect(
			(
				await refused({
					...approval,
					options: {
						limitWaitTime: {
							values: { limitType: 'atSpecifiedTime', maxDateAndTime: '2020-01-01T00:00:00Z' },
						},
					},
				})
			).message,
		).toMatch(
			/^Options > Limit Wait Time > Max Date and Time \(2020-01-01T00:00:00.000Z\) is in the past/,
		);
	});

	test('Limit Wait Time: an amount no date can hold, or a date past n8n\'s "wait for ever", fails before sending', async () => {
		const limit = (values: INodeParameters): INodeParameters => ({
			...approval,
			options: { limitWaitTime: { values } },
		});
		for (const resumeAmount of [1e15, 1e300, 10_000_000])
			expect(
				(await refused(limit({ limitType: 'afterTimeInterval', resumeAmount, resumeUnit: 'days' })))
					.message,
			).toMatch(
				/^Options > Limit Wait Time > Amount .* days ends after 3000-01-01, when n8n stops waiting anyway; remove Limit Wait Time to wait without a limit \[item 0\]$/,
			);
		expect(
			(
				await refused(
					limit({ limitType: 'atSpecifiedTime', maxDateAndTime: '3001-01-01T00:00:00Z' }),
				)
			).message,
		).toMatch(/Max Date and Time \(3001-01-01T00:00:00.000Z\) ends after 3000-01-01/);
	});
});

describe('the 24-hour window', () => {
	const TEMPLATE = 'refund_approval';
	beforeAll(() => {
		sandbox.addTemplate({
			name: TEMPLATE,
			language: 'en_US',
			category: 'UTILITY',
			components: [
				{
					type: 'BODY',
					text: 'A refund needs your approval: {{1}}',
					example: { body_text: [['120 EUR for order A-1042']] },
				},
				{
					type: 'BUTTONS',
					buttons: [
						{ type: 'QUICK_REPLY', text: 'Approve' },
						{ type: 'QUICK_REPLY', text: 'Decline' },
					],
				},
			],
		});
	});
	const withTemplate = (parameters = '120 EUR for order A-1042', name = TEMPLATE) => ({
		...approval,
		options: { windowTemplate: { template: { name, language: 'en_US', parameters } } },
	});

	test('outside the window without a template: Meta refuses (131047), the error says what to add, nothing waits', async () => {
		sandbox.closedWindows.add(TO.replace(/\D/g, ''));
		const { error, execution } = await ask(approval);
		expect(execution.status).toBe('error');
		expect(error!.message).toMatch(/131047/);
		expect(String(error!.description)).toMatch(/Options > Template Outside 24-Hour Window/);
	});

	test('outside the window: the template goes out, its quick replies carry the answers, a tap resumes', async () => {
		sandbox.closedWindows.add(TO.replace(/\D/g, ''));
		const { execution, sent } = await ask(withTemplate());
		expect(execution.status).toBe('waiting');
		expect(sent.body.type).toBe('template');
		const template = sent.body.template as { components: IDataObject[] };
		expect(template).toEqual({
			name: TEMPLATE,
			language: { code: 'en_US' },
			components: [
				{ type: 'body', parameters: [{ type: 'text', text: '120 EUR for order A-1042' }] },
				...['approve', 'decline'].map((choice, index) => ({
					type: 'button',
					sub_type: 'quick_reply',
					index: String(index),
					parameters: [{ type: 'payload', payload: expect.stringContaining(`:${choice[0]}:`) }],
				})),
			],
		});
		expect(answerOf(execution.id)[0]).toMatchObject({
			fallback: { used: true },
			waiting: { responseVia: 'template' },
		});
		await tapQuickReply(sandbox, sent.id, 1, { to: trigger.url });
		await server.settled();
		expect(answerOf(execution.id)).toEqual([
			{
				data: expect.objectContaining({
					approved: false,
					choice: 'decline',
					answer: 'Decline',
					via: 'template',
					sentMessageId: sent.id,
				}),
			},
		]);
	});

	test('a template that cannot carry the answers fails before sending', async () => {
		expect(
			(
				await ask({
					...withTemplate(),
					approvalOptions: { values: { approvalType: 'double', customLabel: 'Later' } },
				})
			).error!.message,
		).toBe(
			'Template Outside 24-Hour Window > Template Name: "refund_approval" has 2 quick-reply buttons, but the approval offers 3 choices [item 0]',
		);
		expect((await ask(withTemplate(''))).error!.message).toBe(
			'Template Outside 24-Hour Window > Body Parameters has 0 lines, but template "refund_approval" has 1 body variable ({{1}}) [item 0]',
		);
		expect(sandbox.accepted).toHaveLength(0);
	});
});

describe('n8n offers the node to AI agents as a human-review tool', () => {
	test('it has the waiting webhooks, the sendAndWait operation and the fields n8n keeps for the tool', () => {
		const { description } = new WhatsAppCloud();
		// what n8n's createHitlTools looks for in a loaded node type
		expect(description.name.endsWith('Tool')).toBe(false);
		expect(description.webhooks).toEqual(
			['GET', 'POST'].map((httpMethod) =>
				expect.objectContaining({
					name: 'default',
					httpMethod,
					path: '={{ $nodeId }}',
					restartWebhook: true,
					isFullPath: true,
				}),
			),
		);
		const operation = description.properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === 'message',
		)!;
		expect(operation.options).toContainEqual(
			expect.objectContaining({ value: SEND_AND_WAIT_OPERATION }),
		);
		const named = (name: string) =>
			description.properties.filter(
				(p) =>
					p.name === name && p.displayOptions?.show?.operation?.includes(SEND_AND_WAIT_OPERATION),
			);
		expect(named('message')).toHaveLength(1);
		expect(named('responseType')[0].options).toContainEqual(
			expect.objectContaining({ value: 'approval' }),
		);
		expect(named('approvalOptions')[0]).toMatchObject({ type: 'fixedCollection' });
		for (const options of named('options'))
			expect((options.options as Array<{ name: string }>).map((o) => o.name)).toContain(
				'limitWaitTime',
			);
	});
});
