/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * `npm run demo`: starts the local Graph API sandbox (playing Meta) and a webhook server (playing
 * n8n's), and runs the scenarios this package exists for through n8n-core's real engine: the
 * action node with WorkflowExecute, the trigger with WebhookContext and HookContext. Each
 * scenario checks its own outcome; the demo exits non-zero if any fails.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import { runAction, testCredential } from '../dev/harness/engine';
import { WebhookServer, type TriggerHandle } from '../dev/harness/webhook-server';
import { startSandbox } from '../dev/harness/sandbox';

type Scenario = { name: string; run: () => Promise<string[]> };

function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(message);
}

/** Waits until the trigger has emitted at least `n` items (webhook calls are asynchronous). */
async function itemsOf(trigger: TriggerHandle, n: number) {
	for (let waited = 0; trigger.items.length < n && waited < 5000; waited += 20)
		await new Promise((r) => setTimeout(r, 20));
	return trigger.items;
}

/** A one-page PDF made here, as an invoicing system would hand it to n8n. */
function receiptPdf(order: { invoice: string; customer: string; total: string }): Buffer {
	const text = `Receipt ${order.invoice} - ${order.customer} - total ${order.total}`;
	const content = `BT /F1 18 Tf 50 750 Td (${text}) Tj ET`;
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let pdf = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((o, i) => {
		offsets.push(pdf.length);
		pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
	});
	const xref = pdf.length;
	pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
	pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(pdf, 'latin1');
}

