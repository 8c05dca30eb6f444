/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * Template > Archive and Unarchive: the request on the archive host's unversioned path, the IDs in
 * requests of at most 100, one item per template (archived, failed with Meta's reason, or
 * unconfirmed), the status webhook, and each refusal before any request.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import { type OperationArgs, runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import { SANDBOX_WABA_ID, type GraphSandbox } from '../../../dev/sandbox/server';
import { archiveUrl, ARCHIVE_HOST } from '../../../nodes/WhatsAppCloud/actions/template/lifecycle';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => sandbox.reset(),
	{ recordRequests: true },
);

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);
const PATH = (action: string) => `/${SANDBOX_WABA_ID}/message_templates/${action}`;
const bodyOf = (k: number) => JSON.parse(sandbox.received[k].body.toString('utf8')) as unknown;
const seed = (name: string, status = 'APPROVED') =>
	sandbox.addTemplate({
		name,
		language: 'en_US',
		category: 'UTILITY',
		status,
		components: [{ type: 'BODY', text: 'Hi' }],
	});

describe('the archive host', () => {
	test("is api.facebook.com without a version when the credential keeps Meta's Graph host", () => {
		expect(ARCHIVE_HOST).toBe('https://api.facebook.com');
		expect(archiveUrl({ baseUrl: 'https://graph.facebook.com' }, '123', 'archive')).toBe(
			'https://api.facebook.com/123/message_templates/archive',
		);
	});

	test('is the Base URL of its own (a proxy, the sandbox) when the credential has one', () => {
		expect(archiveUrl({ baseUrl: 'https://proxy.example.com' }, '123', 'unarchive')).toBe(
			'https://proxy.example.com/123/message_templates/unarchive',
		);
	});
});

describe('Template > Archive', () => {
	test("posts the IDs as Meta's comma list and gives one item per template", async () => {
		const a = seed('archive_a');
		const b = seed('archive_b');
		const { items, error } = await run('template', 'archive', { templateIds: `${a}, ${b}` });
		expect(error).toBeUndefined();
		expect(sandbox.received).toHaveLength(1);
		expect(sandbox.received[0]).toMatchObject({ method: 'POST', path: PATH('archive') });
		expect(bodyOf(0)).toEqual({ hsm_ids: `${a},${b}` });
		expect(items.map((i) => i.json)).toEqual([
			{ templateId: a, result: 'archived' },
			{ templateId: b, result: 'archived' },
		]);
		expect(sandbox.templates.get(a)!.status).toBe('ARCHIVED');
	});

	test("a partial failure names each failed template with Meta's reason", async () => {
		const a = seed('archive_partial');
		const gone = '1999999999999999';
		const { items, error } = await run('template', 'archive', {
			templateIds: `={{ ["${a}", "${gone}"] }}`,
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([
			{ templateId: a, result: 'archived' },
			{
				templateId: gone,
				result: 'failed',
				reason: 'Template does not exist in this WhatsApp Business Account.',
			},
		]);
		// archived again: Meta refuses that one
		const again = await run('template', 'archive', { templateIds: a });
		expect(again.items[0].json).toEqual({
			templateId: a,
			result: 'failed',
			reason: 'Template is already archived.',
		});
	});

	test('more than 100 IDs go in requests of 100', async () => {
		const ids = Array.from({ length: 205 }, (_, k) => seed(`bulk_${k}`));
		const { items, error } = await run('template', 'archive', { templateIds: ids.join('\n') });
		expect(error).toBeUndefined();
		expect(sandbox.received.map((r) => r.path)).toEqual([
			PATH('archive'),
			PATH('archive'),
			PATH('archive'),
		]);
		expect(
			[0, 1, 2].map((k) => (bodyOf(k) as { hsm_ids: string }).hsm_ids.split(',').length),
		).toEqual([100, 100, 5]);
		expect(items).toHaveLength(205);
		expect(items.every((i) => i.json.result === 'archived')).toBe(true);
	});

	test('a request failing after the first keeps the first results and says what the rest did', async () => {
		const ids = Array.from({ length: 250 }, (_, k) => seed(`late_fail_${k}`));
		const real = sandbox.templateLifecycle.archive.bind(sandbox.templateLifecycle);
		let calls = 0;
		sandbox.templateLifecycle.archive = async (...args) =>
			++calls === 2
				? {
						status: 400,
						body: {
							error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 },
						},
					}
				: await real(...args);
		try {
			const { items, error } = await run('template', 'archive', { templateIds: ids.join(',') });
			expect(error).toBeUndefined();
			expect(sandbox.received).toHaveLength(2);
			expect(items).toHaveLength(250);
			expect(items[99].json).toEqual({ templateId: ids[99], result: 'archived' });
			expect(items[100].json).toEqual({
				templateId: ids[100],
				result: 'failed',
				reason: 'WhatsApp Cloud API error 100: Invalid parameter',
			});
			expect(items[200].json).toEqual({
				templateId: ids[200],
				result: 'notSent',
				reason: 'Not sent: the request before it failed',
			});
		} finally {
			delete (sandbox.templateLifecycle as { archive?: unknown }).archive;
		}
	});

	test('a first request that fails is the error of the item', async () => {
		const a = seed('first_fail');
		sandbox.templateLifecycle.archive = async () => ({
			status: 400,
			body: { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 } },
		});
		try {
			const { error } = await run('template', 'archive', { templateIds: a });
			expect(error?.message).toMatch(/^WhatsApp Cloud API error 100: Invalid parameter/);
		} finally {
			delete (sandbox.templateLifecycle as { archive?: unknown }).archive;
		}
	});

	test('repeats are sent once', async () => {
		const a = seed('archive_twice');
		const { items } = await run('template', 'archive', { templateIds: `${a},${a}` });
		expect(bodyOf(0)).toEqual({ hsm_ids: a });
		expect(items).toHaveLength(1);
	});

	test.each([
		[
			'only commas and spaces',
			' , ',
			/Template IDs is empty; it needs one or more template IDs \[item 0\]/,
		],
		['empty from an expression', '={{ [] }}', /Template IDs is empty/],
		[
			'a path from an expression',
			'={{ "123/../456" }}',
			/Template IDs must be a template ID \(digits only\), got "123\/..\/456"/,
		],
		['a name', 'order_confirmation', /must be a template ID \(digits only\)/],
		['an object in a list', '={{ [{ id: 1 }] }}', /its expression gave an object/],
		['a rounded number', '={{ [12345678901234567890] }}', /too large to be an exact ID/],
	])('refuses %s before any request', async (_, templateIds, message) => {
		const { error } = await run('template', 'archive', { templateIds });
		expect(error?.message).toMatch(message);
		expect(sandbox.received).toEqual([]);
	});

	test('an ID Meta leaves out of both lists is unconfirmed, not archived', async () => {
		const a = seed('archive_silent');
		sandbox.templateLifecycle.archive = async () => ({
			status: 200,
			body: { archived_templates: [], failed_templates: {} },
		});
		try {
			const { items } = await run('template', 'archive', { templateIds: a });
			expect(items[0].json).toEqual({
				templateId: a,
				result: 'unconfirmed',
				reason: "Meta's answer named this template neither archived nor failed",
			});
		} finally {
			delete (sandbox.templateLifecycle as { archive?: unknown }).archive;
		}
	});
});

