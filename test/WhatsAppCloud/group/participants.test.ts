import { WhatsAppCloud } from '../../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import { type OperationArgs, runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useRecordingSandbox } from '../../../dev/harness/sandbox';
import { SANDBOX_PHONE_NUMBER_ID, type GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useRecordingSandbox((started) => ({ sandbox, credentials } = started));

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);
const graphRequests = () =>
	sandbox.log.filter((l) => l.path.startsWith('/v25.0/')).map((l) => `${l.method} ${l.path}`);
const bodyOf = (k: number) => JSON.parse(sandbox.received[k].body.toString('utf8')) as unknown;

const seed = () =>
	sandbox.groups.add(SANDBOX_PHONE_NUMBER_ID, {
		participants: [
			{ wa_id: '16505551234', user_id: 'US.13491208655302741918' },
			{ wa_id: '4915112345678', user_id: 'DE.5550001' },
			{ wa_id: '16505550000', user_id: 'US.1' },
		],
	});

describe('Group > Remove Participants', () => {
	test('phone numbers and user IDs, mixed, parsed as message recipients are', async () => {
		const group = seed();
		const { items, error } = await run('group', 'removeParticipants', {
			groupId: group.id,
			participants: '+1 (650) 555-1234, US.1\n+49 151 1234 5678',
		});
		expect(error).toBeUndefined();
		expect(graphRequests()).toEqual([`DELETE /v25.0/${group.id}/participants`]);
		expect(bodyOf(0)).toEqual({
			messaging_product: 'whatsapp',
			participants: [{ user: '+16505551234' }, { user_id: 'US.1' }, { user: '+4915112345678' }],
		});
		expect(items[0].json).toMatchObject({
			success: true,
			groupId: group.id,
			participants: [
				{ phoneNumber: '+16505551234' },
				{ userId: 'US.1' },
				{ phoneNumber: '+4915112345678' },
			],
			note: expect.stringMatching(/group_participants_update/),
		});
		expect(sandbox.groups.get(group.id)?.participants).toEqual([]);
		await sandbox.groups.settled();
		expect(sandbox.groups.notifications[0].group).toMatchObject({
			type: 'group_participants_remove',
			removed_participants: [
				{ input: '+16505551234', wa_id: '16505551234' },
				{ input: 'US.1', user_id: 'US.1' },
				{ input: '+4915112345678', wa_id: '4915112345678' },
			],
		});
	});

	test('a list from an expression', async () => {
		const group = seed();
		const { error } = await run('group', 'removeParticipants', {
			groupId: group.id,
			participants: '={{ ["16505551234"] }}',
		});
		expect(error).toBeUndefined();
		expect(bodyOf(0)).toEqual({
			messaging_product: 'whatsapp',
			participants: [{ user: '16505551234' }],
		});
	});

	test.each([
		[
			'not a phone or user ID',
			'+16505551234, bob',
			/^Participants \(entry 2\) is neither a phone number nor a business-scoped user ID: "bob"/,
		],
		[
			'nine people',
			'={{ Array.from({ length: 9 }, (_, k) => "+1650555100" + k).join(",") }}',
			/Participants lists 9 people/,
		],
		['the same phone twice', '+16505551234, 16505551234', /Participants lists 16505551234 twice/],
		['nothing', '={{ [] }}', /^Participants is empty \[item 0\]$/],
	])('%s is refused before any request', async (_, participants, message) => {
		const group = seed();
		const { error } = await run('group', 'removeParticipants', { groupId: group.id, participants });
		expect(error?.message).toMatch(message);
		expect(graphRequests()).toEqual([]);
	});

	test('adding participants is not offered: Meta lets people join only by the invite link', () => {
		const operation = new WhatsAppCloud().description.properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('group'),
		);
		const values = (operation?.options as Array<{ value: string }>).map((o) => o.value);
		expect(values).toContain('removeParticipants');
		expect(values.filter((v) => /add/i.test(v))).toEqual([]);
	});
});
