import { LoadOptionsContext } from 'n8n-core';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { getPhoneNumbers } from '../nodes/WhatsAppCloud/methods/listSearch';
import { actionNode, additionalDataFor, nodeTypes, runAction } from './harness/engine';
import { startSandbox } from './helpers/sandbox';
import type { GraphSandbox } from './sandbox/server';

let sandbox: GraphSandbox;
let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];

beforeAll(async () => {
	({ sandbox, credentials } = await startSandbox());
});
afterAll(async () => await sandbox.stop());
beforeEach(() => {
	sandbox.accepted.length = 0;
	sandbox.log.length = 0;
	sandbox.uploads.length = 0;
});

const TO = '+491511234567';
const send = async (
	operation: string,
	parameters: INodeParameters,
	input: IDataObject[] = [{}],
	extra = {},
) =>
	await runAction(
		{ resource: 'message', operation, to: TO, ...parameters },
		credentials,
		input.map((json) => ({ json })),
		extra,
	);

/** Sends one message and returns exactly what reached the sandbox. */
async function sentBody(operation: string, parameters: INodeParameters, input?: IDataObject[]) {
	const { error, items } = await send(operation, parameters, input);
	if (error) throw error;
	expect(sandbox.accepted).toHaveLength(1);
	expect(items[0].json.messageId).toBe(sandbox.accepted[0].id);
	return sandbox.accepted[0].body;
}

const head = { messaging_product: 'whatsapp', recipient_type: 'individual', to: TO };

