import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { GraphConfig } from '../../../nodes/shared/transport';
import { OperationContext } from '../../../nodes/WhatsAppCloud/transport/context';
import { Throttle } from '../../../nodes/WhatsAppCloud/transport/throttle';

// `once` and `tally` use neither the node's functions nor the credential
const context = () =>
	new OperationContext(
		{} as IExecuteFunctions,
		{} as GraphConfig,
		new Throttle({ ratePerSecond: Infinity, maxConcurrent: 1, maxRetries: 0 }),
	);

describe('OperationContext: what the items of one execution share', () => {
	test('once: items asking at the same time share one read; another key is read apart', async () => {
		const ctx = context();
		let reads = 0;
		const read = async () => {
			reads++;
			await sleep(5);
			return 'EUR';
		};
		const answers = await Promise.all([
			ctx.once('currency:1', read),
			ctx.once('currency:1', read),
			ctx.once('currency:2', read),
		]);
		expect(answers).toEqual(['EUR', 'EUR', 'EUR']);
		expect(reads).toBe(2);
	});

	test('once: a failed read is not made again in the same execution; each item gets its error', async () => {
		const ctx = context();
		let reads = 0;
		const read = async () => {
			reads++;
			throw new Error('(#100) Unknown template');
		};
		await expect(ctx.once('template:id:1', read)).rejects.toThrow('Unknown template');
		await expect(ctx.once('template:id:1', read)).rejects.toThrow('Unknown template');
		expect(reads).toBe(1);
	});

	test('once and tally start empty in each execution', async () => {
		const first = context();
		first.tally('reservedPlaces').set('group', 3);
		await first.once('k', async () => 1);
		const second = context();
		expect(second.tally('reservedPlaces').get('group')).toBeUndefined();
		expect(await second.once('k', async () => 2)).toBe(2);
		expect(first.tally('reservedPlaces').get('group')).toBe(3);
	});
});
