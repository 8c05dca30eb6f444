/**
 * Send Interactive > Voice Call and Call Permission Request (actions/message/interactive/voiceCall.ts,
 * callPermissionRequest.ts): the exact JSON of our reference for the Calling API, every limit just
 * inside and just outside (outside fails before any request, naming the item and the field, from
 * expressions too), and the sandbox refusing what Meta refuses.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { GraphSandbox } from '../../../../dev/sandbox/server';
import { LIMIT } from '../../../../nodes/WhatsAppCloud/helpers/limits';
import { normalize, parseWebhookBody } from '../../../../nodes/WhatsAppCloudTrigger/webhook';
import { sendInteractive } from '../../../../nodes/WhatsAppCloud/actions/message/sendInteractive.operation';
import { clearSends, head, TO, useMessageSandbox } from '../send';
import { postInteractive } from './post';

let sandbox: GraphSandbox;
// the permission requests of one test do not count against the next (Meta allows 1 a day)
const { send, sentBody, insideAndOutside } = useMessageSandbox(
	(started) => (sandbox = started.sandbox),
	(started) => {
		clearSends(started);
		started.callPermissions.reset();
	},
);

const x = (n: number) => 'x'.repeat(n);
const call = (p: INodeParameters = {}): INodeParameters => ({
	interactiveType: 'voice_call',
	body: 'You can call us on WhatsApp now for faster service!',
	...p,
});
const permission = (p: INodeParameters = {}): INodeParameters => ({
	interactiveType: 'call_permission_request',
	...p,
});

describe('Voice Call sends exactly the JSON Meta documents', () => {
	test('display text, time to live and payload', async () => {
		expect(
			await sentBody(
				'sendInteractive',
				call({ callDisplayText: 'Call on WhatsApp', callValidFor: 100, callPayload: 'order-4711' }),
			),
		).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'voice_call',
				body: { text: 'You can call us on WhatsApp now for faster service!' },
				action: {
					name: 'voice_call',
					parameters: { display_text: 'Call on WhatsApp', ttl_minutes: 100, payload: 'order-4711' },
				},
			},
		});
	});

	test("the fields' defaults: Call Now for 7 days, no payload", async () => {
		const validFor = sendInteractive.description.find((p) => p.name === 'callValidFor');
		expect(validFor?.default).toBe(LIMIT.callTtlDefault);
		expect((await sentBody('sendInteractive', call())).interactive).toEqual({
			type: 'voice_call',
			body: { text: 'You can call us on WhatsApp now for faster service!' },
			action: { name: 'voice_call', parameters: { display_text: 'Call Now', ttl_minutes: 10080 } },
		});
	});

	test("emptied fields are left to WhatsApp's defaults; minutes from an expression as text become a number", async () => {
		expect(
			(await sentBody('sendInteractive', call({ callDisplayText: '', callValidFor: '' })))
				.interactive,
		).toEqual({
			type: 'voice_call',
			body: { text: 'You can call us on WhatsApp now for faster service!' },
			action: { name: 'voice_call' },
		});
		sandbox.accepted.length = 0;
		expect(
			(await sentBody('sendInteractive', call({ callValidFor: '={{ "1440" }}' }))).interactive,
		).toMatchObject({ action: { parameters: { ttl_minutes: 1440 } } });
	});
});

describe('a voice call button to a WhatsApp too old for it: Meta takes it, its failed status says 131026', () => {
	test('the trigger sees a failed status with the error', async () => {
		sandbox.oldClients.add(TO.replace(/\D/g, ''));
		const { items, error } = await send('sendInteractive', call());
		expect(error).toBeUndefined();
		// a callback that keeps what Meta posts and answers 200, as the trigger does
		const posted: Buffer[] = [];
		const callback = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				posted.push(Buffer.concat(chunks));
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
		try {
			const url = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/`;
			await sandbox.deliverStatus(String(items[0].json.messageId), 'failed', url);
			const parsed = parseWebhookBody(posted[0]);
			if (!parsed.ok) throw new Error(parsed.reason);
			const [status] = normalize(parsed.body).map((e) => e.simplified as IDataObject);
			expect(status).toMatchObject({ event: 'status', status: 'failed' });
			expect(status.errors).toEqual([expect.objectContaining({ code: 131026 })]);
		} finally {
			callback.close();
			sandbox.oldClients.clear();
		}
	});
});

describe('Call Permission Request sends exactly the JSON Meta documents', () => {
	test('with a body, and without one', async () => {
		const text = 'We would like to call you to help support your query on Order No: ON-12853.';
		expect(await sentBody('sendInteractive', permission({ body: text }))).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'call_permission_request',
				action: { name: 'call_permission_request' },
				body: { text },
			},
		});
		sandbox.accepted.length = 0;
		sandbox.callPermissions.reset();
		expect((await sentBody('sendInteractive', permission())).interactive).toEqual({
			type: 'call_permission_request',
			action: { name: 'call_permission_request' },
		});
	});

	test("a second request to the same customer within a day is Meta's 138009, with its hint", async () => {
		expect((await send('sendInteractive', permission())).error).toBeUndefined();
		const { error } = await send('sendInteractive', permission());
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(/138009|limit/i);
		expect(JSON.stringify(error)).toMatch(/1 in 24 hours and 2 in 7 days/);
		expect(sandbox.accepted).toHaveLength(1);
	});

	test('a header or footer left in the parameters by another kind is not sent', async () => {
		expect(
			(
				await sentBody(
					'sendInteractive',
					permission({ headerType: 'text', headerText: 'Hi', footer: 'Lucky Shrub' }),
				)
			).interactive,
		).toEqual({ type: 'call_permission_request', action: { name: 'call_permission_request' } });
	});
});

describe("the calling kinds' limits: one value just inside, one just outside; outside fails before any request, naming item and field", () => {
	type Case = [string, (ok: boolean) => INodeParameters, RegExp];
	const cases: Case[] = [
		[
			'voice call: body 1,024',
			(ok) => call({ body: x(ok ? 1024 : 1025) }),
			/^Body is too long: 1,025 characters \(WhatsApp allows at most 1,024\)/,
		],
		[
			'voice call: body from an expression that gives nothing',
			(ok) => call({ body: ok ? '={{ "a" }}' : '={{ "" }}' }),
			/^Body is empty; it needs a value/,
		],
		[
			'voice call: display text 20',
			(ok) => call({ callDisplayText: x(ok ? 20 : 21) }),
			/^Display Text is too long: 21 characters \(WhatsApp allows at most 20\)/,
		],
		[
			'voice call: display text 20 from an expression',
			(ok) => call({ callDisplayText: `={{ "${x(ok ? 20 : 21)}" }}` }),
			/^Display Text is too long: 21 characters/,
		],
		[
			'voice call: valid for at most 43,200 minutes (from an expression)',
			(ok) => call({ callValidFor: `={{ ${ok ? 43200 : 43201} }}` }),
			/^Valid For \(Minutes\) must be a whole number of minutes from 1 to 43,200, not 43201 /,
		],
		[
			'voice call: valid for at least 1 minute (from an expression)',
			(ok) => call({ callValidFor: `={{ ${ok ? 1 : 0} }}` }),
			/^Valid For \(Minutes\) must be a whole number of minutes from 1 to 43,200, not 0 /,
		],
		[
			'voice call: valid for whole minutes',
			(ok) => call({ callValidFor: `={{ ${ok ? 2 : 2.5} }}` }),
			/^Valid For \(Minutes\) must be a whole number of minutes from 1 to 43,200, not 2.5 /,
		],
		[
			'voice call: valid for a number, not words',
			(ok) => call({ callValidFor: `={{ "${ok ? '60' : 'a week'}" }}` }),
			/^Valid For \(Minutes\) must be a whole number of minutes from 1 to 43,200, not "a week" /,
		],
		[
			'voice call: payload 512',
			(ok) => call({ callPayload: `={{ "${x(ok ? 512 : 513)}" }}` }),
			/^Payload is too long: 513 characters \(WhatsApp allows at most 512\)/,
		],
		[
			'voice call: payload an object from an expression',
			(ok) => call({ callPayload: ok ? '={{ "order-1" }}' : '={{ { id: 1 } }}' }),
			/^Payload must be text, but its expression gave an object/,
		],
		[
			'call permission request: body 1,024',
			(ok) => permission({ body: `={{ "${x(ok ? 1024 : 1025)}" }}` }),
			/^Body is too long: 1,025 characters \(WhatsApp allows at most 1,024\)/,
		],
	];

	test.each(cases)('%s', async (_name, params, message) => {
		await insideAndOutside('sendInteractive', params, message);
	});

	test('a voice call without a body: n8n itself refuses to run the node; nothing is sent', async () => {
		await expect(send('sendInteractive', call({ body: '' }))).rejects.toThrow(
			'node has issues:\n- Parameter "Body" is required.',
		);
		expect(sandbox.log).toHaveLength(0);
	});
});

describe('the sandbox refuses the calling messages Meta refuses', () => {
	const post = (interactive: IDataObject) => postInteractive(sandbox, interactive);
	const body = { text: 'Call us' };

	test.each<[string, number, IDataObject, RegExp]>([
		[
			'a voice call with a header',
			100,
			{
				type: 'voice_call',
				header: { type: 'text', text: 'h' },
				body,
				action: { name: 'voice_call' },
			},
			/header is not supported in a voice_call message/,
		],
		[
			'a voice call without a body',
			131008,
			{ type: 'voice_call', action: { name: 'voice_call' } },
			/body is required for voice_call/,
		],
		[
			'a voice call valid for 0 minutes',
			131009,
			{ type: 'voice_call', body, action: { name: 'voice_call', parameters: { ttl_minutes: 0 } } },
			/ttl_minutes must be a whole number from 1 to 43200/,
		],
		[
			'a voice call valid for 43,201 minutes',
			131009,
			{
				type: 'voice_call',
				body,
				action: { name: 'voice_call', parameters: { ttl_minutes: 43201 } },
			},
			/ttl_minutes must be a whole number from 1 to 43200/,
		],
		[
			'a voice call with a 21-character display text (the OpenAPI check)',
			100,
			{
				type: 'voice_call',
				body,
				action: { name: 'voice_call', parameters: { display_text: x(21) } },
			},
			/display_text/,
		],
		[
			'a voice call with a parameter Meta does not know (the OpenAPI check)',
			100,
			{ type: 'voice_call', body, action: { name: 'voice_call', parameters: { phone: '1' } } },
			/phone: is not allowed here/,
		],
		[
			'a voice call with a 513-character payload',
			100,
			{
				type: 'voice_call',
				body,
				action: { name: 'voice_call', parameters: { payload: x(513) } },
			},
			/payload/,
		],
		[
			'a call permission request with a footer',
			100,
			{
				type: 'call_permission_request',
				footer: { text: 'f' },
				action: { name: 'call_permission_request' },
			},
			/footer is not supported in a call_permission_request message/,
		],
	])('%s: code %d', async (_name, code, interactive, details) => {
		const { status, error } = await post(JSON.parse(JSON.stringify(interactive)) as IDataObject);
		expect(status).toBe(400);
		expect(error).toMatchObject({ code, type: 'OAuthException' });
		expect((error?.error_data as IDataObject).details).toMatch(details);
		expect(sandbox.accepted).toHaveLength(0);
	});
});
