/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * Every webhook fixture (test/fixtures/webhooks/<name>.json) normalised, compared exactly with its
 * expected file (<name>.expected.json beside it): per event, in order, its duplicate key, the
 * simplified item and the Raw output's value. The same fixture, signed by the sandbox and sent to
 * two triggers over HTTP (n8n's WebhookContext), must make exactly those items, the simplified ones
 * and the Raw output's, answering Meta 200 and logging no warning. Exactly: the order of the
 * fields too, which is the order n8n shows them in. A fixture without its expected file fails. An
 * event stamped with the time it was received (its payload has none) holds `<time of receipt>`.
 *
 * The expected files are written by the normaliser itself, once, and then compared exactly:
 *   UPDATE_EXPECTED=1 npx jest test/WhatsAppCloudTrigger/fixtures.test.ts
 * Read the diff of an updated file before committing it: it is the trigger's output.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import type { IDataObject } from 'n8n-workflow';
import path from 'path';

import { normalize, parseWebhookBody } from '../../nodes/WhatsAppCloudTrigger/webhook';
import { startSandbox } from '../../dev/harness/sandbox';
import { WebhookServer, type TriggerHandle } from '../../dev/harness/webhook-server';
import type { GraphSandbox } from '../../dev/sandbox/server';

const UPDATE = process.env.UPDATE_EXPECTED === '1';
const DIR = path.join(__dirname, '../fixtures/webhooks');
const EXPECTED = '.expected.json';

const FIXTURES = readdirSync(DIR)
	.filter((f) => f.endsWith('.json') && !f.endsWith(EXPECTED))
	.map((f) => f.replace(/\.json$/, ''))
	.sort();

const expectedFile = (name: string) => path.join(DIR, `${name}${EXPECTED}`);

/** What the trigger makes of one event of a fixture. */
type Expected = { key: string; simplified: IDataObject; raw: IDataObject };

const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * An event whose payload has no time of its own (an error about the account) is stamped with the
 * time it was received: in the expected file, `<time of receipt>`, after checking it is now.
 */
const RECEIPT = '<time of receipt>';
function withReceiptTime(item: IDataObject): IDataObject {
	const at = Date.parse(String(item.timestamp));
	return Math.abs(at - Date.now()) < 60_000 ? { ...item, timestamp: RECEIPT } : item;
}

/**
 * Every key path, in order. toStrictEqual does not compare the order of keys, and that order is
 * the order n8n shows an item's fields in: it is part of the output.
 */
const keyOrder = (value: unknown, at = ''): string[] =>
	value && typeof value === 'object'
		? Object.entries(value).flatMap(([k, v]) => [`${at}.${k}`, ...keyOrder(v, `${at}.${k}`)])
		: [];

/** Exactly equal, the order of keys included. */
function expectExactly(actual: unknown, expected: unknown) {
	expect(actual).toStrictEqual(expected);
	expect(keyOrder(actual)).toEqual(keyOrder(expected));
}

function normalised(name: string): Expected[] {
	const parsed = parseWebhookBody(readFileSync(path.join(DIR, `${name}.json`)));
	if (!parsed.ok) throw new Error(`${name}: ${parsed.reason}`);
	// the simplified item as it is (a field set to undefined is not the same as no field); the Raw
	// output as n8n keeps it, in JSON: it leaves the other lists out by setting them to undefined
	return normalize(parsed.body).map((e) => ({
		key: e.key,
		simplified: withReceiptTime(e.simplified),
		raw: asJson(e.raw),
	}));
}

test('every webhook fixture has its expected file, and every expected file its fixture', () => {
	expect(FIXTURES.length).toBeGreaterThanOrEqual(30);
	const missing = FIXTURES.filter((name) => !existsSync(expectedFile(name)));
	expect(UPDATE ? [] : missing).toEqual([]);
	const orphans = readdirSync(DIR)
		.filter((f) => f.endsWith(EXPECTED))
		.filter((f) => !FIXTURES.includes(f.slice(0, -EXPECTED.length)));
	expect(orphans).toEqual([]);
});

describe('the normaliser, per fixture', () => {
	test.each(FIXTURES)('%s', (name) => {
		const events = normalised(name);
		if (UPDATE) writeFileSync(expectedFile(name), `${JSON.stringify(events, null, 2)}\n`);
		expect(events.length).toBeGreaterThanOrEqual(1);
		expectExactly(events, JSON.parse(readFileSync(expectedFile(name), 'utf8')));
	});
});

describe('the trigger, per fixture signed and delivered over HTTP', () => {
	let sandbox: GraphSandbox;
	let server: WebhookServer;
	let simplified: TriggerHandle;
	let raw: TriggerHandle;

	beforeAll(async () => {
		let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];
		({ sandbox, credentials } = await startSandbox());
		server = await new WebhookServer().start();
		// every event, every time: the expected files hold what one delivery makes
		const parameters = { updates: ['*'], verifyToken: 'vt', registration: 'manual' };
		simplified = server.trigger({ ...parameters, options: { dropDuplicates: false } }, credentials);
		raw = server.trigger(
			{ ...parameters, options: { dropDuplicates: false, output: 'raw' } },
			credentials,
		);
		simplified.listen();
		raw.listen();
	});
	afterAll(async () => {
		await server.stop();
		await sandbox.stop();
	});

	/** The items `trigger` makes of the fixture, delivered once; it logs nothing but debug lines. */
	const receive = async (name: string, trigger: TriggerHandle) => {
		const before = { items: trigger.items.length, logs: trigger.logs.length };
		const payload = JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8'));
		expect((await sandbox.deliver(payload, { to: trigger.url })).status).toBe(200);
		expect(trigger.logs.slice(before.logs).filter((l) => !l.startsWith('debug:'))).toEqual([]);
		return trigger.items.slice(before.items).map((i) => withReceiptTime(i.json));
	};

	test.each(FIXTURES)('%s', async (name) => {
		const expected = JSON.parse(readFileSync(expectedFile(name), 'utf8')) as Expected[];
		expectExactly(
			await receive(name, simplified),
			expected.map((e) => e.simplified),
		);
		expectExactly(
			asJson(await receive(name, raw)),
			expected.map((e) => ({
				event: e.simplified.event,
				field: e.simplified.field,
				businessAccountId: e.simplified.businessAccountId,
				value: e.raw,
			})),
		);
	});
});
