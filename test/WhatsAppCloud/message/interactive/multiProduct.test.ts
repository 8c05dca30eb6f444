/**
 * Send Interactive > Multi-Product (actions/message/interactive/multiProduct.ts): the exact JSON
 * Meta documents, every limit just inside and just outside (outside fails before any request,
 * naming the item and the field), how product rows form sections, and the sandbox refusing what
 * Meta refuses.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SANDBOX_CATALOG_ID, type GraphSandbox } from '../../../../dev/sandbox/server';
import { head, useMessageSandbox } from '../send';
import { postInteractive } from './post';

let sandbox: GraphSandbox;
const { send, sentBody, insideAndOutside } = useMessageSandbox(
	(started) => (sandbox = started.sandbox),
);

const x = (n: number) => 'x'.repeat(n);
const CATALOG = SANDBOX_CATALOG_ID;
/** The Catalog ID as the picker saves it. */
const picked = (value = CATALOG) => ({ __rl: true, mode: 'list', value });
/** Product rows: `[section, id]` each. */
const rows = (...r: Array<[string, string]>) => ({
	product: r.map(([section, productRetailerId]) => ({ section, productRetailerId })),
});
/** `n` rows in `sections` sections, named S1, S2 … (one unnamed section when `sections` is 1). */
const manyRows = (n: number, sections = 1) =>
	rows(
		...Array.from({ length: n }, (_, i): [string, string] => [
			sections > 1 ? `S${(i % sections) + 1}` : '',
			`p${i}`,
		]),
	);
const multi = (p: INodeParameters = {}): INodeParameters => ({
	interactiveType: 'productList',
	headerText: 'Our plants',
	body: 'Pick what you like',
	catalogId: picked(),
	productRows: rows(['', 'vrpj01fvwp']),
	...p,
});

describe('Multi-Product sends exactly the JSON Meta documents', () => {
	test('multi-product: rows with the same section title form one section, in order of first appearance', async () => {
		expect(
			await sentBody(
				'sendInteractive',
				multi({
					footer: 'Lucky Shrub',
					productRows: rows(
						['Succulents', 'echeveria'],
						['Ferns', 'boston-fern'],
						[' Succulents ', 'jade'],
						['Ferns', 'maidenhair'],
					),
				}),
			),
		).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'product_list',
				header: { type: 'text', text: 'Our plants' },
				body: { text: 'Pick what you like' },
				footer: { text: 'Lucky Shrub' },
				action: {
					catalog_id: CATALOG,
					sections: [
						{
							title: 'Succulents',
							product_items: [
								{ product_retailer_id: 'echeveria' },
								{ product_retailer_id: 'jade' },
							],
						},
						{
							title: 'Ferns',
							product_items: [
								{ product_retailer_id: 'boston-fern' },
								{ product_retailer_id: 'maidenhair' },
							],
						},
					],
				},
			},
		});
	});

	test('multi-product with one section may leave its title out', async () => {
		expect((await sentBody('sendInteractive', multi())).interactive).toMatchObject({
			action: {
				catalog_id: CATALOG,
				sections: [{ product_items: [{ product_retailer_id: 'vrpj01fvwp' }] }],
			},
		});
	});
});

