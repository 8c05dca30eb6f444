/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * The duplicate memory every process of a deployment shares (nodes/WhatsAppCloudTrigger/
 * sharedSeen.ts): its entries on their own, then through the trigger, with a second "process"
 * that has its own module copy (its own process memory) and reads the static data as n8n would
 * read it from the database for each call.
 */
import { readFileSync } from 'fs';
import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';
import { deepCopy, Workflow } from 'n8n-workflow';
import path from 'path';

import { TestNodeTypes, TRIGGER_TYPE } from '../../dev/harness/engine';
import { startSandbox } from '../../dev/harness/sandbox';
import { OUR_TRIGGER, TriggerHandle, WebhookServer } from '../../dev/harness/webhook-server';
import type { GraphSandbox } from '../../dev/sandbox/server';
import { SHARED_SEEN, SharedSeen } from '../../nodes/WhatsAppCloudTrigger/sharedSeen';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);

describe('SharedSeen: entries in static data', () => {
	test('an event added and saved is found by the next call, which reads the same static data', () => {
		const store: IDataObject = {};
		const first = new SharedSeen(store, T0);
		expect(first.has('wamid.A')).toBe(false);
		first.add('wamid.A');
		first.save();
		expect(typeof store.seenEvents).toBe('string');
		const next = new SharedSeen(deepCopy(store), T0 + MINUTE);
		expect(next.has('wamid.A')).toBe(true);
		expect(next.has('wamid.B')).toBe(false);
	});

	test('an event is remembered for 7 days and not a minute longer', () => {
		const store: IDataObject = {};
		const s = new SharedSeen(store, T0);
		s.add('wamid.A');
		s.save();
		expect(new SharedSeen(store, T0 + 7 * DAY - MINUTE).has('wamid.A')).toBe(true);
		expect(new SharedSeen(store, T0 + 7 * DAY).has('wamid.A')).toBe(false);
	});

	test('a save drops the entries past 7 days, keeping the younger ones in order', () => {
		const store: IDataObject = {};
		for (const [key, at] of [
			['old-1', T0],
			['old-2', T0 + DAY],
			['young-1', T0 + 3 * DAY],
			['young-2', T0 + 6 * DAY],
		] as const) {
			const s = new SharedSeen(store, at);
			s.add(key);
			s.save();
		}
		const later = new SharedSeen(store, T0 + 8 * DAY + MINUTE);
		later.add('now');
		later.save();
		const after = new SharedSeen(store, T0 + 8 * DAY + MINUTE);
		expect(after.size).toBe(3);
		expect(['old-1', 'old-2', 'young-1', 'young-2', 'now'].map((k) => after.has(k))).toEqual([
			false,
			false,
			true,
			true,
			true,
		]);
	});

	test('it keeps the newest entries up to its bound', () => {
		const store: IDataObject = {};
		const limits = { maxEntries: 3, maxAgeMinutes: SHARED_SEEN.maxAgeMinutes };
		for (const key of ['a', 'b', 'c', 'd', 'e']) {
			const s = new SharedSeen(store, T0, limits);
			s.add(key);
			s.save();
		}
		const s = new SharedSeen(store, T0, limits);
		expect(s.size).toBe(3);
		expect(['a', 'b', 'c', 'd', 'e'].map((k) => s.has(k))).toEqual([
			false,
			false,
			true,
			true,
			true,
		]);
	});

	test('the real bound: 10,000 entries, 22 characters each', () => {
		const store: IDataObject = {};
		const s = new SharedSeen(store, T0);
		for (let n = 0; n <= SHARED_SEEN.maxEntries; n++) s.add(`wamid.${n}`);
		s.save();
		expect((store.seenEvents as string).length).toBe(SHARED_SEEN.maxEntries * 22);
		const next = new SharedSeen(store, T0);
		expect(next.has('wamid.0')).toBe(false);
		expect(next.has('wamid.1')).toBe(true);
		expect(next.has(`wamid.${SHARED_SEEN.maxEntries}`)).toBe(true);
	});

	test('a call that adds nothing writes nothing, so n8n has nothing to save', () => {
		const store: IDataObject = {};
		const s = new SharedSeen(store, T0);
		s.has('wamid.A');
		s.save();
		expect(store).toEqual({});
	});

	test.each([['not our layout'], [42], [{ a: 1 }], [',short']])(
		'a value that is not its layout (%p) is started afresh',
		(value) => {
			const store: IDataObject = { seenEvents: value as string };
			const s = new SharedSeen(store, T0);
			expect(s.size).toBe(0);
			expect(s.has('wamid.A')).toBe(false);
			s.add('wamid.A');
			s.save();
			expect(new SharedSeen(store, T0).has('wamid.A')).toBe(true);
		},
	);
});

