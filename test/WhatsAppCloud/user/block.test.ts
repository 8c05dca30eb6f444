/**
 * User > Block: the exact request, users from text or a list (phone numbers and user IDs mixed),
 * the split at 1,000 users per request, Meta's partial failure (139100) as one item per user, and
 * every refusal before a request, from expressions too.
 */
import { runAction, runOperation, type OperationArgs } from '../../../dev/harness/engine';
import { type SandboxCredentials, useRecordingSandbox } from '../../../dev/harness/sandbox';
import { checkRequest } from '../../../dev/sandbox/openapi';
import { SANDBOX_PHONE_NUMBER_ID, type GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useRecordingSandbox((started) => ({ sandbox, credentials } = started));

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);
const PATH = `/v25.0/${SANDBOX_PHONE_NUMBER_ID}/block_users`;
const USER_ID = 'US.13491208655302741918';
const graphRequests = () => sandbox.log.filter((l) => l.path.startsWith('/v25.0/'));
const bodyOf = (k: number) =>
	JSON.parse(sandbox.received[k].body.toString('utf8')) as {
		messaging_product: string;
		block_users: Array<Record<string, string>>;
	};
const wrote = (customer: { phone?: string; userId?: string }) =>
	sandbox.blockUsers.customerWrote(SANDBOX_PHONE_NUMBER_ID, customer);

