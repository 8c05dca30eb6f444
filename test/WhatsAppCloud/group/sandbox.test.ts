/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

import { useSandbox } from '../../../dev/harness/sandbox';
import {
	SANDBOX_NON_OBA_PHONE_NUMBER,
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_TOKEN,
	SANDBOX_WABA_ID,
	type GraphSandbox,
} from '../../../dev/sandbox/server';
import { jpeg } from './jpeg';

/** A parsed JSON answer, read loosely: the assertions say what it must hold. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let sandbox: GraphSandbox;
useSandbox(
	(started) => ({ sandbox } = started),
	() => sandbox.reset(),
);

const graph = async (method: string, path: string, body?: unknown) => {
	const res = await fetch(`${sandbox.url}/v25.0/${path}`, {
		method,
		headers: {
			authorization: `Bearer ${SANDBOX_TOKEN}`,
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, body: (await res.json()) as Json };
};

/** A callback that keeps what it receives, registered as the sandbox number's override. */
async function callback(): Promise<{ server: Server; received: Json[] }> {
	const received: Json[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push(JSON.parse(Buffer.concat(chunks).toString()));
			res.end('ok');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
	sandbox.webhooks.phoneOverrides.set(SANDBOX_PHONE_NUMBER_ID, { url, verifyToken: 'v' });
	return { server, received };
}

describe('sandbox: groups', () => {
	test('create answers a request ID only; the group and its link come in group_lifecycle_update', async () => {
		const hook = await callback();
		try {
			sandbox.groups.webhookDelayMs = null;
			const created = await graph('POST', `${SANDBOX_PHONE_NUMBER_ID}/groups`, {
				messaging_product: 'whatsapp',
				subject: 'Plant care',
				join_approval_mode: 'approval_required',
			});
			expect(created.status).toBe(200);
			expect(Object.keys(created.body).sort()).toEqual(['messaging_product', 'request_id']);
			expect(sandbox.groups.byId.size).toBe(0);
			await sandbox.groups.flush();
			const [group] = sandbox.groups.byId.values();
			expect(group.id).toMatch(/^Y2FwaV9ncm91cD[A-Za-z0-9]+ZD$/);
			expect(Buffer.from(group.id.slice(0, -2), 'base64').toString()).toMatch(
				/^capi_group:15550783881:120363\d{12}$/,
			);
			expect(hook.received).toHaveLength(1);
			expect(hook.received[0].entry[0]).toMatchObject({
				id: SANDBOX_WABA_ID,
				changes: [
					{
						field: 'group_lifecycle_update',
						value: {
							metadata: { phone_number_id: SANDBOX_PHONE_NUMBER_ID },
							groups: [
								{
									type: 'group_create',
									group_id: group.id,
									request_id: created.body.request_id,
									subject: 'Plant care',
									invite_link: group.inviteLink,
									join_approval_mode: 'approval_required',
								},
							],
						},
					},
				],
			});
		} finally {
			sandbox.webhooks.phoneOverrides.delete(SANDBOX_PHONE_NUMBER_ID);
			hook.server.close();
		}
	});

	test('the webhook follows after a short delay by default', async () => {
		await graph('POST', `${SANDBOX_PHONE_NUMBER_ID}/groups`, {
			messaging_product: 'whatsapp',
			subject: 'Later',
		});
		await sandbox.groups.settled();
		expect(sandbox.groups.notifications).toEqual([
			expect.objectContaining({
				field: 'group_lifecycle_update',
				undelivered: 'no callback registered for group_lifecycle_update',
			}),
		]);
		expect([...sandbox.groups.byId.values()].map((g) => g.subject)).toEqual(['Later']);
	});

	test('a number that is not an Official Business Account gets 131215', async () => {
		sandbox.options.phoneNumbers.push(SANDBOX_NON_OBA_PHONE_NUMBER);
		try {
			const res = await graph('POST', `${SANDBOX_NON_OBA_PHONE_NUMBER.id}/groups`, {
				messaging_product: 'whatsapp',
				subject: 'x',
			});
			expect(res.body.error.code).toBe(131215);
		} finally {
			sandbox.options.phoneNumbers.pop();
		}
	});

	test('lengths, unknown parameters and the group limit', async () => {
		const post = (body: object) =>
			graph('POST', `${SANDBOX_PHONE_NUMBER_ID}/groups`, {
				messaging_product: 'whatsapp',
				...body,
			});
		expect((await post({ subject: 'a'.repeat(129) })).body.error.code).toBe(100);
		expect((await post({ subject: 'a', description: 'd'.repeat(2049) })).body.error.code).toBe(100);
		expect((await post({ subject: 'a', participants: [] })).body.error.message).toMatch(
			/participants is not a valid/,
		);
		for (let k = 0; k < 10_000; k++) sandbox.groups.add(SANDBOX_PHONE_NUMBER_ID);
		expect((await post({ subject: 'a' })).body.error.code).toBe(131211);
	});

	test('list pages with cursors; get with and without fields; unknown group 131041', async () => {
		const seeded = [1, 2, 3].map((n) =>
			sandbox.groups.add(SANDBOX_PHONE_NUMBER_ID, { subject: `G${n}` }),
		);
		const first = await graph('GET', `${SANDBOX_PHONE_NUMBER_ID}/groups?limit=2`);
		expect(first.body.data.groups.map((g: Json) => g.subject)).toEqual(['G1', 'G2']);
		const next = await fetch(first.body.paging.next, {
			headers: { authorization: `Bearer ${SANDBOX_TOKEN}` },
		});
		expect(((await next.json()) as Json).data.groups.map((g: Json) => g.id)).toEqual([
			seeded[2].id,
		]);
		expect((await graph('GET', `${SANDBOX_PHONE_NUMBER_ID}/groups?limit=1025`)).status).toBe(400);
		expect((await graph('GET', seeded[0].id)).body).toEqual({
			messaging_product: 'whatsapp',
			id: seeded[0].id,
		});
		expect(
			(await graph('GET', `${seeded[0].id}?fields=subject,total_participant_count`)).body,
		).toEqual({
			messaging_product: 'whatsapp',
			id: seeded[0].id,
			subject: 'G1',
			total_participant_count: 0,
		});
		const unknown = await graph('GET', 'Y2FwaV9ncm91cDpub25lZD');
		expect(unknown.body.error.code).toBe(131041);
	});

	test('join requests: approve up to 8 participants, the rest fail with 131204; unknown 131213', async () => {
		const group = sandbox.groups.add(SANDBOX_PHONE_NUMBER_ID, {
			participants: Array.from({ length: 7 }, (_, k) => ({
				wa_id: `1650555000${k}`,
				user_id: `US.${k}`,
			})),
			joinRequests: ['A', 'B'].map((id, k) => ({
				join_request_id: id,
				wa_id: `1650555100${k}`,
				user_id: `US.1${k}`,
				creation_timestamp: 1755548877,
			})),
		});
		const res = await graph('POST', `${group.id}/join_requests`, {
			messaging_product: 'whatsapp',
			join_requests: ['A', 'B', 'C'],
		});
		expect(res.body.approved_join_requests).toEqual(['A']);
		expect(
			res.body.failed_join_requests.map((f: Json) => [f.join_request_id, f.errors[0].code]),
		).toEqual([
			['B', 131204],
			['C', 131213],
		]);
		const rejected = await graph('DELETE', `${group.id}/join_requests`, {
			messaging_product: 'whatsapp',
			join_requests: ['B'],
		});
		expect(rejected.body).toEqual({ messaging_product: 'whatsapp', rejected_join_requests: ['B'] });
	});

	test('someone asking to join: the open request, and group_join_request_created shaped as Meta sends it', async () => {
		const hook = await callback();
		try {
			sandbox.groups.webhookDelayMs = null;
			const group = sandbox.groups.add(SANDBOX_PHONE_NUMBER_ID, {
				joinApprovalMode: 'approval_required',
			});
			const { joinRequestId } = sandbox.groups.requestToJoin(
				group.id,
				{ wa_id: '+1 650-555-1234' },
				1762000030,
			);
			// the ID Meta's sample gives the same person at the same second
			expect(joinRequestId).toBe('MTY1MDU1NTEyMzQ6MTc2MjAwMDAzMA');
			const [open] = group.joinRequests;
			expect(open).toEqual({
				join_request_id: joinRequestId,
				wa_id: '16505551234',
				user_id: expect.stringMatching(/^US\.\d{20}$/),
				creation_timestamp: 1762000030,
			});
			// held until flushed, then listed and answerable like any open request
			expect(hook.received).toHaveLength(0);
			const listed = await graph('GET', `${group.id}/join_requests`);
			expect(listed.body.data).toEqual([open]);
			await sandbox.groups.flush();
			expect(hook.received).toHaveLength(1);
			expect(hook.received[0].entry[0]).toEqual({
				id: SANDBOX_WABA_ID,
				changes: [
					{
						field: 'group_participants_update',
						value: {
							messaging_product: 'whatsapp',
							metadata: {
								display_phone_number: '15550783881',
								phone_number_id: SANDBOX_PHONE_NUMBER_ID,
							},
							groups: [
								{
									timestamp: '1762000030',
									group_id: group.id,
									type: 'group_join_request_created',
									reason: 'invite_link',
									join_request_id: joinRequestId,
									wa_id: '16505551234',
									user_id: open.user_id,
								},
							],
						},
					},
				],
			});
			const approved = await graph('POST', `${group.id}/join_requests`, {
				messaging_product: 'whatsapp',
				join_requests: [joinRequestId],
			});
			expect(approved.body.approved_join_requests).toEqual([joinRequestId]);
			expect(group.participants).toEqual([{ wa_id: '16505551234', user_id: open.user_id }]);
			// a participant, a second request, a group without approval, an unknown group: refused
			expect(() => sandbox.groups.requestToJoin(group.id, { wa_id: '16505551234' })).toThrow(
				'already a participant',
			);
			sandbox.groups.requestToJoin(group.id, { wa_id: '447700900123', user_id: 'US.7' });
			expect(group.joinRequests.map((r) => r.user_id)).toEqual(['US.7']);
			expect(() => sandbox.groups.requestToJoin(group.id, { wa_id: '447700900123' })).toThrow(
				'already asked',
			);
			const open2 = sandbox.groups.add(SANDBOX_PHONE_NUMBER_ID);
			expect(() => sandbox.groups.requestToJoin(open2.id, { wa_id: '447700900124' })).toThrow(
				'without approval',
			);
			expect(() => sandbox.groups.requestToJoin('nope', { wa_id: '447700900124' })).toThrow(
				'no group nope',
			);
		} finally {
			sandbox.webhooks.phoneOverrides.delete(SANDBOX_PHONE_NUMBER_ID);
			hook.server.close();
		}
	});

	test('update checks the picture: JPEG, square, 192 px', async () => {
		const group = sandbox.groups.add(SANDBOX_PHONE_NUMBER_ID);
		const upload = async (bytes: Buffer) => {
			const form = new FormData();
			form.append('messaging_product', 'whatsapp');
			form.append(
				'profile_picture_file',
				new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }),
				'p.jpg',
			);
			const res = await fetch(`${sandbox.url}/v25.0/${group.id}`, {
				method: 'POST',
				headers: { authorization: `Bearer ${SANDBOX_TOKEN}` },
				body: form,
			});
			return (await res.json()) as Json;
		};
		expect((await upload(jpeg(300, 200))).error.code).toBe(131209);
		expect((await upload(jpeg(100, 100))).error.code).toBe(131210);
		expect((await upload(Buffer.from('not a jpeg'))).error.code).toBe(100);
		expect(await upload(jpeg(192, 192))).toEqual({ success: true });
		expect(sandbox.groups.get(group.id)!.pictureSet).toBe(true);
	});
});