describe('the trigger across processes: one execution per event wherever Meta redelivers it', () => {
	let sandbox: GraphSandbox;
	let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];
	let server: WebhookServer;
	beforeAll(async () => {
		({ sandbox, credentials } = await startSandbox());
		server = await new WebhookServer().start();
	});
	afterAll(async () => {
		await server.stop();
		await sandbox.stop();
	});

	const fixture = (name: string) =>
		JSON.parse(
			readFileSync(path.join(__dirname, '../fixtures/webhooks', name), 'utf8'),
		) as Parameters<GraphSandbox['deliver']>[0];

	/**
	 * Another n8n process of the same deployment: the trigger's module loaded afresh (its own
	 * process memory), the workflow built anew with the static data as saved so far, as n8n reads
	 * it from its database for every webhook call.
	 */
	function otherProcess(of: TriggerHandle): TriggerHandle {
		let type: INodeType | undefined;
		jest.isolateModules(() => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const module = require('../../nodes/WhatsAppCloudTrigger/WhatsAppCloudTrigger.node');
			type = new (
				module as typeof import('../../nodes/WhatsAppCloudTrigger/WhatsAppCloudTrigger.node')
			).WhatsAppCloudTrigger();
		});
		const kind = { ...OUR_TRIGGER, create: () => type! };
		const workflow = new Workflow({
			id: of.workflow.id,
			active: true,
			nodes: [of.node],
			connections: {},
			nodeTypes: new TestNodeTypes({ [TRIGGER_TYPE]: type! }),
			staticData: deepCopy(of.workflow.staticData),
		});
		return new TriggerHandle(server, of.node, workflow, credentials, kind);
	}

	/** Meta's delivery to whichever process the load balancer picks. */
	const deliverTo = async (to: TriggerHandle, payload: Parameters<GraphSandbox['deliver']>[0]) => {
		server.routes.set(to.node.webhookId!, to);
		return await sandbox.deliver(payload, { to: to.url });
	};

	const parameters = (options: INodeParameters = {}): INodeParameters => ({
		updates: ['*'],
		verifyToken: 'vt-123',
		registration: 'manual',
		options,
	});

	test('delivered to process 1, redelivered to process 2 and then to main: one execution', async () => {
		const one = server.trigger(parameters(), credentials);
		await one.activate();
		const event = fixture('msg_text__meta_openapi.json');
		expect((await deliverTo(one, event)).status).toBe(200);
		expect(one.runs).toHaveLength(1);
		const two = otherProcess(one);
		expect((await deliverTo(two, event)).status).toBe(200);
		// main: its own process memory, the static data as process 2 left it
		const main = otherProcess(two);
		expect((await deliverTo(main, event)).status).toBe(200);
		expect([one.runs.length, two.runs.length, main.runs.length]).toEqual([1, 0, 0]);
		// a new event on process 2 still comes through, and process 1 then knows it
		const status = fixture('status_delivered_cbp__meta_docs.json');
		await deliverTo(two, status);
		expect(two.runs).toHaveLength(1);
		const again = otherProcess(two);
		await deliverTo(again, status);
		expect(again.runs).toHaveLength(0);
		await one.deactivate();
	});

	test('without that memory (a process that does not read it), the redelivery runs again', async () => {
		const one = server.trigger(parameters(), credentials);
		await one.activate();
		const event = fixture('msg_location__meta_openapi.json');
		await deliverTo(one, event);
		const two = otherProcess(one);
		// as before this change: the static data n8n holds for the node has no entries
		two.workflow.staticData = {} as typeof two.workflow.staticData;
		await deliverTo(two, event);
		expect([one.runs.length, two.runs.length]).toEqual([1, 1]);
		await one.deactivate();
	});

	test('with Drop Duplicates off nothing is remembered anywhere', async () => {
		const one = server.trigger(parameters({ dropDuplicates: false }), credentials);
		await one.activate();
		const event = fixture('msg_image__meta_openapi.json');
		await deliverTo(one, event);
		expect(JSON.stringify(one.workflow.staticData)).not.toContain('seenEvents');
		const two = otherProcess(one);
		await deliverTo(two, event);
		expect([one.runs.length, two.runs.length]).toEqual([1, 1]);
		await one.deactivate();
	});

	test('test events (Listen for test event) leave the static data alone', async () => {
		const t = server.trigger(parameters(), credentials);
		await t.startListening();
		const event = fixture('msg_text__meta_openapi.json');
		await sandbox.deliver(event, { to: t.testUrl });
		await sandbox.deliver(event, { to: t.testUrl });
		expect(t.runs).toHaveLength(2);
		expect(JSON.stringify(t.workflow.staticData)).not.toContain('seenEvents');
	});
});
