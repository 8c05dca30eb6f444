import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runAction } from '../../../dev/harness/engine';
import { startSandbox } from '../../../dev/harness/sandbox';
import { addTestTemplates } from '../../../dev/harness/templates';
import type { GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];

beforeAll(async () => {
	({ sandbox, credentials } = await startSandbox());
	addTestTemplates(sandbox);
});
afterAll(async () => await sandbox.stop());
beforeEach(() => {
	sandbox.accepted.length = 0;
	sandbox.log.length = 0;
});

const manage = async (operation: string, parameters: INodeParameters, input?: IDataObject[]) =>
	await runAction(
		{ resource: 'template', operation, ...parameters },
		credentials,
		(input ?? [{}]).map((json) => ({ json })),
	);

describe('template management against the sandbox', () => {
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
});
