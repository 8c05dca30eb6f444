import { type OperationArgs, runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useRecordingSandbox } from '../../../dev/harness/sandbox';
import {
	SANDBOX_NON_OBA_PHONE_NUMBER,
	SANDBOX_PHONE_NUMBER_ID,
	type GraphSandbox,
} from '../../../dev/sandbox/server';
import { jpeg } from './jpeg';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useRecordingSandbox((started) => ({ sandbox, credentials } = started));

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);
const graphRequests = () =>
	sandbox.log.filter((l) => l.path.startsWith('/v25.0/')).map((l) => `${l.method} ${l.path}`);
const bodyOf = (k: number) => JSON.parse(sandbox.received[k].body.toString('utf8')) as unknown;
const OBA_READ = `GET /v25.0/${SANDBOX_PHONE_NUMBER_ID}`;
const seed = (subject = 'Plant care') =>
	sandbox.groups.add(SANDBOX_PHONE_NUMBER_ID, { subject, description: 'Ask us anything' });

describe('Group > Create', () => {
	test('reads the number’s status, posts subject, description and mode, and outputs the request ID the webhook will carry', async () => {
		const { items, error } = await run('group', 'create', {
			subject: '  New purchase inquiry  ',
			description: 'Jim would like to learn about this year’s models.',
			joinApprovalMode: 'approval_required',
		});
		expect(error).toBeUndefined();
		expect(graphRequests()).toEqual([OBA_READ, `POST /v25.0/${SANDBOX_PHONE_NUMBER_ID}/groups`]);
		expect(sandbox.received[0].query).toEqual({ fields: 'is_official_business_account' });
		expect(bodyOf(1)).toEqual({
			messaging_product: 'whatsapp',
			subject: 'New purchase inquiry',
			description: 'Jim would like to learn about this year’s models.',
			join_approval_mode: 'approval_required',
		});
		const requestId = String(items[0].json.requestId);
		expect(requestId).toMatch(/^[0-9A-F]{32}$/);
		expect(items[0].json).toEqual({
			requestId,
			phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
			subject: 'New purchase inquiry',
			joinApprovalMode: 'approval_required',
			status: 'requested',
			note: expect.stringMatching(/group_lifecycle_update .*requestId/),
			raw: { messaging_product: 'whatsapp', request_id: requestId },
		});
		// the group comes later, in the webhook with the same request ID
		await sandbox.groups.settled();
		const [group] = sandbox.groups.byId.values();
		expect(sandbox.groups.notifications.map((n) => n.group)).toEqual([
			expect.objectContaining({
				type: 'group_create',
				request_id: requestId,
				group_id: group.id,
				invite_link: group.inviteLink,
			}),
		]);
	});

	test('without a description sends none, and the mode defaults to auto approve; one status read for many items', async () => {
		const { error } = await run('group', 'create', { subject: '={{ $json.s }}' }, [
			{ json: { s: 'One' } },
			{ json: { s: 'Two' } },
		]);
		expect(error).toBeUndefined();
		expect(graphRequests()).toEqual([
			OBA_READ,
			`POST /v25.0/${SANDBOX_PHONE_NUMBER_ID}/groups`,
			`POST /v25.0/${SANDBOX_PHONE_NUMBER_ID}/groups`,
		]);
		expect(bodyOf(1)).toEqual({
			messaging_product: 'whatsapp',
			subject: 'One',
			join_approval_mode: 'auto_approve',
		});
	});

	test.each([
		[
			'an empty subject from an expression',
			{ subject: '={{ "  " }}' },
			/^Subject is empty \[item 0\]$/,
		],
		[
			'a subject of 129 characters',
			{ subject: 'a'.repeat(129) },
			/^Subject is too long: 129 characters \(WhatsApp allows at most 128\) \[item 0\]$/,
		],
		[
			'a subject of 129 characters from an expression',
			{ subject: '={{ "ü".repeat(129) }}' },
			/Subject is too long: 129 characters/,
		],
		[
			'a description of 2,049 characters from an expression',
			{ subject: 'x', description: '={{ "d".repeat(2049) }}' },
			/^Description is too long: 2049 characters \(WhatsApp allows at most 2048\) \[item 0\]$/,
		],
		[
			'a subject that is an object',
			{ subject: '={{ { a: 1 } }}' },
			/Subject must be text, but its expression gave an object/,
		],
		[
			'a join approval mode from an expression that Meta does not have',
			{ subject: 'x', joinApprovalMode: '={{ "open" }}' },
			/Join Approval Mode must be auto_approve or approval_required, got "open"/,
		],
	])('refuses %s before any request', async (_, parameters, message) => {
		const { error } = await run('group', 'create', parameters);
		expect(error?.message).toMatch(message);
		expect(graphRequests()).toEqual([]);
	});

	test('a number that is not an Official Business Account is refused after reading its status, before the create', async () => {
		sandbox.options.phoneNumbers.push(SANDBOX_NON_OBA_PHONE_NUMBER);
		try {
			const { error } = await run('group', 'create', {
				sender: { mode: 'id', value: SANDBOX_NON_OBA_PHONE_NUMBER.id },
				subject: 'x',
			});
			expect(error?.message).toBe(
				`Phone number ${SANDBOX_NON_OBA_PHONE_NUMBER.id} is not an Official Business Account: WhatsApp offers groups only to those [item 0]`,
			);
			expect(graphRequests()).toEqual([`GET /v25.0/${SANDBOX_NON_OBA_PHONE_NUMBER.id}`]);
		} finally {
			sandbox.options.phoneNumbers.pop();
		}
	});
});

