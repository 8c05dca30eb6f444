/**
 * Phone Number > Get Call Permission (actions/phoneNumber/getCallPermission.operation.ts): the
 * exact request (`user_wa_id` for a phone, `recipient` for a business-scoped user ID), the output
 * (status passed through, expiration as ISO time, the two actions with their limits), and a
 * customer that is neither refused before any request, from an expression too.
 */
import { runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import { SANDBOX_PHONE_NUMBER_ID, type GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => {
		sandbox.log.length = 0;
		sandbox.received.length = 0;
		sandbox.callPermissions.reset();
	},
	{ recordRequests: true },
);

const run = async (customer: unknown) =>
	await runOperation(credentials, 'phoneNumber', 'getCallPermission', { customer } as never);
const request = () => {
	expect(sandbox.received).toHaveLength(1);
	return sandbox.received[0];
};

describe('Phone Number > Get Call Permission', () => {
	test('a phone number: user_wa_id in digits; a temporary permission with its expiry and the limits', async () => {
		sandbox.callPermissions.set(SANDBOX_PHONE_NUMBER_ID, '14085551234', {
			status: 'temporary',
			expiration_time: 1745343479,
		});
		const { items, error } = await run('+1 (408) 555-1234');
		expect(error).toBeUndefined();
		expect(request()).toMatchObject({
			method: 'GET',
			path: `/v25.0/${SANDBOX_PHONE_NUMBER_ID}/call_permissions`,
			query: { user_wa_id: '14085551234' },
		});
		expect(items[0].json).toEqual({
			customer: '+14085551234',
			permissionStatus: 'temporary',
			expiration: '2025-04-22T17:37:59.000Z',
			canStartCall: true,
			canSendPermissionRequest: true,
			actions: [
				{
					action: 'send_call_permission_request',
					canPerform: true,
					limits: [
						{ timePeriod: 'PT24H', maxAllowed: 1, currentUsage: 0, limitExpiration: null },
						{ timePeriod: 'P7D', maxAllowed: 2, currentUsage: 0, limitExpiration: null },
					],
				},
				{
					action: 'start_call',
					canPerform: true,
					limits: [
						{ timePeriod: 'PT24H', maxAllowed: 100, currentUsage: 0, limitExpiration: null },
					],
				},
			],
			raw: expect.objectContaining({ messaging_product: 'whatsapp' }),
		});
	});

	test('a user ID (from an expression): recipient; no permission yet', async () => {
		const { items, error } = await run('={{ "US.13491208655302741918" }}');
		expect(error).toBeUndefined();
		expect(request().query).toEqual({ recipient: 'US.13491208655302741918' });
		expect(items[0].json).toMatchObject({
			permissionStatus: 'no_permission',
			expiration: null,
			canStartCall: false,
		});
	});

	test('a status Meta may add, and limits with their expiry, pass through', async () => {
		sandbox.callPermissions.set(SANDBOX_PHONE_NUMBER_ID, '14085551234', { status: 'granted' });
		// a request an hour ago: the day's one is used, and free again 23 hours from now
		const sentAt = Math.floor(Date.now() / 1000) * 1000 - 3600_000;
		expect(
			sandbox.callPermissions.request(SANDBOX_PHONE_NUMBER_ID, '14085551234', sentAt),
		).toBeUndefined();
		const { items } = await run('14085551234');
		expect(items[0].json.permissionStatus).toBe('granted');
		expect(items[0].json.canSendPermissionRequest).toBe(false);
		expect((items[0].json.actions as Array<{ limits: unknown[] }>)[0].limits[0]).toEqual({
			timePeriod: 'PT24H',
			maxAllowed: 1,
			currentUsage: 1,
			limitExpiration: new Date(sentAt + 24 * 3600_000).toISOString(),
		});
	});

	test.each<[string, unknown, RegExp]>([
		[
			'not a phone or user ID',
			'ana@example.com',
			/^Customer is neither a phone number nor a business-scoped user ID/,
		],
		[
			'a lowercased user ID',
			'={{ "us.13491208655302741918" }}',
			/^Customer is neither a phone number/,
		],
		[
			'an object from an expression',
			'={{ { phone: 1 } }}',
			/^Customer must be text, but its expression gave an object/,
		],
		['empty from an expression', '={{ "" }}', /^Customer is empty; it needs a value/],
	])('refused before any request: %s', async (_name, customer, message) => {
		const { error } = await run(customer);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expect(error?.message).toMatch(/\[item 0\]$/);
		expect(sandbox.log).toHaveLength(0);
	});
});
