/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import * as http from 'http';
import type { AddressInfo } from 'net';

import {
	appSecretProof,
	credentialApiVersion,
	credentialBaseUrl,
	credentialText,
	WhatsAppCloudApi,
} from '../../credentials/WhatsAppCloudApi.credentials';
import { runAction, testCredential } from '../../dev/harness/engine';
import { startSandbox } from '../../dev/harness/sandbox';
import type { GraphSandbox } from '../../dev/sandbox/server';

type Answer = { status: number; type?: string; body: string };

/**
 * What a wrong Base URL (or Meta itself, for the Meta-shaped ones) can answer the credential
 * test. The test calls `/<version>/<phone number ID>`, so the phone number ID picks the answer.
 */
const ANSWERS: Record<string, Answer> = {
	'html-404': {
		status: 404,
		type: 'text/html',
		body: '<html><body><h1>Not Found</h1></body></html>',
	},
	'gateway-502': {
		status: 502,
		type: 'text/html',
		body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
	},
	'firewall-403': {
		status: 403,
		type: 'text/html',
		body: '<html><body>Access denied by the firewall</body></html>',
	},
	'html-200': {
		status: 200,
		type: 'text/html',
		body: '<!doctype html><html><body>Sign in to continue</body></html>',
	},
	'json-200-no-id': { status: 200, type: 'application/json', body: '{"status":"ok"}' },
	'empty-200': { status: 200, body: '' },
	'meta-0': {
		status: 401,
		type: 'application/json',
		body: '{"error":{"message":"(#0) Could not authenticate the user","type":"OAuthException","code":0,"fbtrace_id":"A"}}',
	},
	'meta-10': {
		status: 403,
		type: 'application/json',
		body: '{"error":{"message":"(#10) Application does not have permission for this action","type":"OAuthException","code":10,"fbtrace_id":"B"}}',
	},
	'meta-200': {
		status: 403,
		type: 'application/json',
		body: '{"error":{"message":"(#200) Permissions error","type":"OAuthException","code":200,"fbtrace_id":"C"}}',
	},
	// a WABA ID pasted as the phone number ID: the object exists, the field does not
	'meta-100-field': {
		status: 400,
		type: 'application/json',
		body: '{"error":{"message":"(#100) Tried accessing nonexisting field (display_phone_number) on node type (WhatsAppBusinessAccount)","type":"OAuthException","code":100,"fbtrace_id":"D"}}',
	},
};

