import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runAction } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import { addTestTemplates, rl } from '../../../dev/harness/templates';
import type { GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
let ids: ReturnType<typeof addTestTemplates>;
useSandbox(
	(started) => {
		({ sandbox, credentials } = started);
		ids = addTestTemplates(sandbox);
	},
	() => {
		sandbox.accepted.length = 0;
		sandbox.log.length = 0;
	},
);

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

describe('Send Template builds exactly the header, body and button components the template defines', () => {
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
			/^Template variable "Body \{\{5\}\} e\.g\. 120\.00" is empty; the template needs a value \[item 1\]$/,
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
			'Template variable "Button 2 coupon code" is too long: 16 characters (a coupon code may have at most 15) [item 0]',
		);
		const header = await send('1304694804498707', {
			header_1: 'h'.repeat(61),
			body_1: 'a',
			body_2: 'b',
		});
		expect(header.error?.message).toMatch(
			/^Template variable "Header \{\{1\}\} e\.g\. Pablo" is too long: 61 characters/,
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
		// every further problem is named by the variable's label too, never by its internal ID
		const several = await send('1304694804498707', { header_1: 'h', body_1: '', body_2: '' });
		const description = String((several.error as { description?: string }).description);
		expect(description).toMatch(/1 more problem\(s\): "Body \{\{2\}\}[^"]*" is empty/);
		expect(description).not.toMatch(/: body_2 /);
		const pending = await send(ids.pending, {});
		expect(pending.error?.message).toBe(
			'Template "address_update" (en_US) is PENDING: only approved templates can be sent [item 0]',
		);
		expect(sandbox.accepted).toHaveLength(0);
		expect(sandbox.log.filter((l) => l.path.endsWith('/messages'))).toHaveLength(0);
	});
});
