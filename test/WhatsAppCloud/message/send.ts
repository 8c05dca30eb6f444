import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runAction } from '../../../dev/harness/engine';
import { type startSandbox, useSandbox } from '../../../dev/harness/sandbox';
import type { GraphSandbox } from '../../../dev/sandbox/server';

type Env = {
	sandbox: GraphSandbox;
	credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];
};

/** The recipient of every send in the message tests. */
export const TO = '+491511234567';

/** The envelope every send to TO carries. */
export const head = { messaging_product: 'whatsapp', recipient_type: 'individual', to: TO };

/**
 * The calls the message tests make, against the sandbox and credentials the test file started
 * (read when called, so `beforeAll` may set them).
 */
export function messageCalls(env: () => Env) {
	const send = async (
		operation: string,
		parameters: INodeParameters,
		input: IDataObject[] = [{}],
		extra = {},
	) =>
		await runAction(
			{ resource: 'message', operation, to: TO, ...parameters },
			env().credentials,
			input.map((json) => ({ json })),
			extra,
		);

	/** Sends one message and returns exactly what reached the sandbox. */
	async function sentBody(operation: string, parameters: INodeParameters, input?: IDataObject[]) {
		const { sandbox } = env();
		const { error, items } = await send(operation, parameters, input);
		if (error) throw error;
		expect(sandbox.accepted).toHaveLength(1);
		expect(items[0].json.messageId).toBe(sandbox.accepted[0].id);
		return sandbox.accepted[0].body;
	}

	/**
	 * A limit of Meta's: the value just inside is sent; the value just outside, in item 0 of two,
	 * fails with `message` naming the item, before any request.
	 */
	async function insideAndOutside(
		operation: string,
		params: (ok: boolean) => INodeParameters,
		message: RegExp,
	) {
		const { sandbox } = env();
		const inside = await send(operation, params(true));
		expect(inside.error).toBeUndefined();
		expect(sandbox.accepted).toHaveLength(1);
		sandbox.log.length = 0;
		const outside = await send(operation, params(false), [{}, {}]);
		expect(outside.error?.name).toBe('NodeOperationError');
		expect(outside.error?.message).toMatch(message);
		expect(outside.error?.message).toMatch(/\[item 0\]$/);
		expect(sandbox.log).toHaveLength(0);
	}

	return { send, sentBody, insideAndOutside };
}

/** Before each message test: nothing accepted, logged or uploaded yet. */
export function clearSends(sandbox: GraphSandbox): void {
	sandbox.accepted.length = 0;
	sandbox.log.length = 0;
	sandbox.uploads.length = 0;
}

/**
 * A message test file's set-up: one sandbox for the file, cleared before each test (by `clear`,
 * `clearSends` unless told), and the calls against it. `set` hands the file the sandbox and
 * credentials when it needs them itself.
 */
export function useMessageSandbox(
	set?: (started: Env) => void,
	clear: (sandbox: GraphSandbox) => void = clearSends,
) {
	let env: Env | undefined;
	useSandbox(
		(started) => {
			env = started;
			set?.(started);
		},
		() => clear(env!.sandbox),
	);
	return messageCalls(() => env!);
}
