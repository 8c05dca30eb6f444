/**
 * Send Interactive > Media Carousel (actions/message/interactive/mediaCarousel.ts): the exact JSON
 * Meta documents, every limit just inside and just outside (outside fails before any request,
 * naming the item and the card's field), and the sandbox refusing what Meta refuses, product cards
 * among media cards included.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { GraphSandbox } from '../../../../dev/sandbox/server';
import { head, useMessageSandbox } from '../send';
import { postInteractive } from './post';

let sandbox: GraphSandbox;
const { send, sentBody, insideAndOutside } = useMessageSandbox(
	(started) => (sandbox = started.sandbox),
);

const x = (n: number) => 'x'.repeat(n);
/** A media card with a URL button; `p` overrides its fields. */
const urlCard = (n: number, p: INodeParameters = {}): INodeParameters => ({
	headerType: 'image',
	headerLink: `https://cdn.example.com/${n}.jpg`,
	buttonText: 'Buy now',
	buttonUrl: `https://shop.example.com/${n}`,
	...p,
});
/** A media card with `count` quick replies. */
const replyCard = (n: number, count = 2, p: INodeParameters = {}): INodeParameters => ({
	headerType: 'image',
	headerLink: `https://cdn.example.com/${n}.jpg`,
	quickReplies: {
		reply: Array.from({ length: count }, (_, r) => ({
			id: `c${n}-r${r}`,
			title: `Reply ${r + 1}`,
		})),
	},
	...p,
});
const urlCarousel = (cards: INodeParameters[], p: INodeParameters = {}): INodeParameters => ({
	interactiveType: 'carousel',
	body: 'Arrivals under $25:',
	carouselButtons: 'url',
	carouselCards: { card: cards },
	...p,
});
const replyCarousel = (cards: INodeParameters[], p: INodeParameters = {}): INodeParameters => ({
	...urlCarousel(cards, p),
	carouselButtons: 'quickReply',
});
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('Media Carousel sends exactly the JSON Meta documents', () => {
	test('media cards with a URL button each: image and video headers, a card body where given', async () => {
		expect(
			await sentBody(
				'sendInteractive',
				urlCarousel([
					urlCard(1, {
						headerLink: 'https://cdn.example.com/a.jpg',
						body: 'Blue Echeveria',
						buttonUrl: 'https://shop.example.com/a',
					}),
					urlCard(2, {
						headerType: 'video',
						headerLink: 'https://cdn.example.com/b.mp4',
						buttonText: 'Watch',
						buttonUrl: 'https://shop.example.com/b',
					}),
				]),
			),
		).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'carousel',
				body: { text: 'Arrivals under $25:' },
				action: {
					cards: [
						{
							card_index: 0,
							type: 'cta_url',
							header: { type: 'image', image: { link: 'https://cdn.example.com/a.jpg' } },
							body: { text: 'Blue Echeveria' },
							action: {
								name: 'cta_url',
								parameters: { display_text: 'Buy now', url: 'https://shop.example.com/a' },
							},
						},
						{
							card_index: 1,
							type: 'cta_url',
							header: { type: 'video', video: { link: 'https://cdn.example.com/b.mp4' } },
							action: {
								name: 'cta_url',
								parameters: { display_text: 'Watch', url: 'https://shop.example.com/b' },
							},
						},
					],
				},
			},
		});
	});

	test('media cards with quick replies: card type stays cta_url, the buttons are quick_reply', async () => {
		const body = await sentBody(
			'sendInteractive',
			replyCarousel([replyCard(1, 2, { body: 'Line 1\nLine 2\nLine 3' }), replyCard(2, 2)]),
		);
		expect(body.interactive).toEqual({
			type: 'carousel',
			body: { text: 'Arrivals under $25:' },
			action: {
				cards: [1, 2].map((n, index) => ({
					card_index: index,
					type: 'cta_url',
					header: { type: 'image', image: { link: `https://cdn.example.com/${n}.jpg` } },
					...(n === 1 ? { body: { text: 'Line 1\nLine 2\nLine 3' } } : {}),
					action: {
						buttons: [0, 1].map((r) => ({
							type: 'quick_reply',
							quick_reply: { id: `c${n}-r${r}`, title: `Reply ${r + 1}` },
						})),
					},
				})),
			},
		});
		expect(body.interactive).not.toHaveProperty('header');
		expect(body.interactive).not.toHaveProperty('footer');
	});

	test('fields of the other button kind are not sent', async () => {
		const card = (n: number) => ({ ...replyCard(n, 1), buttonText: 'Stale', buttonUrl: 'x' });
		const body = await sentBody('sendInteractive', replyCarousel([card(1), card(2)]));
		const cards = (body.interactive as { action: { cards: IDataObject[] } }).action.cards;
		expect(cards.map((c) => c.action)).toEqual([
			{ buttons: [{ type: 'quick_reply', quick_reply: { id: 'c1-r0', title: 'Reply 1' } }] },
			{ buttons: [{ type: 'quick_reply', quick_reply: { id: 'c2-r0', title: 'Reply 1' } }] },
		]);
	});
});

