/**
 * Sending to a WhatsApp group (actions/message/groups.ts, send.ts): Recipient Type Group on Send
 * Text, Send Media and Send Template puts `recipient_type: group` and the group ID in `to`; every
 * other send, and every template a group cannot receive, is refused before anything is sent,
 * naming the field; the sandbox plays Meta's refusals of an unknown group and of a mismatched
 * recipient type.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import { runAction } from '../../../dev/harness/engine';
import type { SandboxCredentials } from '../../../dev/harness/sandbox';
import { rl } from '../../../dev/harness/templates';
import { type GraphSandbox, SANDBOX_WABA_ID } from '../../../dev/sandbox/server';
import { WhatsAppCloud } from '../../../nodes/WhatsAppCloud/WhatsAppCloud.node';
import { looksLikeGroupId } from '../../../nodes/WhatsAppCloud/actions/message/groups';
import { clearSends, useMessageSandbox } from './send';

const PHONE_NUMBER_ID = '106540352242922';
let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
let group: string;
let templates: Record<string, string>;

const { send } = useMessageSandbox(
	(started) => {
		({ sandbox, credentials } = started);
		const add = (name: string, category: string, components: IDataObject[]) =>
			sandbox.addTemplate({ name, language: 'en_US', category, components });
		templates = {
			text: add('order_update', 'UTILITY', [
				{ type: 'BODY', text: 'Your order {{1}} has shipped.', example: { body_text: [['A-1']] } },
				{ type: 'FOOTER', text: 'Lucky Shrub' },
				{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Thanks' }] },
			]),
			image: add('weekly_offer', 'MARKETING', [
				{ type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW'] } },
				{ type: 'BODY', text: 'New plants this week.' },
			]),
			auth: add('login_code', 'AUTHENTICATION', [
				{ type: 'BODY', text: '{{1}} is your verification code.' },
				{ type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
			]),
			location: add('store_pin', 'UTILITY', [
				{ type: 'HEADER', format: 'LOCATION' },
				{ type: 'BODY', text: 'Our store is here.' },
			]),
			catalog: add('shop_now', 'MARKETING', [
				{ type: 'BODY', text: 'See our catalog.' },
				{ type: 'BUTTONS', buttons: [{ type: 'CATALOG', text: 'View catalog' }] },
			]),
			carousel: add('plant_cards', 'MARKETING', [
				{ type: 'BODY', text: 'Pick a plant.' },
				{
					type: 'CAROUSEL',
					cards: [0, 1].map(() => ({
						components: [
							{ type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW'] } },
							{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'More' }] },
						],
					})),
				},
			]),
		};
	},
	(s) => {
		clearSends(s);
		s.groups.reset();
		group = s.groups.add(PHONE_NUMBER_ID, {
			subject: 'Plant lovers',
			participants: [{ wa_id: '16505551234', user_id: 'US.13491208655302741918' }],
		}).id;
	},
);

const groupHead = () => ({ messaging_product: 'whatsapp', recipient_type: 'group', to: group });
const toGroup = () => ({ recipientType: 'group', to: group });
const posts = () => sandbox.log.filter((l) => l.method === 'POST');

const sendTemplate = async (id: string, extra: INodeParameters = {}, value: IDataObject = {}) =>
	await runAction(
		{
			resource: 'message',
			operation: 'sendTemplate',
			recipientType: 'group',
			to: group,
			template: rl(id),
			templateVariables: { mappingMode: 'defineBelow', value, matchingColumns: [], schema: [] },
			...extra,
		} as INodeParameters,
		credentials,
		[{ json: {} }],
	);

/** A refusal before any request: the error names the item, and the sandbox saw no POST. */
function refusedBeforeSending(error: (Error & IDataObject) | undefined, message: RegExp) {
	expect(error?.name).toBe('NodeOperationError');
	expect(error?.message).toMatch(message);
	expect(error?.message).toMatch(/\[item 0\]$/);
	expect(posts()).toEqual([]);
	expect(sandbox.accepted).toEqual([]);
}

