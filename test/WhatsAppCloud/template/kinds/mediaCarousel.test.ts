/**
 * Creating media card carousel templates: the form and JSON give exactly the components Meta
 * takes, card header samples go through the Resumable Upload API one per card, and every rule
 * (2-10 cards, card body 160, 2 buttons per card, labels 25, one trailing URL variable with its
 * example, the same components on every card, Marketing only) has an inside case that is sent and
 * an outside case that fails before any request, naming the item and the field. The sandbox's own
 * carousel checks are held to Meta's here too.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runOperation } from '../../../../dev/harness/engine';
import { JPEG, PDF } from '../../../../dev/harness/files';
import { type SandboxCredentials, useSandbox } from '../../../../dev/harness/sandbox';
import {
	SANDBOX_APP_ID,
	SANDBOX_TOKEN,
	SANDBOX_WABA_ID,
	type GraphSandbox,
} from '../../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => {
		({ sandbox, credentials } = started);
		credentials.appId = SANDBOX_APP_ID;
	},
	() => {
		sandbox.log.length = 0;
		sandbox.uploadSessions.clear();
	},
);

let names = 0;
const create = async (
	parameters: INodeParameters,
	input?: Array<{ json: IDataObject; binary?: IDataObject }>,
) =>
	await runOperation(
		credentials,
		'template',
		'create',
		{
			templateName: `carousel_${++names}`,
			language: 'en_US',
			category: 'MARKETING',
			...parameters,
		},
		input,
	);
const createCalls = () => sandbox.log.filter((l) => l.path.endsWith('/message_templates'));
const stored = (id: unknown) => sandbox.templates.get(String(id))!;

const jpeg = (name: string) => ({
	data: JPEG.toString('base64'),
	mimeType: 'image/jpeg',
	fileName: name,
});

/** A media card of the form: a sample file, a body with one variable, a quick reply and a URL button. */
const formCard = (n: number, extra: IDataObject = {}): IDataObject => ({
	headerBinaryProperty: `card${n}`,
	bodyText: `Plant ${n} for {{1}} this week.`,
	bodyExamples: `$${n}`,
	button1Type: 'QUICK_REPLY',
	button1Text: 'More like this',
	button2Type: 'URL',
	button2Text: 'Buy',
	button2Url: 'https://shop.example.com/p/{{1}}',
	button2UrlExample: `plant-${n}`,
	...extra,
});
const formCards = (count: number, extra: IDataObject = {}) => ({
	cards: { card: Array.from({ length: count }, (_, k) => formCard(k + 1, extra)) },
});
const samples = (count: number) => [
	{
		json: {},
		binary: Object.fromEntries(
			Array.from({ length: count }, (_, k) => [`card${k + 1}`, jpeg(`plant-${k + 1}.jpg`)]),
		),
	},
];
const mediaForm = (count: number, extra: IDataObject = {}) =>
	({
		templateType: 'mediaCarousel',
		bodyText: 'Hi {{1}}, picks for you:',
		bodyExamples: 'Ana',
		cardHeaderFormat: 'IMAGE',
		...formCards(count, extra),
	}) as INodeParameters;

/** A handle the sandbox knows, as the Resumable Upload API gives one. */
function knownHandle(n: number): string {
	const handle = `4::aW1hZ2UvanBlZw${n}`;
	sandbox.uploadSessions.set(`upload:json${n}`, {
		fileName: `p${n}.jpg`,
		length: 1,
		type: 'image/jpeg',
		bytes: Buffer.from([n]),
		handle,
	});
	return handle;
}

/** A media card as Meta's JSON has it (the reference's lowercase spelling). */
const jsonCard = (n: number, buttons?: IDataObject[], body = 'Echeveria for {{1}} only.') => ({
	components: [
		{ type: 'header', format: 'image', example: { header_handle: [knownHandle(n)] } },
		{ type: 'body', text: body, example: { body_text: [['$12']] } },
		{
			type: 'buttons',
			buttons: buttons ?? [
				{ type: 'quick_reply', text: 'More' },
				{
					type: 'url',
					text: 'Buy',
					url: 'https://shop.example.com/p/{{1}}',
					example: ['echeveria'],
				},
			],
		},
	],
});
/** A URL button whose URL has `length` characters, its variable at the end. */
const urlOf = (length: number) => {
	const url = `https://shop.example.com/p/${'a'.repeat(length - 33)}/{{1}}`;
	expect([...url]).toHaveLength(length);
	return { type: 'url', text: 'Buy', url, example: ['echeveria'] };
};
const jsonCarousel = (cards: IDataObject[], category = 'MARKETING'): INodeParameters => ({
	category,
	definition: 'json',
	componentsJson: JSON.stringify([
		{ type: 'body', text: 'Hi {{1}}, picks for you:', example: { body_text: [['Ana']] } },
		{ type: 'carousel', cards },
	]),
});
const productCard = (button: IDataObject = { type: 'spm', text: 'View' }) => ({
	components: [
		{ type: 'header', format: 'product' },
		{ type: 'buttons', buttons: [button] },
	],
});

