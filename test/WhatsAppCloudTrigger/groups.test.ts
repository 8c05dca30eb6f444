/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * What the trigger makes of WhatsApp groups: messages written in a group (the participant, the
 * group to reply to, the participant to answer privately), statuses of a message sent to a group
 * (aggregated, one per participant, with both of Meta's spellings of the participant field), and
 * the four group fields (`value.groups[]`, one item per element). The exact items of each fixture
 * are checked by fixtures.test.ts; here, what a workflow relies on, and duplicates.
 */
import { readFileSync } from 'fs';
import type { IDataObject } from 'n8n-workflow';
import path from 'path';

import { customerOf } from '../../nodes/WhatsAppCloudTrigger/combine';
import { EVENTS, statusKey } from '../../nodes/WhatsAppCloudTrigger/events';
import { normalize, parseWebhookBody } from '../../nodes/WhatsAppCloudTrigger/webhook';
import { runAction } from '../../dev/harness/engine';
import { startSandbox } from '../../dev/harness/sandbox';
import { WebhookServer } from '../../dev/harness/webhook-server';
import type { GraphSandbox } from '../../dev/sandbox/server';

type Payload = Parameters<GraphSandbox['deliver']>[0];
const DIR = path.join(__dirname, '../fixtures/webhooks');
const fixture = (name: string): Payload =>
	JSON.parse(readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as Payload;

const GROUP = 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD';

/** The simplified items of a payload, as the normaliser makes them. */
const items = (payload: unknown): IDataObject[] => {
	const parsed = parseWebhookBody(Buffer.from(JSON.stringify(payload)));
	if (!parsed.ok) throw new Error(parsed.reason);
	return normalize(parsed.body).map((e) => e.simplified);
};
const keys = (payload: unknown): string[] => {
	const parsed = parseWebhookBody(Buffer.from(JSON.stringify(payload)));
	if (!parsed.ok) throw new Error(parsed.reason);
	return normalize(parsed.body).map((e) => e.key);
};

/** The first status of a fixture, changed by `edit`, as a whole payload again. */
function withStatus(name: string, edit: (s: IDataObject) => IDataObject): Payload {
	const payload = fixture(name) as unknown as {
		entry: Array<{ changes: Array<{ value: { statuses: IDataObject[] } }> }>;
	};
	const value = payload.entry[0].changes[0].value;
	value.statuses = [edit(value.statuses[0])];
	return payload as unknown as Payload;
}

describe('messages written in a group', () => {
	test('the item names the group; replyTo is the group, participantReplyTo the participant who wrote', () => {
		const [item] = items(fixture('msg_text_group__meta_docs'));
		expect(item).toMatchObject({
			event: 'message',
			from: '16505551234',
			contactName: 'Tiago Mingo',
			groupId: 'HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA',
			replyTo: 'HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA',
			participantReplyTo: '16505551234',
			type: 'text',
			text: 'What does everyone think about this?',
		});
	});

	test('a participant without a shared phone: participantReplyTo is their user ID, the username comes from the contact', () => {
		const [item] = items(fixture('msg_text_group_username_only__meta_bsuid'));
		expect(item).toMatchObject({
			from: null,
			fromUserId: 'BR.8812300144551277',
			username: '@ana.s',
			groupId: GROUP,
			replyTo: GROUP,
			participantReplyTo: 'BR.8812300144551277',
		});
	});

	test('an unsupported type in a group (130501) stays an item, with its error', () => {
		const [item] = items(fixture('msg_unsupported_group__meta_docs'));
		expect(item).toMatchObject({
			event: 'message',
			type: 'unsupported',
			groupId: GROUP,
			replyTo: GROUP,
			participantReplyTo: '16505551234',
			errors: [expect.objectContaining({ code: 130501, title: 'Unsupported message type' })],
		});
	});

	test('Combine Messages keeps a group chat apart: a participant in a group and the same person 1:1 are two bursts, and so are two participants', () => {
		const events = (payload: unknown) => {
			const parsed = parseWebhookBody(Buffer.from(JSON.stringify(payload)));
			if (!parsed.ok) throw new Error(parsed.reason);
			return normalize(parsed.body);
		};
		const group = fixture('msg_text_group__meta_docs') as unknown as {
			entry: Array<{ changes: Array<{ value: { messages: IDataObject[] } }> }>;
		};
		const [inGroup] = events(group);
		const message = group.entry[0].changes[0].value.messages[0];
		const direct = { ...message };
		delete direct.group_id;
		group.entry[0].changes[0].value.messages = [direct];
		const [privately] = events(group);
		group.entry[0].changes[0].value.messages = [{ ...message, from: '5511999999999' }];
		const [other] = events(group);
		expect(customerOf(inGroup)).toBe(
			'106540352242922|g:HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA|p:16505551234',
		);
		expect(customerOf(privately)).toBe('106540352242922|p:16505551234');
		expect(new Set([inGroup, privately, other].map(customerOf)).size).toBe(3);
	});

	test('a 1:1 message has no group fields, and replyTo stays the customer', () => {
		const [item] = items(fixture('msg_text__meta_openapi'));
		expect(item).not.toHaveProperty('groupId');
		expect(item).not.toHaveProperty('participantReplyTo');
		expect(item.replyTo).toBe(item.from);
	});
});

describe('statuses of a message sent to a group', () => {
	test('an aggregated delivered webhook is one item per participant, each with the group as recipient and replyTo', () => {
		const statuses = items(fixture('status_group_delivered_aggregated__meta_docs'));
		expect(
			statuses.map((s) => [s.status, s.recipientType, s.groupId, s.recipientParticipantId]),
		).toEqual([
			['delivered', 'group', GROUP, '16505551234'],
			['delivered', 'group', GROUP, '5511999999999'],
		]);
		for (const s of statuses) {
			expect(s.recipientId).toBe(GROUP);
			expect(s.replyTo).toBe(GROUP);
			expect(s.pricingCategory).toBe('group_marketing');
		}
	});

	test('their duplicate keys differ per participant, so no participant is dropped as a repeat', () => {
		const [a, b] = keys(fixture('status_group_delivered_aggregated__meta_docs'));
		expect(a).not.toBe(b);
		expect(a.startsWith('s:wamid.')).toBe(true);
		expect(a.endsWith(':delivered:16505551234')).toBe(true);
		// a 1:1 status keeps the key it always had
		const [single] = keys(fixture('status_delivered_cbp__meta_docs'));
		expect(single).toMatch(/^s:[^:]+:delivered$/);
	});

	test('Meta spells the participant recipient_participant_id or participant_recipient_id: both give recipientParticipantId, and the same key', () => {
		const spelled = fixture('status_group_read_participant_recipient_id__meta_docs');
		const other = withStatus('status_group_read_participant_recipient_id__meta_docs', (s) => {
			const { participant_recipient_id: phone, ...rest } = s;
			return { ...rest, recipient_participant_id: phone };
		});
		const [a] = items(spelled);
		const [b] = items(other);
		expect(a.recipientParticipantId).toBe('16505551234');
		expect(b.recipientParticipantId).toBe('16505551234');
		expect(keys(spelled)).toEqual(keys(other));
		expect(statusKey({ id: 'w', status: 'read', participant_recipient_id: '1' })).toBe(
			statusKey({ id: 'w', status: 'read', recipient_participant_id: '1' }),
		);
	});

	test('with BSUIDs: the participant user ID keys the status, and the participant contact gives the username', () => {
		const statuses = items(fixture('status_group_read_bsuid__meta_bsuid'));
		expect(
			statuses.map((s) => [s.recipientParticipantId, s.recipientParticipantUserId, s.username]),
		).toEqual([
			['16505551234', 'US.13491208655302741918', '@tiago'],
			[null, 'BR.8812300144551277', '@ana.s'],
		]);
		expect(statuses.map((s) => s.pricingType)).toEqual(['regular', 'free_group_customer_service']);
		expect(new Set(keys(fixture('status_group_read_bsuid__meta_bsuid'))).size).toBe(2);
	});

	test('the sent status of a group message, without a participant, is one item keyed like any status', () => {
		const [sent] = items(fixture('status_group_sent__meta_docs'));
		expect(sent).toMatchObject({
			status: 'sent',
			recipientType: 'group',
			groupId: GROUP,
			recipientParticipantId: null,
		});
		expect(keys(fixture('status_group_sent__meta_docs'))[0]).toMatch(/^s:[^:]+:sent$/);
	});
});

describe('the group fields', () => {
	test('each is a row of the table with an option, follows an override, and is read from value.groups[]', () => {
		const rows = EVENTS.filter((e) => e.field.startsWith('group_'));
		expect(rows.map((e) => [e.event, e.callback, e.perItem?.list, Boolean(e.option)])).toEqual([
			['group_lifecycle_update', 'override', 'groups', true],
			['group_participants_update', 'override', 'groups', true],
			['group_settings_update', 'override', 'groups', true],
			['group_status_update', 'override', 'groups', true],
		]);
	});

	test('group_create carries the request ID that Group > Create answered, the invite link and the join approval mode', () => {
		const [created] = items(fixture('group_lifecycle_update_create__meta_docs'));
		expect(created).toMatchObject({
			event: 'group_lifecycle_update',
			type: 'group_create',
			groupId: GROUP,
			requestId: '4d6a1c0e2b8f4a3c9e7d5b1a0f2c8e6d',
			subject: 'test invite link',
			inviteLink: 'https://chat.whatsapp.com/K8pQ2xL4mN7vR1tY9wZ3bC',
			joinApprovalMode: 'approval_required',
			errors: [],
		});
		const [failed] = items(fixture('group_lifecycle_update_create_failed__meta_docs'));
		expect(failed.requestId).toBe('9b2e7f1a3c5d4e6f8a0b1c2d3e4f5a6b');
		expect(failed.errors).toEqual([expect.objectContaining({ code: 131211 })]);
		const [deleted] = items(fixture('group_lifecycle_update_delete__meta_docs'));
		expect([deleted.type, deleted.groupId]).toEqual(['group_delete', GROUP]);
	});

	test('participants: joins, join requests, removals and who started them', () => {
		const [joined] = items(fixture('group_participants_update_join_invite_link__meta_docs'));
		expect(joined).toMatchObject({
			type: 'group_participants_add',
			reason: 'invite_link',
			addedParticipants: [{ waId: '16505551234', userId: null, input: null }],
		});
		const [request] = items(fixture('group_participants_update_join_request_created__meta_docs'));
		expect(request).toMatchObject({
			type: 'group_join_request_created',
			joinRequestId: 'MTY1MDU1NTEyMzQ6MTc2MjAwMDAzMA',
			waId: '16505551234',
		});
		const [approved] = items(
			fixture('group_participants_update_join_requests_approved__meta_docs'),
		);
		expect((approved.addedParticipants as IDataObject[]).map((p) => p.waId)).toEqual([
			'16505551234',
			'5511999999999',
		]);
		// a JSON number as timestamp, as in Meta's sample
		expect(approved.timestamp).toBe('2025-11-01T12:27:30.000Z');
		const [removed] = items(fixture('group_participants_update_remove_partial__meta_docs'));
		expect(removed).toMatchObject({
			type: 'group_participants_remove',
			initiatedBy: 'business',
			requestId: '7c9e1a3b5d7f9e1c3a5b7d9f1e3c5a7b',
			removedParticipants: [{ input: '16505551234' }],
			failedParticipants: [
				{ input: '5511988887777', errors: [expect.objectContaining({ code: 131212 })] },
			],
			errors: [expect.objectContaining({ code: 131201 })],
		});
		const [left] = items(fixture('group_participants_update_participant_left__meta_docs'));
		expect([left.initiatedBy, (left.removedParticipants as IDataObject[])[0].waId]).toEqual([
			'participant',
			'5511999999999',
		]);
	});

	test('settings: each changed setting with its new value, whether it was applied, and its errors', () => {
		const [settings] = items(fixture('group_settings_update_partial__meta_docs'));
		expect(settings).toMatchObject({
			subject: { text: 'Test Subject', updateSuccessful: true, errors: [] },
			description: { text: 'Test Description', updateSuccessful: true, errors: [] },
			profilePicture: {
				mimeType: 'image/jpeg',
				updateSuccessful: false,
				errors: [expect.objectContaining({ code: 131209 })],
			},
		});
	});

	test('status: suspended true on group_suspend, false when cleared', () => {
		expect(items(fixture('group_status_update_suspend__meta_docs'))[0].suspended).toBe(true);
		expect(items(fixture('group_status_update_suspend_cleared__meta_docs'))[0].suspended).toBe(
			false,
		);
	});

	test('a change with several group elements is one item each, with keys of their own; an empty list passes the change through raw', () => {
		const payload = fixture('group_status_update_suspend__meta_docs') as unknown as {
			entry: Array<{ changes: Array<{ value: { groups: IDataObject[] } }> }>;
		};
		const value = payload.entry[0].changes[0].value;
		value.groups = [
			value.groups[0],
			{ ...value.groups[0], group_id: 'OTHERGROUPaaaaaaaaaaaaaaaaaa' },
		];
		expect(items(payload).map((i) => i.groupId)).toEqual([GROUP, 'OTHERGROUPaaaaaaaaaaaaaaaaaa']);
		expect(new Set(keys(payload)).size).toBe(2);
		value.groups = [];
		const [raw] = items(payload);
		expect(raw).toMatchObject({ event: 'group_status_update', value: { groups: [] } });
	});
});

describe('the trigger, over HTTP', () => {
	let sandbox: GraphSandbox;
	let server: WebhookServer;
	let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];

	beforeAll(async () => {
		({ sandbox, credentials } = await startSandbox());
		server = await new WebhookServer().start();
	});
	afterAll(async () => {
		await server.stop();
		await sandbox.stop();
	});

	test('an aggregated status gives every participant an item, and its redelivery none; the other spelling of a participant already seen is a repeat', async () => {
		const t = server.trigger(
			{ updates: ['status'], verifyToken: 'vt', registration: 'manual' },
			credentials,
		);
		t.listen();
		const aggregated = fixture('status_group_delivered_aggregated__meta_docs');
		expect((await sandbox.deliver(aggregated, { to: t.url })).status).toBe(200);
		expect((await sandbox.deliver(aggregated, { to: t.url })).status).toBe(200);
		expect(t.items.map((i) => i.json.recipientParticipantId)).toEqual([
			'16505551234',
			'5511999999999',
		]);
		// the same participant's delivered status, spelled the other way
		const respelled = withStatus('status_group_delivered_aggregated__meta_docs', (s) => {
			const { recipient_participant_id: phone, ...rest } = s;
			return { ...rest, participant_recipient_id: phone };
		});
		await sandbox.deliver(respelled, { to: t.url });
		expect(t.items).toHaveLength(2);
	});

	test('a participant writes in a group, the workflow answers in the group with replyTo, and the delivered statuses come one per participant', async () => {
		const participants = [
			{ wa_id: '16505551234', user_id: 'US.13491208655302741918' },
			{ wa_id: '5511999999999', user_id: 'BR.8812300144551277' },
		];
		const { id: groupId } = sandbox.groups.add('106540352242922', { participants });
		const t = server.trigger(
			{ updates: ['message', 'status'], verifyToken: 'vt', registration: 'manual' },
			credentials,
		);
		t.listen();
		await sandbox.participantWrites(groupId, participants[0], 'Tiago', 'Is the shop open today?', {
			to: t.url,
		});
		const [message] = t.items.map((i) => i.json);
		expect(message).toMatchObject({
			groupId,
			from: '16505551234',
			replyTo: groupId,
			participantReplyTo: '16505551234',
			text: 'Is the shop open today?',
		});
		// the reply a workflow makes of the item, as the README says to
		const { error, items } = await runAction(
			{
				resource: 'message',
				operation: 'sendText',
				recipientType: "={{ $json.groupId ? 'group' : 'individual' }}",
				to: '={{ $json.replyTo }}',
				text: 'Yes, until 6 pm',
			},
			credentials,
			[{ json: message }],
		);
		expect(error).toBeUndefined();
		const sent = sandbox.accepted.at(-1)!;
		expect(sent.body).toMatchObject({ recipient_type: 'group', to: groupId, type: 'text' });
		expect(items[0].json).toMatchObject({ to: groupId, recipientType: 'group' });
		await sandbox.deliverStatus(sent.id, 'sent', t.url);
		await sandbox.deliverStatus(sent.id, 'delivered', t.url);
		const statuses = t.items.slice(1).map((i) => i.json);
		expect(
			statuses.map((s) => [s.status, s.groupId, s.recipientParticipantId, s.pricingCategory]),
		).toEqual([
			['sent', groupId, null, 'group_service'],
			['delivered', groupId, '16505551234', 'group_service'],
			['delivered', groupId, '5511999999999', 'group_service'],
		]);
		expect(statuses[2].recipientParticipantUserId).toBe('BR.8812300144551277');
	});

	test('Events narrows to the chosen group field', async () => {
		const t = server.trigger(
			{ updates: ['group_lifecycle_update'], verifyToken: 'vt', registration: 'manual' },
			credentials,
		);
		t.listen();
		for (const name of [
			'group_status_update_suspend__meta_docs',
			'msg_text_group__meta_docs',
			'group_lifecycle_update_create__meta_docs',
			'group_participants_update_join_invite_link__meta_docs',
		])
			expect((await sandbox.deliver(fixture(name), { to: t.url })).status).toBe(200);
		expect(t.items.map((i) => [i.json.event, i.json.type, i.json.requestId])).toEqual([
			['group_lifecycle_update', 'group_create', '4d6a1c0e2b8f4a3c9e7d5b1a0f2c8e6d'],
		]);
	});
});