describe('the editor', () => {
	const properties = new WhatsAppCloud().description.properties;
	const fieldsOf = (operation: string) =>
		properties
			.filter((p) => p.displayOptions?.show?.operation?.includes(operation))
			.map((p) => p.name);

	test('Recipient Type (Individual by default) stands before To on Send Text, Send Media and Send Template only', () => {
		for (const operation of ['sendText', 'sendMedia', 'sendTemplate']) {
			const names = fieldsOf(operation);
			expect(names.indexOf('recipientType')).toBe(names.indexOf('to') - 1);
		}
		for (const operation of [
			'sendInteractive',
			'sendLocation',
			'sendContacts',
			'sendReaction',
			'markAsRead',
			SEND_AND_WAIT_OPERATION,
		])
			expect(fieldsOf(operation)).not.toContain('recipientType');
		const field = properties.find((p) => p.name === 'recipientType')!;
		expect(field.default).toBe('individual');
		expect((field.options as Array<{ value: string }>).map((o) => o.value)).toEqual([
			'group',
			'individual',
		]);
	});
});

test("a group ID is told from a phone number and a user ID: Meta's samples are group IDs, digits and BSUIDs are not", () => {
	for (const id of [
		'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD',
		'HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA',
	])
		expect(looksLikeGroupId(id)).toBe(true);
	for (const other of [
		'16505551234',
		'+16505551234',
		'120363404694233820',
		'US.13491208655302741918',
		'US.ENT.11815799212886844830',
		'Sheena',
		'Y2FwaV9ncm91cDox/../me',
	])
		expect(looksLikeGroupId(other)).toBe(false);
});