/** A stand-in helpdesk: an HTTP endpoint that files tickets. */
async function startHelpdesk() {
	const tickets: Array<Record<string, unknown>> = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c: Buffer) => (body += c.toString()));
		req.on('end', () => {
			const ticket = { id: `T-${1000 + tickets.length + 1}`, ...JSON.parse(body) };
			tickets.push(ticket);
			res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(ticket));
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return {
		tickets,
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tickets`,
		stop: () => new Promise<void>((r) => server.close(() => r())),
	};
}

async function main() {
	const { sandbox, credentials } = await startSandbox({ expiredTokens: ['an-expired-token'] });
	credentials.appId = '1234567890123456';
	const webhooks = await new WebhookServer().start();
	const helpdesk = await startHelpdesk();
	console.log(
		`Graph API sandbox on ${sandbox.url} (Meta's API shapes; nothing leaves this machine)`,
	);
	console.log(
		`n8n webhook server stand-in on ${webhooks.url}, helpdesk stand-in on ${helpdesk.url}\n`,
	);

	// one trigger for the business account's messages and statuses, registered as Meta's override
	const inbox = webhooks.trigger(
		{
			updates: ['message', 'status'],
			verifyToken: 'demo-verify-token',
			registration: 'businessAccount',
		},
		credentials,
	);
	// one app-wide trigger for template events, which never go to an override
	const templatesTrigger = webhooks.trigger(
		{
			updates: ['message_template_status_update'],
			verifyToken: 'demo-app-token',
			registration: 'app',
		},
		credentials,
	);

	const scenarios: Scenario[] = [
		{
			name: 'Connect: the credential test reads the phone number; triggers register with Meta',
			run: async () => {
				const good = await testCredential(credentials);
				check(good.status === 'OK', `credential test failed: ${good.message}`);
				const bad = await testCredential({ ...credentials, accessToken: 'an-expired-token' });
				check(bad.status === 'Error' && /190/.test(bad.message), 'expired token not reported');
				await inbox.activate();
				await templatesTrigger.activate();
				check(
					sandbox.webhooks.wabaOverrides.get(String(credentials.businessAccountId))?.url ===
						inbox.url,
					'inbox trigger not registered',
				);
				check(
					sandbox.webhooks.app?.url === templatesTrigger.url,
					'template trigger not registered',
				);
				const phone = good.response as {
					display_phone_number: string;
					verified_name: string;
					quality_rating: string;
				};
				return [
					`good token: ${good.message} ${phone.verified_name} (+${phone.display_phone_number}), quality ${phone.quality_rating}`,
					`expired token: ${bad.message.slice(0, 100)}...`,
					`inbox trigger registered as the account's callback override (Meta's verify GET answered)`,
					`template trigger registered as the app-wide callback`,
				];
			},
		},
		{
			name: 'Receipt: a PDF goes out as the document header of payment_receipt, 6 variables mapped from the order; delivered and read come back',
			run: async () => {
				sandbox.addTemplate({
					name: 'payment_receipt',
					language: 'en_US',
					category: 'UTILITY',
					components: [
						{ type: 'HEADER', format: 'DOCUMENT', example: { header_handle: ['4::demo'] } },
						{
							type: 'BODY',
							text: 'Dear {{1}}, here is your invoice {{2}} from {{3}} for a total of {{4}}{{5}}. To review your invoice or pay online: {{6}}',
							example: {
								body_text: [['Pablo', 'INV/1', 'Lucky Shrub', '$', '10.00', 'https://x']],
							},
						},
					],
				});
				const order = {
					phone: '+1 650 555 1234',
					customer: 'Sheena Nelson',
					invoice: 'INV/2026/1042',
					company: 'Lucky Shrub',
					currency: '$',
					total: '128.40',
					url: 'https://luckyshrub.com/my/invoices/1042',
				};
				const pdf = receiptPdf(order);
				const { items, error } = await runAction(
					{
						resource: 'message',
						operation: 'sendTemplate',
						to: '={{ $json.phone }}',
						template: { __rl: true, mode: 'name', value: 'payment_receipt:en_US' },
						templateVariables: {
							mappingMode: 'defineBelow',
							value: {
								header_media: 'binary:receipt',
								body_1: '={{ $json.customer }}',
								body_2: '={{ $json.invoice }}',
								body_3: '={{ $json.company }}',
								body_4: '={{ $json.currency }}',
								body_5: '={{ $json.total }}',
								body_6: '={{ $json.url }}',
							},
							matchingColumns: [],
							schema: [],
						},
						options: { bizOpaqueCallbackData: '={{ $json.invoice }}' },
					},
					credentials,
					[
						{
							json: order,
							binary: {
								receipt: {
									data: pdf.toString('base64'),
									mimeType: 'application/pdf',
									fileName: 'INV-2026-1042.pdf',
								},
							},
						},
					],
				);
				check(!error, `send failed: ${error?.message}`);
				const sent = items[0].json as { messageId: string; messageStatus: string };
				const upload = sandbox.uploads[sandbox.uploads.length - 1];
				check(
					sandbox.media.get(upload.id)?.bytes.equals(pdf),
					'the PDF that reached WhatsApp differs',
				);
				await sandbox.deliverStatus(sent.messageId, 'delivered');
				await sandbox.deliverStatus(sent.messageId, 'read');
				const statuses = (await itemsOf(inbox, 2)).filter(
					(i) => i.json.event === 'status' && i.json.messageId === sent.messageId,
				);
				check(
					statuses.map((s) => s.json.status).join() === 'delivered,read',
					`statuses: ${statuses.map((s) => s.json.status).join()}`,
				);
				check(
					statuses.every((s) => s.json.bizOpaqueCallbackData === order.invoice),
					'callback data lost',
				);
				return [
					`PDF ${pdf.length} bytes uploaded as media ${upload.id}, sent as the header of payment_receipt: ${sent.messageId} (${sent.messageStatus})`,
					`trigger: ${statuses.map((s) => `${s.json.status} at ${s.json.timestamp}`).join(', ')}, each with bizOpaqueCallbackData ${order.invoice}`,
				];
			},
		},
		{
			name: 'Routing: a customer writes in, the message goes to the helpdesk, an auto-reply follows through replyTo (a username-only customer too); after 24 h a template is sent instead',
			run: async () => {
				const before = inbox.items.length;
				const { delivery, messageId } = await sandbox.customerWrites(
					'491511234567',
					'Jonas',
					'Hi, my plant arrived with a broken pot 😢',
				);
				check(delivery.status === 200, `Meta got ${delivery.status}`);
				const [incoming] = (await itemsOf(inbox, before + 1)).slice(before);
				check(
					incoming?.json.event === 'message' && incoming.json.messageId === messageId,
					'message not received',
				);
				// hand the clean item on, as an HTTP node would
				const ticket = (await (
					await fetch(helpdesk.url, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({
							from: incoming.json.from,
							name: incoming.json.contactName,
							text: incoming.json.text,
						}),
					})
				).json()) as { id: string };
				const reply = await runAction(
					{
						resource: 'message',
						operation: 'sendText',
						to: '={{ $json.replyTo }}',
						text: `={{ "Sorry about that, " + $json.contactName + "! Ticket ${ticket.id} is open; we will send a new pot." }}`,
						options: { replyToMessageId: '={{ $json.messageId }}' },
					},
					credentials,
					[{ json: incoming.json }],
				);
				check(!reply.error, `auto-reply failed: ${reply.error?.message}`);
				check(
					(reply.items[0].json.sent as { context?: { message_id?: string } }).context
						?.message_id === messageId,
					'the auto-reply does not quote the message',
				);
				// a customer who hides the phone number behind a username: only the business-scoped user
				// ID arrives, and the same workflow answers through replyTo
				const bsuid = 'DE.13491208655302741918';
				const hidden = await sandbox.customerWrites(
					'',
					'Mara',
					'Is the lemon tree back in stock?',
					{
						userId: bsuid,
						username: '@mara.gruen',
						hidePhone: true,
					},
				);
				check(hidden.delivery.status === 200, `Meta got ${hidden.delivery.status}`);
				const [anonymous] = (await itemsOf(inbox, before + 2)).slice(before + 1);
				check(
					anonymous?.json.from === null && anonymous.json.replyTo === bsuid,
					'the username-only message has no replyTo',
				);
				const answer = await runAction(
					{
						resource: 'message',
						operation: 'sendText',
						to: '={{ $json.replyTo }}',
						text: '={{ "Hi " + $json.username + ", yes: it is back!" }}',
					},
					credentials,
					[{ json: anonymous.json }],
				);
				check(
					!answer.error,
					`answer to the username-only customer failed: ${answer.error?.message}`,
				);
				const sentBody = answer.items[0].json.sent as { recipient?: string; to?: string };
				check(
					sentBody.recipient === bsuid && sentBody.to === undefined,
					'the answer was not addressed to the business-scoped user ID',
				);
				// a day later the window has closed: Meta refuses free text (131047), the fallback template goes instead
				sandbox.addTemplate({
					name: 'ticket_update',
					language: 'en_US',
					category: 'UTILITY',
					components: [
						{
							type: 'BODY',
							text: 'Hello {{1}}, there is news about your ticket {{2}}.',
							example: { body_text: [['Jonas', 'T-1']] },
						},
					],
				});
				sandbox.closedWindows.add('491511234567');
				const late = await runAction(
					{
						resource: 'message',
						operation: 'sendText',
						to: '={{ $json.replyTo }}',
						text: 'Your new pot has shipped!',
						options: {
							fallbackTemplate: {
								template: {
									name: 'ticket_update',
									language: 'en_US',
									parameters: `={{ $json.contactName }}\n${ticket.id}`,
								},
							},
						},
					},
					credentials,
					[{ json: incoming.json }],
				);
				check(!late.error, `late reply failed: ${late.error?.message}`);
				const fallback = late.items[0].json.fallback as
					| { used: boolean; template: string }
					| undefined;
				check(
					fallback?.used && late.items[0].json.type === 'template',
					'the fallback template was not used',
				);
				return [
					`trigger: "${incoming.json.text}" from ${incoming.json.contactName} (${incoming.json.from}); Meta answered ${delivery.status} in ${delivery.ms} ms`,
					`helpdesk filed ${ticket.id}; auto-reply ${(reply.items[0].json as { messageId: string }).messageId} quotes the customer's message`,
					`username-only customer ${String(anonymous.json.username)} (no phone): answered through replyTo = ${bsuid} (${String(answer.items[0].json.messageId)})`,
					`after the window: Meta refused free text (131047), template ${fallback.template} sent instead (${late.items[0].json.messageId})`,
				];
			},
		},
		{
			name: 'Bulk: 1,000 ticket confirmations at 80 messages/s with throttling and server errors injected',
			run: async () => {
				sandbox.setFaults({ throttle: 0.05, serverError: 0.01, seed: 3 });
				const before = sandbox.accepted.length;
				const n = 1000;
				const started = Date.now();
				const { items, error } = await runAction(
					{
						resource: 'message',
						operation: 'sendText',
						to: '={{ $json.phone }}',
						text: '={{ "Your ticket " + $json.n + " is confirmed." }}',
						options: { messagesPerSecond: 80 },
					},
					credentials,
					Array.from({ length: n }, (_, i) => ({
						json: { phone: `+1555000${String(i).padStart(4, '0')}`, n: i },
					})),
					{ onError: 'continueRegularOutput' },
				);
				sandbox.setFaults(undefined);
				const seconds = (Date.now() - started) / 1000;
				check(!error, `bulk failed: ${error?.message}`);
				const sent = sandbox.accepted
					.slice(before)
					.map((m) => (m.body.text as { body: string }).body);
				const unique = new Set(sent);
				check(
					sent.length === n && unique.size === n,
					`expected ${n} unique accepted, got ${sent.length} (${unique.size} unique)`,
				);
				check(
					items.every(
						(item, i) => (item.pairedItem as { item: number }).item === i && !item.json.error,
					),
					'outputs out of order or failed',
				);
				return [
					`${n} sent in ${seconds.toFixed(1)} s = ${(n / seconds).toFixed(1)}/s against the 80/s cap (ratio ${(n / seconds / 80).toFixed(3)})`,
					`injected: ${sandbox.injected.throttle} x 130429 and ${sandbox.injected.serverError} x HTTP 500, all retried; lost 0, duplicated 0, outputs in input order`,
				];
			},
		},
		{
			name: 'Template: created, approved by Meta (the sandbox), and the status update reaches the trigger',
			run: async () => {
				const created = await runAction(
					{
						resource: 'template',
						operation: 'create',
						templateName: 'event_ticket',
						language: 'en_US',
						category: 'UTILITY',
						bodyText: 'Hi {{1}}, your ticket for {{2}} is confirmed. See you there!',
						bodyExamples: 'Pablo\nSummer Fair',
						footerText: 'Lucky Shrub Events',
					},
					credentials,
				);
				check(!created.error, `create failed: ${created.error?.message}`);
				const id = String(created.items[0].json.id);
				const before = templatesTrigger.items.length;
				const delivery = await sandbox.reviewTemplate(id, 'APPROVED');
				const [update] = (await itemsOf(templatesTrigger, before + 1)).slice(before);
				check(
					update?.json.templateId === id && update.json.newStatus === 'APPROVED',
					'status update not received',
				);
				check(
					inbox.runs.every((run) =>
						run.every((i) => i.json.event !== 'message_template_status_update'),
					),
					'a template event reached the account override',
				);
				return [
					`created event_ticket (${id}): ${created.items[0].json.status}, category ${created.items[0].json.category}`,
					`Meta's review: ${update.json.newStatus}; the app-wide trigger received it (${delivery?.status}), the account-override trigger did not`,
				];
			},
		},
		{
			name: 'Safety: a bad row stops the batch before anything is sent',
			run: async () => {
				const before = sandbox.accepted.length;
				const { error } = await runAction(
					{
						resource: 'message',
						operation: 'sendText',
						to: '={{ $json.phone }}',
						text: 'Your receipt is ready',
					},
					credentials,
					[{ json: { phone: '+4915112345678' } }, { json: { phone: 'call me maybe' } }],
				);
				check(
					error && sandbox.accepted.length === before,
					'a message was sent despite the bad row',
				);
				return [`error: ${error.message.slice(0, 110)}...`, 'messages sent: 0'];
			},
		},
	];

	const results: Array<{ name: string; ok: boolean }> = [];
	try {
		for (const scenario of scenarios) {
			let lines: string[];
			let ok = true;
			try {
				lines = await scenario.run();
			} catch (error) {
				ok = false;
				lines = [(error as Error).message];
			}
			results.push({ name: scenario.name, ok });
			console.log(`${ok ? 'PASS' : 'FAIL'}  ${scenario.name}`);
			for (const line of lines) console.log(`      ${line}`);
		}
		await templatesTrigger.deactivate().catch(() => undefined);
		await inbox.deactivate().catch(() => undefined);
	} finally {
		await helpdesk.stop();
		await webhooks.stop();
		await sandbox.stop();
	}
	const passed = results.filter((r) => r.ok).length;
	console.log(`\n${passed} of ${results.length} scenarios passed`);
	if (passed !== results.length) process.exit(1);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
