/* eslint-disable @n8n/community-nodes/no-restricted-globals */
/**
 * The router's one loop over items (actions/router.ts), through the real engine against the sandbox
 * with Meta's faults injected: every item is sent once, or clearly not at all, and the run says
 * which; and a bulk run of 2,000 items comes out complete, in order and paired.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runAction } from '../../dev/harness/engine';
import { startSandbox } from '../../dev/harness/sandbox';
import type { GraphSandbox } from '../../dev/sandbox/server';

type Batch = {
	sent: Array<{ item: number; messageId?: string }>;
	notSent: number[];
	unknown: number[];
	failed: number[];
};

const batchOf = (error: unknown) =>
	(error as { context?: { batch?: Batch } }).context?.batch as Batch;

const textOf = (m: { body: Record<string, unknown> }) => (m.body.text as { body: string }).body;

const sendText = (extra: IDataObject = {}): INodeParameters => ({
	resource: 'message',
	operation: 'sendText',
	to: '={{ $json.phone }}',
	text: '={{ $json.text }}',
	...extra,
});

const rows = (n: number, phone = (i: number) => `+49151${String(i).padStart(7, '0')}`) =>
	Array.from({ length: n }, (_, i) => ({ json: { phone: phone(i), text: `ticket ${i}` } }));

describe('a failed send stops the batch: nothing leaves after the failure is known', () => {
	let sandbox: GraphSandbox;
	let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];
	beforeAll(async () => ({ sandbox, credentials } = await startSandbox({ latencyMs: 20 })));
	afterAll(async () => await sandbox.stop());
	beforeEach(() => sandbox.reset());

	test.each([
		['at the default pace (80/s) with 4 requests in flight', { maxConcurrent: 4 }],
		['at 1,000/s with 50 requests in flight', { messagesPerSecond: 1000, maxConcurrent: 50 }],
	])('400 items, item 5 refused with 131026, %s', async (_, options) => {
		sandbox.undeliverable.add('491510000005');
		const { error, items } = await runAction(sendText({ options }), credentials, rows(400));
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(
			/^WhatsApp Cloud API error 131026: Message undeliverable \(run stopped: \d+ sent, \d+ not sent\)$/,
		);

		// Only the requests already in flight when the failure came back reached the sandbox (about
		// 200 more went out before the fix). That no request leaves after the halt, to the moment, is
		// tested on the throttle itself; here, arrival times at a sandbox sharing the event loop lag.
		expect(sandbox.log.length).toBeLessThanOrEqual(6 + options.maxConcurrent);
		expect(sandbox.log.length).toBe(sandbox.accepted.length + 1);

		// the error names exactly the items Meta took, with their message IDs, and the rest as not sent
		const batch = batchOf(error);
		const accepted = new Map(sandbox.accepted.map((m) => [textOf(m), m.id]));
		expect(batch.sent.map((s) => [`ticket ${s.item}`, s.messageId])).toEqual(
			[...accepted.entries()].sort((a, b) => Number(a[0].slice(7)) - Number(b[0].slice(7))),
		);
		expect(batch.unknown).toEqual([]);
		expect(batch.failed).toEqual([]);
		expect(batch.sent.length + batch.notSent.length + 1).toBe(400);
		expect(batch.notSent).not.toContain(5);
		const description = String((error as { description?: string }).description);
		expect(description).toContain(
			`The run stopped at item 5: ${batch.sent.length} of 400 items were sent before it stopped, ${batch.notSent.length} were not sent.`,
		);
		for (const s of batch.sent) expect(description).toContain(`${s.item}: ${s.messageId}`);
		expect(description).toMatch(/Not sent: items (\d+(-\d+)?, )*\d+-399/);
		expect(description).toContain('Resuming a stopped batch');
	});

	test('with continue-on-fail the failed row fails alone and every other row is sent once', async () => {
		sandbox.undeliverable.add('491510000005');
		const { error, items } = await runAction(sendText(), credentials, rows(40), {
			onError: 'continueRegularOutput',
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(40);
		expect(items[5].json.error).toMatch(/131026/);
		expect(items[5].json.mayHaveBeenSent).toBeUndefined();
		expect(sandbox.accepted).toHaveLength(39);
		expect(new Set(sandbox.accepted.map(textOf)).size).toBe(39);
	});
});

describe('the per-recipient limit (131056): a schedule the messages to one person join in order', () => {
	test('a burst of 6 messages to one person: each is sent once, in order, none fails', async () => {
		// Meta's pair rate, scaled down: one message per 0.9 s to the same person
		const { sandbox, credentials } = await startSandbox({ pairRate: { max: 1, windowMs: 900 } });
		try {
			const input = rows(6, () => '+4915112345678');
			const { error, items } = await runAction(sendText(), credentials, input);
			expect(error).toBeUndefined();
			expect(sandbox.injected.pairRate).toBeGreaterThanOrEqual(5);
			expect(sandbox.accepted.map(textOf)).toEqual(input.map((r) => r.json.text));
			expect(items.map((i) => i.json.messageId)).toEqual(sandbox.accepted.map((m) => m.id));
		} finally {
			await sandbox.stop();
		}
	}, 30_000);
});

describe('only what Meta accepts passes validation', () => {
	let sandbox: GraphSandbox;
	let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];
	beforeAll(async () => ({ sandbox, credentials } = await startSandbox()));
	afterAll(async () => await sandbox.stop());
	beforeEach(() => sandbox.reset());

	const template = (body_1: string, body_2 = '10'): INodeParameters => ({
		resource: 'message',
		operation: 'sendTemplate',
		to: '+16505551234',
		template: { __rl: true, mode: 'id', value: '1304694804498707' },
		templateVariables: {
			mappingMode: 'defineBelow',
			value: { header_1: 'Pablo', body_1, body_2 },
			matchingColumns: [],
			schema: [],
		},
	});

	test.each([
		['a new line', 'SUMMER\n20', /contains a new line/],
		['a tab', 'SUMMER\t20', /contains a tab/],
		['five spaces in a row', 'SUMMER     20', /more than 4 spaces in a row/],
	])('a template body parameter with %s fails before any request', async (_, value, message) => {
		const { error } = await runAction(template('ok'), credentials, [{ json: {} }]);
		expect(error).toBeUndefined();
		sandbox.reset();
		const bad = await runAction(template(value), credentials, [{ json: {} }]);
		expect(bad.error?.name).toBe('NodeOperationError');
		expect(bad.error?.message).toMatch(/^Template variable "Body \{\{1\}\}.*" /);
		expect(bad.error?.message).toMatch(message);
		expect(bad.error?.message).toMatch(/\[item 0\]$/);
		// the template's definition was read; nothing was sent
		expect(sandbox.log.filter((l) => l.method === 'POST')).toHaveLength(0);
	});

	test('four spaces in a row are fine; the sandbox refuses what Meta refuses (132018)', async () => {
		const { error } = await runAction(template('SUMMER    20'), credentials, [{ json: {} }]);
		expect(error).toBeUndefined();
		// the same value sent around the node's validation gets Meta's answer
		const response = await fetch(`${sandbox.url}/v25.0/106540352242922/messages`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${String(credentials.accessToken)}`,
				'content-type': 'application/json',
			},
			body: JSON.stringify({
				...sandbox.accepted[0].body,
				template: {
					...(sandbox.accepted[0].body.template as object),
					components: [
						{ type: 'header', parameters: [{ type: 'text', text: 'Pablo' }] },
						{
							type: 'body',
							parameters: [
								{ type: 'text', text: 'a\nb' },
								{ type: 'text', text: '1' },
							],
						},
					],
				},
			}),
		});
		expect(response.status).toBe(400);
		expect(((await response.json()) as { error: { code: number } }).error.code).toBe(132018);
	});

	test('a fallback template parameter with a tab fails before any request', async () => {
		const { error } = await runAction(
			sendText({
				options: {
					fallbackTemplate: {
						template: {
							name: 'follow_up',
							language: 'en_US',
							parameters: 'Sheena\norder_id=A\t1042',
						},
					},
				},
			}),
			credentials,
			[{ json: { phone: '+4915112345678', text: 'hi' } }],
		);
		expect(error?.message).toBe(
			'Fallback Template > Body Parameters, line 2, contains a tab, which WhatsApp does not allow in a template parameter [item 0]',
		);
		expect(sandbox.log).toHaveLength(0);
	});

	test.each([
		['an object', { id: 7, name: 'order' }, 'an object'],
		['a list', ['a', 'b'], 'a list'],
	])(
		'Text from an expression that gives %s fails before any request, naming item and field',
		async (_, value, kind) => {
			const { error } = await runAction(sendText({ text: '={{ $json.value }}' }), credentials, [
				{ json: { phone: '+4915112345678', value: 'fine' } },
				{ json: { phone: '+4915112345678', value } as IDataObject },
			]);
			expect(error?.message).toBe(`Text must be text, but its expression gave ${kind} [item 1]`);
			expect(String((error as { description?: string }).description)).toContain(
				`Value: ${JSON.stringify(value)}`,
			);
			expect(sandbox.log).toHaveLength(0);
		},
	);

	test('numbers and booleans from expressions are sent as text', async () => {
		const { error } = await runAction(
			sendText({
				text: '={{ $json.value }}',
				options: { bizOpaqueCallbackData: '={{ $json.id }}' },
			}),
			credentials,
			[
				{ json: { phone: '+4915112345678', value: 42, id: 7 } },
				{ json: { phone: '+4915112345678', value: true, id: 8 } },
			],
		);
		expect(error).toBeUndefined();
		expect(sandbox.accepted.map((m) => [textOf(m), m.body.biz_opaque_callback_data])).toEqual([
			['42', '7'],
			['true', '8'],
		]);
	});

	test.each([
		['Callback Data', { options: { bizOpaqueCallbackData: '={{ $json.value }}' } }],
		['Reply To Message ID', { options: { replyToMessageId: '={{ $json.value }}' } }],
		['To', { to: '={{ $json.value }}' }],
	])('%s from an object fails too', async (label, extra) => {
		const { error } = await runAction(sendText(extra), credentials, [
			{ json: { phone: '+4915112345678', text: 'hi', value: { a: 1 } } },
		]);
		expect(error?.message).toBe(
			`${label} must be text, but its expression gave an object [item 0]`,
		);
		expect(sandbox.log).toHaveLength(0);
	});

	test('template variables from an object fail before any request', async () => {
		const params = template('x');
		(params.templateVariables as IDataObject).value = {
			header_1: 'Pablo',
			body_1: '={{ $json.order }}',
			body_2: '10',
		};
		const { error } = await runAction(params, credentials, [{ json: { order: { id: 1 } } }]);
		expect(error?.message).toMatch(
			/^Template variable "Body \{\{1\}\}.*" must be text, but its expression gave an object/,
		);
		expect(sandbox.log.filter((l) => l.method === 'POST')).toHaveLength(0);
	});

	test.each([
		['null', null, 'is empty'],
		['empty', '', 'is empty'],
		['not a number', 'north', 'is "north"'],
	])(
		'Send Location with a latitude that is %s fails before any request (never a pin at 0,0)',
		async (_, latitude, said) => {
			const { error } = await runAction(
				{
					resource: 'message',
					operation: 'sendLocation',
					to: '+4915112345678',
					latitude: '={{ $json.lat }}',
					longitude: 13.4,
				},
				credentials,
				[{ json: { lat: latitude } as IDataObject }],
			);
			expect(error?.message).toBe(`Latitude ${said}; it must be a number from -90 to 90 [item 0]`);
			expect(sandbox.log).toHaveLength(0);
		},
	);

	test('coordinates as numbers or numeric text are sent as Meta documents them: strings', async () => {
		const { error } = await runAction(
			{
				resource: 'message',
				operation: 'sendLocation',
				to: '+4915112345678',
				latitude: '={{ $json.lat }}',
				longitude: '={{ $json.lng }}',
			},
			credentials,
			[{ json: { lat: '52.52', lng: 13.405 } }],
		);
		expect(error).toBeUndefined();
		expect(sandbox.accepted[0].body.location).toEqual({ latitude: '52.52', longitude: '13.405' });
	});
});

describe('a 2xx answer counts as sent only with a message ID', () => {
	let sandbox: GraphSandbox;
	let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];
	beforeAll(async () => ({ sandbox, credentials } = await startSandbox()));
	afterAll(async () => await sandbox.stop());
	beforeEach(() => sandbox.reset());

	test.each([
		[
			'an empty object',
			{ status: 200, body: {} },
			/Meta's answer has no message ID, so the message is not counted as sent \[item 0\]/,
		],
		[
			'an empty messages list',
			{
				status: 200,
				body: {
					messaging_product: 'whatsapp',
					contacts: [{ input: '1', wa_id: '1' }],
					messages: [],
				},
			},
			/no message ID/,
		],
		[
			'an HTML page',
			{
				status: 200,
				body: '<html><body>Welcome to nginx!</body></html>',
				headers: { 'content-type': 'text/html' },
			},
			/^The Graph API answered HTTP 200 with something that is not a Graph API answer/,
		],
	])('%s is a failure, never an output item', async (_, answer, message) => {
		sandbox.scripted.push(answer);
		const { error, items } = await runAction(sendText(), credentials, rows(1));
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(message);
		// and nothing is retried: whether Meta acted on it is unknown
		expect(sandbox.log).toHaveLength(1);
		expect(batchOf(error).unknown).toEqual([0]);
	});

	test('with continue-on-fail such an item is an error that says it may have been sent', async () => {
		sandbox.scripted.push({ status: 200, body: {} });
		const { items } = await runAction(sendText(), credentials, rows(2), {
			onError: 'continueRegularOutput',
		});
		expect(items[0].json).toMatchObject({ mayHaveBeenSent: true });
		expect(items[0].json.error).toMatch(/no message ID/);
		expect(items[1].json.messageId).toBe(sandbox.accepted[0].id);
	});

	test('Mark as Read with success: false is an error, with success: true it is done', async () => {
		const params = { resource: 'message', operation: 'markAsRead', messageId: 'wamid.IN1' };
		sandbox.scripted.push({ status: 200, body: { success: false } });
		const refused = await runAction(params, credentials);
		expect(refused.error?.message).toBe(
			'Meta did not confirm that message wamid.IN1 was marked as read [item 0]',
		);
		const done = await runAction(params, credentials);
		expect(done.error).toBeUndefined();
		expect(done.items[0].json).toMatchObject({ success: true, messageId: 'wamid.IN1' });
	});
});

describe('connection resets: retried once at most, and the output says a message may have arrived twice', () => {
	let sandbox: GraphSandbox;
	let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];
	beforeAll(async () => ({ sandbox, credentials } = await startSandbox()));
	afterAll(async () => await sandbox.stop());
	beforeEach(() => sandbox.reset());

	test('a reset before Meta took the message: one retry, sent once, flagged as a possible duplicate', async () => {
		sandbox.scripted.push('reset-before');
		const { error, items } = await runAction(sendText(), credentials, rows(1));
		expect(error).toBeUndefined();
		expect(sandbox.accepted).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			messageId: sandbox.accepted[0].id,
			possibleDuplicate: true,
		});
	});

	test('a reset after Meta took the message: the one retry delivers it twice, as documented', async () => {
		sandbox.scripted.push('reset-after');
		const { error, items } = await runAction(sendText(), credentials, rows(1));
		expect(error).toBeUndefined();
		expect(sandbox.accepted.map(textOf)).toEqual(['ticket 0', 'ticket 0']);
		expect(items[0].json).toMatchObject({
			messageId: sandbox.accepted[1].id,
			possibleDuplicate: true,
		});
	});

	test('two resets in a row: no third attempt; the item fails as "may have been sent"', async () => {
		sandbox.scripted.push('reset-after', 'reset-after', 'reset-after');
		const { error } = await runAction(sendText(), credentials, rows(1));
		expect(sandbox.log).toHaveLength(2);
		expect(sandbox.accepted).toHaveLength(2);
		expect(error?.message).toMatch(
			/^The connection to the Graph API broke during the call \(ECONNRESET\)/,
		);
		expect(batchOf(error)).toMatchObject({ sent: [], unknown: [0] });
	});

	test('no connection at all is safe to retry and is never "may have been sent"', async () => {
		const closed = { ...credentials, baseUrl: 'http://127.0.0.1:9' };
		const { items } = await runAction(sendText({ options: { maxRetries: 1 } }), closed, rows(1), {
			onError: 'continueRegularOutput',
		});
		expect(items[0].json.error).toBe('Could not reach the Graph API (ECONNREFUSED)');
		expect(items[0].json.mayHaveBeenSent).toBeUndefined();
		expect((items[0].json.errorDetails as IDataObject).attempts).toBe(2);
	});
});

test('2,000 sendText items with 5% injected 130429 and 1% 500: each accepted exactly once, in order, paired', async () => {
	const { sandbox, credentials } = await startSandbox({
		faults: { throttle: 0.05, serverError: 0.01, seed: 42 },
		latencyMs: 5,
	});
	try {
		const n = 2000;
		const cap = 400;
		const input = Array.from({ length: n }, (_, i) => ({
			json: { phone: `+49151${String(i).padStart(7, '0')}`, text: `ticket ${i}` },
		}));
		const started = Date.now();
		const { items, error } = await runAction(
			{
				resource: 'message',
				operation: 'sendText',
				to: '={{ $json.phone }}',
				text: '={{ $json.text }}',
				options: { messagesPerSecond: cap, maxConcurrent: 40 },
			},
			credentials,
			input,
		);
		const seconds = (Date.now() - started) / 1000;
		expect(error).toBeUndefined();

		// faults really happened
		expect(sandbox.injected.throttle).toBeGreaterThan(50);
		expect(sandbox.injected.serverError).toBeGreaterThan(5);

		// every message accepted exactly once
		const counts = new Map<string, number>();
		for (const m of sandbox.accepted) {
			const body = (m.body.text as { body: string }).body;
			counts.set(body, (counts.get(body) ?? 0) + 1);
		}
		expect(sandbox.accepted).toHaveLength(n);
		expect(counts.size).toBe(n);
		expect([...counts.values()].every((c) => c === 1)).toBe(true);

		// outputs in input order, each paired with its item and carrying the id the sandbox gave it
		const idByText = new Map(
			sandbox.accepted.map((m) => [(m.body.text as { body: string }).body, m.id]),
		);
		expect(items).toHaveLength(n);
		items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.messageId).toBe(idByText.get(`ticket ${i}`));
			expect(item.json.to).toBe(input[i].json.phone);
		});

		// Informational, not asserted: timing belongs to the benchmark. The pace guarantee itself
		// (starts per second at the sender) is tested in transport/throttle.test.ts; arrival times at a sandbox
		// sharing this event loop jitter by a few percent.
		process.stdout.write(
			`bulk: ${n} messages in ${seconds.toFixed(1)} s (${(n / seconds).toFixed(0)}/s, cap ${cap}), injected 130429=${sandbox.injected.throttle} 500=${sandbox.injected.serverError}, peak/s=${sandbox.peakPerSecond()}\n`,
		);
	} finally {
		await sandbox.stop();
	}
});
