import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { GraphSandbox, sandboxCredentialData, type SandboxOptions } from '../sandbox/server';

/** Starts a sandbox and returns it with credentials pointing at it. */
export async function startSandbox(options: SandboxOptions = {}) {
	const sandbox = await new GraphSandbox(options).start();
	// without the App ID: tests of the app-wide registration set it themselves
	const credentials: ICredentialDataDecryptedObject = sandboxCredentialData(sandbox.url, {
		appId: '',
	});
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

/**
 * `useSandbox` for a file that checks the requests an operation made: the sandbox records every
 * request (`sandbox.received`, with bodies) and starts each test empty (`reset`: its state, log
 * and record cleared).
 */
export function useRecordingSandbox(
	set: (started: { sandbox: GraphSandbox; credentials: SandboxCredentials }) => void,
): void {
	let sandbox: GraphSandbox | undefined;
	useSandbox(
		(started) => {
			sandbox = started.sandbox;
			set(started);
		},
		() => sandbox!.reset(),
		{ recordRequests: true },
	);
}