describe('the sends a group takes: exactly the JSON Meta documents', () => {
	test('Send Text: recipient_type group and the group in to; the output names the group, with no waId', async () => {
		const { error, items } = await send('sendText', { ...toGroup(), text: 'Watering day!' });
		expect(error).toBeUndefined();
		expect(sandbox.accepted.map((a) => a.body)).toEqual([
			{ ...groupHead(), type: 'text', text: { body: 'Watering day!' } },
		]);
		expect(items[0].json).toMatchObject({
			messageId: sandbox.accepted[0].id,
			to: group,
			recipientType: 'group',
			type: 'text',
		});
		expect(items[0].json).not.toHaveProperty('waId');
		expect(items[0].json).not.toHaveProperty('userId');
		expect(looksLikeGroupId(group)).toBe(true);
	});

	test("Send Text answering a trigger item: Recipient Type and To from expressions, a group's replyTo to the group and a customer's to the customer", async () => {
		const parameters = {
			recipientType: "={{ $json.groupId ? 'group' : 'individual' }}",
			to: '={{ $json.replyTo }}',
			text: 'Thanks for writing',
		};
		const { error, items } = await send('sendText', parameters, [
			{ groupId: group, replyTo: group, participantReplyTo: '16505551234' },
			{ replyTo: '16505551234' },
		]);
		expect(error).toBeUndefined();
		expect(sandbox.accepted.map((a) => [a.body.recipient_type, a.body.to])).toEqual([
			['group', group],
			['individual', '16505551234'],
		]);
		expect(items.map((i) => i.json.recipientType)).toEqual(['group', 'phone']);
	});

	test('Send Text: a reply quoting a group message and callback data keep their places', async () => {
		const { error } = await send('sendText', {
			...toGroup(),
			text: 'Yes',
			options: { replyToMessageId: 'wamid.GROUPMSG1', bizOpaqueCallbackData: 'ticket-7' },
		});
		expect(error).toBeUndefined();
		expect(sandbox.accepted[0].body).toEqual({
			...groupHead(),
			context: { message_id: 'wamid.GROUPMSG1' },
			biz_opaque_callback_data: 'ticket-7',
			type: 'text',
			text: { body: 'Yes' },
		});
	});

	test('Send Media: an image by link and a document by media ID', async () => {
		expect(
			(
				await send('sendMedia', {
					...toGroup(),
					mediaType: 'image',
					mediaSource: 'link',
					mediaLink: 'https://example.com/fern.jpg',
					caption: 'Our new fern',
				})
			).error,
		).toBeUndefined();
		expect(
			(
				await send('sendMedia', {
					...toGroup(),
					mediaType: 'document',
					mediaSource: 'id',
					mediaId: '1037543291543636',
					fileName: 'care.pdf',
				})
			).error,
		).toBeUndefined();
		expect(sandbox.accepted.map((a) => a.body)).toEqual([
			{
				...groupHead(),
				type: 'image',
				image: { link: 'https://example.com/fern.jpg', caption: 'Our new fern' },
			},
			{
				...groupHead(),
				type: 'document',
				document: { id: '1037543291543636', filename: 'care.pdf' },
			},
		]);
	});

	test('Send Template: a text template with a quick reply, and a template with an image header', async () => {
		const text = await sendTemplate(templates.text, {}, { body_1: 'A-1042' });
		expect(text.error).toBeUndefined();
		expect(text.items[0].json).toMatchObject({ to: group, recipientType: 'group' });
		const image = await sendTemplate(
			templates.image,
			{},
			{ header_media: 'https://example.com/offer.jpg' },
		);
		expect(image.error).toBeUndefined();
		expect(sandbox.accepted.map((a) => a.body)).toEqual([
			{
				...groupHead(),
				type: 'template',
				template: {
					name: 'order_update',
					language: { code: 'en_US' },
					components: [{ type: 'body', parameters: [{ type: 'text', text: 'A-1042' }] }],
				},
			},
			{
				...groupHead(),
				type: 'template',
				template: {
					name: 'weekly_offer',
					language: { code: 'en_US' },
					components: [
						{
							type: 'header',
							parameters: [{ type: 'image', image: { link: 'https://example.com/offer.jpg' } }],
						},
					],
				},
			},
		]);
	});

	test('Send Template with Send Through Automatic goes to a group through the Cloud API', async () => {
		const { error, items } = await sendTemplate(
			templates.image,
			{
				options: { sendThrough: 'automatic' },
			},
			{ header_media: 'https://example.com/offer.jpg' },
		);
		expect(error).toBeUndefined();
		expect(items[0].json.sentThrough).toBe('cloudApi');
		expect(posts().map((l) => l.path)).toEqual([`/v25.0/${PHONE_NUMBER_ID}/messages`]);
		// the account's onboarding to the Marketing Messages API is not even read
		expect(sandbox.log.map((l) => l.path)).not.toContain(`/v25.0/${SANDBOX_WABA_ID}`);
	});
});

