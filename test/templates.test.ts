import { LoadOptionsContext } from 'n8n-core';
import type { IDataObject, INodeParameters, ResourceMapperField } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { searchTemplates } from '../nodes/WhatsAppCloud/methods/listSearch';
import { getTemplateVariables } from '../nodes/WhatsAppCloud/methods/resourceMapping';
import {
	actionNode,
	additionalDataFor,
	nodeTypes,
	runAction,
	TestNodeTypes,
} from './harness/engine';
import { startSandbox } from './helpers/sandbox';
import type { GraphSandbox } from './sandbox/server';

let sandbox: GraphSandbox;
let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];
const ids: Record<string, string> = {};

beforeAll(async () => {
	({ sandbox, credentials } = await startSandbox());
	credentials.appId = '1234567890123456';
	// Odoo's invoice example, with a document header
	ids.receipt = sandbox.addTemplate({
		name: 'payment_receipt',
		language: 'en_US',
		category: 'UTILITY',
		components: [
			{ type: 'HEADER', format: 'DOCUMENT', example: { header_handle: ['4::aW...'] } },
			{
				type: 'BODY',
				text: 'Dear {{1}}, here is your invoice {{2}} from {{3}} for a total of {{4}}{{5}}. To review your invoice or pay online: {{6}}',
				example: {
					body_text: [
						[
							'Pablo',
							'INV/2025/0042',
							'Lucky Shrub',
							'$',
							'120.00',
							'https://luckyshrub.com/my/invoices/42',
						],
					],
				},
			},
		],
	});
	ids.location = sandbox.addTemplate({
		name: 'pickup_point',
		language: 'en_US',
		category: 'UTILITY',
		components: [
			{ type: 'HEADER', format: 'LOCATION' },
			{
				type: 'BODY',
				text: 'Your parcel {{1}} is ready for pickup here.',
				example: { body_text: [['P-77']] },
			},
		],
	});
	ids.buttons = sandbox.addTemplate({
		name: 'order_shipped',
		language: 'de',
		category: 'MARKETING',
		components: [
			{
				type: 'BODY',
				text: 'Hallo {{1}}, deine Bestellung ist unterwegs.',
				example: { body_text: [['Jonas']] },
			},
			{
				type: 'BUTTONS',
				buttons: [
					{
						type: 'URL',
						text: 'Sendung verfolgen',
						url: 'https://luckyshrub.com/track/{{1}}',
						example: ['A 1042'],
					},
					{ type: 'COPY_CODE', example: 'SAVE25' },
					{ type: 'QUICK_REPLY', text: 'Stop' },
				],
			},
		],
	});
	ids.pending = sandbox.addTemplate({
		name: 'address_update',
		language: 'en_US',
		category: 'UTILITY',
		status: 'PENDING',
		components: [{ type: 'BODY', text: 'Please confirm your address.' }],
	});
});
afterAll(async () => await sandbox.stop());
beforeEach(() => {
	sandbox.accepted.length = 0;
	sandbox.log.length = 0;
});

const rl = (value: string, mode = 'id') => ({ __rl: true, mode, value });

async function fieldsFor(templateId: string): Promise<ResourceMapperField[]> {
	const node = actionNode({
		resource: 'message',
		operation: 'sendTemplate',
		template: rl(templateId),
	});
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes(nodeTypes()),
	});
	const ctx = new LoadOptionsContext(
		workflow,
		node,
		additionalDataFor(credentials),
		'parameters.templateVariables',
	);
	return (await getTemplateVariables.call(ctx)).fields;
}

const summary = (fields: ResourceMapperField[]) =>
	fields.map((f) => [f.id, f.displayName, f.required]);

