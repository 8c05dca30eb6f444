/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * The calling events of the trigger (nodes/WhatsAppCloudTrigger/events.ts): the `calls` field's
 * calls and call statuses, and the customer's answer to a call permission request, read from the
 * webhook fixtures. The fixtures test compares every field exactly; this one says what matters.
 */
import { readFileSync } from 'fs';
import type { IDataObject } from 'n8n-workflow';
import path from 'path';

import { normalize, parseWebhookBody } from '../../nodes/WhatsAppCloudTrigger/webhook';

const DIR = path.join(__dirname, '../fixtures/webhooks');

function events(name: string) {
	const parsed = parseWebhookBody(readFileSync(path.join(DIR, `${name}.json`)));
	if (!parsed.ok) throw new Error(parsed.reason);
	return normalize(parsed.body).map((e) => ({
		event: e.event,
		item: e.simplified as IDataObject,
		raw: JSON.parse(JSON.stringify(e.raw)) as IDataObject,
	}));
}

describe('calls that connect and end', () => {
	test("a customer's call: the caller is the customer, with the button's payload; the SDP stays in the Raw output only", () => {
		const [call] = events('calls_connect_user_initiated__meta_docs');
		expect(call.event).toBe('call');
		expect(call.item).toMatchObject({
			event: 'call',
			field: 'calls',
			callId: 'wacid.ABGGFjFVU2AfAgo6V-Hc5eCgK5Gh',
			callEvent: 'connect',
			direction: 'USER_INITIATED',
			from: '16315553602',
			fromUserId: 'US.13491208655302741918',
			to: '16315553601',
			contactName: 'Ana',
			username: '@ana.s',
			replyTo: '16315553602',
			ctaPayload: 'order-4711',
		});
		expect(JSON.stringify(call.item)).not.toMatch(/sdp|v=0/);
		const raw = (call.raw.calls as IDataObject[])[0];
		expect((raw.session as IDataObject).sdp).toMatch(/^v=0/);
	});

	test('without a direction, an SDP offer means the customer called; without their phone, the To is their user ID', () => {
		const [call] = events('calls_connect_user_initiated_no_direction__meta_docs');
		expect(call.item).toMatchObject({
			direction: 'USER_INITIATED',
			from: null,
			fromUserId: 'US.13491208655302741918',
			fromParentUserId: 'US.ENT.11815799212886844830',
			replyTo: 'US.13491208655302741918',
			deeplinkPayload: 'spring-sale',
			ctaPayload: null,
		});
	});

	test('a call the business placed: the customer is the callee, with the callback data', () => {
		const [call] = events('calls_connect_business_initiated__meta_docs');
		expect(call.item).toMatchObject({
			direction: 'BUSINESS_INITIATED',
			from: '16315553601',
			to: '16315553602',
			toUserId: 'US.13491208655302741918',
			replyTo: '16315553602',
			bizOpaqueCallbackData: 'ticket-88',
		});
	});

	test('an ended call: its status in capitals whatever the spelling, its times as ISO and its duration', () => {
		const [completed] = events('calls_terminate_completed__meta_docs');
		expect(completed.item).toMatchObject({
			callEvent: 'terminate',
			status: 'COMPLETED',
			duration: 120,
			startTime: '2022-12-21T17:47:04.000Z',
			endTime: '2022-12-21T17:49:04.000Z',
			errors: [],
		});
		const [failed] = events('calls_terminate_failed_errors__ours');
		expect(failed.item).toMatchObject({ status: 'FAILED', duration: null, startTime: null });
		expect(failed.item.errors).toEqual([expect.objectContaining({ code: 138004 })]);
	});

	test('call statuses: one item each, the customer as recipient by phone or user ID', () => {
		const statuses = events('calls_status_ringing_accepted__meta_docs');
		expect(statuses.map((s) => [s.event, s.item.status, s.item.replyTo])).toEqual([
			['call_status', 'RINGING', '16315553602'],
			['call_status', 'ACCEPTED', 'US.13491208655302741918'],
		]);
		expect(statuses[0].item).toMatchObject({
			callId: 'wacid.HBgLMTYzMTU1NTM2MDIVAgARGCBBQjM',
			callEvent: 'status',
			direction: 'BUSINESS_INITIATED',
		});
	});
});

describe("a customer's answer to a call permission request", () => {
	test("Meta's sample (no message type, the expiry as text): a temporary accept", () => {
		const [reply] = events('msg_interactive_call_permission_reply__meta_docs');
		expect(reply.event).toBe('message');
		expect(reply.item).toMatchObject({
			type: 'callPermissionReply',
			response: 'accept',
			isPermanent: false,
			expiration: '2026-01-16T08:00:00.000Z',
			responseSource: 'user_action',
			replyTo: '14085551234',
			context: { id: 'wamid.gBGGFlaCmZ9plHrf2Mh-o' },
		});
	});

	test('a permanent accept, the expiry as a number, an automatic reject without context', () => {
		const replies = events('msg_interactive_call_permission_reply_numeric_expiration__ours');
		expect(
			replies.map((r) => [
				r.item.type,
				r.item.response,
				r.item.isPermanent,
				r.item.expiration,
				r.item.responseSource,
				r.item.context,
			]),
		).toEqual([
			['callPermissionReply', 'accept', true, null, 'user_action', expect.anything()],
			[
				'callPermissionReply',
				'accept',
				false,
				'2026-01-16T08:01:40.000Z',
				'user_action',
				expect.anything(),
			],
			['callPermissionReply', 'reject', null, null, 'automatic', null],
		]);
	});
});
