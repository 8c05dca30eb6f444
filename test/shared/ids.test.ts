/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * Every ID that goes into a Graph path or query is checked when the node runs, whatever the editor
 * let through: n8n runs a locator's "digits only" rule in the editor only, and never on an
 * expression. An ID from item data (or the credential) with `/`, `?`, `#`, `..`, `,`, a space or
 * letters would address another Graph object or endpoint; it is a field-named error before any
 * request, and an ID of digits still works.
 */
import { readFileSync } from 'fs';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import path from 'path';

import { countryCode, phoneDigits } from '../../nodes/shared/ids';
import { getBusinessAccounts, getPhoneNumbers } from '../../nodes/shared/listSearch';
import {
	getCatalogs,
	searchFlows,
	searchTemplates,
} from '../../nodes/WhatsAppCloud/methods/listSearch';
import { getTemplateVariables } from '../../nodes/WhatsAppCloud/methods/resourceMapping';
import { actionLoadOptions, runAction } from '../../dev/harness/engine';
import { JPEG } from '../../dev/harness/files';
import { type SandboxCredentials, useSandbox } from '../../dev/harness/sandbox';
import { addTestTemplates, rl } from '../../dev/harness/templates';
import { WebhookServer } from '../../dev/harness/webhook-server';
import { SEED_FLOWS } from '../../dev/sandbox/flows';
import {
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_WABA_ID,
	type GraphSandbox,
} from '../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
let ids: ReturnType<typeof addTestTemplates>;
useSandbox(
	(started) => {
		({ sandbox, credentials } = started);
		ids = addTestTemplates(sandbox);
	},
	() => sandbox.reset(),
);

/** IDs that each turn a Graph call into another one: another path, a query, a fragment, a list. */
const HOSTILE = [
	'123/subscribed_apps',
	'123?fields=id,name',
	'123#x',
	'../102290129340398',
	'106540352242922/..',
	'123,456',
	'1 23',
	'abc',
];

const quoted = (value: string) => JSON.stringify(value);

/** Runs the action node over items whose `id` an expression in `parameters` reads. */
const run = async (
	resource: string,
	operation: string,
	parameters: INodeParameters,
	input: IDataObject[] = [{}],
	creds: SandboxCredentials = credentials,
) =>
	await runAction(
		{ resource, operation, ...parameters },
		creds,
		input.map((json) => ({ json })),
	);

/** The error must name the field and the item, say nothing was sent, and no request left. */
function expectRefused(
	result: Awaited<ReturnType<typeof run>>,
	message: string,
	description = /Nothing was sent/,
) {
	expect(result.error?.name).toBe('NodeOperationError');
	expect(result.error?.message).toBe(message);
	expect(String(result.error?.description)).toMatch(description);
	expect(sandbox.log).toHaveLength(0);
}

/** Send Text's parameters, with the sender from the locator, or the credential's when none. */
const sendText = (sender?: string): INodeParameters => ({
	...(sender === undefined ? {} : { sender: rl(sender) }),
	to: '+16505551234',
	text: 'hi',
});