describe('Template Variables: fields come from the template itself', () => {
	test('positional, with a text header (Meta example coupon_expiration_reminder_number_vars)', async () => {
		expect(summary(await fieldsFor('1304694804498707'))).toEqual([
			['header_1', 'Header {{1}} (e.g. Pablo)', true],
			['body_1', 'Body {{1}} (e.g. SUMMER20)', true],
			['body_2', 'Body {{2}} (e.g. 10)', true],
			['button_1', 'Button "Unsubscribe": reply payload (optional)', false],
		]);
	});

	test('named, with an image header (Meta example reservation_confirmation)', async () => {
		expect(summary(await fieldsFor('1387372356726668'))).toEqual([
			[
				'header_media',
				'Header image: https link, media ID, or binary:<field> to upload a file',
				true,
			],
			['body_number_of_guests', 'Body {{number_of_guests}} (e.g. 4)', true],
			['body_day', 'Body {{day}} (e.g. Saturday)', true],
			['body_date', 'Body {{date}} (e.g. August 30th, 2025)', true],
			['body_time', 'Body {{time}} (e.g. 7:30 pm)', true],
			['button_2', 'Button "Cancel reservation": reply payload (optional)', false],
		]);
	});

	test('location header, dynamic URL and copy-code buttons', async () => {
		expect(summary(await fieldsFor(ids.location)).map((f) => f[0])).toEqual([
			'header_latitude',
			'header_longitude',
			'header_name',
			'header_address',
			'body_1',
		]);
		expect(summary(await fieldsFor(ids.buttons))).toEqual([
			['body_1', 'Body {{1}} (e.g. Jonas)', true],
			[
				'button_0',
				'Button "Sendung verfolgen": end of the link https://luckyshrub.com/track/{{1}} (e.g. A 1042)',
				true,
			],
			['button_1', 'Button "Copy code": coupon code (e.g. SAVE25)', true],
			['button_2', 'Button "Stop": reply payload (optional)', false],
		]);
	});

	test('the template picker lists name, language, status and category, searchable and paged', async () => {
		const node = actionNode({ resource: 'message', operation: 'sendTemplate' });
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: new TestNodeTypes(nodeTypes()),
		});
		const ctx = new LoadOptionsContext(
			workflow,
			node,
			additionalDataFor(credentials),
			'parameters.template',
		);
		const all = await searchTemplates.call(ctx);
		expect(all.results).toEqual(
			expect.arrayContaining([
				{
					name: 'reservation_confirmation · en_US · approved · utility',
					value: '1387372356726668',
				},
				{ name: 'address_update · en_US · pending, cannot be sent · utility', value: ids.pending },
			]),
		);
		expect((await searchTemplates.call(ctx, 'receipt')).results.map((r) => r.value)).toEqual([
			ids.receipt,
		]);
	});
});

const send = async (
	template: string | IDataObject,
	value: IDataObject,
	input: IDataObject[] = [{}],
	extra = {},
) =>
	await runAction(
		{
			resource: 'message',
			operation: 'sendTemplate',
			to: '={{ $json.phone || "+16505551234" }}',
			template: typeof template === 'string' ? rl(template) : template,
			templateVariables: { mappingMode: 'defineBelow', value, matchingColumns: [], schema: [] },
		} as INodeParameters,
		credentials,
		input.map((json) => ({ json })),
		extra,
	);

