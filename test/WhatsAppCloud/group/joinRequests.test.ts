import { type OperationArgs, runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useRecordingSandbox } from '../../../dev/harness/sandbox';
import type { Req } from '../../../dev/sandbox/graph';
import { SANDBOX_PHONE_NUMBER_ID, type GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useRecordingSandbox((started) => ({ sandbox, credentials } = started));

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);
const graphRequests = () =>
	sandbox.log.filter((l) => l.path.startsWith('/v25.0/')).map((l) => `${l.method} ${l.path}`);
const bodyOf = (k: number) => JSON.parse(sandbox.received[k].body.toString('utf8')) as unknown;

/** A group with `members` participants and open join requests R0, R1, ... */
function seed(members: number, requests: number) {
	return sandbox.groups.add(SANDBOX_PHONE_NUMBER_ID, {
		joinApprovalMode: 'approval_required',
		participants: Array.from({ length: members }, (_, k) => ({
			wa_id: `165055510${String(k).padStart(2, '0')}`,
			user_id: `US.10${k}`,
		})),
		joinRequests: Array.from({ length: requests }, (_, k) => ({
			join_request_id: `R${k}`,
			wa_id: `165055520${String(k).padStart(2, '0')}`,
			user_id: `US.20${k}`,
			creation_timestamp: 1755548877 + k,
		})),
	});
}

describe('Group > Get Many Join Requests', () => {
	test('lists the open requests in camelCase, paged', async () => {
		const group = seed(0, 3);
		const { items, error } = await run('group', 'getJoinRequests', { groupId: group.id, limit: 2 });
		expect(error).toBeUndefined();
		expect(graphRequests()).toEqual([`GET /v25.0/${group.id}/join_requests`]);
		expect(sandbox.received[0].query).toEqual({ limit: '2' });
		expect(items.map((i) => i.json)).toEqual([
			{
				groupId: group.id,
				joinRequestId: 'R0',
				waId: '16505552000',
				userId: 'US.200',
				creationTimestamp: 1755548877,
				raw: group.joinRequests[0],
			},
			expect.objectContaining({ joinRequestId: 'R1' }),
		]);
		const all = await run('group', 'getJoinRequests', { groupId: group.id, returnAll: true });
		expect(all.items.map((i) => i.json.joinRequestId)).toEqual(['R0', 'R1', 'R2']);
	});
});

describe('Group > Approve Join Requests', () => {
	test('reads the free places, posts the IDs, and gives one item per request: approved or failed with Meta’s reason', async () => {
		const group = seed(2, 2);
		const { items, error } = await run('group', 'approveJoinRequests', {
			groupId: group.id,
			joinRequestIds: 'R0, R9\nR1',
		});
		expect(error).toBeUndefined();
		expect(graphRequests()).toEqual([
			`GET /v25.0/${group.id}`,
			`POST /v25.0/${group.id}/join_requests`,
		]);
		expect(sandbox.received[0].query).toEqual({ fields: 'total_participant_count' });
		expect(bodyOf(1)).toEqual({ messaging_product: 'whatsapp', join_requests: ['R0', 'R9', 'R1'] });
		expect(items.map((i) => i.json)).toEqual([
			{ groupId: group.id, joinRequestId: 'R0', status: 'approved' },
			{
				groupId: group.id,
				joinRequestId: 'R9',
				status: 'failed',
				errors: [
					{
						code: 131213,
						message: 'Join request not found',
						details: 'No open join request R9 in this group',
					},
				],
			},
			{ groupId: group.id, joinRequestId: 'R1', status: 'approved' },
		]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
		expect(sandbox.groups.get(group.id)?.participants).toHaveLength(4);
	});

	test('more requests than free places are refused after the read, before the approval', async () => {
		const group = seed(7, 2);
		const { error } = await run('group', 'approveJoinRequests', {
			groupId: group.id,
			joinRequestIds: '={{ ["R0", "R1"] }}',
		});
		expect(error?.message).toBe(
			'Join Request IDs lists 2 requests, but the group has 1 free place (7 participants; WhatsApp allows at most 8) [item 0]',
		);
		expect(graphRequests()).toEqual([`GET /v25.0/${group.id}`]);
	});

	test('items of one run that approve for the same group share its free places', async () => {
		const group = seed(6, 3);
		const { error } = await run(
			'group',
			'approveJoinRequests',
			{ groupId: group.id, joinRequestIds: '={{ $json.ids }}' },
			[{ json: { ids: ['R0', 'R1'] } }, { json: { ids: 'R2' } }],
		);
		expect(error?.message).toMatch(
			/^Join Request IDs lists 1 request, but the group has 0 free places \(6 participants, 2 more approved by earlier items; .*\[item 1\]$/,
		);
		expect(graphRequests().filter((r) => r.startsWith('POST'))).toEqual([]);
	});

	test.each([
		['nine requests', 'R1,R2,R3,R4,R5,R6,R7,R8,R9', /lists 9 requests, more than a group can take/],
		['an empty field from an expression', '={{ "" }}', /^Join Request IDs is empty \[item 0\]$/],
		['an ID twice', 'R1, R1', /lists "R1" twice/],
		['an empty entry in a list', '={{ ["R1", ""] }}', /has an empty entry/],
		['an ID with a space', 'R1 R2', /"R1 R2" is not a join request ID/],
		['an object in a list', '={{ [{ id: 1 }] }}', /entry 1\) must be text/],
	])('%s is refused before any request', async (_, joinRequestIds, message) => {
		const group = seed(0, 1);
		const { error } = await run('group', 'approveJoinRequests', {
			groupId: group.id,
			joinRequestIds,
		});
		expect(error?.message).toMatch(message);
		expect(graphRequests()).toEqual([]);
	});

	test('a request Meta’s answer names neither way is reported failed, not approved', async () => {
		const group = seed(0, 1);
		const real = sandbox.groups.forGroup.bind(sandbox.groups);
		const spy = jest
			.spyOn(sandbox.groups, 'forGroup')
			.mockImplementation((id: string, edge: string | undefined, req: Req) =>
				req.method === 'POST'
					? {
							status: 200,
							body: { messaging_product: 'whatsapp', approved_join_requests: [] },
						}
					: real(id, edge, req),
			);
		try {
			const { items, error } = await run('group', 'approveJoinRequests', {
				groupId: group.id,
				joinRequestIds: 'R0',
			});
			expect(error).toBeUndefined();
			expect(items[0].json).toEqual({
				groupId: group.id,
				joinRequestId: 'R0',
				status: 'failed',
				errors: [{ message: "Meta's answer did not say whether this request was approved" }],
			});
		} finally {
			spy.mockRestore();
		}
	});
});

describe('Group > Reject Join Requests', () => {
	test('sends DELETE with the IDs, without reading the group first', async () => {
		const group = seed(8, 2);
		const { items, error } = await run('group', 'rejectJoinRequests', {
			groupId: group.id,
			joinRequestIds: 'R1',
		});
		expect(error).toBeUndefined();
		expect(graphRequests()).toEqual([`DELETE /v25.0/${group.id}/join_requests`]);
		expect(bodyOf(0)).toEqual({ messaging_product: 'whatsapp', join_requests: ['R1'] });
		expect(items.map((i) => i.json)).toEqual([
			{ groupId: group.id, joinRequestId: 'R1', status: 'rejected' },
		]);
		expect(sandbox.groups.get(group.id)?.joinRequests.map((r) => r.join_request_id)).toEqual([
			'R0',
		]);
	});
});