describe('message: the sender phone number', () => {
	test.each(HOSTILE)('Send Text with sender %j from item data: refused, no request', async (id) => {
		const result = await run('message', 'sendText', sendText('={{ $json.id }}'), [{ id }]);
		expectRefused(
			result,
			`Sender Phone Number must be a phone number ID (digits only), got ${quoted(id)} [item 0]`,
		);
	});

	test('a bad sender in item 1 stops the batch before item 0 is sent', async () => {
		const result = await run('message', 'sendText', sendText('={{ $json.id }}'), [
			{ id: SANDBOX_PHONE_NUMBER_ID },
			{ id: '106540352242922/subscribed_apps' },
		]);
		expectRefused(
			result,
			'Sender Phone Number must be a phone number ID (digits only), got "106540352242922/subscribed_apps" [item 1]',
		);
	});

	test('an ID that came through JSON as a number too large to be exact is refused', async () => {
		// 2^53 + 1: JSON.parse has already turned it into another number, 9007199254740992
		const input = JSON.parse('[{"id": 9007199254740993}]') as IDataObject[];
		const result = await run('message', 'sendText', sendText('={{ $json.id }}'), input);
		expectRefused(
			result,
			'Sender Phone Number is the number 9007199254740992, too large to be an exact ID: give the phone number ID as text [item 0]',
		);
	});

	test('Mark as Read and the credential phone number ID are checked the same way', async () => {
		const read = await run(
			'message',
			'markAsRead',
			{ sender: rl('={{ $json.id }}'), messageId: 'wamid.X' },
			[{ id: '123?x=' }],
		);
		expectRefused(
			read,
			'Sender Phone Number must be a phone number ID (digits only), got "123?x=" [item 0]',
		);
		const fromCredential = await run('message', 'sendText', sendText(), [{}], {
			...credentials,
			phoneNumberId: '106540352242922/subscribed_apps',
		});
		expectRefused(
			fromCredential,
			'Credential > Phone Number ID must be a phone number ID (digits only), got "106540352242922/subscribed_apps" [item 0]',
		);
	});

	test('a sender of digits from item data still sends, numbers included', async () => {
		const result = await run('message', 'sendText', sendText('={{ $json.id }}'), [
			{ id: SANDBOX_PHONE_NUMBER_ID },
			{ id: Number(SANDBOX_PHONE_NUMBER_ID) },
			{ id: ` ${SANDBOX_PHONE_NUMBER_ID} ` },
		]);
		expect(result.error).toBeUndefined();
		expect(sandbox.log.map((l) => `${l.method} ${l.path}`)).toEqual(
			Array(3).fill(`POST /v25.0/${SANDBOX_PHONE_NUMBER_ID}/messages`),
		);
	});
});

describe('message: Send Template', () => {
	test('a bad template ID is refused before the template is read', async () => {
		const result = await run(
			'message',
			'sendTemplate',
			{ template: rl('={{ $json.id }}'), to: '+16505551234' },
			[{ id: `${ids.receipt}?fields=id` }],
		);
		expectRefused(
			result,
			`Template must be a template ID (digits only), got ${quoted(`${ids.receipt}?fields=id`)} [item 0]`,
		);
	});

	test('a bad sender is refused before the template is read; digits send', async () => {
		const plain = sandbox.addTemplate({
			name: 'ids_plain_notice',
			language: 'en_US',
			category: 'UTILITY',
			components: [{ type: 'BODY', text: 'Your order has shipped.' }],
		});
		const params = { template: rl(plain), sender: rl('={{ $json.id }}'), to: '+16505551234' };
		const sent = await run('message', 'sendTemplate', params, [{ id: SANDBOX_PHONE_NUMBER_ID }]);
		expect(sent.error).toBeUndefined();
		expect(sandbox.accepted).toHaveLength(1);
		sandbox.reset();
		const result = await run('message', 'sendTemplate', params, [{ id: '106540352242922/..' }]);
		expectRefused(
			result,
			'Sender Phone Number must be a phone number ID (digits only), got "106540352242922/.." [item 0]',
		);
	});
});

describe('template: Get, Update, Delete, Get Many', () => {
	test.each(HOSTILE)('Get with template ID %j from item data: refused, no request', async (id) => {
		const result = await run('template', 'get', { template: rl('={{ $json.id }}') }, [{ id }]);
		expectRefused(
			result,
			`Template must be a template ID (digits only), got ${quoted(id)} [item 0]`,
		);
	});

	test('Get and Update check every item before the first request', async () => {
		for (const [operation, extra] of [
			['get', {}],
			['update', { updateFields: { category: 'MARKETING' } }],
		] as const) {
			sandbox.log.length = 0;
			const result = await run(
				'template',
				operation,
				{ template: rl('={{ $json.id }}'), ...extra },
				[{ id: ids.receipt }, { id: `${ids.receipt}/..` }],
			);
			expectRefused(
				result,
				`Template must be a template ID (digits only), got ${quoted(`${ids.receipt}/..`)} [item 1]`,
			);
		}
	});

	test('Delete checks the template ID that goes into the query', async () => {
		const result = await run(
			'template',
			'delete',
			{ templateName: 'payment_receipt', templateId: '={{ $json.id }}' },
			[{ id: `${ids.receipt}&name=order_shipped` }],
		);
		expectRefused(
			result,
			`Template ID must be a template ID (digits only), got ${quoted(`${ids.receipt}&name=order_shipped`)} [item 0]`,
		);
	});

	test("the credential's WhatsApp Business Account ID is checked", async () => {
		const result = await run('template', 'getAll', {}, [{}], {
			...credentials,
			businessAccountId: '102290129340398/phone_numbers',
		});
		expectRefused(
			result,
			'Credential > WhatsApp Business Account ID must be a WhatsApp Business Account ID (digits only), got "102290129340398/phone_numbers" [item 0]',
		);
	});

	test('a template ID of digits from item data still works', async () => {
		const result = await run('template', 'get', { template: rl('={{ $json.id }}') }, [
			{ id: ids.receipt },
		]);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: ids.receipt, name: 'payment_receipt' });
	});
});

