/**
 * Send Interactive > Single Product (actions/message/interactive/singleProduct.ts): the exact JSON
 * Meta documents, every limit just inside and just outside (outside fails before any request,
 * naming the item and the field), and the sandbox refusing what Meta refuses.
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
const single = (p: INodeParameters = {}): INodeParameters => ({
	interactiveType: 'product',
	catalogId: picked(),
	productRetailerId: 'vrpj01fvwp',
	...p,
});

describe('Single Product sends exactly the JSON Meta documents', () => {
	test('single product with body and footer, and without a body', async () => {
		expect(
			await sentBody('sendInteractive', single({ body: 'Our bestseller', footer: 'Lucky Shrub' })),
		).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'product',
				body: { text: 'Our bestseller' },
				footer: { text: 'Lucky Shrub' },
				action: { catalog_id: CATALOG, product_retailer_id: 'vrpj01fvwp' },
			},
		});
		sandbox.accepted.length = 0;
		expect((await sentBody('sendInteractive', single())).interactive).toEqual({
			type: 'product',
			action: { catalog_id: CATALOG, product_retailer_id: 'vrpj01fvwp' },
		});
	});

	test('a Catalog ID saved as plain text, before it became a picker, or typed By ID is sent the same', async () => {
		for (const catalogId of [` ${CATALOG} `, { __rl: true, mode: 'id', value: CATALOG }]) {
			sandbox.accepted.length = 0;
			expect((await sentBody('sendInteractive', single({ catalogId }))).interactive).toEqual({
				type: 'product',
				action: { catalog_id: CATALOG, product_retailer_id: 'vrpj01fvwp' },
			});
		}
	});
});

describe("Single Product's limits: one value just inside, one just outside; outside fails before any request, naming item and field", () => {
	type Case = [string, (ok: boolean) => INodeParameters, RegExp];
	const cases: Case[] = [
		[
			'single product: body 1,024',
			(ok) => single({ body: x(ok ? 1024 : 1025) }),
			/^Body is too long: 1,025 characters \(WhatsApp allows at most 1,024\)/,
		],
		[
			'single product: footer 60',
			(ok) => single({ footer: x(ok ? 60 : 61) }),
			/^Footer is too long: 61 characters \(WhatsApp allows at most 60\)/,
		],
		[
			'single product: a numeric catalog ID',
			(ok) => single({ catalogId: ok ? ' 194836987003835 ' : 'CAT-1' }),
			/^Catalog ID must be the numeric ID of the catalog/,
		],
		[
			'single product: a product retailer ID (an expression that gives nothing)',
			(ok) => single({ productRetailerId: ok ? '={{ "a" }}' : '={{ "  " }}' }),
			/^Product Retailer ID is empty; it needs a value/,
		],
	];

	test.each(cases)('%s', async (_name, params, message) => {
		await insideAndOutside('sendInteractive', params, message);
	});

	test('required fields left empty: n8n itself refuses to run the node; nothing is sent', async () => {
		for (const [params, field] of [
			[single({ catalogId: '' }), 'Catalog ID'],
			[single({ catalogId: picked('') }), 'Catalog ID'],
			[single({ productRetailerId: '' }), 'Product Retailer ID'],
		] as const)
			await expect(send('sendInteractive', params)).rejects.toThrow(
				`node has issues:\n- Parameter "${field}" is required.`,
			);
		expect(sandbox.log).toHaveLength(0);
	});
});

describe('the sandbox refuses the single products Meta refuses', () => {
	const post = (interactive: IDataObject) => postInteractive(sandbox, interactive);

	test.each<[string, number, IDataObject, RegExp]>([
		[
			'a single product with a header',
			100,
			{
				type: 'product',
				header: { type: 'text', text: 'h' },
				action: { catalog_id: CATALOG, product_retailer_id: 'p1' },
			},
			/header is not supported in a single product message/,
		],
		[
			'a single product without a product',
			131008,
			{ type: 'product', action: { catalog_id: CATALOG } },
			/product_retailer_id is required/,
		],
	])('%s: code %d', async (_name, code, interactive, details) => {
		const { status, error } = await post(JSON.parse(JSON.stringify(interactive)) as IDataObject);
		expect(status).toBe(400);
		expect(error).toMatchObject({ code, type: 'OAuthException' });
		expect((error?.error_data as IDataObject).details).toMatch(details);
		expect(sandbox.accepted).toHaveLength(0);
	});
});