describe("the media carousel's limits: one value just inside, one just outside; outside fails before any request, naming item and field", () => {
	type Case = [string, (ok: boolean) => INodeParameters, RegExp];
	const cases: Case[] = [
		[
			'message body 1,024',
			(ok) => urlCarousel([urlCard(1), urlCard(2)], { body: x(ok ? 1024 : 1025) }),
			/^Body is too long: 1,025 characters \(WhatsApp allows at most 1,024\)/,
		],
		[
			'message body is required (an expression that gives nothing)',
			(ok) => urlCarousel([urlCard(1), urlCard(2)], { body: ok ? '={{ "a" }}' : '={{ "" }}' }),
			/^Body is empty; it needs a value/,
		],
		[
			'at least 2 cards',
			(ok) => urlCarousel(range(ok ? 2 : 1).map((n) => urlCard(n))),
			/^Cards needs at least 2 entries/,
		],
		[
			'at most 10 cards',
			(ok) => urlCarousel(range(ok ? 10 : 11).map((n) => urlCard(n))),
			/^Cards has 11 entries \(WhatsApp allows at most 10\)/,
		],
		[
			'header link is required',
			(ok) =>
				urlCarousel([urlCard(1), urlCard(2, { headerLink: ok ? 'https://e.com/a.jpg' : '' })]),
			/^Cards > Card 2 > Header URL is empty; it needs a value/,
		],
		[
			'header link is https',
			(ok) =>
				urlCarousel([
					urlCard(1),
					urlCard(2, { headerLink: ok ? 'https://e.com/a.jpg' : 'http://e.com/a.jpg' }),
				]),
			/^Cards > Card 2 > Header URL must be an https:\/\/ link/,
		],
		[
			'header is a link, not a media ID',
			(ok) =>
				urlCarousel([
					urlCard(1, { headerLink: ok ? 'https://e.com/a.jpg' : '1558081531584829' }),
					urlCard(2),
				]),
			/^Cards > Card 1 > Header URL is not a valid link/,
		],
		[
			'card body 160',
			(ok) => urlCarousel([urlCard(1), urlCard(2), urlCard(3, { body: x(ok ? 160 : 161) })]),
			/^Cards > Card 3 > Card Body is too long: 161 characters \(WhatsApp allows at most 160\)/,
		],
		[
			'card body 2 line breaks',
			(ok) => urlCarousel([urlCard(1, { body: ok ? 'a\nb\nc' : 'a\nb\nc\nd' }), urlCard(2)]),
			/^Cards > Card 1 > Card Body has 3 line breaks \(WhatsApp allows at most 2\)/,
		],
		[
			'button text 20',
			(ok) => urlCarousel([urlCard(1), urlCard(2), urlCard(3, { buttonText: x(ok ? 20 : 21) })]),
			/^Cards > Card 3 > Button Text is too long: 21 characters \(WhatsApp allows at most 20\)/,
		],
		[
			'button text is required',
			(ok) => urlCarousel([urlCard(1, { buttonText: ok ? 'Go' : '' }), urlCard(2)]),
			/^Cards > Card 1 > Button Text is empty; it needs a value/,
		],
		[
			'button URL is https',
			(ok) =>
				urlCarousel([urlCard(1), urlCard(2, { buttonUrl: ok ? 'https://e.com/x' : 'e.com/x' })]),
			/^Cards > Card 2 > Button URL is not a valid URL/,
		],
		[
			'quick reply title 20',
			(ok) =>
				replyCarousel([
					replyCard(1, 1),
					replyCard(2, 1, { quickReplies: { reply: [{ id: 'a', title: x(ok ? 20 : 21) }] } }),
				]),
			/^Cards > Card 2 > Quick Replies > Quick Reply 1 > Title is too long: 21 characters \(WhatsApp allows at most 20\)/,
		],
		[
			'quick reply ID 256',
			(ok) =>
				replyCarousel([
					replyCard(1, 2),
					replyCard(2, 2, {
						quickReplies: {
							reply: [
								{ id: 'a', title: 'A' },
								{ id: x(ok ? 256 : 257), title: 'B' },
							],
						},
					}),
				]),
			/^Cards > Card 2 > Quick Replies > Quick Reply 2 > ID is too long: 257 characters \(WhatsApp allows at most 256\)/,
		],
		[
			'at most 3 quick replies per card',
			(ok) => replyCarousel([replyCard(1, ok ? 3 : 4), replyCard(2, ok ? 3 : 4)]),
			/^Cards > Card 1 > Quick Replies has 4 entries \(WhatsApp allows at most 3\)/,
		],
		[
			'at least 1 quick reply per card',
			(ok) => replyCarousel([replyCard(1, ok ? 1 : 0), replyCard(2, ok ? 1 : 0)]),
			/^Cards > Card 1 > Quick Replies needs at least 1 entries/,
		],
		[
			'the same number of quick replies on every card',
			(ok) => replyCarousel([replyCard(1, 2), replyCard(2, 2), replyCard(3, ok ? 2 : 1)]),
			/^Cards > Card 3 has 1 quick reply, but card 1 has 2 quick replies: WhatsApp requires the same kind and number of buttons on every card/,
		],
	];

	test.each(cases)('%s', async (_name, params, message) => {
		await insideAndOutside('sendInteractive', params, message);
	});

	test('an empty body: n8n itself refuses to run the node (required fields); nothing is sent', async () => {
		for (const [params, field] of [
			[urlCarousel([urlCard(1), urlCard(2)], { body: '' }), 'Body'],
		] as const)
			await expect(send('sendInteractive', params)).rejects.toThrow(
				`node has issues:\n- Parameter "${field}" is required.`,
			);
		expect(sandbox.log).toHaveLength(0);
	});

	test('a card field from an expression that gives an object fails naming the card', async () => {
		const outside = await send(
			'sendInteractive',
			urlCarousel([urlCard(1), urlCard(2, { buttonText: { label: 'Go' } })]),
		);
		expect(outside.error?.message).toBe(
			'Cards > Card 2 > Button Text must be text, but its expression gave an object [item 0]',
		);
		expect(sandbox.log).toHaveLength(0);
	});
});