describe('media: Get, Download, Delete', () => {
	test.each(HOSTILE)('Get with media ID %j from item data: refused, no request', async (id) => {
		const result = await run('media', 'get', { mediaId: '={{ $json.id }}' }, [{ id }]);
		expectRefused(result, `Media ID must be a media ID (digits only), got ${quoted(id)} [item 0]`);
	});

	test('Download and Delete: the same check', async () => {
		for (const operation of ['download', 'delete']) {
			const result = await run('media', operation, { mediaId: '={{ $json.id }}' }, [
				{ id: '1037543291543636/..' },
			]);
			expectRefused(
				result,
				'Media ID must be a media ID (digits only), got "1037543291543636/.." [item 0]',
			);
		}
	});

	test('a media ID too large for a number is refused, not rounded to another media', async () => {
		const input = JSON.parse('[{"id": 10375432915436361234}]') as IDataObject[];
		const result = await run('media', 'get', { mediaId: '={{ $json.id }}' }, input);
		expectRefused(
			result,
			'Media ID is the number 10375432915436362000, too large to be an exact ID: give the media ID as text [item 0]',
		);
	});

	test('a media ID of digits from item data still works', async () => {
		const id = sandbox.addMedia(Buffer.from('%PDF-1.4\n%%EOF\n'), 'application/pdf');
		const result = await run('media', 'get', { mediaId: '={{ $json.id }}' }, [{ id }]);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id, mimeType: 'application/pdf' });
	});
});

describe('flow: Get, Publish, Deprecate, Delete, Update', () => {
	test.each(HOSTILE)('Get with Flow ID %j from item data: refused, no request', async (id) => {
		const result = await run('flow', 'get', { flow: rl('={{ $json.id }}') }, [{ id }]);
		expectRefused(result, `Flow must be a Flow ID (digits only), got ${quoted(id)} [item 0]`);
	});

	test('every Flow operation with an ID checks it the same way, numbers included', async () => {
		const input = JSON.parse('[{"id": 11977150055131011234}]') as IDataObject[];
		for (const operation of ['get', 'publish', 'deprecate', 'delete', 'update']) {
			const result = await run('flow', operation, { flow: rl('={{ $json.id }}') }, input);
			expectRefused(
				result,
				'Flow is the number 11977150055131011000, too large to be an exact ID: give the Flow ID as text [item 0]',
			);
		}
	});

	test('a Flow ID of digits from item data still works', async () => {
		const result = await run('flow', 'get', { flow: rl('={{ $json.id }}') }, [
			{ id: SEED_FLOWS.invalidDraft },
		]);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: SEED_FLOWS.invalidDraft });
	});
});

