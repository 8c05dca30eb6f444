import { appSecretProof } from '../credentials/WhatsAppCloudApi.credentials';
import { testCredential } from './harness/engine';
import { startSandbox } from './helpers/sandbox';
import type { GraphSandbox } from './sandbox/server';

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
		});
		const last = sandbox.log[sandbox.log.length - 1];
		expect(last.path).toBe('/v25.0/106540352242922');
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
	});

	test('the API version and base URL of the credential are used (trailing slash tolerated)', async () => {
		const before = sandbox.log.length;
		const result = await testCredential({ ...credentials, apiVersion: 'v23.0', baseUrl: `${sandbox.url}/` });
		expect(result.status).toBe('OK');
		expect(sandbox.log.slice(before).map((l) => l.path)).toEqual(['/v23.0/106540352242922']);
	});

	test('with "Add App Secret Proof" every call carries appsecret_proof', async () => {
		const strict = await startSandbox({ requireProof: true });
		try {
			expect((await testCredential({ ...strict.credentials, useProof: false })).status).toBe('Error');
			expect((await testCredential({ ...strict.credentials, useProof: true })).status).toBe('OK');
			expect((await testCredential({ ...strict.credentials, useProof: true, appSecret: 'wrong' })).status).toBe('Error');
		} finally {
			await strict.sandbox.stop();
		}
	});

	test('appsecret_proof is the HMAC-SHA256 of the token keyed with the app secret', () => {
		// Reference computed independently: printf token | openssl dgst -sha256 -hmac secret
		expect(appSecretProof('token', 'secret')).toBe('e941110e3d2bfe82621f0e3e1434730d7305d106c5f68c87165d0b27a4611a4a');
	});
});
