import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	GraphSandbox,
	SANDBOX_APP_SECRET,
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_TOKEN,
	SANDBOX_WABA_ID,
	type SandboxOptions,
} from '../sandbox/server';

/** Starts a sandbox and returns it with credentials pointing at it. */
export async function startSandbox(options: SandboxOptions = {}) {
	const sandbox = await new GraphSandbox(options).start();
	const credentials: ICredentialDataDecryptedObject = {
		accessToken: SANDBOX_TOKEN,
		appSecret: SANDBOX_APP_SECRET,
		phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
		businessAccountId: SANDBOX_WABA_ID,
		appId: '',
		apiVersion: 'v25.0',
		baseUrl: sandbox.url,
		useProof: false,
	};
	return { sandbox, credentials };
}

export type SandboxCredentials = ICredentialDataDecryptedObject;

/**
 * One sandbox for a test file: started before its tests, stopped after them. `set` receives it
 * (the file keeps its own `sandbox` and `credentials`); `clear` runs before each test.
 */
export function useSandbox(
	set: (started: { sandbox: GraphSandbox; credentials: SandboxCredentials }) => void,
	clear?: () => void,
	options: SandboxOptions = {},
): void {
	let started: GraphSandbox | undefined;
	beforeAll(async () => {
		const result = await startSandbox(options);
		started = result.sandbox;
		set(result);
	});
	afterAll(async () => await started?.stop());
	if (clear) beforeEach(clear);
}