describe('phone number and business profile', () => {
	test.each([
		['phoneNumber', 'get', {}],
		['phoneNumber', 'register', { pin: '246813' }],
		['phoneNumber', 'deregister', {}],
		['phoneNumber', 'setTwoStepPin', { pin: '246813' }],
		['phoneNumber', 'requestCode', { codeMethod: 'SMS', language: 'en_US' }],
		['phoneNumber', 'verifyCode', { code: '123456' }],
		['businessProfile', 'get', {}],
		['businessProfile', 'update', { updateFields: { about: 'Open 9-5' } }],
	] as const)(
		'%s > %s with a phone number ID from item data: refused, no request',
		async (resource, operation, extra) => {
			for (const id of HOSTILE) {
				sandbox.log.length = 0;
				const result = await run(resource, operation, { sender: rl('={{ $json.id }}'), ...extra }, [
					{ id },
				]);
				expectRefused(
					result,
					`Phone Number must be a phone number ID (digits only), got ${quoted(id)} [item 0]`,
				);
			}
		},
	);

	test("Phone Number > Get Many checks the credential's account", async () => {
		const result = await run('phoneNumber', 'getAll', {}, [{}], {
			...credentials,
			businessAccountId: '102290129340398?fields=id',
		});
		expectRefused(
			result,
			'Credential > WhatsApp Business Account ID must be a WhatsApp Business Account ID (digits only), got "102290129340398?fields=id" [item 0]',
		);
	});

	test("a profile picture upload checks the credential's App ID", async () => {
		const result = await runAction(
			{
				resource: 'businessProfile',
				operation: 'update',
				updateFields: { profilePicture: 'logo' },
			},
			{ ...credentials, appId: '1234567890123456/subscriptions' },
			[
				{
					json: {},
					binary: {
						logo: { data: JPEG.toString('base64'), mimeType: 'image/jpeg', fileName: 'logo.jpg' },
					},
				},
			],
		);
		expectRefused(
			result,
			'Credential > App ID must be an App ID (digits only), got "1234567890123456/subscriptions" [item 0]',
		);
	});

	test('a phone number ID of digits from item data still works', async () => {
		const got = await run('businessProfile', 'get', { sender: rl('={{ $json.id }}') }, [
			{ id: SANDBOX_PHONE_NUMBER_ID },
		]);
		expect(got.error).toBeUndefined();
		expect(got.items[0].json).toMatchObject({ phoneNumberId: SANDBOX_PHONE_NUMBER_ID });
	});
});

describe("the editor's lists and Template Variables", () => {
	const hostileAccount = () => ({
		...credentials,
		businessAccountId: '102290129340398/subscribed_apps',
	});
	const refusedAccount =
		'Credential > WhatsApp Business Account ID must be a WhatsApp Business Account ID (digits only), got "102290129340398/subscribed_apps"';

	test.each([
		['searchTemplates', searchTemplates, 'parameters.template'],
		['searchFlows', searchFlows, 'parameters.flow'],
		['getCatalogs', getCatalogs, 'parameters.catalogId'],
		['getPhoneNumbers', getPhoneNumbers, 'parameters.sender'],
		['getBusinessAccounts', getBusinessAccounts, 'parameters.businessAccountId'],
	] as const)(
		'%s with a bad credential account: refused, no request',
		async (_name, method, at) => {
			const ctx = actionLoadOptions(
				{ resource: 'message', operation: 'sendText' },
				hostileAccount(),
				at,
			);
			await expect(method.call(ctx)).rejects.toThrow(refusedAccount);
			expect(sandbox.log).toHaveLength(0);
		},
	);

	test('Template Variables with a bad template ID: refused, no request', async () => {
		const ctx = actionLoadOptions(
			{ resource: 'message', operation: 'sendTemplate', template: rl(`${ids.receipt}/..`) },
			credentials,
			'parameters.templateVariables',
		);
		await expect(getTemplateVariables.call(ctx)).rejects.toThrow(
			`Template must be a template ID (digits only), got ${quoted(`${ids.receipt}/..`)}`,
		);
		expect(sandbox.log).toHaveLength(0);
	});

	test('with IDs of digits the lists still load', async () => {
		const ctx = actionLoadOptions(
			{ resource: 'message', operation: 'sendText' },
			credentials,
			'parameters.sender',
		);
		expect((await getPhoneNumbers.call(ctx)).results[0].value).toBe(SANDBOX_PHONE_NUMBER_ID);
		expect((await getBusinessAccounts.call(ctx)).results[0].value).toBe(SANDBOX_WABA_ID);
	});
});

