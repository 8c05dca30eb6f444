/**
 * Send Interactive > Catalog (actions/message/interactive/catalog.ts): the exact JSON Meta
 * documents, every limit just inside and just outside (outside fails before any request, naming
 * the item and the field), and the sandbox refusing what Meta refuses.
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
const catalog = (p: INodeParameters = {}): INodeParameters => ({
	interactiveType: 'catalogMessage',
	body: 'Browse our catalog',
	thumbnailProductRetailerId: '2lc20305pt',
	...p,
});

describe('Catalog sends exactly the JSON Meta documents', () => {
	test('catalog message with a footer', async () => {
		expect(await sentBody('sendInteractive', catalog({ footer: 'Best deals' }))).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'catalog_message',
				body: { text: 'Browse our catalog' },
				footer: { text: 'Best deals' },
				action: {
					name: 'catalog_message',
					parameters: { thumbnail_product_retailer_id: '2lc20305pt' },
				},
			},
		});
	});
});

describe("Catalog's limits: one value just inside, one just outside; outside fails before any request, naming item and field", () => {
	type Case = [string, (ok: boolean) => INodeParameters, RegExp];
	const cases: Case[] = [
		[
			'catalog: body 1,024',
			(ok) => catalog({ body: x(ok ? 1024 : 1025) }),
			/^Body is too long: 1,025 characters/,
		],
		[
			'catalog: a body (an expression that gives nothing)',
			(ok) => catalog({ body: ok ? '={{ "a" }}' : '={{ "" }}' }),
			/^Body is empty; it needs a value/,
		],
		[
			'catalog: footer 60',
			(ok) => catalog({ footer: x(ok ? 60 : 61) }),
			/^Footer is too long: 61 characters/,
		],
		[
			'catalog: a thumbnail product (an expression that gives nothing)',
			(ok) => catalog({ thumbnailProductRetailerId: ok ? '={{ "a" }}' : '={{ "" }}' }),
			/^Thumbnail Product Retailer ID is empty; it needs a value/,
		],
	];

	test.each(cases)('%s', async (_name, params, message) => {
		await insideAndOutside('sendInteractive', params, message);
	});

	test('required fields left empty: n8n itself refuses to run the node; nothing is sent', async () => {
		for (const [params, field] of [
			[catalog({ body: '' }), 'Body'],
			[catalog({ thumbnailProductRetailerId: '' }), 'Thumbnail Product Retailer ID'],
		] as const)
			await expect(send('sendInteractive', params)).rejects.toThrow(
				`node has issues:\n- Parameter "${field}" is required.`,
			);
		expect(sandbox.log).toHaveLength(0);
	});
});

describe('the sandbox refuses the catalog messages Meta refuses', () => {
	const post = (interactive: IDataObject) => postInteractive(sandbox, interactive);

	test.each<[string, number, IDataObject, RegExp]>([
		[
			'a catalog message without a body',
			131008,
			{
				type: 'catalog_message',
				action: { name: 'catalog_message', parameters: { thumbnail_product_retailer_id: 'p1' } },
			},
			/interactive\.body is required for catalog_message/,
		],
		[
			'a catalog message without a thumbnail (the schema)',
			100,
			{
				type: 'catalog_message',
				body: { text: 'b' },
				action: { name: 'catalog_message', parameters: {} },
			},
			/thumbnail_product_retailer_id: is required/,
		],
	])('%s: code %d', async (_name, code, interactive, details) => {
		const { status, error } = await post(JSON.parse(JSON.stringify(interactive)) as IDataObject);
		expect(status).toBe(400);
		expect(error).toMatchObject({ code, type: 'OAuthException' });
		expect((error?.error_data as IDataObject).details).toMatch(details);
		expect(sandbox.accepted).toHaveLength(0);
	});
});