describe('Template > Unarchive', () => {
	test('brings an archived template back and fails one that is not archived', async () => {
		const a = seed('unarchive_a');
		const b = seed('unarchive_b');
		await run('template', 'archive', { templateIds: a });
		sandbox.received.length = 0;
		const { items, error } = await run('template', 'unarchive', { templateIds: `${a} ${b}` });
		expect(error).toBeUndefined();
		expect(sandbox.received[0]).toMatchObject({ method: 'POST', path: PATH('unarchive') });
		expect(bodyOf(0)).toEqual({ hsm_ids: `${a},${b}` });
		expect(items.map((i) => i.json)).toEqual([
			{ templateId: a, result: 'unarchived' },
			{ templateId: b, result: 'failed', reason: 'Template is not archived.' },
		]);
		expect(sandbox.templates.get(a)!.status).toBe('APPROVED');
	});

	test('refuses an ID with a query before any request', async () => {
		const { error } = await run('template', 'unarchive', { templateIds: '={{ "1?x=1" }}' });
		expect(error?.message).toMatch(/Template IDs must be a template ID/);
		expect(sandbox.received).toEqual([]);
	});
});

describe('the status webhook of an archive', () => {
	test('Meta sends message_template_status_update with event ARCHIVED, then UNARCHIVED', async () => {
		const bodies: Array<{
			entry: Array<{
				changes: Array<{ field: string; value: { event: string; message_template_id: number } }>;
			}>;
		}> = [];
		const server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
		sandbox.webhooks.app = { url, verifyToken: 'v', fields: ['message_template_status_update'] };
		try {
			const id = seed('archive_webhook');
			await run('template', 'archive', { templateIds: id });
			await run('template', 'unarchive', { templateIds: id });
			expect(bodies.map((b) => b.entry[0].changes[0])).toEqual([
				{
					field: 'message_template_status_update',
					value: expect.objectContaining({ event: 'ARCHIVED', message_template_id: Number(id) }),
				},
				{
					field: 'message_template_status_update',
					value: expect.objectContaining({ event: 'UNARCHIVED', message_template_id: Number(id) }),
				},
			]);
		} finally {
			sandbox.webhooks.app = undefined;
			server.closeAllConnections?.();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});