describe('User > Block', () => {
	test('blocks a phone number and a user ID in one request, one output item per user', async () => {
		wrote({ phone: '4915112345678' });
		wrote({ userId: USER_ID });
		const { items, error } = await run('user', 'block', {
			users: `+49 151 1234-5678, ${USER_ID}`,
		});
		expect(error).toBeUndefined();
		expect(sandbox.received).toHaveLength(1);
		expect(sandbox.received[0]).toMatchObject({ method: 'POST', path: PATH });
		expect(bodyOf(0)).toEqual({
			messaging_product: 'whatsapp',
			block_users: [{ user: '+4915112345678' }, { user_id: USER_ID }],
		});
		// the body passes Meta's OpenAPI request schema, as the sandbox checked it
		expect(checkRequest('POST /{Version}/{Phone-Number-ID}/block_users', bodyOf(0))).toEqual([]);
		expect(items.map((i) => i.json)).toEqual([
			{ input: '+4915112345678', waId: '4915112345678', status: 'blocked' },
			{ input: USER_ID, userId: USER_ID, status: 'blocked' },
		]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(sandbox.blockUsers.lists.get(SANDBOX_PHONE_NUMBER_ID)).toHaveLength(2);
	});

	test('takes a list from an expression, new lines between users, and the same user once', async () => {
		wrote({ phone: '4915112345678' });
		wrote({ phone: '15551234567' });
		const list = await run('user', 'block', { users: '={{ $json.users }}' }, [
			{ json: { users: ['+4915112345678', 15551234567, '+4915112345678'] } },
		]);
		expect(list.error).toBeUndefined();
		expect(bodyOf(0).block_users).toEqual([{ user: '+4915112345678' }, { user: '15551234567' }]);
		expect(list.items).toHaveLength(2);

		sandbox.received.length = 0;
		const lines = await run('user', 'block', { users: '+4915112345678\n\n15551234567\n' });
		expect(lines.error).toBeUndefined();
		expect(bodyOf(0).block_users).toEqual([{ user: '+4915112345678' }, { user: '15551234567' }]);
	});

	test('each input item gets its own request and its own output items', async () => {
		wrote({ phone: '4915112345678' });
		wrote({ phone: '15551234567' });
		const { items, error } = await runOperation(
			credentials,
			'user',
			'block',
			{ users: '={{ $json.who }}' },
			[{ json: { who: '+4915112345678' } }, { json: { who: '+15551234567' } }],
		);
		expect(error).toBeUndefined();
		expect(sandbox.received).toHaveLength(2);
		expect(items.map((i) => [i.json.input, i.pairedItem])).toEqual([
			['+4915112345678', { item: 0 }],
			['+15551234567', { item: 1 }],
		]);
	});

	test('2,500 users go in 3 requests of 1,000, 1,000 and 500, in order', async () => {
		const phones = Array.from({ length: 2500 }, (_, k) => `+1555${String(k).padStart(7, '0')}`);
		for (const phone of phones) wrote({ phone });
		const { items, error } = await run('user', 'block', { users: '={{ $json.users }}' }, [
			{ json: { users: phones } },
		]);
		expect(error).toBeUndefined();
		expect(sandbox.received.map((r) => [r.method, r.path])).toEqual([
			['POST', PATH],
			['POST', PATH],
			['POST', PATH],
		]);
		const bodies = [0, 1, 2].map((k) => bodyOf(k).block_users);
		expect(bodies.map((b) => b.length)).toEqual([1000, 1000, 500]);
		expect(bodies.flat().map((u) => u.user)).toEqual(phones);
		expect(items).toHaveLength(2500);
		expect(items.every((i) => i.json.status === 'blocked')).toBe(true);
		expect(items[2499].json).toMatchObject({ input: phones[2499], status: 'blocked' });
	});

	describe("Meta's partial failure (139100)", () => {
		const users = `+4915112345678, +15551234567, ${USER_ID}`;
		beforeEach(() => {
			// the second has not written in the last 24 hours
			wrote({ phone: '4915112345678' });
			sandbox.blockUsers.customerWrote(
				SANDBOX_PHONE_NUMBER_ID,
				{ phone: '15551234567' },
				Date.now() - 25 * 60 * 60 * 1000,
			);
			wrote({ userId: USER_ID });
		});

		test("the sandbox refuses a body that Meta's OpenAPI schema refuses", async () => {
			const res = await fetch(`${sandbox.url}${PATH}`, {
				method: 'DELETE',
				headers: { authorization: 'Bearer sandbox-token', 'content-type': 'application/json' },
				body: JSON.stringify({
					messaging_product: 'whatsapp',
					block_users: [{ user: 16505551234 }],
				}),
			});
			expect(res.status).toBe(400);
			expect(await res.json()).toMatchObject({
				error: { code: 100, error_data: { details: expect.stringMatching(/block_users/) } },
			});
		});

		test('the sandbox answers it in Meta shape: the lists and the top-level error', async () => {
			const res = await fetch(`${sandbox.url}${PATH}`, {
				method: 'POST',
				headers: { authorization: 'Bearer sandbox-token', 'content-type': 'application/json' },
				body: JSON.stringify({
					messaging_product: 'whatsapp',
					block_users: [{ user: '+4915112345678' }, { user: '+15551234567' }],
				}),
			});
			expect(res.status).toBe(400);
			expect(await res.json()).toEqual({
				messaging_product: 'whatsapp',
				block_users: {
					added_users: [{ input: '+4915112345678', wa_id: '4915112345678' }],
					failed_users: [
						{
							input: '+15551234567',
							errors: [
								{
									message: 'Re-engagement message',
									code: 131047,
									error_data: { details: expect.stringMatching(/24 hours/) },
								},
							],
						},
					],
				},
				error: expect.objectContaining({ code: 139100, type: 'OAuthException' }),
			});
		});

		test('with Continue On Fail: one item per user, the failed one with its error', async () => {
			const { items, error } = await runWithContinue(users);
			expect(error).toBeUndefined();
			expect(items.map((i) => i.json)).toEqual([
				{ input: '+4915112345678', waId: '4915112345678', status: 'blocked' },
				{
					input: '+15551234567',
					status: 'failed',
					error: {
						code: 131047,
						message: 'Re-engagement message',
						details: expect.stringMatching(/24 hours/),
						hint: expect.stringMatching(
							/only a user who wrote to this number in the last 24 hours/,
						),
					},
				},
				{ input: USER_ID, userId: USER_ID, status: 'blocked' },
			]);
			expect(items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		});

		test('without it the run fails, naming who failed and who was blocked', async () => {
			const { items, error } = await run('user', 'block', { users });
			expect(items).toEqual([]);
			expect(error?.message).toBe('1 of 3 users were not blocked, 2 were [item 0]');
			expect(error?.description).toMatch(
				/^Failed \(1\): \+15551234567 \(131047 Re-engagement message\)\nBlocked \(2\): \+4915112345678, US\.13491208655302741918\n131047: /,
			);
			// the others were blocked: the error says so, and they are on the list
			expect(sandbox.blockUsers.lists.get(SANDBOX_PHONE_NUMBER_ID)).toEqual([
				{ wa_id: '4915112345678' },
				{ user_id: USER_ID },
			]);
		});
	});

	test('a request that fails as a whole after an earlier one worked: its users failed, later ones not sent', async () => {
		const phones = Array.from({ length: 2500 }, (_, k) => `+1555${String(k).padStart(7, '0')}`);
		for (const phone of phones) wrote({ phone });
		// the list has room for the first 1,000 only: the second request is refused whole (139101)
		sandbox.blockUsers.seed(
			SANDBOX_PHONE_NUMBER_ID,
			Array.from({ length: 63000 }, (_, k) => `+4930${String(k).padStart(8, '0')}`),
		);
		const { items, error } = await runWithContinue('={{ $json.users }}', { users: phones });
		expect(error).toBeUndefined();
		expect(sandbox.received).toHaveLength(2);
		expect(items).toHaveLength(2500);
		expect(items[999].json.status).toBe('blocked');
		expect(items[1000].json).toMatchObject({
			input: phones[1000],
			status: 'failed',
			error: { code: 139101, hint: expect.stringMatching(/full \(64,000 users\)/) },
		});
		expect(items[2000].json).toEqual({ input: phones[2000], status: 'notSent' });
	});

	test("a first request that fails as a whole is Meta's error: nothing was blocked", async () => {
		wrote({ phone: '4915112345678' });
		sandbox.blockUsers.seed(
			SANDBOX_PHONE_NUMBER_ID,
			Array.from({ length: 64000 }, (_, k) => `+4930${String(k).padStart(8, '0')}`),
		);
		const { error } = await run('user', 'block', { users: '+4915112345678' });
		expect(error?.message).toMatch(/WhatsApp Cloud API error 139101: Blocklist limit reached/);
		expect(error?.description).toMatch(/block list is full \(64,000 users\)/);
	});

	test('a user that a 200 answer leaves out is failed, never counted as blocked', async () => {
		wrote({ phone: '4915112345678' });
		wrote({ phone: '15551234567' });
		sandbox.blockUsers.scripted.push({
			status: 200,
			body: {
				messaging_product: 'whatsapp',
				block_users: { added_users: [{ input: '+4915112345678', wa_id: '4915112345678' }] },
			},
		});
		const { items, error } = await runWithContinue('+4915112345678, +15551234567');
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([
			{ input: '+4915112345678', waId: '4915112345678', status: 'blocked' },
			{
				input: '+15551234567',
				status: 'failed',
				error: { message: "Meta's answer does not list this user as blocked" },
			},
		]);
	});

	test("Meta's internal error (139103) is retried", async () => {
		wrote({ phone: '4915112345678' });
		sandbox.blockUsers.scripted.push({
			status: 500,
			body: {
				error: { message: '(#139103) Internal error', type: 'OAuthException', code: 139103 },
			},
		});
		const { items, error } = await run('user', 'block', { users: '+4915112345678' });
		expect(error).toBeUndefined();
		expect(items[0].json.status).toBe('blocked');
		expect(graphRequests().map((l) => l.status)).toEqual([500, 200]);
	});

	test.each([
		['a parent user ID', 'US.ENT.11815799212886844830', /Users, entry 1 is a parent user ID/],
		[
			'a parent user ID from an expression',
			'={{ ["+4915112345678", "US.ENT.11815799212886844830"] }}',
			/Users, entry 2 is a parent user ID \("US\.ENT\.11815799212886844830"\), which WhatsApp does not block \[item 0\]/,
		],
		['neither a phone nor a user ID', '+49 151, hello', /Users, entry 1 is neither a phone number/],
		[
			'empty from an expression giving text',
			'={{ "" }}',
			/Users is empty; it needs at least one user \[item 0\]/,
		],
		['only separators', ' , \n ', /Users is empty/],
		['empty from an expression', '={{ [] }}', /Users is empty/],
		['an empty entry of a list', '={{ ["+4915112345678", ""] }}', /Users, entry 2 is empty/],
		[
			'an object from an expression',
			'={{ { a: 1 } }}',
			/Users must be text or a list, but its expression gave an object/,
		],
		[
			'a list holding an object',
			'={{ [{ phone: "+4915112345678" }] }}',
			/Users, entry 1 must be a phone number or a user ID, but the list holds object/,
		],
	])('refuses %s before any request', async (_, users, message) => {
		const { error } = await run('user', 'block', { users });
		expect(error?.message).toMatch(message);
		expect(graphRequests()).toEqual([]);
	});

	test('a bad row among several items stops the run before any request', async () => {
		wrote({ phone: '4915112345678' });
		const { error } = await runOperation(
			credentials,
			'user',
			'block',
			{ users: '={{ $json.who }}' },
			[{ json: { who: '+4915112345678' } }, { json: { who: 'US.ENT.1181579921' } }],
		);
		expect(error?.message).toMatch(/Users, entry 1 is a parent user ID .* \[item 1\]/);
		expect(graphRequests()).toEqual([]);
	});

	test('a Sender Phone Number that is not an ID is refused before any request', async () => {
		const { error } = await run('user', 'block', {
			sender: { __rl: true, mode: 'id', value: '={{ "1/../2" }}' },
			users: '+4915112345678',
		});
		expect(error?.message).toMatch(/Sender Phone Number must be a phone number ID/);
		expect(graphRequests()).toEqual([]);
	});
});

/** Runs Block with "On Error: Continue" set on the node. */
async function runWithContinue(users: string, json: Record<string, unknown> = {}) {
	return await runAction(
		{ resource: 'user', operation: 'block', users },
		credentials,
		[{ json: json as never }],
		{ onError: 'continueRegularOutput' },
	);
}