describe('Send Template builds exactly the components of cloud-api.md 2.8', () => {
	test('positional with a text header and a quick-reply payload; the language comes from the template', async () => {
		const { error, items } = await send('1304694804498707', {
			header_1: 'Pablo',
			body_1: 'SUMMER20',
			body_2: '10',
			button_1: 'UNSUB',
		});
		expect(error).toBeUndefined();
		expect(sandbox.accepted[0].body.template).toEqual({
			name: 'coupon_expiration_reminder_number_vars',
			language: { code: 'en' },
			components: [
				{ type: 'header', parameters: [{ type: 'text', text: 'Pablo' }] },
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: 'SUMMER20' },
						{ type: 'text', text: '10' },
					],
				},
				{
					type: 'button',
					sub_type: 'quick_reply',
					index: '1',
					parameters: [{ type: 'payload', payload: 'UNSUB' }],
				},
			],
		});
		expect(items[0].json).toMatchObject({
			messageStatus: 'accepted',
			type: 'template',
			template: { id: '1304694804498707', name: 'coupon_expiration_reminder_number_vars' },
		});
	});

	test('named parameters carry parameter_name; an image header by link', async () => {
		await send('1387372356726668', {
			header_media: 'https://luckyshrub.com/table.jpg',
			body_number_of_guests: '4',
			body_day: 'Saturday',
			body_date: 'August 30th, 2025',
			body_time: '7:30 pm',
		});
		expect(sandbox.accepted[0].body.template).toEqual({
			name: 'reservation_confirmation',
			language: { code: 'en_US' },
			components: [
				{
					type: 'header',
					parameters: [{ type: 'image', image: { link: 'https://luckyshrub.com/table.jpg' } }],
				},
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: '4', parameter_name: 'number_of_guests' },
						{ type: 'text', text: 'Saturday', parameter_name: 'day' },
						{ type: 'text', text: 'August 30th, 2025', parameter_name: 'date' },
						{ type: 'text', text: '7:30 pm', parameter_name: 'time' },
					],
				},
			],
		});
	});

	test('location header; URL suffix percent-encoded; copy code; no payload means no quick-reply component', async () => {
		await send(ids.location, {
			header_latitude: '37.44',
			header_longitude: '-122.16',
			header_name: 'Philz Coffee',
			header_address: '101 Forest Ave, Palo Alto, CA 94301',
			body_1: 'P-77',
		});
		expect((sandbox.accepted[0].body.template as IDataObject).components).toEqual([
			{
				type: 'header',
				parameters: [
					{
						type: 'location',
						location: {
							latitude: '37.44',
							longitude: '-122.16',
							name: 'Philz Coffee',
							address: '101 Forest Ave, Palo Alto, CA 94301',
						},
					},
				],
			},
			{ type: 'body', parameters: [{ type: 'text', text: 'P-77' }] },
		]);
		sandbox.accepted.length = 0;
		await send(
			{ __rl: true, mode: 'name', value: 'order_shipped:de' },
			{ body_1: 'Jonas', button_0: 'A 1042|ç', button_1: 'SAVE25' },
		);
		expect(sandbox.accepted[0].body.template).toEqual({
			name: 'order_shipped',
			language: { code: 'de' },
			components: [
				{ type: 'body', parameters: [{ type: 'text', text: 'Jonas' }] },
				{
					type: 'button',
					sub_type: 'url',
					index: '0',
					parameters: [{ type: 'text', text: 'A%201042%7C%C3%A7' }],
				},
				{
					type: 'button',
					sub_type: 'copy_code',
					index: '1',
					parameters: [{ type: 'coupon_code', coupon_code: 'SAVE25' }],
				},
			],
		});
	});

	test('a receipt: the PDF of each item is uploaded as the document header, six variables mapped from 3 items; the item missing one fails alone, before any request for it', async () => {
		const pdf = (n: number) => ({
			data: Buffer.from(`%PDF-1.4 invoice ${n}\n%%EOF\n`).toString('base64'),
			mimeType: 'application/pdf',
			fileName: `INV-${n}.pdf`,
		});
		const orders = [
			{
				phone: '+4915111111111',
				customer: 'Ana',
				invoice: 'INV/1',
				company: 'Lucky Shrub',
				currency: '€',
				total: '19.90',
				url: 'https://luckyshrub.com/i/1',
			},
			{
				phone: '+4915122222222',
				customer: 'Ben',
				invoice: 'INV/2',
				company: 'Lucky Shrub',
				currency: '€',
				total: '',
				url: 'https://luckyshrub.com/i/2',
			},
			{
				phone: '+4915133333333',
				customer: 'Cem',
				invoice: 'INV/3',
				company: 'Lucky Shrub',
				currency: '€',
				total: '7.00',
				url: 'https://luckyshrub.com/i/3',
			},
		];
		const { items, error } = await runAction(
			{
				resource: 'message',
				operation: 'sendTemplate',
				to: '={{ $json.phone }}',
				template: rl(ids.receipt),
				templateVariables: {
					mappingMode: 'defineBelow',
					value: {
						header_media: 'binary:invoice',
						body_1: '={{ $json.customer }}',
						body_2: '={{ $json.invoice }}',
						body_3: '={{ $json.company }}',
						body_4: '={{ $json.currency }}',
						body_5: '={{ $json.total }}',
						body_6: '={{ $json.url }}',
					},
					matchingColumns: [],
					schema: [],
				},
			},
			credentials,
			orders.map((json, n) => ({ json, binary: { invoice: pdf(n + 1) } })),
			{ onError: 'continueRegularOutput' },
		);
		expect(error).toBeUndefined();
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[1].json.error).toMatch(
			/^Template variable "Body \{\{5\}\} \(e\.g\. 120\.00\)" is empty; the template needs a value \[item 1\]$/,
		);
		// Ben got nothing: no upload, no message
		expect(sandbox.uploads.map((u) => u.filename)).toEqual(['INV-1.pdf', 'INV-3.pdf']);
		expect(sandbox.accepted.map((m) => m.body.to)).toEqual(['+4915111111111', '+4915133333333']);
		const first = sandbox.accepted[0].body.template as { components: IDataObject[] };
		expect(first.components).toEqual([
			{
				type: 'header',
				parameters: [
					{ type: 'document', document: { id: sandbox.uploads[0].id, filename: 'INV-1.pdf' } },
				],
			},
			{
				type: 'body',
				parameters: ['Ana', 'INV/1', 'Lucky Shrub', '€', '19.90', 'https://luckyshrub.com/i/1'].map(
					(text) => ({ type: 'text', text }),
				),
			},
		]);
		// one definition read for the three items
		expect(sandbox.log.filter((l) => l.path === `/v25.0/${ids.receipt}`)).toHaveLength(1);
	});

	test('limits and template checks fail before any request, naming the variable', async () => {
		const coupon = await send(ids.buttons, {
			body_1: 'J',
			button_0: 'x',
			button_1: 'C'.repeat(16),
		});
		expect(coupon.error?.message).toBe(
			'Template variable "Button "Copy code": coupon code (e.g. SAVE25)" is too long: 16 characters (a coupon code may have at most 15) [item 0]',
		);
		const header = await send('1304694804498707', {
			header_1: 'h'.repeat(61),
			body_1: 'a',
			body_2: 'b',
		});
		expect(header.error?.message).toMatch(
			/^Template variable "Header \{\{1\}\} \(e\.g\. Pablo\)" is too long: 61 characters/,
		);
		const stray = await send('1304694804498707', {
			header_1: 'h',
			body_1: 'a',
			body_2: 'b',
			body_3: 'c',
		});
		expect(stray.error?.message).toMatch(
			/^Template variable "body_3" is not a variable of template/,
		);
		const pending = await send(ids.pending, {});
		expect(pending.error?.message).toBe(
			'Template "address_update" (en_US) is PENDING: only approved templates can be sent [item 0]',
		);
		expect(sandbox.accepted).toHaveLength(0);
		expect(sandbox.log.filter((l) => l.path.endsWith('/messages'))).toHaveLength(0);
	});
});