describe("Multi-Product's limits: one value just inside, one just outside; outside fails before any request, naming item and field", () => {
	type Case = [string, (ok: boolean) => INodeParameters, RegExp];
	const cases: Case[] = [
		[
			'multi-product: header 60',
			(ok) => multi({ headerText: x(ok ? 60 : 61) }),
			/^Header Text is too long: 61 characters \(WhatsApp allows at most 60\)/,
		],
		[
			'multi-product: a header (an expression that gives nothing)',
			(ok) => multi({ headerText: ok ? '={{ "a" }}' : '={{ "" }}' }),
			/^Header Text is empty; it needs a value/,
		],
		[
			'multi-product: body 1,024',
			(ok) => multi({ body: x(ok ? 1024 : 1025) }),
			/^Body is too long: 1,025 characters/,
		],
		[
			'multi-product: a body (an expression that gives nothing)',
			(ok) => multi({ body: ok ? '={{ "a" }}' : '={{ "" }}' }),
			/^Body is empty; it needs a value/,
		],
		[
			'multi-product: footer 60',
			(ok) => multi({ footer: x(ok ? 60 : 61) }),
			/^Footer is too long: 61 characters/,
		],
		[
			'multi-product: at most 30 products in all',
			(ok) => multi({ productRows: manyRows(ok ? 30 : 31, 3) }),
			/^Products has 31 entries \(WhatsApp allows at most 30 products in one message\)/,
		],
		[
			'multi-product: at most 10 sections',
			(ok) => multi({ productRows: manyRows(ok ? 10 : 11, ok ? 10 : 11) }),
			/^Products form 11 sections \(WhatsApp allows at most 10\); use at most 10 different section titles/,
		],
		[
			'multi-product: at least one product',
			(ok) => multi({ productRows: ok ? rows(['', 'a']) : { product: [] } }),
			/^Products is empty; add at least one product/,
		],
		[
			'multi-product: section title 24',
			(ok) =>
				multi({
					productRows: rows(['A', 'a'], [x(ok ? 24 : 25), 'b'], [x(ok ? 24 : 25), 'c']),
				}),
			/^Products > Product 2 > Section Title is too long: 25 characters \(WhatsApp allows at most 24\)/,
		],
		[
			'multi-product: section titles when more than one section',
			(ok) => multi({ productRows: rows(['A', 'a'], [ok ? 'B' : '', 'b'], ['A', 'c']) }),
			/^Products > Product 2 > Section Title is needed when the products are in more than one section/,
		],
		[
			'multi-product: every row names a product',
			(ok) => multi({ productRows: rows(['A', 'a'], ['B', 'b'], ['A', ok ? 'c' : '']) }),
			/^Products > Product 3 > Product Retailer ID is empty; it needs a value/,
		],
		[
			'multi-product: a numeric catalog ID',
			(ok) => multi({ catalogId: ok ? CATALOG : 'shop' }),
			/^Catalog ID must be the numeric ID of the catalog/,
		],
	];

	test.each(cases)('%s', async (_name, params, message) => {
		await insideAndOutside('sendInteractive', params, message);
	});

	test('required fields left empty: n8n itself refuses to run the node; nothing is sent', async () => {
		for (const [params, field] of [
			[multi({ headerText: '' }), 'Header Text'],
			[multi({ body: '' }), 'Body'],
		] as const)
			await expect(send('sendInteractive', params)).rejects.toThrow(
				`node has issues:\n- Parameter "${field}" is required.`,
			);
		expect(sandbox.log).toHaveLength(0);
	});
});

describe('the sandbox refuses the multi-product messages Meta refuses', () => {
	const post = (interactive: IDataObject) => postInteractive(sandbox, interactive);
	const items = (n: number, from = 0) =>
		Array.from({ length: n }, (_, i) => ({ product_retailer_id: `p${from + i}` }));
	const list = (sections: IDataObject[], p: IDataObject = {}) => ({
		type: 'product_list',
		header: { type: 'text', text: 'Plants' },
		body: { text: 'Pick' },
		action: { catalog_id: CATALOG, sections },
		...p,
	});

	test('what the node sends passes, 30 products over sections included', async () => {
		const sections = [
			{ title: 'A', product_items: items(15) },
			{ title: 'B', product_items: items(15, 15) },
		];
		expect((await post(list(sections))).status).toBe(200);
		expect(
			(
				await post({
					type: 'product',
					action: { catalog_id: CATALOG, product_retailer_id: 'p1' },
				})
			).status,
		).toBe(200);
		expect(sandbox.accepted).toHaveLength(2);
	});

	test.each<[string, number, IDataObject, RegExp]>([
		[
			'31 products over two sections',
			131009,
			list([
				{ title: 'A', product_items: items(16) },
				{ title: 'B', product_items: items(15, 16) },
			]),
			/at most 30 products; it has 31/,
		],
		[
			'31 products in one section (the schema)',
			100,
			list([{ product_items: items(31) }]),
			/product_items: expected at most 30 items, got 31/,
		],
		[
			'11 sections (the schema)',
			100,
			list(Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, product_items: items(1, i) }))),
			/sections: expected at most 10 items, got 11/,
		],
		[
			'a product list without a header',
			131008,
			{ ...list([{ product_items: items(1) }]), header: undefined },
			/interactive\.header is required for product_list/,
		],
		[
			'a product list with an image header',
			131009,
			list([{ product_items: items(1) }], {
				header: { type: 'image', image: { link: 'https://e.com/a.jpg' } },
			}),
			/header of a product_list message must be text/,
		],
		[
			'two sections, one without a title',
			131008,
			list([{ product_items: items(1) }, { title: 'B', product_items: items(1, 1) }]),
			/sections\[0\]\.title is required when there is more than one section/,
		],
		[
			'a section without products',
			131008,
			list([{ title: 'A' }]),
			/sections\[0\]\.product_items is required/,
		],
		[
			'a section with an empty product list (the schema)',
			100,
			list([{ title: 'A', product_items: [] }]),
			/product_items: expected at least 1 items, got 0/,
		],
	])('%s: code %d', async (_name, code, interactive, details) => {
		const { status, error } = await post(JSON.parse(JSON.stringify(interactive)) as IDataObject);
		expect(status).toBe(400);
		expect(error).toMatchObject({ code, type: 'OAuthException' });
		expect((error?.error_data as IDataObject).details).toMatch(details);
		expect(sandbox.accepted).toHaveLength(0);
	});
});