describe('each operation sends exactly the documented JSON (cloud-api.md section 2)', () => {
	test('sendMedia: image by link with caption', async () => {
		expect(
			await sentBody('sendMedia', {
				mediaType: 'image',
				mediaSource: 'link',
				mediaLink: 'https://example.com/p.jpg',
				caption: 'Taj Mahal',
			}),
		).toEqual({
			...head,
			type: 'image',
			image: { link: 'https://example.com/p.jpg', caption: 'Taj Mahal' },
		});
	});

	test('sendMedia: document by media ID with file name and caption', async () => {
		expect(
			await sentBody('sendMedia', {
				mediaType: 'document',
				mediaSource: 'id',
				mediaId: '1037543291543636',
				fileName: 'invoice.pdf',
				caption: 'Your invoice',
			}),
		).toEqual({
			...head,
			type: 'document',
			document: { id: '1037543291543636', caption: 'Your invoice', filename: 'invoice.pdf' },
		});
	});

	test('sendMedia: audio voice note, sticker, video', async () => {
		expect(
			await sentBody('sendMedia', {
				mediaType: 'audio',
				mediaSource: 'id',
				mediaId: '55',
				voice: true,
			}),
		).toEqual({ ...head, type: 'audio', audio: { id: '55', voice: true } });
		sandbox.accepted.length = 0;
		expect(
			await sentBody('sendMedia', {
				mediaType: 'sticker',
				mediaSource: 'link',
				mediaLink: 'https://example.com/s.webp',
			}),
		).toEqual({ ...head, type: 'sticker', sticker: { link: 'https://example.com/s.webp' } });
		sandbox.accepted.length = 0;
		expect(
			await sentBody('sendMedia', { mediaType: 'video', mediaSource: 'id', mediaId: '77' }),
		).toEqual({ ...head, type: 'video', video: { id: '77' } });
	});

	test('sendMedia from a binary property: multipart upload first, then sent by the new ID', async () => {
		const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');
		const { items, error } = await runAction(
			{
				resource: 'message',
				operation: 'sendMedia',
				to: TO,
				mediaType: 'document',
				mediaSource: 'binary',
				binaryPropertyName: 'invoice',
				caption: 'Invoice 1042',
			},
			credentials,
			[
				{
					json: {},
					binary: {
						invoice: {
							data: pdf.toString('base64'),
							mimeType: 'application/pdf',
							fileName: 'invoice-1042.pdf',
						},
					},
				},
			],
		);
		expect(error).toBeUndefined();
		expect(sandbox.log.map((l) => `${l.method} ${l.path}`)).toEqual([
			'POST /v25.0/106540352242922/media',
			'POST /v25.0/106540352242922/messages',
		]);
		expect(sandbox.uploads).toEqual([
			{
				id: expect.any(String),
				mimeType: 'application/pdf',
				filename: 'invoice-1042.pdf',
				size: pdf.length,
			},
		]);
		const id = sandbox.uploads[0].id;
		expect(sandbox.media.get(id)!.bytes.equals(pdf)).toBe(true);
		expect(sandbox.accepted[0].body).toEqual({
			...head,
			type: 'document',
			document: { id, caption: 'Invoice 1042', filename: 'invoice-1042.pdf' },
		});
		expect(items[0].json.uploadedMediaId).toBe(id);
	});

	test('sendInteractive: reply buttons with an image header and a footer', async () => {
		expect(
			await sentBody('sendInteractive', {
				interactiveType: 'button',
				headerType: 'image',
				headerMedia: 'https://example.com/h.jpg',
				body: 'Hi Pablo! Your gardening workshop is scheduled for 9am tomorrow. Use the buttons if you need to reschedule.',
				footer: 'Lucky Shrub',
				replyButtons: {
					button: [
						{ id: 'change-button', title: 'Change' },
						{ id: 'cancel-button', title: 'Cancel' },
					],
				},
			}),
		).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'button',
				header: { type: 'image', image: { link: 'https://example.com/h.jpg' } },
				body: {
					text: 'Hi Pablo! Your gardening workshop is scheduled for 9am tomorrow. Use the buttons if you need to reschedule.',
				},
				footer: { text: 'Lucky Shrub' },
				action: {
					buttons: [
						{ type: 'reply', reply: { id: 'change-button', title: 'Change' } },
						{ type: 'reply', reply: { id: 'cancel-button', title: 'Cancel' } },
					],
				},
			},
		});
	});

	test('sendInteractive: list with two sections grouped from rows', async () => {
		expect(
			await sentBody('sendInteractive', {
				interactiveType: 'list',
				headerType: 'text',
				headerText: 'Choose Shipping Option',
				body: 'Which shipping option do you prefer?',
				footer: 'Lucky Shrub',
				listButton: 'Shipping Options',
				listRows: {
					row: [
						{
							section: 'I want it ASAP!',
							id: 'priority_express',
							title: 'Priority Mail Express',
							description: 'Next Day to 2 Days',
						},
						{
							section: 'I can wait a bit',
							id: 'usps_ground_advantage',
							title: 'USPS Ground Advantage',
							description: '2 to 5 Days',
						},
						{
							section: 'I want it ASAP!',
							id: 'priority_mail',
							title: 'Priority Mail',
							description: '1-3 Days',
						},
					],
				},
			}),
		).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'list',
				header: { type: 'text', text: 'Choose Shipping Option' },
				body: { text: 'Which shipping option do you prefer?' },
				footer: { text: 'Lucky Shrub' },
				action: {
					button: 'Shipping Options',
					sections: [
						{
							title: 'I want it ASAP!',
							rows: [
								{
									id: 'priority_express',
									title: 'Priority Mail Express',
									description: 'Next Day to 2 Days',
								},
								{ id: 'priority_mail', title: 'Priority Mail', description: '1-3 Days' },
							],
						},
						{
							title: 'I can wait a bit',
							rows: [
								{
									id: 'usps_ground_advantage',
									title: 'USPS Ground Advantage',
									description: '2 to 5 Days',
								},
							],
						},
					],
				},
			},
		});
	});

	test('sendInteractive: call-to-action URL and location request', async () => {
		expect(
			await sentBody('sendInteractive', {
				interactiveType: 'cta_url',
				body: 'Tap the button below to see available dates.',
				ctaText: 'See Dates',
				ctaUrl:
					'https://www.luckyshrub.com?clickID=kqDGWd24Q5TRwoEQTICY7W1JKoXvaZOXWAS7h1P76s0R7Paec4',
			}),
		).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'cta_url',
				body: { text: 'Tap the button below to see available dates.' },
				action: {
					name: 'cta_url',
					parameters: {
						display_text: 'See Dates',
						url: 'https://www.luckyshrub.com?clickID=kqDGWd24Q5TRwoEQTICY7W1JKoXvaZOXWAS7h1P76s0R7Paec4',
					},
				},
			},
		});
		sandbox.accepted.length = 0;
		expect(
			await sentBody('sendInteractive', {
				interactiveType: 'location_request_message',
				body: "Let's start with your pickup. You can either manually *enter an address* or *share your current location*.",
			}),
		).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'location_request_message',
				body: {
					text: "Let's start with your pickup. You can either manually *enter an address* or *share your current location*.",
				},
				action: { name: 'send_location' },
			},
		});
	});

	test('sendLocation', async () => {
		expect(
			await sentBody('sendLocation', {
				latitude: 37.758056,
				longitude: -122.425332,
				locationName: 'META HQ',
				address: '1 Hacker Way, Menlo Park, CA 94025',
			}),
		).toEqual({
			...head,
			type: 'location',
			// Meta's reference types a sent location's coordinates as strings
			location: {
				latitude: '37.758056',
				longitude: '-122.425332',
				name: 'META HQ',
				address: '1 Hacker Way, Menlo Park, CA 94025',
			},
		});
	});

	test('sendContacts: two full cards', async () => {
		const body = await sentBody('sendContacts', {
			contacts: {
				contact: [
					{
						formattedName: 'John Smith',
						firstName: 'John',
						lastName: 'Smith',
						phone: '+1 (650) 555-1234',
						phoneType: 'WORK',
						waId: '16505551234',
						email: 'test@fb.com',
						emailType: 'WORK',
						company: 'WhatsApp',
						department: 'Design',
						title: 'Manager',
						url: 'https://www.facebook.com',
						birthday: '2012-08-18',
						street: '1 Hacker Way',
						city: 'Menlo Park',
						state: 'CA',
						zip: '94025',
						country: 'United States',
						countryCode: 'us',
					},
					{ formattedName: 'Lucky Shrub Support', phone: '+1 555 0100' },
				],
			},
		});
		expect(body).toEqual({
			...head,
			type: 'contacts',
			contacts: [
				{
					name: { formatted_name: 'John Smith', first_name: 'John', last_name: 'Smith' },
					phones: [{ phone: '+1 (650) 555-1234', type: 'WORK', wa_id: '16505551234' }],
					emails: [{ email: 'test@fb.com', type: 'WORK' }],
					org: { company: 'WhatsApp', department: 'Design', title: 'Manager' },
					urls: [{ url: 'https://www.facebook.com', type: 'WORK' }],
					birthday: '2012-08-18',
					addresses: [
						{
							street: '1 Hacker Way',
							city: 'Menlo Park',
							state: 'CA',
							zip: '94025',
							country: 'United States',
							country_code: 'us',
							type: 'WORK',
						},
					],
				},
				{
					name: { formatted_name: 'Lucky Shrub Support' },
					phones: [{ phone: '+1 555 0100', type: 'CELL' }],
				},
			],
		});
	});

	test('sendReaction: set and remove', async () => {
		expect(
			await sentBody('sendReaction', {
				messageId: 'wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
				emoji: '😀',
			}),
		).toEqual({
			...head,
			type: 'reaction',
			reaction: {
				message_id: 'wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
				emoji: '😀',
			},
		});
		sandbox.accepted.length = 0;
		expect(
			await sentBody('sendReaction', { messageId: 'wamid.X', reactionAction: 'remove' }),
		).toEqual({ ...head, type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '' } });
	});

	test('markAsRead with the typing indicator', async () => {
		const { items, error } = await runAction(
			{
				resource: 'message',
				operation: 'markAsRead',
				messageId: 'wamid.IN1',
				typingIndicator: true,
			},
			credentials,
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			success: true,
			messageId: 'wamid.IN1',
			typingIndicator: true,
			senderPhoneNumberId: '106540352242922',
		});
		expect(sandbox.log.map((l) => `${l.method} ${l.path}`)).toEqual([
			'POST /v25.0/106540352242922/messages',
		]);
	});

	test('reply context and callback data go on every kind', async () => {
		const body = await sentBody('sendLocation', {
			latitude: 1,
			longitude: 2,
			options: { replyToMessageId: 'wamid.Q', bizOpaqueCallbackData: 'ticket-9' },
		});
		expect(body).toMatchObject({
			context: { message_id: 'wamid.Q' },
			biz_opaque_callback_data: 'ticket-9',
		});
	});
});

