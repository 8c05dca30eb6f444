import { runOperation } from '../../../dev/harness/engine';
import { startSandbox } from '../../../dev/harness/sandbox';
import { WebhookServer } from '../../../dev/harness/webhook-server';
import { SANDBOX_PHONE_NUMBER_ID, type GraphSandbox } from '../../../dev/sandbox/server';

/**
 * Create answers only a request ID; the group's ID and invite link reach the workflow later, in the
 * trigger's group_lifecycle_update item, which carries the same request ID.
 */
describe('Group > Create, then the trigger', () => {
	let sandbox: GraphSandbox;
	let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];
	let server: WebhookServer;

	beforeAll(async () => {
		({ sandbox, credentials } = await startSandbox());
		server = await new WebhookServer().start();
	});
	afterAll(async () => {
		await server.stop();
		await sandbox.stop();
	});

	test('the delayed group_create webhook reaches the number’s trigger with Create’s request ID', async () => {
		const t = server.trigger(
			{ updates: ['*'], verifyToken: 'vt', registration: 'manual' },
			credentials,
		);
		await t.activate();
		// the number's callback override, as a phone-number registration sets it
		sandbox.webhooks.phoneOverrides.set(SANDBOX_PHONE_NUMBER_ID, { url: t.url, verifyToken: 'vt' });
		try {
			const created = await runOperation(credentials, 'group', 'create', {
				subject: 'Plant care',
				joinApprovalMode: 'approval_required',
			});
			expect(created.error).toBeUndefined();
			const requestId = String(created.items[0].json.requestId);
			// nothing yet: the group is made a moment after the answer
			expect(t.items).toHaveLength(0);
			await sandbox.groups.settled();
			const [group] = sandbox.groups.byId.values();
			expect(sandbox.groups.notifications[0].delivery?.status).toBe(200);
			expect(t.items).toHaveLength(1);
			// however the trigger shapes the item, it carries the request ID, the group ID and the link
			const item = JSON.stringify(t.items[0].json);
			expect(item).toContain(requestId);
			expect(item).toContain(group.id);
			expect(item).toContain(group.inviteLink);
			expect(item).toContain('group_create');
		} finally {
			sandbox.webhooks.phoneOverrides.delete(SANDBOX_PHONE_NUMBER_ID);
			await t.deactivate();
		}
	});
});
