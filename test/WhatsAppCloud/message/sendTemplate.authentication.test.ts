/**
 * Send Template with an authentication template (Meta's copy-code, one-tap and zero-tap pages): one
 * field, Code, fills the body and the code button, exactly as Meta takes it; a code of more than 15
 * characters is refused before sending. Templates created by the node are sent the same way once
 * approved, and the sandbox refuses a send without the button's code.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runAction, runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import { rl } from '../../../dev/harness/templates';
import {
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_TOKEN,
	type GraphSandbox,
} from '../../../dev/sandbox/server';
import { KIND_TEMPLATE_IDS } from '../../../dev/sandbox/templates';
import { clearSends, head, TO } from './send';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => clearSends(sandbox),
);

const send = async (template: string, value: IDataObject, to = TO) =>
	await runAction(
		{
			resource: 'message',
			operation: 'sendTemplate',
			to,
			template: rl(template),
			templateVariables: { mappingMode: 'defineBelow', value, matchingColumns: [], schema: [] },
		} as INodeParameters,
		credentials,
	);
const messageCalls = () => sandbox.log.filter((l) => l.path.endsWith('/messages'));

/** The components Meta takes for a code: in the body, and again as the code button's URL text. */
const codeComponents = (code: string) => [
	{ type: 'body', parameters: [{ type: 'text', text: code }] },
	{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: code }] },
];

describe('Send Template: authentication templates', () => {
	test('copy code, one tap and zero tap: the Code fills the body and the button, exactly as Meta takes it', async () => {
		const kinds: Array<[string, string]> = [
			[KIND_TEMPLATE_IDS.copyCode, 'verify_code_copy'],
			[KIND_TEMPLATE_IDS.oneTap, 'verify_code_one_tap'],
			[KIND_TEMPLATE_IDS.zeroTap, 'verify_code_zero_tap'],
		];
		for (const [id, name] of kinds) {
			clearSends(sandbox);
			const { error, items } = await send(id, { body_1: 'J$FpnYnP' });
			expect(error).toBeUndefined();
			expect(sandbox.accepted[0].body).toEqual({
				...head,
				type: 'template',
				template: { name, language: { code: 'en_US' }, components: codeComponents('J$FpnYnP') },
			});
			expect(items[0].json).toMatchObject({
				messageStatus: 'accepted',
				template: { category: 'AUTHENTICATION' },
			});
		}
	});

	test('a code of 15 characters is sent; 16, or none, is refused before sending', async () => {
		const fifteen = 'A1B2C3D4E5F6G7H';
		expect((await send(KIND_TEMPLATE_IDS.copyCode, { body_1: fifteen })).error).toBeUndefined();
		expect((sandbox.accepted[0].body.template as IDataObject).components).toEqual(
			codeComponents(fifteen),
		);
		clearSends(sandbox);
		const long = await send(KIND_TEMPLATE_IDS.copyCode, { body_1: `${fifteen}I` });
		expect(long.error?.message).toBe(
			'Template variable "Code" is too long: 16 characters (an authentication code may have at most 15) [item 0]',
		);
		const empty = await send(KIND_TEMPLATE_IDS.copyCode, { body_1: '' });
		expect(empty.error?.message).toBe(
			'Template variable "Code" is empty; the template needs a value [item 0]',
		);
		const spaced = await send(KIND_TEMPLATE_IDS.copyCode, { body_1: '123\t456' });
		expect(spaced.error?.message).toBe(
			'Template variable "Code" contains a tab, which WhatsApp does not allow in a template parameter [item 0]',
		);
		expect(messageCalls()).toHaveLength(0);
	});

	test('a code with an emoji or a link is refused before sending: WhatsApp takes neither in it', async () => {
		const emoji =
			'contains an emoji, which WhatsApp does not allow in an authentication code [item 0]';
		const link =
			'contains a link, which WhatsApp does not allow in an authentication code [item 0]';
		for (const [code, problem] of [
			['1234🔑', emoji],
			['🇩🇪4829', emoji],
			['1️⃣4829', emoji],
			['4829\u2764\uFE0F', emoji],
			['https://x.io', link],
			['HTTP://x.io/a', link],
			['www.x.io', link],
		]) {
			const refused = await send(KIND_TEMPLATE_IDS.copyCode, { body_1: code });
			expect(refused.error?.name).toBe('NodeOperationError');
			expect(refused.error?.message).toBe(`Template variable "Code" ${problem}`);
			expect(String(refused.error?.description)).toMatch(/Nothing was sent/);
		}
		expect(messageCalls()).toHaveLength(0);
		// letters, digits and signs are a code
		expect(
			(await send(KIND_TEMPLATE_IDS.copyCode, { body_1: 'x.io-4829#*' })).error,
		).toBeUndefined();
	});

	test('a workflow saved with the former button field: the same code is accepted, another one refused', async () => {
		const same = await send(KIND_TEMPLATE_IDS.oneTap, { body_1: '482913', button_0: '482913' });
		expect(same.error).toBeUndefined();
		expect((sandbox.accepted[0].body.template as IDataObject).components).toEqual(
			codeComponents('482913'),
		);
		clearSends(sandbox);
		const other = await send(KIND_TEMPLATE_IDS.oneTap, { body_1: '482913', button_0: '111111' });
		expect(other.error?.message).toBe(
			'Template variable "button_0" is no longer filled separately: the field "Code" fills the body and the code button; clear this one (refresh the template\'s variables in the node) [item 0]',
		);
		expect(messageCalls()).toHaveLength(0);
	});

	test('created by the node, approved, then sent with its code', async () => {
		const created = await runOperation(credentials, 'template', 'create', {
			templateName: 'sign_in_code',
			language: 'en_US',
			category: 'AUTHENTICATION',
			otpType: 'ONE_TAP',
			supportedApps: { app: [{ packageName: 'com.example.app', signatureHash: 'K8a/AINcGX7' }] },
			codeExpirationMinutes: 10,
		});
		expect(created.error).toBeUndefined();
		const id = String(created.items[0].json.id);
		await sandbox.reviewTemplate(id);
		const { error } = await send(id, { body_1: '271828' });
		expect(error).toBeUndefined();
		expect(sandbox.accepted[0].body.template).toEqual({
			name: 'sign_in_code',
			language: { code: 'en_US' },
			components: codeComponents('271828'),
		});
	});

	test('the sandbox refuses a code without its button, or longer than 15, as Meta does', async () => {
		const post = async (components: IDataObject[]) => {
			const response = await fetch(`${sandbox.url}/v25.0/${SANDBOX_PHONE_NUMBER_ID}/messages`, {
				method: 'POST',
				headers: { authorization: `Bearer ${SANDBOX_TOKEN}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					messaging_product: 'whatsapp',
					to: TO,
					type: 'template',
					template: { name: 'verify_code_copy', language: { code: 'en_US' }, components },
				}),
			});
			const { error } = (await response.json()) as { error?: IDataObject };
			return error && [error.code, (error.error_data as IDataObject).details];
		};
		expect(await post(codeComponents('123456'))).toBeUndefined();
		expect(await post(codeComponents('123456').slice(0, 1))).toEqual([
			131008,
			'Parameter value for URL was expected but was not found',
		]);
		expect(await post(codeComponents('1234567890123456'))).toEqual([
			131009,
			'body: an authentication code may have at most 15 characters, this one has 16',
		]);
	});
});
