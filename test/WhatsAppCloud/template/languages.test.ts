import { runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import type { GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => {
		sandbox.log.length = 0;
	},
);

const create = async (language: Record<string, string>, name = 'language_check') =>
	await runOperation(credentials, 'template', 'create', {
		templateName: name,
		category: 'UTILITY',
		bodyText: 'Your order has shipped.',
		...language,
	});

const createCalls = () => sandbox.log.filter((l) => l.path.endsWith('/message_templates'));

describe('template language', () => {
	test('a code from the list is sent as it is', async () => {
		const { items, error } = await create({ language: 'pt_BR' }, 'shipped_pt');
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ name: 'shipped_pt', language: 'pt_BR' });
	});

	test('"Other Code" sends the typed code', async () => {
		const { items, error } = await create(
			{ language: 'other', otherLanguage: ' en_NG ' },
			'shipped_ng',
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ language: 'en_NG' });
	});

	test('a web locale (en-US) fails before any request, naming the field and the fix', async () => {
		const { error } = await create({ language: 'other', otherLanguage: 'en-US' });
		expect(error?.message).toBe('Language Code "en-US" is not a language code Meta uses [item 0]');
		expect(error?.description).toContain('Here: en_US.');
		expect(createCalls()).toHaveLength(0);
	});

	test('an expression giving an empty code names the Language field', async () => {
		const { error } = await create({ language: '={{ "" }}' });
		expect(error?.message).toMatch(/^Language "" is not a language code Meta uses \[item 0\]/);
		expect(createCalls()).toHaveLength(0);
	});
});
