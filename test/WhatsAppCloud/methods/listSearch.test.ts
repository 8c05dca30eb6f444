import {
	getCatalogs,
	getPhoneNumbers,
	searchTemplates,
} from '../../../nodes/WhatsAppCloud/methods/listSearch';
import { actionLoadOptions } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import { addTestTemplates } from '../../../dev/harness/templates';
import {
	SANDBOX_CATALOG_ID,
	SANDBOX_WABA_ID,
	type GraphSandbox,
} from '../../../dev/sandbox/server';

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

describe('template picker', () => {
	test('the template picker lists name, language, status and category, searchable and paged', async () => {
		const ctx = actionLoadOptions(
			{ resource: 'message', operation: 'sendTemplate' },
			credentials,
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
			const ctx = actionLoadOptions(
				{ resource: 'message', operation: 'sendText' },
				credentials,
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

describe('catalog picker', () => {
	const context = () =>
		actionLoadOptions(
			{ resource: 'message', operation: 'sendInteractive', interactiveType: 'product' },
			credentials,
			'parameters.catalogId',
		);

	test("the account's connected catalog, by name and ID, read from the account's product_catalogs", async () => {
		expect(await getCatalogs.call(context())).toEqual({
			results: [{ name: `Lucky Shrub Plants (${SANDBOX_CATALOG_ID})`, value: SANDBOX_CATALOG_ID }],
		});
		expect(sandbox.log.map((l) => `${l.method} ${l.path}`)).toEqual([
			`GET /v25.0/${SANDBOX_WABA_ID}/product_catalogs`,
		]);
	});

	test('an account without a connected catalog lists none', async () => {
		const connected = sandbox.catalogs.get(SANDBOX_WABA_ID)!;
		sandbox.catalogs.set(SANDBOX_WABA_ID, []);
		try {
			expect(await getCatalogs.call(context())).toEqual({ results: [] });
		} finally {
			sandbox.catalogs.set(SANDBOX_WABA_ID, connected);
		}
	});
});