describe('Group > Get', () => {
	test('asks for every field and outputs them in camelCase', async () => {
		const group = seed();
		group.participants.push({ wa_id: '16505551234', user_id: 'US.1' });
		const { items, error } = await run('group', 'get', { groupId: group.id });
		expect(error).toBeUndefined();
		expect(graphRequests()).toEqual([`GET /v25.0/${group.id}`]);
		expect(sandbox.received[0].query).toEqual({
			fields:
				'subject,description,participants,join_approval_mode,suspended,creation_timestamp,total_participant_count',
		});
		expect(items[0].json).toEqual({
			id: group.id,
			subject: 'Plant care',
			description: 'Ask us anything',
			joinApprovalMode: 'auto_approve',
			suspended: false,
			creationTimestamp: group.createdAt,
			totalParticipantCount: 1,
			participants: [{ waId: '16505551234' }],
			raw: expect.objectContaining({ id: group.id, messaging_product: 'whatsapp' }),
		});
	});

	test('an unknown group is Meta’s 131041 with its hint', async () => {
		const { error } = await run('group', 'get', { groupId: 'Y2FwaV9ncm91cDpnb25lZD' });
		expect(error).toMatchObject({ httpCode: '404' });
		expect(String(error?.description)).toMatch(/does not exist, was deleted/);
		expect(JSON.stringify(error)).toContain('131041');
	});

	test.each([
		['a slash', 'Y2FwaV9n/../123'],
		['a query from an expression', '={{ "Y2FwaV9ncm91cD?fields=x" }}'],
		['empty from an expression', '={{ "" }}'],
		['padding', 'Y2FwaV9ncm91cD=='],
	])('a Group ID with %s is refused before any request', async (_, groupId) => {
		const { error } = await run('group', 'get', { groupId });
		expect(error?.message).toMatch(/^Group ID (is empty|must be a group ID).*\[item 0\]$/);
		expect(graphRequests()).toEqual([]);
	});
});

