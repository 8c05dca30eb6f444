import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { type OperationArgs, runAction, runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import { SANDBOX_PHONE_NUMBER_ID, SANDBOX_WABA_ID } from '../../../dev/sandbox/graph';
import type { GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;

/** A number of the account that is neither registered nor verified yet. */
const NEW_NUMBER = '106540352249999';

useSandbox(
	(started) => {
		({ sandbox, credentials } = started);
		sandbox.options.phoneNumbers.push({
			id: NEW_NUMBER,
			display_phone_number: '15550789999',
			verified_name: 'Lucky Shrub',
			code_verification_status: 'NOT_VERIFIED',
			platform_type: 'NOT_APPLICABLE',
			wabaId: SANDBOX_WABA_ID,
		});
	},
	() => {
		sandbox.log.length = 0;
		sandbox.received.length = 0;
		sandbox.registrations.clear();
	},
	{ recordRequests: true },
);

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);
const number = (id: string) => ({ sender: { __rl: true, mode: 'id', value: id } });
const sentBody = (path: string) => {
	const request = sandbox.received.find((r) => r.path.endsWith(path));
	return request ? (JSON.parse(request.body.toString() || '{}') as IDataObject) : undefined;
};
/**
 * What a run shows of itself: the items and the error with all its fields, its Graph answer and
 * stack included. The error's `node` is left out: it is the workflow's own node, whose PIN field
 * holds what the user typed there (or the expression that gives it), as every n8n error carries it.
 */
const visible = (result: { items: unknown; error?: unknown }) => {
	const error = { ...((result.error ?? {}) as IDataObject) };
	delete error.node;
	return JSON.stringify({
		items: result.items,
		error: {
			...error,
			message: (result.error as Error | undefined)?.message,
			description: error.description,
		},
	});
};
const HOUR = 3600_000;

describe('Phone Number > Register', () => {
	test("sends Meta's register body; the output says so without the PIN", async () => {
		const result = await run('phoneNumber', 'register', { pin: '246813' });
		expect(result.error).toBeUndefined();
		expect(sentBody('/register')).toEqual({ messaging_product: 'whatsapp', pin: '246813' });
		expect(result.items.map((i) => i.json)).toEqual([
			{
				success: true,
				phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
				registered: true,
				dataLocalizationRegion: null,
			},
		]);
		expect(visible(result)).not.toContain('246813');
		expect(sandbox.registrations.get(SANDBOX_PHONE_NUMBER_ID)).toMatchObject({
			registered: true,
			pin: '246813',
		});
	});

	test('sends a Data Localization Region Meta offers', async () => {
		const result = await run('phoneNumber', 'register', {
			pin: '246813',
			dataLocalizationRegion: ' DE ',
		});
		expect(result.error).toBeUndefined();
		expect(sentBody('/register')).toEqual({
			messaging_product: 'whatsapp',
			pin: '246813',
			data_localization_region: 'DE',
		});
		expect(result.items[0].json.dataLocalizationRegion).toBe('DE');
	});

	test('a PIN from an expression: digits as text or as a number', async () => {
		const result = await run('phoneNumber', 'register', { pin: '={{ $json.pin }}' }, [
			{ json: { pin: 135790 } },
		]);
		expect(result.error).toBeUndefined();
		expect(sentBody('/register')?.pin).toBe('135790');
	});

	test.each([
		['', /^PIN is empty; it needs 6 digits \[item 1\]$/],
		['98765', /^PIN must be exactly 6 digits, got 5 \[item 1\]$/],
		['9876543', /^PIN must be exactly 6 digits, got 7 \[item 1\]$/],
		['98 765', /^PIN must be digits only \(0-9\) \[item 1\]$/],
		['98765x', /^PIN must be digits only \(0-9\) \[item 1\]$/],
		// a number loses its leading zero: 012345 arrives as 12345
		[12345, /^PIN must be exactly 6 digits, got 5 \[item 1\]$/],
		[{ pin: '987654' }, /^PIN must be 6 digits, but its expression gave an object \[item 1\]$/],
	])(
		'PIN %j of the second item is refused, naming it, before any request',
		async (pin, message) => {
			const result = await run('phoneNumber', 'register', { pin: '={{ $json.pin }}' }, [
				{ json: { pin: '246813' } },
				{ json: { pin } as IDataObject },
			]);
			expect(result.error?.message).toMatch(message);
			expect(sandbox.log).toHaveLength(0);
			for (const secret of ['98765', '9876543', '12345'])
				expect(visible(result)).not.toContain(secret);
		},
	);

	test.each([
		['de', /^Data Localization Region must be a country code of 2 capital letters, got "de"/],
		['Germany', /^Data Localization Region must be a country code of 2 capital letters/],
		['US', /^Data Localization Region "US" is not a region Meta offers \[item 0\]$/],
		[
			'={{ { "code": "DE" } }}',
			/^Data Localization Region must be text, but its expression gave an object \[item 0\]$/,
		],
	])('region %j is refused before any request', async (region, message) => {
		const result = await run('phoneNumber', 'register', {
			pin: '246813',
			dataLocalizationRegion: region,
		});
		expect(result.error?.message).toMatch(message);
		expect((result.error as IDataObject | undefined)?.description).toMatch(
			/Use one of AE, AU|Use one field of it/,
		);
		expect(sandbox.log).toHaveLength(0);
	});

	test("a wrong PIN gets Meta's 133005 with our hint, and the PIN appears nowhere", async () => {
		sandbox.registrations.set(SANDBOX_PHONE_NUMBER_ID, {
			registered: true,
			verified: true,
			pin: '111111',
			calls: [],
		});
		const result = await run('phoneNumber', 'register', { pin: '222222' });
		expect(result.error?.message).toBe(
			'WhatsApp Cloud API error 133005: Two step verification PIN Mismatch',
		);
		expect((result.error as IDataObject).description).toMatch(
			/^The two-step verification PIN is wrong/,
		);
		expect(visible(result)).not.toContain('222222');
		expect(visible(result)).not.toContain('111111');

		// with Continue On Fail, the error item
		const kept = await runAction(
			{ resource: 'phoneNumber', operation: 'register', pin: '222222' },
			credentials,
			[{ json: {} }],
			{ onError: 'continueRegularOutput' },
		);
		expect(kept.items[0].json.error).toMatch(/133005/);
		expect(JSON.stringify(kept.items)).not.toContain('222222');
	});

	test('the 11th register or deregister call in 72 hours gets 133016, and our hint says to wait', async () => {
		for (let n = 0; n < 5; n++) {
			expect((await run('phoneNumber', 'register', { pin: '246813' })).error).toBeUndefined();
			expect((await run('phoneNumber', 'deregister')).error).toBeUndefined();
		}
		const refused = await run('phoneNumber', 'register', { pin: '246813' });
		expect(refused.error?.message).toBe(
			'WhatsApp Cloud API error 133016: Account register deregister rate limit exceeded',
		);
		expect((refused.error as IDataObject).description).toMatch(
			/Meta allows 10 in a moving 72 hours .* Wait 72 hours, then register once/,
		);
		expect(visible(refused)).not.toContain('246813');
		// not retried: a retry cannot help within the window
		expect(sandbox.log.filter((l) => l.path.endsWith('/register'))).toHaveLength(6);
	});

	test('calls older than 72 hours no longer count', async () => {
		const now = Date.now();
		sandbox.registrations.set(SANDBOX_PHONE_NUMBER_ID, {
			registered: false,
			verified: true,
			calls: [
				...Array.from({ length: 9 }, () => now - 73 * HOUR),
				...Array.from({ length: 9 }, () => now - 71 * HOUR),
			],
		});
		expect((await run('phoneNumber', 'register', { pin: '246813' })).error).toBeUndefined();
		const eleventh = await run('phoneNumber', 'deregister');
		expect(eleventh.error?.message).toMatch(/^WhatsApp Cloud API error 133016/);
	});
});

describe('Phone Number > Deregister', () => {
	test('posts without a body; the output says the number is off the Cloud API', async () => {
		const result = await run('phoneNumber', 'deregister', number(SANDBOX_PHONE_NUMBER_ID));
		expect(result.error).toBeUndefined();
		expect(sandbox.received.find((r) => r.path.endsWith('/deregister'))?.body.length).toBe(0);
		expect(result.items[0].json).toEqual({
			success: true,
			phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
			registered: false,
		});
	});

	test('a number that is not registered gets 133010, and our hint points at Register', async () => {
		const result = await run('phoneNumber', 'deregister', number(NEW_NUMBER));
		expect(result.error?.message).toBe(
			'WhatsApp Cloud API error 133010: Phone number Not Registered',
		);
		expect((result.error as IDataObject).description).toMatch(/Phone Number > Register/);
	});
});

describe('Phone Number > Set Two-Step PIN', () => {
	test('sends { pin } to the number; the new PIN is the one Register then needs', async () => {
		const result = await run('phoneNumber', 'setTwoStepPin', { pin: '975310' });
		expect(result.error).toBeUndefined();
		expect(sentBody(`/${SANDBOX_PHONE_NUMBER_ID}`)).toEqual({ pin: '975310' });
		expect(result.items[0].json).toEqual({
			success: true,
			phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
			twoStepPinSet: true,
		});
		expect(visible(result)).not.toContain('975310');
		expect((await run('phoneNumber', 'register', { pin: '246813' })).error?.message).toMatch(
			/133005/,
		);
		expect((await run('phoneNumber', 'register', { pin: '975310' })).error).toBeUndefined();
	});

	test('a PIN of 5 digits is refused before any request, without showing it', async () => {
		const result = await run('phoneNumber', 'setTwoStepPin', { pin: '97531' });
		expect(result.error?.message).toBe('PIN must be exactly 6 digits, got 5 [item 0]');
		expect(visible(result)).not.toContain('97531');
		expect(sandbox.log).toHaveLength(0);
	});

	test('a number that is not registered is refused by Meta', async () => {
		const result = await run('phoneNumber', 'setTwoStepPin', {
			...number(NEW_NUMBER),
			pin: '975310',
		});
		expect(result.error?.message).toMatch(/^WhatsApp Cloud API error 133010/);
		expect(visible(result)).not.toContain('975310');
	});
});

describe('Phone Number > Request Code and Verify Code', () => {
	test('an unverified number: register asks to verify, then request, verify and register', async () => {
		const first = await run('phoneNumber', 'register', { ...number(NEW_NUMBER), pin: '246813' });
		expect(first.error?.message).toBe(
			'WhatsApp Cloud API error 133006: Phone number re-verification needed',
		);
		expect((first.error as IDataObject).description).toMatch(
			/Phone Number > Request Code.*Phone Number > Verify Code/,
		);

		const requested = await run('phoneNumber', 'requestCode', {
			...number(NEW_NUMBER),
			codeMethod: 'VOICE',
			language: 'pt_BR',
		});
		expect(requested.error).toBeUndefined();
		expect(sentBody('/request_code')).toEqual({ code_method: 'VOICE', language: 'pt_BR' });
		expect(requested.items[0].json).toEqual({
			success: true,
			phoneNumberId: NEW_NUMBER,
			codeMethod: 'VOICE',
			language: 'pt_BR',
		});

		const code = sandbox.registrations.get(NEW_NUMBER)!.code!;
		const verified = await run('phoneNumber', 'verifyCode', { ...number(NEW_NUMBER), code });
		expect(verified.error).toBeUndefined();
		expect(sentBody('/verify_code')).toEqual({ code });
		expect(verified.items[0].json).toEqual({
			success: true,
			phoneNumberId: NEW_NUMBER,
			verified: true,
		});

		const registered = await run('phoneNumber', 'register', {
			...number(NEW_NUMBER),
			pin: '246813',
		});
		expect(registered.error).toBeUndefined();
	});

	test('a wrong code is refused by Meta', async () => {
		await run('phoneNumber', 'requestCode', { ...number(NEW_NUMBER), language: 'en_US' });
		const code = sandbox.registrations.get(NEW_NUMBER)!.code!;
		const wrong = code === '000000' ? '000001' : '000000';
		const result = await run('phoneNumber', 'verifyCode', { ...number(NEW_NUMBER), code: wrong });
		expect(result.error?.message).toMatch(/^WhatsApp Cloud API error 100: The verification code/);
	});

	test.each([
		[{ language: 'en' }, /^Language must be a language and country code such as en_US, got "en"/],
		[{ language: 'EN_us' }, /^Language must be a language and country code/],
		[{ language: '={{ "" }}' }, /^Language is empty/],
		[{ language: '={{ ["en_US"] }}' }, /^Language must be text, but its expression gave a list/],
		[{ language: 'en_US', codeMethod: 'EMAIL' }, /^Code Method must be SMS or VOICE/],
	] as Array<[INodeParameters, RegExp]>)(
		'Request Code refuses %j before any request',
		async (parameters, message) => {
			const result = await run('phoneNumber', 'requestCode', parameters);
			expect(result.error?.message).toMatch(message);
			expect(sandbox.log).toHaveLength(0);
		},
	);

	test.each([
		['12345', 'Code must be exactly 6 digits, got 5 [item 0]'],
		['12 345', 'Code must be digits only (0-9) [item 0]'],
		['={{ "" }}', 'Code is empty; it needs 6 digits [item 0]'],
	])('Verify Code refuses %j before any request', async (code, message) => {
		const result = await run('phoneNumber', 'verifyCode', { code });
		expect(result.error?.message).toBe(message);
		expect(sandbox.log).toHaveLength(0);
	});
});
