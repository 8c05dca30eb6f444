/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * A customer who writes to the sandbox's number, delivered as Meta's webhook to a callback that
 * only answers 200: what the User tests need to play "wrote in the last 24 hours" end to end.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import type { CustomerOptions } from '../../../dev/sandbox/webhooks';
import type { GraphSandbox } from '../../../dev/sandbox/server';

let server: http.Server | undefined;
let url = '';

beforeAll(async () => {
	server = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => res.end('ok'));
	});
	await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
});
afterAll(async () => await new Promise((resolve) => server?.close(resolve)));

/** The customer `from` (digits) writes "Hi" to the number, through Meta's webhook. */
export async function customerWrites(
	sandbox: GraphSandbox,
	from: string,
	options: CustomerOptions = {},
): Promise<void> {
	const { delivery } = await sandbox.customerWrites(from, 'Ana', 'Hi', { ...options, to: url });
	expect(delivery.status).toBe(200);
}