describe('the sandbox refuses the media carousels Meta refuses', () => {
	const post = (interactive: IDataObject) => postInteractive(sandbox, interactive);
	const mediaCard = (index: number, action: IDataObject, p: IDataObject = {}) => ({
		card_index: index,
		type: 'cta_url',
		header: { type: 'image', image: { link: `https://cdn.example.com/${index}.jpg` } },
		action,
		...p,
	});
	const url = { name: 'cta_url', parameters: { display_text: 'Buy', url: 'https://e.com' } };
	const replies = (n: number) => ({
		buttons: range(n).map((r) => ({
			type: 'quick_reply',
			quick_reply: { id: `r${r}`, title: `R${r}` },
		})),
	});
	const carousel = (cards: IDataObject[], p: IDataObject = {}) => ({
		type: 'carousel',
		body: { text: 'Pick' },
		action: { cards },
		...p,
	});
	const productCard = (index: number, catalog = '194836987003835') => ({
		card_index: index,
		type: 'product',
		action: { product_retailer_id: `p${index}`, catalog_id: catalog },
	});

	test('what the node sends passes', async () => {
		expect((await post(carousel([mediaCard(0, url), mediaCard(1, url)]))).status).toBe(200);
		expect((await post(carousel([productCard(0), productCard(1)]))).status).toBe(200);
		expect(sandbox.accepted).toHaveLength(2);
	});

	test.each<[string, number, IDataObject, RegExp]>([
		[
			'a URL button on one card and quick replies on another',
			131009,
			carousel([mediaCard(0, url), mediaCard(1, replies(1))]),
			/card 1 has 1 quick_reply, card 0 has 1 cta_url/,
		],
		[
			'a different number of quick replies',
			131009,
			carousel([mediaCard(0, replies(2)), mediaCard(1, replies(1))]),
			/same buttons/,
		],
		[
			'more than 3 quick replies on a card',
			131009,
			carousel([mediaCard(0, replies(4)), mediaCard(1, replies(4))]),
			/at most 3 quick-reply buttons/,
		],
		[
			'a card body of 161 characters',
			131009,
			carousel([mediaCard(0, url, { body: { text: x(161) } }), mediaCard(1, url)]),
			/max 160 characters/,
		],
		[
			'a card body with 3 line breaks',
			131009,
			carousel([mediaCard(0, url, { body: { text: 'a\nb\nc\nd' } }), mediaCard(1, url)]),
			/at most 2 line breaks/,
		],
		[
			'card media by ID',
			131009,
			carousel([
				mediaCard(0, url, { header: { type: 'image', image: { id: '1558081531584829' } } }),
				mediaCard(1, url),
			]),
			/needs a public https link/,
		],
		[
			'a card without a header',
			131008,
			carousel([{ card_index: 0, type: 'cta_url', action: url }, mediaCard(1, url)]),
			/cards\[0\]\.header is required/,
		],
		[
			'card indexes that skip one',
			131009,
			carousel([mediaCard(0, url), mediaCard(2, url)]),
			/card_index must number the 2 cards from 0 to 1/,
		],
		[
			'a footer on the message',
			100,
			carousel([mediaCard(0, url), mediaCard(1, url)], { footer: { text: 'f' } }),
			/footer is not supported/,
		],
		[
			'a message without a body',
			131008,
			{ type: 'carousel', action: { cards: [mediaCard(0, url), mediaCard(1, url)] } },
			/interactive\.body is required/,
		],
		[
			'media and product cards mixed',
			131009,
			carousel([mediaCard(0, url), productCard(1)]),
			/one type/,
		],
		[
			'one card (the schema: at least 2)',
			100,
			carousel([mediaCard(0, url)]),
			/expected at least 2 items, got 1/,
		],
		[
			'11 cards (the schema: at most 10)',
			100,
			carousel(range(11).map((i) => mediaCard(i, url))),
			/expected at most 10 items, got 11/,
		],
		[
			'a URL button text of 21 characters (the schema)',
			100,
			carousel([
				mediaCard(0, {
					name: 'cta_url',
					parameters: { display_text: x(21), url: 'https://e.com' },
				}),
				mediaCard(1, url),
			]),
			/display_text: expected at most 20 characters, got 21/,
		],
	])('%s: code %d', async (_name, code, interactive, details) => {
		const { status, error } = await post(interactive);
		expect(status).toBe(400);
		expect(error).toMatchObject({ code, type: 'OAuthException' });
		expect((error?.error_data as IDataObject).details).toMatch(details);
		expect(sandbox.accepted).toHaveLength(0);
	});
});