const manage = async (operation: string, parameters: INodeParameters, input?: IDataObject[]) =>
	await runAction(
		{ resource: 'template', operation, ...parameters },
		credentials,
		(input ?? [{}]).map((json) => ({ json })),
	);

describe('template management against the sandbox', () => {
	test('create with a document header sample uploaded through the Resumable Upload API', async () => {
		const sample = Buffer.from('%PDF-1.4 sample receipt\n%%EOF\n');
		const { items, error } = await runAction(
			{
				resource: 'template',
				operation: 'create',
				templateName: 'event_ticket',
				language: 'en_US',
				category: 'UTILITY',
				headerFormat: 'DOCUMENT',
				headerBinaryProperty: 'sample',
				bodyText: 'Hi {{1}}, your ticket for {{2}} is attached. See you there!',
				bodyExamples: 'Pablo\nSummer Fair',
				footerText: 'Lucky Shrub Events',
				buttons: {
					button: [
						{
							type: 'URL',
							text: 'Open ticket',
							url: 'https://luckyshrub.com/t/{{1}}',
							urlExample: 'T-1',
						},
						{ type: 'QUICK_REPLY', text: 'Cancel' },
					],
				},
			},
			credentials,
			[
				{
					json: {},
					binary: {
						sample: {
							data: sample.toString('base64'),
							mimeType: 'application/pdf',
							fileName: 'ticket.pdf',
						},
					},
				},
			],
		);
		expect(error).toBeUndefined();
		const session = [...sandbox.uploadSessions.values()][0];
		expect(session).toMatchObject({
			fileName: 'ticket.pdf',
			type: 'application/pdf',
			length: sample.length,
			scheme: 'OAuth',
		});
		expect(session.bytes.equals(sample)).toBe(true);
		const created = sandbox.templates.get(String(items[0].json.id))!;
		expect(items[0].json).toMatchObject({
			status: 'PENDING',
			category: 'UTILITY',
			name: 'event_ticket',
		});
		expect(created.components).toEqual([
			{ type: 'HEADER', format: 'DOCUMENT', example: { header_handle: [session.handle] } },
			{
				type: 'BODY',
				text: 'Hi {{1}}, your ticket for {{2}} is attached. See you there!',
				example: { body_text: [['Pablo', 'Summer Fair']] },
			},
			{ type: 'FOOTER', text: 'Lucky Shrub Events' },
			{
				type: 'BUTTONS',
				buttons: [
					{
						type: 'URL',
						text: 'Open ticket',
						url: 'https://luckyshrub.com/t/{{1}}',
						example: ['T-1'],
					},
					{ type: 'QUICK_REPLY', text: 'Cancel' },
				],
			},
		]);
	});

	test('create: named parameters, JSON mode, and the rules Meta enforces, checked before any request', async () => {
		const named = await manage('create', {
			templateName: 'welcome_named',
			language: 'en_US',
			category: 'MARKETING',
			parameterFormat: 'NAMED',
			bodyText: 'Welcome {{first_name}}, enjoy your gift!',
			bodyExamples: 'first_name=Pablo',
		});
		expect(named.error).toBeUndefined();
		expect(sandbox.templates.get(String(named.items[0].json.id))!.components[0]).toEqual({
			type: 'BODY',
			text: 'Welcome {{first_name}}, enjoy your gift!',
			example: { body_text_named_params: [{ param_name: 'first_name', example: 'Pablo' }] },
		});
		const json = await manage('create', {
			templateName: 'otp_code',
			language: 'en_US',
			category: 'AUTHENTICATION',
			definition: 'json',
			componentsJson:
				'[{"type":"BODY","add_security_recommendation":true},{"type":"BUTTONS","buttons":[{"type":"OTP","otp_type":"COPY_CODE","text":"Copy code"}]}]',
		});
		expect(json.error).toBeUndefined();
		sandbox.log.length = 0;
		const cases: Array<[INodeParameters, RegExp]> = [
			[
				{ templateName: 'Bad Name', bodyText: 'Hi there friend' },
				/^Name may only have lowercase letters/,
			],
			[
				{ templateName: 'ok', bodyText: '{{1}} is here', bodyExamples: 'x' },
				/may not start or end with a variable/,
			],
			[
				{ templateName: 'ok', bodyText: 'Hi {{2}} there', bodyExamples: 'x' },
				/must number its variables \{\{1\}\}, \{\{2\}\} \.\.\. in order/,
			],
			[
				{ templateName: 'ok', bodyText: 'Hi {{1}} there' },
				/has 1 variable\(s\) but 0 example\(s\)/,
			],
			[
				{ templateName: 'ok', bodyText: 'x'.repeat(1025) },
				/^Body is too long: 1,025 characters \(WhatsApp allows at most 1,024\)/,
			],
			[
				{ templateName: 'ok', bodyText: 'Hi there', footerText: 'f'.repeat(61) },
				/^Footer is too long: 61 characters/,
			],
			[
				{
					templateName: 'ok',
					bodyText: 'Hi there',
					buttons: {
						button: [
							{ type: 'QUICK_REPLY', text: 'A' },
							{ type: 'URL', text: 'B', url: 'https://e.com' },
							{ type: 'QUICK_REPLY', text: 'C' },
						],
					},
				},
				/^Buttons must keep quick replies next to each other/,
			],
			[
				{
					templateName: 'ok',
					bodyText: 'Hi there',
					buttons: { button: [{ type: 'QUICK_REPLY', text: 'q'.repeat(26) }] },
				},
				/^Button 1 > Text is too long \(WhatsApp allows at most 25 characters\)/,
			],
			[
				{
					templateName: 'ok',
					bodyText: 'Hi there',
					buttons: { button: [{ type: 'URL', text: 'Go', url: 'https://e.com/{{1}}' }] },
				},
				/^Button 1 > Example is needed: a sample value for the URL variable/,
			],
			[
				{
					templateName: 'ok',
					bodyText: 'Hi there',
					buttons: { button: [{ type: 'COPY_CODE', couponExample: 'c'.repeat(16) }] },
				},
				/^Button 1 > Example is too long \(WhatsApp allows at most 15 characters\)/,
			],
		];
		for (const [params, message] of cases) {
			const { error } = await manage('create', {
				language: 'en_US',
				category: 'UTILITY',
				...params,
			});
			expect(error?.message).toMatch(message);
		}
		expect(sandbox.log).toHaveLength(0);
	});

	test("a duplicate name and language gets Meta's error with its message", async () => {
		const { error } = await manage('create', {
			templateName: 'payment_receipt',
			language: 'en_US',
			category: 'UTILITY',
			bodyText: 'Hello there friend',
		});
		expect(error?.message).toMatch(
			/^WhatsApp Cloud API error 100: There is already en_US content for this template/,
		);
		expect(error?.description).toMatch(/Subcode: 2388024/);
	});

	test('list over several pages with Return All, a limit, and filters', async () => {
		for (let n = 0; n < 230; n++)
			sandbox.addTemplate({
				name: `bulk_${String(n).padStart(3, '0')}`,
				language: 'en_US',
				category: n % 2 ? 'MARKETING' : 'UTILITY',
				components: [{ type: 'BODY', text: 'Hello there' }],
			});
		const total = sandbox.templates.size;
		const all = await manage('getAll', { returnAll: true });
		expect(all.items).toHaveLength(total);
		expect(sandbox.log.filter((l) => l.path.endsWith('/message_templates'))).toHaveLength(
			Math.ceil(total / 100),
		);
		expect(new Set(all.items.map((i) => i.json.id)).size).toBe(total);
		expect((await manage('getAll', { returnAll: false, limit: 150 })).items).toHaveLength(150);
		const filtered = await manage('getAll', {
			returnAll: true,
			filters: { name: 'bulk_1', category: ['MARKETING'] },
		});
		expect(filtered.items.map((i) => i.json.name)).toEqual(
			Array.from({ length: 50 }, (_, k) => `bulk_1${String(k * 2 + 1).padStart(2, '0')}`),
		);
		const pending = await manage('getAll', { returnAll: true, filters: { status: ['PENDING'] } });
		expect(pending.items.every((i) => i.json.status === 'PENDING')).toBe(true);
	});

	test('get by ID returns components and the variables a send needs; update; delete one language or all', async () => {
		const got = await manage('get', { template: rl(ids.buttons) });
		expect(got.items[0].json).toMatchObject({
			name: 'order_shipped',
			language: 'de',
			components: expect.any(Array),
			variables: [
				{ id: 'body_1', label: 'Body {{1}} (e.g. Jonas)', required: true },
				expect.anything(),
				expect.anything(),
				expect.anything(),
			],
		});

		const components = [
			{
				type: 'BODY',
				text: 'Hallo {{1}}, deine Bestellung ist da.',
				example: { body_text: [['Jonas']] },
			},
		];
		const updated = await manage('update', {
			template: rl(ids.buttons),
			updateFields: { components: JSON.stringify(components) },
		});
		expect(updated.items[0].json).toMatchObject({ success: true, id: ids.buttons });
		expect(sandbox.templates.get(ids.buttons)!.components).toEqual(components);
		const recategorise = await manage('update', {
			template: rl(ids.buttons),
			updateFields: { category: 'UTILITY' },
		});
		expect(recategorise.error?.message).toMatch(
			/category of an approved template cannot be changed/,
		);

		const en = sandbox.addTemplate({
			name: 'multi_lang',
			language: 'en_US',
			category: 'UTILITY',
			components: [{ type: 'BODY', text: 'Hi' }],
		});
		const de = sandbox.addTemplate({
			name: 'multi_lang',
			language: 'de',
			category: 'UTILITY',
			components: [{ type: 'BODY', text: 'Hallo' }],
		});
		const fr = sandbox.addTemplate({
			name: 'multi_lang',
			language: 'fr',
			category: 'UTILITY',
			components: [{ type: 'BODY', text: 'Salut' }],
		});
		expect(
			(await manage('delete', { templateName: 'multi_lang', templateId: de })).items[0].json,
		).toEqual({ success: true, name: 'multi_lang', id: de });
		expect([
			sandbox.templates.has(en),
			sandbox.templates.has(de),
			sandbox.templates.has(fr),
		]).toEqual([true, false, true]);
		expect((await manage('delete', { templateName: 'multi_lang' })).items[0].json).toEqual({
			success: true,
			name: 'multi_lang',
			allLanguages: true,
		});
		expect(sandbox.templates.has(en) || sandbox.templates.has(fr)).toBe(false);
		const missing = await manage('delete', { templateName: 'multi_lang' });
		expect(missing.error?.message).toMatch(/was not found/);
	});
});
