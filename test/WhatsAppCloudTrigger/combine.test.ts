/* eslint-disable @n8n/community-nodes/no-restricted-globals */
/**
 * Options > Combine Messages Within, over real HTTP into n8n-core's WebhookContext, with signed
 * webhooks from the sandbox as Meta. The bursts run on a manual clock: each test sends its
 * webhooks, checks what Meta was answered and what ran so far, then moves time on; only the one
 * test of the real timer waits for real.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ManualClock } from '../../dev/harness/clock';
import { useSandbox, type SandboxCredentials } from '../../dev/harness/sandbox';
import { WebhookServer, type TriggerHandle } from '../../dev/harness/webhook-server';
import {
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_WABA_ID,
	type GraphSandbox,
} from '../../dev/sandbox/server';
import { Bursts, COMBINE_LIMITS, replaceBursts } from '../../nodes/WhatsAppCloudTrigger/combine';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
let server: WebhookServer;

useSandbox((started) => ({ sandbox, credentials } = started));
beforeAll(async () => (server = await new WebhookServer().start()));
afterAll(async () => await server.stop());

let clock: ManualClock;
let previous: Bursts;

// a fresh set of bursts on a manual clock for each test, with the bounds as shipped
beforeAll(() => (previous = replaceBursts(new Bursts())));
beforeEach(() => {
	clock = new ManualClock();
	replaceBursts(new Bursts(COMBINE_LIMITS, clock));
});
afterEach(async () => {
	// closes whatever a test left waiting, so that no holding call outlives its test
	clock.advance(2 * COMBINE_LIMITS.maxWaitMs);
	await settle();
});
afterAll(() => replaceBursts(previous));

const QUIET_S = 10;
const QUIET_MS = QUIET_S * 1000;

const trigger = async (parameters: INodeParameters = {}, options: IDataObject = {}) => {
	const t = server.trigger(
		{
			updates: ['*'],
			verifyToken: 'vt',
			registration: 'manual',
			...parameters,
			options: { combineMessages: QUIET_S, ...options },
		},
		credentials,
	);
	await t.activate();
	return t;
};

/** Lets the server and the holding calls run what is due, without moving the clock. */
const settle = async (ms = 30) => await new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, done: () => boolean) {
	const end = Date.now() + 10_000;
	while (!done()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

// --- Meta's bodies --------------------------------------------------------------------------

/** Meta's timestamps: unix seconds, as text. */
const T0 = 1_767_603_600;
let counter = 0;

type Message = Record<string, unknown> & { id: string };

/** A customer's message; `from` a phone, or `{ userId }` for one whose phone Meta leaves out. */
function message(
	from: string | { userId: string },
	content: Record<string, unknown>,
	options: { id?: string; ts?: number } = {},
): Message {
	return {
		...(typeof from === 'string' ? { from } : { from_user_id: from.userId }),
		id: options.id ?? `wamid.CMB${String(++counter).padStart(6, '0')}`,
		timestamp: String(options.ts ?? T0),
		...content,
	};
}

const text = (from: string | { userId: string }, body: string, options?: { ts?: number }) =>
	message(from, { type: 'text', text: { body } }, options);

/** A `messages` change of one business number carrying these messages and statuses. */
function body(
	value: { messages?: Message[]; statuses?: IDataObject[] },
	phoneNumberId = SANDBOX_PHONE_NUMBER_ID,
) {
	const contacts = (value.messages ?? []).map((m) =>
		m.from
			? { profile: { name: `Customer ${String(m.from)}` }, wa_id: m.from }
			: { profile: { name: 'Username customer' }, user_id: m.from_user_id },
	);
	return {
		object: 'whatsapp_business_account',
		entry: [
			{
				id: SANDBOX_WABA_ID,
				changes: [
					{
						field: 'messages',
						value: {
							messaging_product: 'whatsapp',
							metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
							...(contacts.length ? { contacts } : {}),
							...value,
						},
					},
				],
			},
		],
	};
}

const status = (id: string): IDataObject => ({
	id,
	status: 'delivered',
	timestamp: String(T0),
	recipient_id: '491700000099',
});

/** Sends a signed body as Meta does; answers the status Meta got. */
async function deliver(t: TriggerHandle, payload: ReturnType<typeof body>, url = t.url) {
	return (await sandbox.deliver(payload as never, { to: url })).status;
}

async function send(t: TriggerHandle, ...messages: Message[]) {
	for (const m of messages) expect(await deliver(t, body({ messages: [m] }))).toBe(200);
}

const ANA = '491700000001';
const BEN = '491700000002';

const json = (t: TriggerHandle, run: number) => t.runs[run].map((i) => i.json);
const messagesOf = (item: IDataObject) => (item.messages as IDataObject[]).map((m) => m.text);

// --- the tests ------------------------------------------------------------------------------

describe('Combine Messages Within', () => {
	test('three webhooks from one customer within the quiet time: Meta gets each 200 at once, one execution runs when the customer pauses, with the three texts in order', async () => {
		const t = await trigger();
		const burst = [
			text(ANA, 'Hi', { ts: T0 }),
			text(ANA, 'my order', { ts: T0 + 1 }),
			text(ANA, 'it never came', { ts: T0 + 2 }),
		];
		await send(t, burst[0]);
		clock.advance(QUIET_MS - 1);
		await send(t, burst[1]);
		clock.advance(QUIET_MS - 1);
		await send(t, burst[2]);
		await settle();
		// all three answered, and nothing ran: the quiet time is counted from the last message
		expect(t.runs).toHaveLength(0);
		const answeredBefore = Date.now();
		clock.advance(QUIET_MS - 1);
		await settle();
		expect(t.runs).toHaveLength(0);
		clock.advance(1);
		await until('the burst', () => t.runs.length === 1);
		await settle();
		expect(t.runs).toHaveLength(1);
		expect(t.runs[0]).toHaveLength(1);
		const item = json(t, 0)[0];
		expect(item).toMatchObject({
			event: 'message',
			messageId: burst[2].id,
			from: ANA,
			replyTo: ANA,
			phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
			type: 'text',
			text: 'Hi\nmy order\nit never came',
			combined: true,
			messageIds: burst.map((m) => m.id),
		});
		expect(messagesOf(item)).toEqual(['Hi', 'my order', 'it never came']);
		// every call was answered 200 before the burst closed; the holding call's answer too
		const posts = t.calls.filter((c) => c.method === 'POST');
		expect(posts.map((c) => c.status)).toEqual([200, 200, 200]);
		for (const c of posts) expect(c.answeredAt).toBeLessThanOrEqual(answeredBefore);
		await t.deactivate();
	});

	test("messages are ordered by Meta's timestamp, those of the same second by arrival", async () => {
		const t = await trigger();
		await send(
			t,
			text(ANA, 'second', { ts: T0 + 5 }),
			text(ANA, 'first', { ts: T0 + 4 }),
			text(ANA, 'third', { ts: T0 + 5 }),
		);
		clock.advance(QUIET_MS);
		await until('the burst', () => t.runs.length === 1);
		const item = json(t, 0)[0];
		expect(messagesOf(item)).toEqual(['first', 'second', 'third']);
		expect(item.text).toBe('first\nsecond\nthird');
		// the item is the last message's, in that order
		expect(item.messageId).toBe((item.messageIds as string[])[2]);
		await t.deactivate();
	});

	test("another customer's message in between runs in its own execution, as a burst of one", async () => {
		const t = await trigger();
		const a1 = text(ANA, 'Hi');
		const b1 = text(BEN, 'Hello?');
		const a2 = text(ANA, 'my order');
		await send(t, a1, b1, a2);
		await settle();
		expect(t.runs).toHaveLength(0);
		clock.advance(QUIET_MS);
		await until('both bursts', () => t.runs.length === 2);
		await settle();
		expect(t.runs).toHaveLength(2);
		const byCustomer = Object.fromEntries(t.runs.map((r) => [r[0].json.from, r[0].json]));
		expect(byCustomer[ANA]).toMatchObject({
			combined: true,
			messageIds: [a1.id, a2.id],
			text: 'Hi\nmy order',
		});
		// alone, a message keeps its usual item and gets the burst fields, with combined false
		expect(byCustomer[BEN]).toMatchObject({
			messageId: b1.id,
			text: 'Hello?',
			combined: false,
			messageIds: [b1.id],
		});
		expect(messagesOf(byCustomer[BEN])).toEqual(['Hello?']);
		await t.deactivate();
	});

	test('one customer writing to two business numbers makes two bursts; a customer known only by user ID is combined by it', async () => {
		const t = await trigger();
		const other = '206540352242922';
		const user = { userId: 'BR.8812300144551277' };
		expect(await deliver(t, body({ messages: [text(ANA, 'to the first')] }))).toBe(200);
		expect(await deliver(t, body({ messages: [text(ANA, 'to the second')] }, other))).toBe(200);
		expect(await deliver(t, body({ messages: [text(user, 'no phone')] }))).toBe(200);
		expect(await deliver(t, body({ messages: [text(user, 'still me')] }))).toBe(200);
		clock.advance(QUIET_MS);
		await until('three bursts', () => t.runs.length === 3);
		await settle();
		const items = t.runs.map((r) => r[0].json);
		expect(items.map((i) => [i.phoneNumberId, i.replyTo, i.text]).sort()).toEqual(
			[
				[SANDBOX_PHONE_NUMBER_ID, ANA, 'to the first'],
				[other, ANA, 'to the second'],
				[SANDBOX_PHONE_NUMBER_ID, user.userId, 'no phone\nstill me'],
			].sort(),
		);
		await t.deactivate();
	});

	test('a redelivered message inside a burst is dropped before combining', async () => {
		const t = await trigger();
		const a1 = text(ANA, 'Hi');
		const a2 = text(ANA, 'my order');
		await send(t, a1, a2, a1);
		clock.advance(QUIET_MS);
		await until('the burst', () => t.runs.length === 1);
		await settle();
		expect(t.runs).toHaveLength(1);
		expect(json(t, 0)[0].messageIds).toEqual([a1.id, a2.id]);
		expect(t.calls.filter((c) => c.method === 'POST').map((c) => c.status)).toEqual([
			200, 200, 200,
		]);
		await t.deactivate();
	});

	test('a status in the middle of a burst goes out at once; a body with several events is split', async () => {
		const t = await trigger();
		const a1 = text(ANA, 'Hi');
		const a2 = text(ANA, 'my order');
		const b1 = text(BEN, 'me too');
		await send(t, a1);
		expect(await deliver(t, body({ statuses: [status('wamid.OUT1')] }))).toBe(200);
		await until('the status', () => t.runs.length === 1);
		expect(json(t, 0)).toEqual([
			expect.objectContaining({ event: 'status', messageId: 'wamid.OUT1' }),
		]);
		// one body: a status, a message continuing Ana's burst, and a new customer. The status
		// cannot wait, so this call cannot hold Ben's burst: his message goes out with it, as a
		// burst of one; Ana's joins the burst another call holds.
		expect(await deliver(t, body({ messages: [a2, b1], statuses: [status('wamid.OUT2')] }))).toBe(
			200,
		);
		await until('the body', () => t.runs.length === 2);
		expect(json(t, 1).map((i) => [i.event, i.messageId, i.combined])).toEqual([
			['message', b1.id, false],
			['status', 'wamid.OUT2', undefined],
		]);
		clock.advance(QUIET_MS);
		await until('the burst', () => t.runs.length === 3);
		expect(json(t, 2)[0]).toMatchObject({ combined: true, messageIds: [a1.id, a2.id] });
		await t.deactivate();
	});

	test(`${COMBINE_LIMITS.maxMessages} messages close a burst at once; the next message opens a new one`, async () => {
		const t = await trigger();
		const burst = Array.from({ length: COMBINE_LIMITS.maxMessages }, (_, i) =>
			text(ANA, `part ${i + 1}`),
		);
		await send(t, ...burst.slice(0, -1));
		await settle();
		expect(t.runs).toHaveLength(0);
		await send(t, burst[burst.length - 1]);
		// no time moved: the bound closed it
		await until('the full burst', () => t.runs.length === 1);
		expect(json(t, 0)[0].messageIds).toEqual(burst.map((m) => m.id));
		const next = text(ANA, 'one more thing');
		await send(t, next);
		await settle();
		expect(t.runs).toHaveLength(1);
		clock.advance(QUIET_MS);
		await until('the next burst', () => t.runs.length === 2);
		expect(json(t, 1)[0]).toMatchObject({ combined: false, messageIds: [next.id] });
		await t.deactivate();
	});

	test(`a burst closes ${COMBINE_LIMITS.maxWaitMs / 60_000} minutes after its first message, even while the customer keeps writing`, async () => {
		const t = await trigger();
		const step = QUIET_MS - 1000;
		const sent: Message[] = [];
		for (let at = 0; at < COMBINE_LIMITS.maxWaitMs; at += step) {
			const m = text(ANA, `at ${at / 1000} s`);
			sent.push(m);
			await send(t, m);
			clock.advance(Math.min(step, COMBINE_LIMITS.maxWaitMs - at));
			await settle(5);
		}
		await until('the long burst', () => t.runs.length === 1);
		expect(json(t, 0)[0].messageIds).toEqual(sent.map((m) => m.id));
		await t.deactivate();
	});

	test(`beyond ${COMBINE_LIMITS.maxOpenBursts} open bursts a new customer passes through uncombined, logged once; once bursts close, new ones are combined again`, async () => {
		const t = await trigger();
		const waiting = Array.from({ length: COMBINE_LIMITS.maxOpenBursts }, (_, i) =>
			text(`4916${String(i).padStart(8, '0')}`, `customer ${i}`),
		);
		await send(t, ...waiting);
		await settle();
		expect(t.runs).toHaveLength(0);
		const carl = '491700000003';
		await send(t, text(carl, 'I am one too many'), text(carl, 'and still'));
		await until('the two pass-throughs', () => t.runs.length === 2);
		expect(t.runs.map((r) => r.map((i) => [i.json.text, i.json.combined]))).toEqual([
			[['I am one too many', false]],
			[['and still', false]],
		]);
		// a customer with a burst waiting still joins it
		const more = text(String(waiting[0].from), 'one more line');
		await send(t, more);
		const full = (l: string) => /bursts are waiting in this process/.test(l);
		expect(t.logs.filter(full)).toEqual([
			expect.stringMatching(
				new RegExp(`^warn: .*: ${COMBINE_LIMITS.maxOpenBursts} bursts are waiting in this process`),
			),
		]);
		clock.advance(QUIET_MS);
		await until('the waiting bursts', () => t.runs.length === 2 + waiting.length);
		const first = t.runs.find((r) => r[0].json.from === waiting[0].from)!;
		expect(first[0].json.messageIds).toEqual([waiting[0].id, more.id]);
		await send(t, text(carl, 'now combined'), text(carl, 'with this'));
		clock.advance(QUIET_MS);
		await until("Carl's burst", () => t.runs.length === 3 + waiting.length);
		expect(t.runs[t.runs.length - 1][0].json).toMatchObject({
			combined: true,
			text: 'now combined\nwith this',
		});
		await t.deactivate();
	});

	test('answers to Send and Wait buttons are never combined: with Also Start on Answers, a tap goes out at once', async () => {
		const t = await trigger({}, { startOnAnswers: true });
		const a1 = text(ANA, 'Hi');
		await send(t, a1);
		const tap = message(ANA, {
			type: 'interactive',
			interactive: { type: 'button_reply', button_reply: { id: 'wcwait:damaged', title: 'Yes' } },
		});
		await send(t, tap);
		await until('the tap', () => t.runs.length === 1);
		expect(json(t, 0)).toEqual([
			expect.objectContaining({
				messageId: tap.id,
				resume: expect.objectContaining({ resumed: false }),
			}),
		]);
		expect(json(t, 0)[0].combined).toBeUndefined();
		clock.advance(QUIET_MS);
		await until('the burst', () => t.runs.length === 2);
		expect(json(t, 1)[0]).toMatchObject({ combined: false, messageIds: [a1.id] });
		await t.deactivate();
	});

	test('with Download Media, each file of the burst is attached: data, data_1..., each message naming its own; the text joins texts and captions', async () => {
		const t = await trigger({}, { downloadMedia: true });
		const jpeg = Buffer.from('\xff\xd8\xff a photo of the parcel', 'latin1');
		const pdf = Buffer.from('%PDF-1.4\n% the receipt\n%%EOF\n');
		const photo = sandbox.addMedia(jpeg, 'image/jpeg');
		const receipt = sandbox.addMedia(pdf, 'application/pdf');
		const image = message(ANA, {
			type: 'image',
			image: { id: photo, mime_type: 'image/jpeg', sha256: 'x', caption: 'this came' },
		});
		const doc = message(ANA, {
			type: 'document',
			document: { id: receipt, mime_type: 'application/pdf', sha256: 'x', filename: 'r.pdf' },
		});
		const like = message(ANA, {
			type: 'reaction',
			reaction: { message_id: 'wamid.X', emoji: '👍' },
		});
		await send(t, text(ANA, 'look'), image, like, doc);
		clock.advance(QUIET_MS);
		await until('the burst', () => t.runs.length === 1);
		const [item] = t.runs[0];
		expect(item.json.text).toBe('look\nthis came');
		expect((item.json.messages as IDataObject[]).map((m) => m.binaryProperty)).toEqual([
			undefined,
			'data',
			undefined,
			'data_1',
		]);
		expect(Object.keys(item.binary ?? {})).toEqual(['data', 'data_1']);
		expect(Buffer.from(item.binary!.data.data, 'base64').equals(jpeg)).toBe(true);
		expect(Buffer.from(item.binary!.data_1.data, 'base64').equals(pdf)).toBe(true);
		expect(item.binary!.data_1.fileName).toBe('r.pdf');
		// the item is the last message's: the document, and its file
		expect(item.json).toMatchObject({ type: 'document', binaryProperty: 'data_1' });
		await t.deactivate();
	});

	test('with Output Raw, the item is the last raw item with every raw item in messages', async () => {
		const t = await trigger({}, { output: 'raw' });
		const a1 = text(ANA, 'Hi');
		const a2 = text(ANA, 'there');
		await send(t, a1, a2);
		clock.advance(QUIET_MS);
		await until('the burst', () => t.runs.length === 1);
		const item = json(t, 0)[0];
		expect(item).toMatchObject({ event: 'message', combined: true, messageIds: [a1.id, a2.id] });
		expect((item.value as { messages: Message[] }).messages[0].id).toBe(a2.id);
		expect(
			(item.messages as Array<{ value: { messages: Message[] } }>).map(
				(m) => m.value.messages[0].id,
			),
		).toEqual([a1.id, a2.id]);
		expect(item.text).toBeUndefined();
		await t.deactivate();
	});

	test("0 (the default) is today's behaviour: one execution per webhook, no burst fields", async () => {
		for (const combineMessages of [0, undefined]) {
			const t = await trigger({}, { combineMessages });
			await send(t, text(ANA, 'Hi'), text(ANA, 'my order'), text(ANA, 'it never came'));
			await settle();
			expect(t.runs.map((r) => r.map((i) => i.json.text))).toEqual([
				['Hi'],
				['my order'],
				['it never came'],
			]);
			for (const run of t.runs) expect(run[0].json).not.toHaveProperty('combined');
			expect(t.logs).toEqual([]);
			await t.deactivate();
		}
	});

	test('a value an expression gives outside 0 to 60 never fails the webhook: above counts as 60, below or not a number is off; logged once per value', async () => {
		for (const value of ['={{ "soon" }}', -5]) {
			const t = await trigger({}, { combineMessages: value });
			await send(t, text(ANA, 'Hi'), text(ANA, 'again'));
			await settle();
			expect(t.runs).toHaveLength(2);
			expect(t.runs[0][0].json).not.toHaveProperty('combined');
			expect(t.logs).toEqual([
				expect.stringMatching(
					/^warn: .*Combine Messages Within is .*not a number of seconds from 0 to 60: messages are not combined$/,
				),
			]);
			await t.deactivate();
		}
		const t = await trigger({}, { combineMessages: '={{ 90 }}' });
		await send(t, text(ANA, 'Hi'), text(ANA, 'again'));
		clock.advance(COMBINE_LIMITS.maxQuietSeconds * 1000 - 1);
		await settle();
		expect(t.runs).toHaveLength(0);
		clock.advance(1);
		await until('the burst', () => t.runs.length === 1);
		expect(json(t, 0)[0]).toMatchObject({ combined: true, text: 'Hi\nagain' });
		expect(t.logs).toEqual([
			expect.stringMatching(/^warn: .*Combine Messages Within is 90, more than the maximum/),
		]);
		await t.deactivate();
	});

	test("in the editor's test mode the first burst is the test event; another customer's waiting burst is dropped, and n8n stops listening", async () => {
		const t = await trigger();
		await t.startListening({ once: true });
		const burst = [text(ANA, 'Hi'), text(ANA, 'my order'), text(ANA, 'it never came')];
		const other = text(BEN, 'meanwhile');
		for (const m of burst) expect(await deliver(t, body({ messages: [m] }), t.testUrl)).toBe(200);
		clock.advance(1000);
		expect(await deliver(t, body({ messages: [other] }), t.testUrl)).toBe(200);
		await settle();
		expect(t.runs).toHaveLength(0);
		// Ana's burst closes first: Ben wrote a second later
		clock.advance(QUIET_MS - 1000);
		await until('the test event', () => t.runs.length === 1);
		await settle();
		expect(t.runs).toHaveLength(1);
		expect(json(t, 0)[0]).toMatchObject({ combined: true, messageIds: burst.map((m) => m.id) });
		expect(t.logs).toEqual([
			expect.stringMatching(
				new RegExp(
					`^warn: .*dropped 1 message\\(s\\) other customers sent meanwhile \\(${other.id}\\)`,
				),
			),
		]);
		clock.advance(QUIET_MS);
		await settle();
		expect(t.runs).toHaveLength(1);
		// n8n removed the test webhook after its execution
		expect(await deliver(t, body({ messages: [text(ANA, 'later')] }), t.testUrl)).toBe(404);
		await t.stopListening();
		await t.deactivate();
	});

	test('on the real timer: Meta gets each 200 well before the quiet time, the execution comes after it', async () => {
		replaceBursts(new Bursts());
		const t = await trigger({}, { combineMessages: 1 });
		const started = Date.now();
		const answered: number[] = [];
		for (const m of [text(ANA, 'Hi'), text(ANA, 'my order'), text(ANA, 'it never came')]) {
			const delivery = await sandbox.deliver(body({ messages: [m] }) as never, { to: t.url });
			expect(delivery.status).toBe(200);
			answered.push(delivery.ms);
		}
		const lastSent = Date.now();
		expect(t.runs).toHaveLength(0);
		await until('the burst', () => t.runs.length === 1);
		const ran = Date.now();
		// each answer took far less than the quiet time; the run waited for it after the last
		for (const ms of answered) expect(ms).toBeLessThan(500);
		expect(ran - lastSent).toBeGreaterThanOrEqual(900);
		expect(ran - started).toBeLessThan(10_000);
		expect(messagesOf(json(t, 0)[0])).toEqual(['Hi', 'my order', 'it never came']);
		await t.deactivate();
	});
});