describe('refused before sending', () => {
	test.each([
		[
			'sendInteractive',
			'Send Interactive',
			{ interactiveType: 'cta_url', body: 'See', ctaText: 'Go', ctaUrl: 'https://example.com' },
		],
		['sendLocation', 'Send Location', { latitude: 37.75, longitude: -122.42 }],
		[
			'sendContacts',
			'Send Contacts',
			{ contacts: { contact: [{ formattedName: 'Support', phone: '+1 555 0100' }] } },
		],
		['sendReaction', 'Send Reaction', { messageId: 'wamid.X', emoji: '😀' }],
	])(
		'%s to a group ID: WhatsApp does not allow %s in groups, To named',
		async (operation, name, parameters) => {
			const { error } = await send(operation, { ...parameters, to: group });
			refusedBeforeSending(
				error,
				new RegExp(`^To is a group ID, but WhatsApp does not allow ${name} in groups`),
			);
			expect(String(error?.description)).toMatch(
				/^Field: To\. WhatsApp groups take only Send Text, Send Media and Send Template/,
			);
		},
	);

	test('the same from an expression, and Recipient Type Group given to an operation without it is not read', async () => {
		const { error } = await send(
			'sendLocation',
			{ latitude: 1, longitude: 2, to: '={{ $json.replyTo }}', recipientType: 'group' },
			[{ replyTo: group }],
		);
		refusedBeforeSending(
			error,
			/^To is a group ID, but WhatsApp does not allow Send Location in groups/,
		);
	});

	test('Send and Wait for Response to a group ID', async () => {
		const { error } = await send(SEND_AND_WAIT_OPERATION, {
			to: group,
			message: 'Approve?',
			responseType: 'approval',
			approvalOptions: { values: { approvalType: 'single' } },
		});
		refusedBeforeSending(
			error,
			/^To is a group ID, but WhatsApp does not allow Send and Wait for Response in groups/,
		);
	});

	test('a group ID with Recipient Type Individual names Recipient Type', async () => {
		const { error } = await send('sendText', { to: group, text: 'Hi' });
		refusedBeforeSending(error, /^To looks like a group ID, but Recipient Type is Individual/);
		expect(String(error?.description)).toMatch(/^Field: Recipient Type\. Set it to Group/);
	});

	test.each([
		[
			'a phone number',
			'+1 650 555 1234',
			/^To is a phone number \(\+1 650 555 1234\), but Recipient Type is Group/,
		],
		[
			'a user ID',
			'US.13491208655302741918',
			/^To is a business-scoped user ID \(US\.13491208655302741918\), but Recipient Type is Group/,
		],
		['empty', '   ', /^To is empty; with Recipient Type Group it needs a group ID/],
		['a path', 'Y2FwaV9ncm91cDox/../../me', /^To must be a group ID \(letters, digits, _ and -/],
	])('Recipient Type Group with %s in To', async (_, to, message) => {
		const { error } = await send(
			'sendText',
			{ recipientType: 'group', to: '={{ $json.to }}', text: 'Hi' },
			[{ to }],
		);
		refusedBeforeSending(error, message);
	});

	test('Recipient Type from an expression that is neither group nor individual', async () => {
		const { error } = await send(
			'sendText',
			{ recipientType: '={{ $json.kind }}', to: group, text: 'Hi' },
			[{ kind: 'team' }],
		);
		refusedBeforeSending(error, /^Recipient Type is "team", which is neither Group nor Individual/);
	});

	test.each([
		[
			'auth',
			/^Template: "login_code" \(en_US\) is an authentication template, which WhatsApp does not send to a group/,
		],
		['carousel', /^Template: "plant_cards" \(en_US\) is a carousel template/],
		['catalog', /^Template: "shop_now" \(en_US\) has a catalog button/],
		['location', /^Template: "store_pin" \(en_US\) has a location header/],
	])('Send Template: a %s template', async (kind, message) => {
		const values: Record<string, IDataObject> = {
			auth: { body_1: '123456' },
			location: { header_latitude: '1', header_longitude: '2' },
		};
		const { error } = await sendTemplate(templates[kind], {}, values[kind] ?? {});
		expect(error?.message).toMatch(message);
		// the template was read to know its kind; nothing was posted
		expect(posts()).toEqual([]);
	});

	test('Send Template through the Marketing Messages API', async () => {
		const { error } = await sendTemplate(
			templates.image,
			{
				options: { sendThrough: 'marketingMessagesApi' },
			},
			{ header_media: 'https://example.com/offer.jpg' },
		);
		expect(error?.message).toMatch(
			/^Send Through is Marketing Messages API, which does not send to groups/,
		);
		expect(posts()).toEqual([]);
	});

	test('Send Text with an authentication template as Fallback Template', async () => {
		const { error } = await send('sendText', {
			...toGroup(),
			text: 'Hi',
			options: {
				fallbackTemplate: {
					template: { name: 'login_code', language: 'en_US', parameters: '123456' },
				},
			},
		});
		expect(error?.message).toMatch(
			/^Fallback Template > Template Name: "login_code" \(en_US\) is an authentication template, which WhatsApp does not send to a group/,
		);
		expect(posts()).toEqual([]);
	});
});

describe('what Meta (the sandbox) refuses', () => {
	test('an unknown group: 131041 as a NodeApiError with its hint, nothing accepted', async () => {
		sandbox.groups.reset();
		const { error } = await send('sendText', { ...toGroup(), text: 'Hi' });
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(/^WhatsApp Cloud API error 131041: Group not found/);
		// the hint of the error table, before Meta's details
		expect(String(error?.description)).toMatch(
			/^The group does not exist.*\nMeta's details: Group /s,
		);
		expect(sandbox.accepted).toEqual([]);
	});

	test("another number's group is unknown to this one", async () => {
		sandbox.groups.reset();
		group = sandbox.groups.add('206540352242922').id;
		const { error } = await send('sendText', { ...toGroup(), text: 'Hi' });
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(/^WhatsApp Cloud API error 131041/);
	});

	test('a suspended group: 131207', async () => {
		sandbox.groups.get(group)!.suspended = true;
		const { error } = await send('sendText', { ...toGroup(), text: 'Hi' });
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(/^WhatsApp Cloud API error 131207: Group suspended/);
		expect(sandbox.accepted).toEqual([]);
	});

	/** A request to the sandbox as another client would make it: the node never sends these. */
	const post = async (body: IDataObject) => {
		const response = await fetch(
			`${String(credentials.baseUrl)}/v25.0/${PHONE_NUMBER_ID}/messages`,
			{
				method: 'POST',
				headers: {
					authorization: `Bearer ${String(credentials.accessToken)}`,
					'content-type': 'application/json',
				},
				body: JSON.stringify(body),
			},
		);
		return { status: response.status, body: (await response.json()) as IDataObject };
	};

	test('a mismatched recipient_type, and kinds a group does not take, as Meta refuses them', async () => {
		const individual = await post({
			messaging_product: 'whatsapp',
			recipient_type: 'individual',
			to: group,
			type: 'text',
			text: { body: 'Hi' },
		});
		expect([individual.status, (individual.body.error as IDataObject).code]).toEqual([400, 100]);
		const phone = await post({
			messaging_product: 'whatsapp',
			recipient_type: 'group',
			to: '16505551234',
			type: 'text',
			text: { body: 'Hi' },
		});
		expect([phone.status, (phone.body.error as IDataObject).code]).toEqual([404, 131041]);
		const reaction = await post({
			messaging_product: 'whatsapp',
			recipient_type: 'group',
			to: group,
			type: 'reaction',
			reaction: { message_id: 'wamid.X', emoji: '😀' },
		});
		expect([reaction.status, (reaction.body.error as IDataObject).code]).toEqual([400, 131009]);
		const auth = await post({
			messaging_product: 'whatsapp',
			recipient_type: 'group',
			to: group,
			type: 'template',
			template: {
				name: 'login_code',
				language: { code: 'en_US' },
				components: [
					{ type: 'body', parameters: [{ type: 'text', text: '123456' }] },
					{
						type: 'button',
						sub_type: 'url',
						index: '0',
						parameters: [{ type: 'text', text: '123456' }],
					},
				],
			},
		});
		expect([auth.status, (auth.body.error as IDataObject).code]).toEqual([400, 131009]);
		expect(sandbox.accepted).toEqual([]);
		const ok = await post({
			messaging_product: 'whatsapp',
			recipient_type: 'group',
			to: group,
			type: 'text',
			text: { body: 'Hi' },
		});
		expect(ok.status).toBe(200);
		// Meta answers a group send with the group in wa_id
		expect(ok.body.contacts).toEqual([{ input: group, wa_id: group }]);
	});
});
