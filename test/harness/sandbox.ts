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
