/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console */
/**
 * Runs the Graph API sandbox as its own process, so that benchmarks do not share a CPU and event
 * loop with the node, and a real n8n can be pointed at it.
 *
 *   npm run sandbox -- [--port 0] [--latency 50] [--throttle 0.05] [--server-error 0.01] [--seed 1]
 *
 * Prints one line `SANDBOX_URL=http://127.0.0.1:PORT` when ready. Control endpoints:
 *   GET  /__sandbox/stats   accepted messages (text bodies), injected faults, peak per second
 *   POST /__sandbox/reset   clears accepted messages, the log and the counters
 *   POST /__sandbox/faults  {"throttle":0.05,"serverError":0.01,"seed":7}
 *   POST /__sandbox/rate-cap  {"perSecond":80}: 130429 for a number's sends beyond 80 in any second
 *                             (a sliding second, whichever process sends); 0 lifts the cap
 *   POST /__sandbox/tap        {"messageId":"wamid...","title":"Approve"}: the recipient of a sent
 *                              message taps its reply button (by title, or by index); delivered
 *                              signed like /customer, or to "to" (a URL) when given; "buttonId"
 *                              replaces the button's ID in the webhook (a reference changed on
 *                              its way); answers the delivery and the tap's message ID
 *   GET  /__sandbox/accepted   every message accepted since the last reset (id, phoneNumberId,
 *                              the body as sent, at)
 *   POST /__sandbox/templates  a template to add (as Meta lists it, APPROVED unless given); answers its ID
 *   GET  /__sandbox/webhooks   the webhook registrations (app callback, account and phone number
 *                              overrides) and every webhook delivery made so far
 *   GET  /__sandbox/requests   every Graph request seen since the last reset (method, path, status, at)
 *   POST /__sandbox/customer   {"from":"491511234567","name":"Ana","text":"Hi"}: a customer's message,
 *                              signed and delivered to where the registrations send it; answers the
 *                              delivery (url, status, body) and the message ID
 */
import { GraphSandbox } from './server';

function arg(name: string, fallback: number): number {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main() {
	const sandbox = new GraphSandbox({
		latencyMs: arg('latency', 0),
		faults: {
			throttle: arg('throttle', 0),
			serverError: arg('server-error', 0),
			seed: arg('seed', 1),
		},
	});
	sandbox.enableControlApi();
	await sandbox.start(arg('port', 0));
	console.log(`SANDBOX_URL=${sandbox.url}`);
	const stop = async () => {
		await sandbox.stop();
		process.exit(0);
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