describe("Meta's limits: one value just inside, one just outside; outside fails before any request, naming item and field", () => {
	const x = (n: number) => 'x'.repeat(n);
	const buttons = (n: number, title = (i: number) => `B${i}`) => ({
		button: Array.from({ length: n }, (_, i) => ({ id: `id${i}`, title: title(i) })),
	});
	const rows = (n: number) => ({
		row: Array.from({ length: n }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` })),
	});
	const btn = (p: INodeParameters) => ({
		interactiveType: 'button',
		body: 'Pick one',
		replyButtons: buttons(2),
		...p,
	});
	const list = (p: INodeParameters) => ({
		interactiveType: 'list',
		body: 'Pick one',
		listButton: 'Options',
		listRows: rows(2),
		...p,
	});
	const cta = (p: INodeParameters) => ({
		interactiveType: 'cta_url',
		body: 'Open',
		ctaText: 'Open',
		ctaUrl: 'https://e.com',
		...p,
	});

	type Case = [string, string, (ok: boolean) => INodeParameters, RegExp];
	const cases: Case[] = [
		[
			'text 4,096',
			'sendText',
			(ok) => ({ text: x(ok ? 4096 : 4097) }),
			/^Text is too long: 4,097 characters/,
		],
		[
			'caption 1,024',
			'sendMedia',
			(ok) => ({
				mediaType: 'image',
				mediaSource: 'id',
				mediaId: '1',
				caption: x(ok ? 1024 : 1025),
			}),
			/^Caption is too long: 1,025/,
		],
		[
			'button body 1,024',
			'sendInteractive',
			(ok) => btn({ body: x(ok ? 1024 : 1025) }),
			/^Body is too long: 1,025/,
		],
		[
			'button title 20',
			'sendInteractive',
			(ok) => btn({ replyButtons: buttons(2, (i) => (i ? x(ok ? 20 : 21) : 'A')) }),
			/^Button 2 > Title is too long: 21/,
		],
		[
			'button id 256',
			'sendInteractive',
			(ok) => btn({ replyButtons: { button: [{ id: x(ok ? 256 : 257), title: 'A' }] } }),
			/^Button 1 > ID is too long: 257/,
		],
		[
			'at most 3 buttons',
			'sendInteractive',
			(ok) => btn({ replyButtons: buttons(ok ? 3 : 4) }),
			/^Buttons has 4 entries \(WhatsApp allows at most 3\)/,
		],
		[
			'at least 1 button',
			'sendInteractive',
			(ok) => btn({ replyButtons: buttons(ok ? 1 : 0) }),
			/^Buttons needs at least 1 entries/,
		],
		[
			'unique button titles',
			'sendInteractive',
			(ok) => btn({ replyButtons: buttons(2, (i) => (ok ? `T${i}` : 'Same')) }),
			/^Button 2 repeats "Same"/,
		],
		[
			'header text 60',
			'sendInteractive',
			(ok) => btn({ headerType: 'text', headerText: x(ok ? 60 : 61) }),
			/^Header Text is too long: 61/,
		],
		[
			'footer 60',
			'sendInteractive',
			(ok) => btn({ footer: x(ok ? 60 : 61) }),
			/^Footer is too long: 61/,
		],
		[
			'list body 4,096',
			'sendInteractive',
			(ok) => list({ body: x(ok ? 4096 : 4097) }),
			/^Body is too long: 4,097/,
		],
		[
			'list button label 20',
			'sendInteractive',
			(ok) => list({ listButton: x(ok ? 20 : 21) }),
			/^Menu Button Label is too long: 21/,
		],
		[
			'at most 10 rows in all',
			'sendInteractive',
			(ok) => list({ listRows: rows(ok ? 10 : 11) }),
			/^Rows have 11 rows in all/,
		],
		[
			'row title 24',
			'sendInteractive',
			(ok) => list({ listRows: { row: [{ id: 'a', title: x(ok ? 24 : 25) }] } }),
			/^Section 1 > Row > Title is too long: 25|^Section 1\.1 > Row > Title is too long: 25/,
		],
		[
			'row description 72',
			'sendInteractive',
			(ok) => list({ listRows: { row: [{ id: 'a', title: 'A', description: x(ok ? 72 : 73) }] } }),
			/Row > Description is too long: 73/,
		],
		[
			'row id 200',
			'sendInteractive',
			(ok) => list({ listRows: { row: [{ id: x(ok ? 200 : 201), title: 'A' }] } }),
			/Row > ID is too long: 201/,
		],
		[
			'section title 24',
			'sendInteractive',
			(ok) =>
				list({
					listRows: {
						row: [
							{ section: x(ok ? 24 : 25), id: 'a', title: 'A' },
							{ section: 'B', id: 'b', title: 'B' },
						],
					},
				}),
			/^Section 1 > Title is too long: 25/,
		],
		[
			'section titles when more than one section',
			'sendInteractive',
			(ok) =>
				list({
					listRows: {
						row: [
							{ section: ok ? 'A' : '', id: 'a', title: 'A' },
							{ section: 'B', id: 'b', title: 'B' },
						],
					},
				}),
			/^Section 1 > Title is needed when the list has more than one section/,
		],
		[
			'list header is text only',
			'sendInteractive',
			(ok) =>
				list(
					ok
						? { headerType: 'text', headerText: 'Hi' }
						: { headerType: 'image', headerMedia: 'https://e.com/a.jpg' },
				),
			/^Header must be text: lists cannot have/,
		],
		[
			'cta display text 20',
			'sendInteractive',
			(ok) => cta({ ctaText: x(ok ? 20 : 21) }),
			/^Button Text is too long: 21/,
		],
		[
			'cta url is a link',
			'sendInteractive',
			(ok) => cta({ ctaUrl: ok ? 'https://e.com/x' : 'e.com/x' }),
			/^URL is not a valid URL/,
		],
		[
			'location request body 1,024',
			'sendInteractive',
			(ok) => ({ interactiveType: 'location_request_message', body: x(ok ? 1024 : 1025) }),
			/^Body is too long: 1,025/,
		],
		[
			'latitude -90..90',
			'sendLocation',
			(ok) => ({ latitude: ok ? 90 : 90.5, longitude: 0 }),
			/^Latitude is 90.5; it must be a number from -90 to 90/,
		],
		[
			'longitude -180..180',
			'sendLocation',
			(ok) => ({ latitude: 0, longitude: ok ? -180 : -180.5 }),
			/^Longitude is -180.5; it must be a number from -180 to 180/,
		],
		[
			'contact needs a full name',
			'sendContacts',
			(ok) => ({ contacts: { contact: [{ formattedName: ok ? 'A' : '', phone: '1' }] } }),
			/^Contact 1 > Full Name is empty/,
		],
		[
			'contact birthday format',
			'sendContacts',
			(ok) => ({
				contacts: { contact: [{ formattedName: 'A', birthday: ok ? '2012-08-18' : '18/08/2012' }] },
			}),
			/^Contact 1 > Birthday must be a date as YYYY-MM-DD/,
		],
		[
			'one emoji per reaction',
			'sendReaction',
			(ok) => ({ messageId: 'wamid.X', emoji: ok ? '👍🏽' : '👍👍' }),
			/^Emoji must be exactly one emoji/,
		],
		[
			'callback data 512',
			'sendText',
			(ok) => ({ text: 'a', options: { bizOpaqueCallbackData: x(ok ? 512 : 513) } }),
			/^Callback Data is too long: 513/,
		],
		[
			'media link is https',
			'sendMedia',
			(ok) => ({
				mediaType: 'image',
				mediaSource: 'link',
				mediaLink: ok ? 'https://e.com/a.jpg' : 'http://e.com/a.jpg',
			}),
			/^Link must be an https:\/\/ link/,
		],
	];

	test.each(cases)('%s', async (_name, operation, params, message) => {
		const inside = await send(operation, params(true));
		expect(inside.error).toBeUndefined();
		expect(sandbox.accepted).toHaveLength(1);
		sandbox.log.length = 0;
		const outside = await send(operation, params(false), [{}, {}], {});
		expect(outside.error?.name).toBe('NodeOperationError');
		expect(outside.error?.message).toMatch(message);
		expect(outside.error?.message).toMatch(/\[item 0\]$/);
		expect(sandbox.log).toHaveLength(0);
	});

	test('binary media: wrong type and oversize fail before any request', async () => {
		const bin = (mimeType: string, bytes: number) => ({
			json: {},
			binary: { data: { data: Buffer.alloc(bytes).toString('base64'), mimeType, fileName: 'f' } },
		});
		const params = {
			resource: 'message',
			operation: 'sendMedia',
			to: TO,
			mediaType: 'image',
			mediaSource: 'binary',
			binaryPropertyName: 'data',
		};
		const ok = await runAction(params, credentials, [bin('image/png', 5 * 1024 * 1024)]);
		expect(ok.error).toBeUndefined();
		sandbox.log.length = 0;
		const big = await runAction(params, credentials, [bin('image/png', 5 * 1024 * 1024 + 1)]);
		expect(big.error?.message).toMatch(
			/^Input Binary Field "data": the file is 5\.0 MB; WhatsApp allows at most 5 MB for image \[item 0\]/,
		);
		const gif = await runAction(params, credentials, [bin('image/gif', 10)]);
		expect(gif.error?.message).toBe(
			'Input Binary Field "data": WhatsApp does not accept "image/gif" as image [item 0]',
		);
		expect(sandbox.log).toHaveLength(0);
	});
});

describe('24-hour window', () => {
	test('131047 says so in plain words; with a fallback template the template is sent and the output says so', async () => {
		sandbox.closedWindows.add('491511234567');
		sandbox.addTemplate({
			name: 'follow_up',
			language: 'en_US',
			category: 'UTILITY',
			components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{order_id}} is waiting for you.' }],
		});
		try {
			const plain = await send('sendText', { text: 'Are you still there?' }, [{}], {
				onError: 'continueRegularOutput',
			});
			expect(plain.items[0].json.error).toMatch(/131047/);
			expect(String((plain.items[0].json.errorDetails as IDataObject).description)).toMatch(
				/More than 24 hours have passed since the customer last wrote/,
			);

			const { items, error } = await send('sendText', {
				text: 'Are you still there?',
				options: {
					fallbackTemplate: {
						template: {
							name: 'follow_up',
							language: 'en_US',
							parameters: 'Sheena\norder_id=A-1042',
						},
					},
				},
			});
			expect(error).toBeUndefined();
			expect(sandbox.accepted).toHaveLength(1);
			expect(sandbox.accepted[0].body).toEqual({
				...head,
				type: 'template',
				template: {
					name: 'follow_up',
					language: { code: 'en_US' },
					components: [
						{
							type: 'body',
							parameters: [
								{ type: 'text', text: 'Sheena' },
								{ type: 'text', text: 'A-1042', parameter_name: 'order_id' },
							],
						},
					],
				},
			});
			expect(items[0].json).toMatchObject({
				type: 'template',
				messageStatus: 'accepted',
				fallback: { used: true, refusedType: 'text', template: 'follow_up' },
			});
		} finally {
			sandbox.closedWindows.clear();
		}
	});

	test('inside the window the fallback is not used', async () => {
		const { items } = await send('sendText', {
			text: 'hi',
			options: { fallbackTemplate: { template: { name: 'follow_up', language: 'en_US' } } },
		});
		expect(items[0].json.fallback).toBeUndefined();
		expect(sandbox.accepted[0].body.type).toBe('text');
	});

	test('a bad fallback template name fails before any request', async () => {
		const { error } = await send('sendText', {
			text: 'hi',
			options: { fallbackTemplate: { template: { name: 'Follow Up!', language: 'en_US' } } },
		});
		expect(error?.message).toMatch(
			/^Fallback Template > Template Name must be the template's name/,
		);
		expect(sandbox.log).toHaveLength(0);
	});
});

describe('sender phone number', () => {
	test('the list comes from the account, paged with Meta cursors and filtered by the typed text', async () => {
		const numbers = Array.from({ length: 150 }, (_, i) => ({
			id: String(300000 + i),
			display_phone_number: `1555000${String(i).padStart(4, '0')}`,
			verified_name: i === 42 ? 'Support Line' : `Store ${i}`,
			quality_rating: 'GREEN',
			wabaId: String(credentials.businessAccountId),
		}));
		sandbox.options.phoneNumbers.push(...numbers);
		try {
			const node = actionNode({ resource: 'message', operation: 'sendText' });
			const workflow = new Workflow({
				nodes: [node],
				connections: {},
				active: false,
				nodeTypes: new (await import('./harness/engine')).TestNodeTypes(nodeTypes()),
			});
			const ctx = new LoadOptionsContext(
				workflow,
				node,
				additionalDataFor(credentials),
				'parameters.sender',
			);
			const first = await getPhoneNumbers.call(ctx);
			expect(first.results).toHaveLength(100);
			expect(first.results[0]).toEqual({
				name: '+15550783881 Lucky Shrub (quality GREEN)',
				value: '106540352242922',
			});
			expect(first.paginationToken).toBeDefined();
			const second = await getPhoneNumbers.call(ctx, undefined, first.paginationToken);
			expect(second.results).toHaveLength(51);
			expect(second.paginationToken).toBeUndefined();
			const support = await getPhoneNumbers.call(ctx, 'support');
			expect(support.results).toEqual([
				{ name: '+15550000042 Support Line (quality GREEN)', value: '300042' },
			]);
		} finally {
			sandbox.options.phoneNumbers.splice(1);
		}
	});
});