describe('Group > Get Many', () => {
	test('Limit asks for that many; the output is camelCase', async () => {
		const groups = [1, 2, 3].map((n) => seed(`G${n}`));
		const { items, error } = await run('group', 'getAll', { limit: 2 });
		expect(error).toBeUndefined();
		expect(graphRequests()).toEqual([`GET /v25.0/${SANDBOX_PHONE_NUMBER_ID}/groups`]);
		expect(sandbox.received[0].query).toEqual({ limit: '2' });
		expect(items.map((i) => i.json)).toEqual(
			groups.slice(0, 2).map((g) => ({
				id: g.id,
				subject: g.subject,
				creationTimestamp: g.createdAt,
				raw: { id: g.id, subject: g.subject, created_at: String(g.createdAt) },
			})),
		);
	});

	test('Return All follows the cursors in pages of 1,024', async () => {
		for (let k = 0; k < 1030; k++) sandbox.groups.add(SANDBOX_PHONE_NUMBER_ID);
		const { items, error } = await run('group', 'getAll', { returnAll: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1030);
		expect(sandbox.received.map((r) => r.query)).toEqual([
			{ limit: '1024' },
			{ limit: '1024', after: expect.any(String) },
		]);
	});
});

describe('Group > Update', () => {
	test('subject and description as JSON', async () => {
		const group = seed();
		const { items, error } = await run('group', 'update', {
			groupId: group.id,
			updateFields: { subject: ' Watch enthusiasts ', description: 'Timepieces' },
		});
		expect(error).toBeUndefined();
		expect(graphRequests()).toEqual([`POST /v25.0/${group.id}`]);
		expect(bodyOf(0)).toEqual({
			messaging_product: 'whatsapp',
			subject: 'Watch enthusiasts',
			description: 'Timepieces',
		});
		expect(items[0].json).toMatchObject({
			success: true,
			groupId: group.id,
			subject: 'Watch enthusiasts',
			description: 'Timepieces',
		});
		expect(sandbox.groups.get(group.id)?.subject).toBe('Watch enthusiasts');
		await sandbox.groups.settled();
		expect(sandbox.groups.notifications[0]).toMatchObject({
			field: 'group_settings_update',
			group: {
				group_subject: { text: 'Watch enthusiasts', update_successful: true },
				group_description: { text: 'Timepieces', update_successful: true },
			},
		});
	});

	test('a square JPEG goes as multipart profile_picture_file', async () => {
		const group = seed();
		const picture = jpeg(640, 640);
		const { items, error } = await run(
			'group',
			'update',
			{ groupId: group.id, updateFields: { picture: 'photo' } },
			[
				{
					json: {},
					binary: {
						photo: { data: picture.toString('base64'), mimeType: 'image/jpeg', fileName: 'p.jpg' },
					},
				},
			],
		);
		expect(error).toBeUndefined();
		const [request] = sandbox.received;
		expect(request.contentType).toMatch(/^multipart\/form-data; boundary=/);
		const text = request.body.toString('latin1');
		expect(text).toMatch(/name="messaging_product"\r\n\r\nwhatsapp\r\n/);
		expect(text).toMatch(
			/name="profile_picture_file"; filename="p.jpg"\r\nContent-Type: image\/jpeg\r\n\r\n/,
		);
		expect(request.body.includes(picture)).toBe(true);
		expect(items[0].json).toMatchObject({ success: true, picture: { width: 640, height: 640 } });
		expect(sandbox.groups.get(group.id)?.pictureSet).toBe(true);
	});

	const withPhoto = (bytes: Buffer, mimeType = 'image/jpeg') => [
		{ json: {}, binary: { data: { data: bytes.toString('base64'), mimeType, fileName: 'p' } } },
	];

	test.each([
		['not square', withPhoto(jpeg(300, 200)), /is not square: 300×200 pixels/],
		[
			'smaller than 192 pixels',
			withPhoto(jpeg(191, 191)),
			/is too small: 191×191 pixels \(WhatsApp needs at least 192×192\)/,
		],
		[
			'a PNG',
			withPhoto(Buffer.from('89504e470d0a1a0a', 'hex'), 'image/png'),
			/must be a JPEG image, not "image\/png"/,
		],
		[
			'labelled JPEG but not one',
			withPhoto(Buffer.from('not a jpeg at all')),
			/is not a JPEG image/,
		],
		[
			'over 5 MB',
			withPhoto(jpeg(512, 512, 5 * 1024 * 1024)),
			/5\.1 MB; WhatsApp allows at most 5 MB/,
		],
	])('a picture %s is refused before any request', async (_, input, message) => {
		const group = seed();
		const { error } = await run(
			'group',
			'update',
			{ groupId: group.id, updateFields: { picture: 'data' } },
			input,
		);
		expect(error?.message).toMatch(message);
		expect(graphRequests()).toEqual([]);
	});

	test.each([
		['nothing to update', {}, /Nothing to update/],
		[
			'a subject of 129 characters from an expression',
			{ subject: '={{ "s".repeat(129) }}' },
			/Subject is too long: 129/,
		],
		['an empty subject', { subject: '={{ "" }}' }, /Subject is empty/],
		[
			'a description of 2,049 characters',
			{ description: 'd'.repeat(2049) },
			/Description is too long: 2049/,
		],
	])('%s is refused before any request', async (_, updateFields, message) => {
		const group = seed();
		const { error } = await run('group', 'update', { groupId: group.id, updateFields });
		expect(error?.message).toMatch(message);
		expect(graphRequests()).toEqual([]);
	});
});

describe('Group > Delete, Get Invite Link, Reset Invite Link', () => {
	test('delete sends DELETE and the group_delete webhook follows', async () => {
		const group = seed();
		const { items, error } = await run('group', 'delete', { groupId: group.id });
		expect(error).toBeUndefined();
		expect(graphRequests()).toEqual([`DELETE /v25.0/${group.id}`]);
		expect(items[0].json).toEqual({ success: true, groupId: group.id, deleted: true });
		expect(sandbox.groups.get(group.id)).toBeUndefined();
		await sandbox.groups.settled();
		expect(sandbox.groups.notifications[0].group).toMatchObject({
			type: 'group_delete',
			group_id: group.id,
		});
	});

	test('get reads the link; reset posts and gives a new one', async () => {
		const group = seed();
		const got = await run('group', 'getInviteLink', { groupId: group.id });
		expect(got.items[0].json).toMatchObject({ groupId: group.id, inviteLink: group.inviteLink });
		const old = group.inviteLink;
		const reset = await run('group', 'resetInviteLink', { groupId: group.id });
		expect(reset.error).toBeUndefined();
		expect(graphRequests()).toEqual([
			`GET /v25.0/${group.id}/invite_link`,
			`POST /v25.0/${group.id}/invite_link`,
		]);
		expect(bodyOf(1)).toEqual({ messaging_product: 'whatsapp' });
		expect(reset.items[0].json.inviteLink).toMatch(/^https:\/\/chat\.whatsapp\.com\/\w+$/);
		expect(reset.items[0].json.inviteLink).not.toBe(old);
		expect(sandbox.groups.get(group.id)?.inviteLink).toBe(reset.items[0].json.inviteLink);
	});
});