describe('Template > Create: media card carousels', () => {
	test('the form: each card sample uploaded through the Resumable Upload API, then exactly the components Meta takes', async () => {
		const { items, error } = await create(mediaForm(2), samples(2));
		expect(error).toBeUndefined();
		const sessions = [...sandbox.uploadSessions.values()];
		expect(sessions.map((s) => [s.fileName, s.type, s.bytes.equals(JPEG)])).toEqual([
			['plant-1.jpg', 'image/jpeg', true],
			['plant-2.jpg', 'image/jpeg', true],
		]);
		const expected = [
			{ type: 'BODY', text: 'Hi {{1}}, picks for you:', example: { body_text: [['Ana']] } },
			{
				type: 'CAROUSEL',
				cards: [1, 2].map((n) => ({
					components: [
						{
							type: 'HEADER',
							format: 'IMAGE',
							example: { header_handle: [sessions[n - 1].handle] },
						},
						{
							type: 'BODY',
							text: `Plant ${n} for {{1}} this week.`,
							example: { body_text: [[`$${n}`]] },
						},
						{
							type: 'BUTTONS',
							buttons: [
								{ type: 'QUICK_REPLY', text: 'More like this' },
								{
									type: 'URL',
									text: 'Buy',
									url: 'https://shop.example.com/p/{{1}}',
									example: [`plant-${n}`],
								},
							],
						},
					],
				})),
			},
		];
		expect(items[0].json).toMatchObject({ status: 'PENDING', category: 'MARKETING' });
		expect(items[0].json.components).toEqual(expected);
		expect(stored(items[0].json.id)).toMatchObject({ category: 'MARKETING', components: expected });
	});

	test("the JSON form takes Meta's spelling (lowercase types), sent as it is", async () => {
		const cards = [jsonCard(1), jsonCard(2)];
		const { items, error } = await create(jsonCarousel(cards));
		expect(error).toBeUndefined();
		expect(stored(items[0].json.id).components).toEqual([
			{ type: 'body', text: 'Hi {{1}}, picks for you:', example: { body_text: [['Ana']] } },
			{ type: 'carousel', cards },
		]);
	});

	test('video cards take an MP4 sample; a card sample of the wrong type fails before any upload', async () => {
		const mp4 = { data: Buffer.from('....ftypmp42').toString('base64'), mimeType: 'video/mp4' };
		const video = await create({ ...mediaForm(2), cardHeaderFormat: 'VIDEO' }, [
			{
				json: {},
				binary: { card1: { ...mp4, fileName: 'a.mp4' }, card2: { ...mp4, fileName: 'b.mp4' } },
			},
		]);
		expect(video.error).toBeUndefined();
		const card = (video.items[0].json.components as IDataObject[])[1] as { cards: IDataObject[] };
		expect((card.cards[1].components as IDataObject[])[0]).toMatchObject({ format: 'VIDEO' });

		sandbox.log.length = 0;
		const pdf = await create(mediaForm(2), [
			{
				json: {},
				binary: {
					card1: jpeg('a.jpg'),
					card2: { data: PDF.toString('base64'), mimeType: 'application/pdf', fileName: 'b.pdf' },
				},
			},
		]);
		expect(pdf.error?.message).toBe(
			'Card 2 > Header Sample File: Meta takes JPEG or PNG samples for an image card, not "application/pdf" [item 0]',
		);
		expect(sandbox.log).toHaveLength(0);
	});

	test('2 to 10 cards, card body 160, 2 buttons, labels 25, phone 20 digits: inside is sent, outside fails before any request', async () => {
		const body160 = `${'a'.repeat(149)} {{1}} end.`;
		expect([...body160]).toHaveLength(160);
		const inside: Array<[string, INodeParameters]> = [
			['2 cards', jsonCarousel([jsonCard(1), jsonCard(2)])],
			['10 cards', jsonCarousel(Array.from({ length: 10 }, (_, k) => jsonCard(k + 1)))],
			['card body of 160', jsonCarousel([1, 2].map((n) => jsonCard(n, undefined, body160)))],
			[
				'labels of 25, a phone number of 20 digits',
				jsonCarousel(
					[1, 2].map((n) =>
						jsonCard(n, [
							{ type: 'quick_reply', text: 'q'.repeat(25) },
							{ type: 'phone_number', text: 'Call', phone_number: '1'.repeat(20) },
						]),
					),
				),
			],
			['a button URL of 2,000', jsonCarousel([1, 2].map((n) => jsonCard(n, [urlOf(2000)])))],
			[
				'no buttons at all',
				jsonCarousel([1, 2].map((n) => ({ components: jsonCard(n).components.slice(0, 2) }))),
			],
		];
		for (const [what, parameters] of inside) {
			const { error } = await create(parameters);
			expect([what, error?.message]).toEqual([what, undefined]);
		}
		expect(createCalls()).toHaveLength(inside.length);

		sandbox.log.length = 0;
		const outside: Array<[INodeParameters, string]> = [
			[jsonCarousel([jsonCard(1)]), 'Cards are 1; a carousel has 2 to 10 cards'],
			[
				jsonCarousel(Array.from({ length: 11 }, (_, k) => jsonCard(k + 1))),
				'Cards are 11; a carousel has 2 to 10 cards',
			],
			[
				jsonCarousel([jsonCard(1), jsonCard(2, undefined, `${'b'.repeat(150)} {{1}} end.`)]),
				'Card 2 > Body is too long: 161 characters (WhatsApp allows at most 160 in a card)',
			],
			[
				jsonCarousel(
					[1, 2].map((n) =>
						jsonCard(n, [
							{ type: 'quick_reply', text: 'A' },
							{ type: 'quick_reply', text: 'B' },
							{ type: 'quick_reply', text: 'C' },
						]),
					),
				),
				'Card 1 > Buttons are 3; a card has at most 2',
			],
			[
				jsonCarousel(
					[1, 2].map((n) => jsonCard(n, [{ type: 'quick_reply', text: 'q'.repeat(26) }])),
				),
				'Card 1 > Button 1 > Text is too long (WhatsApp allows at most 25 characters)',
			],
			[
				jsonCarousel(
					[1, 2].map((n) =>
						jsonCard(n, [{ type: 'phone_number', text: 'Call', phone_number: '1'.repeat(21) }]),
					),
				),
				'Card 1 > Button 1 > Phone Number must be a phone number with the country code (up to 20 digits)',
			],
			[
				jsonCarousel([1, 2].map((n) => jsonCard(n, [urlOf(2001)]))),
				'Card 1 > Button 1 > URL is too long (WhatsApp allows at most 2,000 characters)',
			],
			[
				jsonCarousel(
					[1, 2].map((n) =>
						jsonCard(n, [{ type: 'url', text: 'Buy', url: 'https://shop.example.com/p/{{1}}' }]),
					),
				),
				'Card 1 > Button 1 > URL Example is needed: a sample value for the URL variable',
			],
			[
				jsonCarousel(
					[1, 2].map((n) =>
						jsonCard(n, [
							{ type: 'url', text: 'Buy', url: 'https://shop.example.com/{{1}}/p', example: ['x'] },
						]),
					),
				),
				'Card 1 > Button 1 > URL may have one variable, at the very end',
			],
			[
				jsonCarousel([1, 2].map((n) => jsonCard(n, [{ type: 'copy_code', example: 'SAVE10' }]))),
				'Card 1 > Button 1 > Type copy_code is not allowed on a media card (quick reply, URL or phone number)',
			],
			[
				jsonCarousel([
					jsonCard(1),
					{ components: jsonCard(2).components.filter((c) => c.type !== 'body') },
				]),
				'Card 2 has other components than card 1 (header image, buttons (QUICK_REPLY, URL) instead of header image, body, buttons (QUICK_REPLY, URL)): every card of a carousel has the same header type, body and buttons',
			],
			[
				jsonCarousel([
					jsonCard(1),
					jsonCard(2, [
						{ type: 'url', text: 'Buy', url: 'https://shop.example.com/p/{{1}}', example: ['e'] },
						{ type: 'quick_reply', text: 'More' },
					]),
				]),
				'Card 2 has other components than card 1',
			],
			[
				jsonCarousel([
					{
						components: [
							{ type: 'header', format: 'text', text: 'Hi' },
							...jsonCard(1).components.slice(1),
						],
					},
					jsonCard(2),
				]),
				'Card 1 > Header is TEXT; a card header is an IMAGE or VIDEO (Meta refuses it, error 2388047)',
			],
			[
				jsonCarousel([jsonCard(1), jsonCard(2)], 'UTILITY'),
				'Category must be Marketing for a carousel template',
			],
			[
				{ ...mediaForm(2), bodyText: `Hi {{1}}, ${'x'.repeat(1015)}` },
				'Body is too long: 1,025 characters (WhatsApp allows at most 1,024)',
			],
			[{ ...mediaForm(2), bodyText: '' }, 'Body is empty; it needs a value'],
			[
				mediaForm(2, { bodyText: 'Plant for {{1}} now.', bodyExamples: '' }),
				'Card 1 > Body has 1 variable(s) but 0 example(s): give one example per variable',
			],
			[
				mediaForm(2, { button2UrlExample: '' }),
				'Card 1 > Button 2 > URL Example is needed: a sample value for the URL variable',
			],
		];
		for (const [parameters, message] of outside) {
			const { error } = await create(parameters, samples(2));
			expect(error?.message).toMatch(
				new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.* \\[item 0\\]$`),
			);
		}
		// an inside case of the same length: 1,024 is sent
		expect(sandbox.log).toHaveLength(0);
		const edge = await create(
			{ ...mediaForm(2), bodyText: `Hi {{1}}, ${'x'.repeat(1014)}` },
			samples(2),
		);
		expect(edge.error).toBeUndefined();
	});

	test('a media header needs the App ID in the credential, before any upload', async () => {
		const { error } = await runOperation(
			{ ...credentials, appId: '' },
			'template',
			'create',
			{ templateName: 'no_app', language: 'en_US', category: 'MARKETING', ...mediaForm(2) },
			samples(2),
		);
		expect(error?.message).toBe(
			'A media header needs the App ID in the credential, to upload its sample [item 0]',
		);
		expect(sandbox.log).toHaveLength(0);
	});
});
describe('the sandbox refuses carousels as Meta does, so a node bug cannot pass', () => {
	const post = async (body: IDataObject) => {
		const response = await fetch(`${sandbox.url}/v25.0/${SANDBOX_WABA_ID}/message_templates`, {
			method: 'POST',
			headers: { authorization: `Bearer ${SANDBOX_TOKEN}`, 'content-type': 'application/json' },
			body: JSON.stringify({ language: 'en_US', category: 'MARKETING', ...body }),
		});
		return (await response.json()) as { error?: IDataObject; id?: string };
	};
	const carousel = (cards: IDataObject[]) => [
		{ type: 'body', text: 'Our picks.' },
		{ type: 'carousel', cards },
	];

	test('card count, card body length, header format, product cards, category', async () => {
		expect(
			(await post({ name: 'raw_ok', components: carousel([jsonCard(1), jsonCard(2)]) })).id,
		).toBeDefined();
		expect(
			(await post({ name: 'raw_1', components: carousel([jsonCard(1)]) })).error,
		).toMatchObject({
			code: 100,
			error_user_msg: 'A carousel template must have between 2 and 10 cards.',
		});
		expect(
			(
				await post({
					name: 'raw_2',
					components: carousel([jsonCard(1), jsonCard(2, undefined, `${'x'.repeat(160)} {{1}}.`)]),
				})
			).error,
		).toMatchObject({ code: 100, error_subcode: 2388040 });
		expect(
			(
				await post({
					name: 'raw_3',
					components: carousel([
						{ components: [{ type: 'header', format: 'text', text: 'x' }] },
						jsonCard(2),
					]),
				})
			).error,
		).toMatchObject({ code: 100, error_subcode: 2388047 });
		expect(
			(
				await post({
					name: 'raw_4',
					components: carousel([productCard(), productCard(), productCard()]),
				})
			).error,
		).toMatchObject({
			error_user_msg: 'A product card carousel template must be created with exactly 2 cards.',
		});
		expect(
			(
				await post({
					name: 'raw_5',
					category: 'UTILITY',
					components: carousel([jsonCard(1), jsonCard(2)]),
				})
			).error,
		).toMatchObject({ error_user_msg: 'Carousel templates must be in the MARKETING category.' });
		expect(
			(
				await post({
					name: 'raw_6',
					components: carousel([jsonCard(1), { components: jsonCard(2).components.slice(0, 2) }]),
				})
			).error,
		).toMatchObject({ error_user_msg: 'All carousel cards must have the same components.' });
	});
});