describe("sandbox: group bodies checked against Meta's OpenAPI request schemas", () => {
	test('a body the schema refuses is 100 with the problem in error_data.details', async () => {
		const group = sandbox.groups.add(SANDBOX_PHONE_NUMBER_ID);
		const refused = await graph('POST', `${group.id}/join_requests`, {
			messaging_product: 'whatsapp',
			join_requests: ['R1', 7],
		});
		expect(refused.status).toBe(400);
		expect(refused.body.error).toMatchObject({
			code: 100,
			error_data: { details: expect.stringMatching(/join_requests/) },
		});
		const participants = await graph('DELETE', `${group.id}/participants`, {
			messaging_product: 'whatsapp',
			participants: [{ name: 'x' }],
		});
		expect(participants.body.error.code).toBe(100);
	});

	test('a participant by user_id passes (Meta documents it; the schema asks for user only)', async () => {
		const group = sandbox.groups.add(SANDBOX_PHONE_NUMBER_ID, {
			participants: [{ wa_id: '16505551234', user_id: 'US.1' }],
		});
		const removed = await graph('DELETE', `${group.id}/participants`, {
			messaging_product: 'whatsapp',
			participants: [{ user_id: 'US.1' }],
		});
		expect(removed.body).toEqual({ success: true });
	});
});

test('sandbox: a suspended group can be read but not changed (131207)', async () => {
	const group = sandbox.groups.add(SANDBOX_PHONE_NUMBER_ID, { suspended: true });
	expect((await graph('GET', `${group.id}?fields=suspended`)).body.suspended).toBe(true);
	const changed = await graph('POST', group.id, { messaging_product: 'whatsapp', subject: 'x' });
	expect(changed.body.error.code).toBe(131207);
});