/** A tiny HTTP server that answers each request with ANSWERS[last path segment]. */
async function startAnswers(): Promise<{
	url: string;
	paths: string[];
	stop: () => Promise<void>;
}> {
	const paths: string[] = [];
	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		paths.push(url.pathname);
		const answer = ANSWERS[url.pathname.split('/').pop() ?? ''] ?? {
			status: 500,
			body: 'no such answer',
		};
		res
			.writeHead(answer.status, answer.type ? { 'content-type': answer.type } : {})
			.end(answer.body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		paths,
		stop: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('credential test (n8n RoutingNode against the sandbox)', () => {
	let sandbox: GraphSandbox;
	let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];

	beforeAll(async () => {
		({ sandbox, credentials } = await startSandbox({ expiredTokens: ['expired-token'] }));
	});
	afterAll(async () => await sandbox.stop());

	test('a good token reads the phone number: display number, verified name, quality rating', async () => {
		const result = await testCredential(credentials);
		expect(result.status).toBe('OK');
		expect(result.response).toEqual({
			id: '106540352242922',
			display_phone_number: '15550783881',
			verified_name: 'Lucky Shrub',
			quality_rating: 'GREEN',
			platform_type: 'CLOUD_API',
		});
		const last = sandbox.log[sandbox.log.length - 1];
		expect(last.path).toBe('/v25.0/106540352242922');
	});

	test('a number that is not registered (deregistered here) fails the test, pointing at Phone Number > Register', async () => {
		const deregistered = await fetch(`${sandbox.url}/v25.0/106540352242922/deregister`, {
			method: 'POST',
			headers: { authorization: `Bearer ${credentials.accessToken as string}` },
		});
		expect(deregistered.status).toBe(200);
		try {
			const result = await testCredential(credentials);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/not registered with the Cloud API/);
			expect(result.message).toMatch(/Phone Number > Register/);
		} finally {
			sandbox.registrations.clear();
		}
		expect((await testCredential(credentials)).status).toBe('OK');
	});

	test('an expired token (190) says so and says to make a permanent system-user token', async () => {
		const result = await testCredential({ ...credentials, accessToken: 'expired-token' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/error 190/);
		expect(result.message).toMatch(/expired/);
		expect(result.message).toMatch(/System users/);
		expect(result.message).not.toContain('expired-token');
	});

	test('an unknown token is also reported as 190', async () => {
		const result = await testCredential({ ...credentials, accessToken: 'nonsense' });
		expect(result).toMatchObject({ status: 'Error' });
		expect(result.message).toMatch(/190/);
	});

	test('a wrong phone number ID gets the hint for error 100', async () => {
		const result = await testCredential({ ...credentials, phoneNumberId: '999' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Phone Number ID/);
		expect(result.message).toMatch(/subcode 33/);
		expect(result.message).not.toMatch(/appsecret_proof|App Secret/);
	});

	test('a phone number ID with a path or a query stays one path segment: it never reads another object', async () => {
		for (const phoneNumberId of [
			'106540352242922/..',
			'106540352242922?fields=id',
			'106540352242922#x',
		]) {
			const before = sandbox.log.length;
			const result = await testCredential({ ...credentials, phoneNumberId });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/Phone Number ID/);
			expect(sandbox.log.slice(before).map((l) => l.path)).toEqual([
				`/v25.0/${encodeURIComponent(phoneNumberId)}`,
			]);
		}
	});

	describe('a Base URL with a run of 100,000 slashes (the trim used to be tried at each of them)', () => {
		const run = '/'.repeat(100_000);

		test('credentialBaseUrl removes the trailing run only, and keeps one inside', () => {
			expect(credentialBaseUrl({ baseUrl: `https://x${run}a` })).toBe(`https://x${run}a`);
			expect(credentialBaseUrl({ baseUrl: `https://x${run}` })).toBe('https://x');
			expect(credentialBaseUrl({ baseUrl: `https://x${run}a${run}` })).toBe(`https://x${run}a`);
			expect(credentialBaseUrl({ baseUrl: run })).toBe('');
		});

		test("the credential test's own trim (an n8n expression) does the same", async () => {
			const before = sandbox.log.length;
			const trailing = await testCredential({ ...credentials, baseUrl: `${sandbox.url}${run}` });
			expect(trailing.status).toBe('OK');
			expect(sandbox.log.slice(before).map((l) => l.path)).toEqual(['/v25.0/106540352242922']);
			// the run inside stays in the address, which no server answers as the Graph API
			const inside = await testCredential({ ...credentials, baseUrl: `${sandbox.url}${run}a/` });
			expect(inside.status).toBe('Error');
		});

		test('the nodes call the Base URL without its trailing run; a run inside stays', async () => {
			const send = async (baseUrl: string) =>
				await runAction(
					{ resource: 'message', operation: 'sendText', to: '16505551234', text: 'hi' },
					{ ...credentials, baseUrl },
				);
			const before = sandbox.log.length;
			expect((await send(`${sandbox.url}${run}`)).error).toBeUndefined();
			expect(sandbox.log.slice(before).map((l) => l.path)).toEqual([
				'/v25.0/106540352242922/messages',
			]);
			const inside = await send(`${sandbox.url}${run}a`);
			expect(inside.error).toBeDefined();
			expect(sandbox.log.slice(before + 1)).toEqual([]);
		});
	});

	test('the API version and base URL of the credential are used (trailing slash tolerated)', async () => {
		const before = sandbox.log.length;
		const result = await testCredential({
			...credentials,
			apiVersion: 'v23.0',
			baseUrl: `${sandbox.url}/`,
		});
		expect(result.status).toBe('OK');
		expect(sandbox.log.slice(before).map((l) => l.path)).toEqual(['/v23.0/106540352242922']);
	});

	describe('API Version: the versions Meta supports, and Other for a newer one', () => {
		test('the list runs from the newest (v27.0) to v21.0, with Other last; v25.0 stays the default', () => {
			const field = new WhatsAppCloudApi().properties.find((p) => p.name === 'apiVersion')!;
			expect(field.options!.map((o) => (o as { value: string }).value)).toEqual([
				'v27.0',
				'v26.0',
				'v25.0',
				'v24.0',
				'v23.0',
				'v22.0',
				'v21.0',
				'other',
			]);
			expect(field.default).toBe('v25.0');
		});

		test('Other takes the typed version, trimmed; empty falls back to the default', () => {
			expect(credentialApiVersion({ apiVersion: 'other', apiVersionOther: ' v28.0\n' })).toBe(
				'v28.0',
			);
			expect(credentialApiVersion({ apiVersion: 'other', apiVersionOther: '' })).toBe('v25.0');
			// the typed version counts only under Other
			expect(credentialApiVersion({ apiVersion: 'v24.0', apiVersionOther: 'v28.0' })).toBe('v24.0');
		});

		test('the credential test and the nodes call a version typed under Other', async () => {
			const other = { ...credentials, apiVersion: 'other', apiVersionOther: 'v28.0' };
			const before = sandbox.log.length;
			expect((await testCredential(other)).status).toBe('OK');
			const sent = await runAction(
				{ resource: 'message', operation: 'sendText', to: '16505551234', text: 'hi' },
				other,
			);
			expect(sent.error).toBeUndefined();
			expect(sandbox.log.slice(before).map((l) => l.path)).toEqual([
				'/v28.0/106540352242922',
				'/v28.0/106540352242922/messages',
			]);
		});

		test.each(['v28.0/../106540352242922', '28.0', 'v28', 'latest', 'v28.0?x=1'])(
			'a typed version that is not one (%p) fails naming the field, before any request',
			async (version) => {
				const before = sandbox.log.length;
				const sent = await runAction(
					{ resource: 'message', operation: 'sendText', to: '16505551234', text: 'hi' },
					{ ...credentials, apiVersion: 'other', apiVersionOther: version },
				);
				expect(sent.error?.message).toBe(
					`The credential's API Version "${version}" is not a Graph API version such as v27.0`,
				);
				expect(sandbox.log.slice(before)).toEqual([]);
			},
		);

		test('the credential test keeps a typed version to one path segment', async () => {
			const before = sandbox.log.length;
			const result = await testCredential({
				...credentials,
				apiVersion: 'other',
				apiVersionOther: 'v25.0/106540352242922/messages?',
			});
			expect(result.status).toBe('Error');
			expect(sandbox.log.slice(before).map((l) => l.path)).not.toContain(
				'/v25.0/106540352242922/messages',
			);
		});
	});

	test('with "Add App Secret Proof" every call carries appsecret_proof', async () => {
		const strict = await startSandbox({ requireProof: true });
		try {
			expect((await testCredential({ ...strict.credentials, useProof: false })).status).toBe(
				'Error',
			);
			expect((await testCredential({ ...strict.credentials, useProof: true })).status).toBe('OK');
			expect(
				(await testCredential({ ...strict.credentials, useProof: true, appSecret: 'wrong' }))
					.status,
			).toBe('Error');
		} finally {
			await strict.sandbox.stop();
		}
	});

	test('appsecret_proof is the HMAC-SHA256 of the token keyed with the app secret', () => {
		// Reference computed independently: printf token | openssl dgst -sha256 -hmac secret
		expect(appSecretProof('token', 'secret')).toBe(
			'e941110e3d2bfe82621f0e3e1434730d7305d106c5f68c87165d0b27a4611a4a',
		);
	});
});

describe('credential fields with stray white space (one trimming rule everywhere)', () => {
	let strict: Awaited<ReturnType<typeof startSandbox>>;
	/** Every text field as it arrives when pasted with a space or a line break around it. */
	let padded: Record<string, string | boolean>;

	beforeAll(async () => {
		strict = await startSandbox({ requireProof: true });
		const c = strict.credentials;
		padded = {
			...(c as Record<string, string | boolean>),
			accessToken: ` ${String(c.accessToken)}\n`,
			appSecret: `${String(c.appSecret)} \n`,
			phoneNumberId: `\t${String(c.phoneNumberId)} `,
			businessAccountId: ` ${String(c.businessAccountId)}\n`,
			apiVersion: ' v25.0 ',
			baseUrl: `  ${strict.sandbox.url}/ \n`,
			useProof: true,
		};
	});
	afterAll(async () => await strict.sandbox.stop());

	test.each(['accessToken', 'appSecret', 'phoneNumberId', 'apiVersion', 'baseUrl'])(
		'the credential test passes with white space around %s alone (proof required)',
		async (field) => {
			const before = strict.sandbox.log.length;
			const result = await testCredential({
				...strict.credentials,
				useProof: true,
				[field]: padded[field],
			});
			expect(result).toMatchObject({ status: 'OK', response: { id: '106540352242922' } });
			expect(strict.sandbox.log.slice(before).map((l) => `${l.path} ${l.status}`)).toEqual([
				'/v25.0/106540352242922 200',
			]);
		},
	);

	test('the credential test passes with white space around every field at once', async () => {
		expect(await testCredential(padded)).toMatchObject({
			status: 'OK',
			response: { id: '106540352242922' },
		});
	});

	test("the nodes' own calls carry the proof of the trimmed App Secret too (authenticate)", async () => {
		const { error, items } = await runAction(
			{ resource: 'message', operation: 'sendText', to: '16505551234', text: 'hi' },
			padded,
		);
		expect(error?.message).toBeUndefined();
		expect(items[0].json.messageId).toEqual(expect.any(String));
		expect(strict.sandbox.accepted).toHaveLength(1);
	});

	test('credentialText is the rule: text without surrounding white space, empty for nothing; Base URL and version add their defaults', () => {
		expect(credentialText({ appSecret: ' s3cr3t\r\n' }, 'appSecret')).toBe('s3cr3t');
		expect(credentialText({ phoneNumberId: 106540352242922 }, 'phoneNumberId')).toBe(
			'106540352242922',
		);
		expect(credentialText({}, 'appId')).toBe('');
		expect(credentialText({ appId: null as unknown as string }, 'appId')).toBe('');
		expect(credentialBaseUrl({ baseUrl: ' http://127.0.0.1:8080// \n' })).toBe(
			'http://127.0.0.1:8080',
		);
		expect(credentialBaseUrl({ baseUrl: '   ' })).toBe('https://graph.facebook.com');
		expect(credentialApiVersion({ apiVersion: ' v23.0\n' })).toBe('v23.0');
		expect(credentialApiVersion({})).toBe('v25.0');
	});
});

describe('credential test: every failure is told apart (n8n RoutingNode against the sandbox and a plain HTTP server)', () => {
	let sandbox: GraphSandbox;
	let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];
	let strict: Awaited<ReturnType<typeof startSandbox>>;
	let answers: Awaited<ReturnType<typeof startAnswers>>;
	const at = (phoneNumberId: string) =>
		testCredential({ ...credentials, baseUrl: answers.url, phoneNumberId });

	beforeAll(async () => {
		({ sandbox, credentials } = await startSandbox({ expiredTokens: ['expired-token'] }));
		strict = await startSandbox({ requireProof: true });
		answers = await startAnswers();
	});
	afterAll(async () => {
		await answers.stop();
		await strict.sandbox.stop();
		await sandbox.stop();
	});

	test('a wrong App Secret (Meta: 400, GraphMethodException 100 "Invalid appsecret_proof") is reported as such, not as a wrong phone number ID', async () => {
		const result = await testCredential({
			...strict.credentials,
			useProof: true,
			appSecret: 'not-the-app-secret',
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Meta error 100: invalid appsecret_proof/);
		expect(result.message).toMatch(/App Secret/);
		expect(result.message).not.toMatch(/subcode 33|no phone number/);
		expect(result.message).not.toContain('not-the-app-secret');
	});

	test('an app that requires appsecret_proof, tested without it, says to turn on "Add App Secret Proof"', async () => {
		const result = await testCredential({ ...strict.credentials, useProof: false });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/requires appsecret_proof/);
		expect(result.message).toMatch(/Turn on "Add App Secret Proof"/);
	});

	test.each([
		['html-404', 404],
		['gateway-502', 502],
	])('a Base URL answering %s fails, naming the status and the Base URL', async (id, status) => {
		const result = await at(id);
		expect(result).toEqual({
			status: 'Error',
			message: `The Base URL answered HTTP ${status} with something that is not the Graph API: check the Base URL of this credential (normally https://graph.facebook.com, or your proxy's or sandbox's address).`,
		});
	});

	test.each(['firewall-403', 'html-200', 'json-200-no-id', 'empty-200'])(
		'a Base URL answering %s (no Graph error, no phone number) fails and names the Base URL',
		async (id) => {
			const result = await at(id);
			expect(result.status).toBe('Error');
			expect(result.message).toBe(
				"The Base URL answered with something that is not a WhatsApp phone number from the Graph API: check the Base URL of this credential (normally https://graph.facebook.com, or your proxy's or sandbox's address).",
			);
		},
	);

	test.each([
		['meta-0', /^Meta error 0: Meta could not authenticate the token/],
		['meta-10', /^Meta error 10: permission denied/],
		['meta-200', /^Meta error 200: the token lacks a permission/],
		['meta-100-field', /^Meta error 100: Meta refused a parameter of the test call/],
	])("Meta's %s gets its own text", async (id, text) => {
		const result = await at(id);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(text);
	});

	test('each case has its own message, and none carries the token or the App Secret', async () => {
		const results = {
			expired: await testCredential({ ...credentials, accessToken: 'expired-token' }),
			phoneNumberId: await testCredential({ ...credentials, phoneNumberId: '999' }),
			wrongProof: await testCredential({
				...strict.credentials,
				useProof: true,
				appSecret: 'not-the-app-secret',
			}),
			missingProof: await testCredential({ ...strict.credentials, useProof: false }),
			...Object.fromEntries(
				await Promise.all(
					[
						'html-404',
						'gateway-502',
						'firewall-403',
						'meta-0',
						'meta-10',
						'meta-200',
						'meta-100-field',
					].map(async (id) => [id, await at(id)]),
				),
			),
		};
		const messages = Object.values(results).map(
			(r) => (r as { status: string; message: string }).message,
		);
		expect(Object.values(results).every((r) => (r as { status: string }).status === 'Error')).toBe(
			true,
		);
		expect(new Set(messages).size).toBe(messages.length);
		for (const message of messages) {
			for (const secret of [
				credentials.accessToken,
				credentials.appSecret,
				'expired-token',
				'not-the-app-secret',
			])
				expect(message).not.toContain(String(secret));
		}
	});
});