describe('trigger: registration and media download', () => {
	let server: WebhookServer;
	beforeAll(async () => {
		server = await new WebhookServer().start();
	});
	afterAll(async () => await server.stop());

	const trigger = (parameters: INodeParameters, creds: SandboxCredentials = credentials) =>
		server.trigger(
			{ updates: ['*'], verifyToken: 'vt-123', registration: 'manual', ...parameters },
			creds,
		);

	test.each(HOSTILE)(
		'account registration with account ID %j from an expression: refused, no request',
		async (id) => {
			const t = trigger({
				registration: 'businessAccount',
				businessAccountId: rl(`={{ ${quoted(id)} }}`),
			});
			await expect(t.activate()).rejects.toThrow(
				`WhatsApp Business Account must be a WhatsApp Business Account ID (digits only), got ${quoted(id)}`,
			);
			expect(sandbox.log).toHaveLength(0);
		},
	);

	test('phone number registration with a bad phone number ID: refused, no request', async () => {
		const t = trigger({
			registration: 'phoneNumber',
			phoneNumberId: rl('={{ "106540352242922?fields=id" }}'),
		});
		await expect(t.activate()).rejects.toThrow(
			'Phone Number must be a phone number ID (digits only), got "106540352242922?fields=id"',
		);
		expect(sandbox.log).toHaveLength(0);
	});

	test("the credential's account, phone number and app IDs are checked too", async () => {
		const account = trigger(
			{ registration: 'businessAccount' },
			{
				...credentials,
				businessAccountId: '102290129340398/..',
			},
		);
		await expect(account.activate()).rejects.toThrow(
			'Credential > WhatsApp Business Account ID must be a WhatsApp Business Account ID (digits only), got "102290129340398/.."',
		);
		const phone = trigger(
			{ registration: 'phoneNumber' },
			{
				...credentials,
				phoneNumberId: '106540352242922/..',
			},
		);
		await expect(phone.activate()).rejects.toThrow(
			'Credential > Phone Number ID must be a phone number ID (digits only), got "106540352242922/.."',
		);
		const app = trigger({ registration: 'app' }, { ...credentials, appId: '1234567890123456/x' });
		await expect(app.activate()).rejects.toThrow(
			'Credential > App ID must be an App ID (digits only), got "1234567890123456/x"',
		);
		expect(sandbox.log).toHaveLength(0);
	});

	test('testing an account registration never reads a bad credential phone number ID', async () => {
		const t = trigger(
			{ registration: 'businessAccount' },
			{
				...credentials,
				phoneNumberId: '123?fields=id',
			},
		);
		await t.startListening();
		await t.stopListening();
		expect(sandbox.log.length).toBeGreaterThan(0);
		expect(
			sandbox.log.filter((l) => !l.path.endsWith(`/${SANDBOX_WABA_ID}/subscribed_apps`)),
		).toEqual([]);
	});

	const imageMessage = (mediaId: string, phoneNumberId = SANDBOX_PHONE_NUMBER_ID) => {
		const payload = JSON.parse(
			readFileSync(
				path.join(__dirname, '../fixtures/webhooks/msg_image__meta_openapi.json'),
				'utf8',
			),
		) as Parameters<GraphSandbox['deliver']>[0];
		const value = payload.entry[0].changes[0].value as {
			metadata: { phone_number_id: string };
			messages: Array<{ id: string; image: { id: string } }>;
		};
		value.metadata.phone_number_id = phoneNumberId;
		value.messages[0].id = `wamid.IDS-${mediaId}-${phoneNumberId}`;
		value.messages[0].image.id = mediaId;
		return payload;
	};

	test('a media ID or phone number ID in an event that is not digits is never downloaded', async () => {
		const t = trigger({ options: { downloadMedia: true } });
		await t.activate();
		for (const [mediaId, phoneNumberId, error] of [
			[
				'../106540352242922',
				SANDBOX_PHONE_NUMBER_ID,
				'Media ID must be a media ID (digits only), got "../106540352242922"',
			],
			[
				'1003383421387256',
				'106540352242922&fields=id',
				'Phone Number ID must be a phone number ID (digits only), got "106540352242922&fields=id"',
			],
		]) {
			expect(
				(await sandbox.deliver(imageMessage(mediaId, phoneNumberId), { to: t.url })).status,
			).toBe(200);
			await new Promise((r) => setTimeout(r, 50));
			expect(t.items.at(-1)?.json.mediaError).toBe(error);
		}
		expect(t.items).toHaveLength(2);
		expect(sandbox.log).toHaveLength(0);
		await t.deactivate();
	});

	test('an event whose IDs are digits still has its media downloaded', async () => {
		const id = sandbox.addMedia(Buffer.from([0xff, 0xd8, 0xff, 0xd9]), 'image/jpeg');
		const t = trigger({ options: { downloadMedia: true } });
		await t.activate();
		await sandbox.deliver(imageMessage(id), { to: t.url });
		await new Promise((r) => setTimeout(r, 50));
		expect(t.items[0].json.mediaError).toBeUndefined();
		expect(t.items[0].binary?.data).toMatchObject({ mimeType: 'image/jpeg' });
		await t.deactivate();
	});
});

