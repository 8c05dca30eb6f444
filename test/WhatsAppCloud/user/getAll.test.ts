/**
 * User > Get Many Blocked: Return All follows Meta's cursors, Limit stops at the limit, and a list
 * that changes while it is paged (139102) is read again from the start.
 */
import { runOperation, type OperationArgs } from '../../../dev/harness/engine';
import { type SandboxCredentials, useRecordingSandbox } from '../../../dev/harness/sandbox';
import { SANDBOX_PHONE_NUMBER_ID, type GraphSandbox } from '../../../dev/sandbox/server';
import { customerWrites } from './customer';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useRecordingSandbox((started) => ({ sandbox, credentials } = started));

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);
const PATH = `/v25.0/${SANDBOX_PHONE_NUMBER_ID}/block_users`;
const USER_ID = 'US.13491208655302741918';
const seed = (n: number) =>
	sandbox.blockUsers.seed(
		SANDBOX_PHONE_NUMBER_ID,
		Array.from({ length: n }, (_, k) => `1555${String(k).padStart(7, '0')}`),
	);

describe('User > Get Many Blocked', () => {
	test('Return All follows the cursors in pages of 100', async () => {
		seed(250);
		const { items, error } = await run('user', 'getAllBlocked', { returnAll: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(250);
		expect(items[0].json).toEqual({
			waId: '15550000000',
			raw: { messaging_product: 'whatsapp', wa_id: '15550000000' },
		});
		expect(items[249].json.waId).toBe('15550000249');
		expect(sandbox.received.map((r) => [r.method, r.path, r.query])).toEqual([
			['GET', PATH, { limit: '100' }],
			['GET', PATH, { limit: '100', after: expect.any(String) }],
			['GET', PATH, { limit: '100', after: expect.any(String) }],
		]);
	});

	test('Limit asks for no more than it needs and stops there', async () => {
		seed(250);
		const { items } = await run('user', 'getAllBlocked', { returnAll: false, limit: 120 });
		expect(items).toHaveLength(120);
		expect(sandbox.received.map((r) => r.query.limit)).toEqual(['100', '20']);
	});

	test('a user blocked by user ID shows it', async () => {
		await customerWrites(sandbox, '4915112345678', { userId: USER_ID });
		expect((await run('user', 'block', { users: USER_ID })).error).toBeUndefined();
		const { items } = await run('user', 'getAllBlocked', { returnAll: true });
		expect(items.map((i) => i.json)).toEqual([
			{
				waId: '4915112345678',
				userId: USER_ID,
				raw: { messaging_product: 'whatsapp', wa_id: '4915112345678', user_id: USER_ID },
			},
		]);
	});

	test('an empty list is no items', async () => {
		const { items, error } = await run('user', 'getAllBlocked', { returnAll: true });
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
	});

	test('a list that changes while paged (139102) is read again from the start', async () => {
		seed(150);
		// someone blocks another user between the first and the second page
		sandbox.blockUsers.afterNextPage = () => seed(1);
		const { items, error } = await run('user', 'getAllBlocked', { returnAll: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(151);
		expect(sandbox.log.map((l) => l.status)).toEqual([200, 400, 200, 200]);
		expect(sandbox.received.map((r) => r.query.after === undefined)).toEqual([
			true,
			false,
			true,
			false,
		]);
	});

	test('a list that keeps changing fails with 139102 and its hint', async () => {
		seed(150);
		const again = () => {
			seed(1);
			sandbox.blockUsers.afterNextPage = again;
		};
		sandbox.blockUsers.afterNextPage = again;
		const { error } = await run('user', 'getAllBlocked', { returnAll: true });
		expect(error?.message).toMatch(/WhatsApp Cloud API error 139102/);
		expect(error?.description).toMatch(/changed while it was being read/);
		// the first read and 3 more, each failing at its second page
		expect(sandbox.log.filter((l) => l.status === 400)).toHaveLength(4);
	});
});
