/**
 * User > Unblock, and what a block does to sends: a send to a blocked user fails with 130403 and
 * its hint, and goes through again once the user is unblocked.
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
const graphRequests = () => sandbox.log.filter((l) => l.path.startsWith('/v25.0/'));
const bodyOf = (k: number) => JSON.parse(sandbox.received[k].body.toString('utf8')) as unknown;
const sendText = async (to: string) =>
	await run('message', 'sendText', { to, text: 'Your order has shipped' });

describe('User > Unblock', () => {
	test('sends DELETE with the same body as Block, one output item per user', async () => {
		sandbox.blockUsers.seed(SANDBOX_PHONE_NUMBER_ID, ['4915112345678', USER_ID]);
		const { items, error } = await run('user', 'unblock', {
			users: `+4915112345678\n${USER_ID}`,
		});
		expect(error).toBeUndefined();
		expect(sandbox.received[0]).toMatchObject({ method: 'DELETE', path: PATH });
		expect(bodyOf(0)).toEqual({
			messaging_product: 'whatsapp',
			block_users: [{ user: '+4915112345678' }, { user_id: USER_ID }],
		});
		expect(items.map((i) => i.json)).toEqual([
			{ input: '+4915112345678', waId: '4915112345678', status: 'unblocked' },
			{ input: USER_ID, userId: USER_ID, status: 'unblocked' },
		]);
		expect(sandbox.blockUsers.lists.get(SANDBOX_PHONE_NUMBER_ID)).toEqual([]);
	});

	test('1,001 users go in 2 requests', async () => {
		const phones = Array.from({ length: 1001 }, (_, k) => `+1555${String(k).padStart(7, '0')}`);
		const { items, error } = await run(
			'user',
			'unblock',
			{ users: '={{ $json.users.join(", ") }}' },
			[{ json: { users: phones } }],
		);
		expect(error).toBeUndefined();
		expect(sandbox.received.map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
		expect([0, 1].map((k) => (bodyOf(k) as { block_users: unknown[] }).block_users.length)).toEqual(
			[1000, 1],
		);
		expect(items).toHaveLength(1001);
	});

	test('refuses a parent user ID before any request', async () => {
		const { error } = await run('user', 'unblock', {
			users: '={{ "US.ENT.11815799212886844830" }}',
		});
		expect(error?.message).toMatch(/Users, entry 1 is a parent user ID/);
		expect(graphRequests()).toEqual([]);
	});
});

describe('A send to a blocked user', () => {
	test('fails with 130403 and its hint; after Unblock it goes through', async () => {
		await customerWrites(sandbox, '4915112345678');
		const blocked = await run('user', 'block', { users: '+4915112345678' });
		expect(blocked.error).toBeUndefined();

		const refused = await sendText('+4915112345678');
		expect(refused.error?.message).toMatch(/WhatsApp Cloud API error 130403/);
		expect(refused.error?.description).toMatch(/has blocked the user.*User > Unblock/);
		expect(sandbox.accepted).toEqual([]);

		const unblocked = await run('user', 'unblock', { users: '+4915112345678' });
		expect(unblocked.error).toBeUndefined();
		const sent = await sendText('+4915112345678');
		expect(sent.error).toBeUndefined();
		expect(sandbox.accepted).toHaveLength(1);
	});

	test('blocked by user ID, a send to the same customer by phone fails too', async () => {
		await customerWrites(sandbox, '4915112345678', { userId: USER_ID });
		expect((await run('user', 'block', { users: USER_ID })).error).toBeUndefined();
		for (const to of [USER_ID, '+4915112345678']) {
			const { error } = await sendText(to);
			expect(error?.message).toMatch(/130403/);
		}
		expect(sandbox.accepted).toEqual([]);
	});

	test('with Continue On Fail the send fails only its item, with the code', async () => {
		sandbox.blockUsers.seed(SANDBOX_PHONE_NUMBER_ID, ['4915112345678']);
		const { runAction } = await import('../../../dev/harness/engine');
		const { items, error } = await runAction(
			{ resource: 'message', operation: 'sendText', to: '={{ $json.to }}', text: 'Hello' },
			credentials,
			[{ json: { to: '+4915112345678' } }, { json: { to: '+15551234567' } }],
			{ onError: 'continueRegularOutput' },
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ errorDetails: { code: 130403 } });
		expect(items[1].json).toMatchObject({ messageId: expect.any(String) });
	});
});