describe('the values of analytics filters, which go into a field expression', () => {
	const node = {
		id: '1',
		name: 'WhatsApp Cloud API',
		type: 't',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	} as Parameters<typeof phoneDigits>[0];

	test('a phone number keeps its digits, without +, spaces, dashes or brackets', () => {
		expect(phoneDigits(node, '+1 (650) 555-0111', 'Filters > Phone Numbers', 0)).toBe(
			'16505550111',
		);
		expect(phoneDigits(node, 4915112345678, 'Filters > Phone Numbers', 0)).toBe('4915112345678');
	});

	test.each([...HOSTILE, '123', '"1650555011"', '1650555011;', ''])(
		'a phone number %j is refused naming the field and the item',
		(value) => {
			expect(() => phoneDigits(node, value, 'Filters > Phone Numbers', 3)).toThrow(
				/^Filters > Phone Numbers has .*, which is not a phone number \[item 3\]$/,
			);
		},
	);

	test('a country code is two letters, upper-cased', () => {
		expect(countryCode(node, ' in ', 'Filters > Country Codes', 0)).toBe('IN');
	});

	test.each(['USA', 'U', 'U1', 'US)', '"US"', 'U S', ''])(
		'a country code %j is refused naming the field and the item',
		(value) => {
			expect(() => countryCode(node, value, 'Filters > Country Codes', 1)).toThrow(
				/^Filters > Country Codes has .*, which is not a two-letter country code \[item 1\]$/,
			);
		},
	);
});

describe('group: every operation that takes a Group ID', () => {
	const operations = [
		'get',
		'update',
		'delete',
		'getInviteLink',
		'resetInviteLink',
		'getJoinRequests',
		'approveJoinRequests',
		'rejectJoinRequests',
		'removeParticipants',
	];

	test.each(operations)(
		'%s refuses a hostile Group ID from item data before any request',
		async (operation) => {
			for (const id of [
				'Y2FwaV9ncm91cD/invite_link',
				'Y2FwaV9ncm91cD?fields=x',
				'../Y2FwaV9ncm91cD',
				'Y2Fw aV9n',
			]) {
				sandbox.log.length = 0;
				const result = await run(
					'group',
					operation,
					{
						groupId: '={{ $json.id }}',
						updateFields: { subject: 'x' },
						joinRequestIds: 'R1',
						participants: '+16505551234',
					},
					[{ id }],
				);
				expectRefused(
					result,
					`Group ID must be a group ID (letters and digits), got ${quoted(id)} [item 0]`,
				);
			}
		},
	);

	test('a Group ID of letters and digits reaches Meta (here: an unknown group)', async () => {
		const result = await run('group', 'get', { groupId: '={{ $json.id }}' }, [
			{ id: 'Y2FwaV9ncm91cDoxNTU1MDc4Mzg4MToxMjAzNjMwMDAwMDAwMDAwMDAZD' },
		]);
		expect(result.error?.name).toBe('NodeApiError');
		expect(sandbox.log).toHaveLength(1);
	});
});
