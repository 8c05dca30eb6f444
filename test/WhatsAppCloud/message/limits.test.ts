/**
 * Meta's limits on every message kind, one table for all the send operations: a value just inside
 * is sent, one just outside fails before any request.
 */
import type { INodeParameters } from 'n8n-workflow';

import { runAction } from '../../../dev/harness/engine';
import type { SandboxCredentials } from '../../../dev/harness/sandbox';
import type { GraphSandbox } from '../../../dev/sandbox/server';
import { useMessageSandbox, TO } from './send';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
const { insideAndOutside } = useMessageSandbox((started) => ({ sandbox, credentials } = started));

describe("Meta's limits: one value just inside, one just outside; outside fails before any request, naming item and field", () => {
	const x = (n: number) => 'x'.repeat(n);
	const buttons = (n: number, title = (i: number) => `B${i}`) => ({
		button: Array.from({ length: n }, (_, i) => ({ id: `id${i}`, title: title(i) })),
	});
	const rows = (n: number) => ({
		row: Array.from({ length: n }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` })),
	});
	const btn = (p: INodeParameters) => ({
		interactiveType: 'button',
		body: 'Pick one',
		replyButtons: buttons(2),
		...p,
	});
	const list = (p: INodeParameters) => ({
		interactiveType: 'list',
		body: 'Pick one',
		listButton: 'Options',
		listRows: rows(2),
		...p,
	});
	const cta = (p: INodeParameters) => ({
		interactiveType: 'cta_url',
		body: 'Open',
		ctaText: 'Open',
		ctaUrl: 'https://e.com',
		...p,
	});

	type Case = [string, string, (ok: boolean) => INodeParameters, RegExp];
	const cases: Case[] = [
		[
			'text 4,096',
			'sendText',
			(ok) => ({ text: x(ok ? 4096 : 4097) }),
			/^Text is too long: 4,097 characters/,
		],
		[
			'caption 1,024',
			'sendMedia',
			(ok) => ({
				mediaType: 'image',
				mediaSource: 'id',
				mediaId: '1',
				caption: x(ok ? 1024 : 1025),
			}),
			/^Caption is too long: 1,025/,
		],
		[
			'button body 1,024',
			'sendInteractive',
			(ok) => btn({ body: x(ok ? 1024 : 1025) }),
			/^Body is too long: 1,025/,
		],
		[
			'button title 20',
			'sendInteractive',
			(ok) => btn({ replyButtons: buttons(2, (i) => (i ? x(ok ? 20 : 21) : 'A')) }),
			/^Button 2 > Title is too long: 21/,
		],
		[
			'button id 256',
			'sendInteractive',
			(ok) => btn({ replyButtons: { button: [{ id: x(ok ? 256 : 257), title: 'A' }] } }),
			/^Button 1 > ID is too long: 257/,
		],
		[
			'at most 3 buttons',
			'sendInteractive',
			(ok) => btn({ replyButtons: buttons(ok ? 3 : 4) }),
			/^Buttons has 4 entries \(WhatsApp allows at most 3\)/,
		],
		[
			'at least 1 button',
			'sendInteractive',
			(ok) => btn({ replyButtons: buttons(ok ? 1 : 0) }),
			/^Buttons needs at least 1 entries/,
		],
		[
			'unique button titles',
			'sendInteractive',
			(ok) => btn({ replyButtons: buttons(2, (i) => (ok ? `T${i}` : 'Same')) }),
			/^Button 2 repeats "Same"/,
		],
		[
			'header text 60',
			'sendInteractive',
			(ok) => btn({ headerType: 'text', headerText: x(ok ? 60 : 61) }),
			/^Header Text is too long: 61/,
		],
		[
			'footer 60',
			'sendInteractive',
			(ok) => btn({ footer: x(ok ? 60 : 61) }),
			/^Footer is too long: 61/,
		],
		[
			'list body 4,096',
			'sendInteractive',
			(ok) => list({ body: x(ok ? 4096 : 4097) }),
			/^Body is too long: 4,097/,
		],
		[
			'list button label 20',
			'sendInteractive',
			(ok) => list({ listButton: x(ok ? 20 : 21) }),
			/^Menu Button Label is too long: 21/,
		],
		[
			'at most 10 rows in all',
			'sendInteractive',
			(ok) => list({ listRows: rows(ok ? 10 : 11) }),
			/^Rows have 11 rows in all/,
		],
		[
			'row title 24',
			'sendInteractive',
			(ok) => list({ listRows: { row: [{ id: 'a', title: x(ok ? 24 : 25) }] } }),
			/^Section 1 > Row > Title is too long: 25|^Section 1\.1 > Row > Title is too long: 25/,
		],
		[
			'row description 72',
			'sendInteractive',
			(ok) => list({ listRows: { row: [{ id: 'a', title: 'A', description: x(ok ? 72 : 73) }] } }),
			/Row > Description is too long: 73/,
		],
		[
			'row id 200',
			'sendInteractive',
			(ok) => list({ listRows: { row: [{ id: x(ok ? 200 : 201), title: 'A' }] } }),
			/Row > ID is too long: 201/,
		],
		[
			'section title 24',
			'sendInteractive',
			(ok) =>
				list({
					listRows: {
						row: [
							{ section: x(ok ? 24 : 25), id: 'a', title: 'A' },
							{ section: 'B', id: 'b', title: 'B' },
						],
					},
				}),
			/^Section 1 > Title is too long: 25/,
		],
		[
			'section titles when more than one section',
			'sendInteractive',
			(ok) =>
				list({
					listRows: {
						row: [
							{ section: ok ? 'A' : '', id: 'a', title: 'A' },
							{ section: 'B', id: 'b', title: 'B' },
						],
					},
				}),
			/^Section 1 > Title is needed when the list has more than one section/,
		],
		[
			'list header is text only',
			'sendInteractive',
			(ok) =>
				list(
					ok
						? { headerType: 'text', headerText: 'Hi' }
						: { headerType: 'image', headerMedia: 'https://e.com/a.jpg' },
				),
			/^Header must be text: lists cannot have/,
		],
		[
			'cta display text 20',
			'sendInteractive',
			(ok) => cta({ ctaText: x(ok ? 20 : 21) }),
			/^Button Text is too long: 21/,
		],
		[
			'cta url is a link',
			'sendInteractive',
			(ok) => cta({ ctaUrl: ok ? 'https://e.com/x' : 'e.com/x' }),
			/^URL is not a valid URL/,
		],
		[
			'location request body 1,024',
			'sendInteractive',
			(ok) => ({ interactiveType: 'location_request_message', body: x(ok ? 1024 : 1025) }),
			/^Body is too long: 1,025/,
		],
		[
			'latitude -90..90',
			'sendLocation',
			(ok) => ({ latitude: ok ? 90 : 90.5, longitude: 0 }),
			/^Latitude is 90.5; it must be a number from -90 to 90/,
		],
		[
			'longitude -180..180',
			'sendLocation',
			(ok) => ({ latitude: 0, longitude: ok ? -180 : -180.5 }),
			/^Longitude is -180.5; it must be a number from -180 to 180/,
		],
		[
			'contact needs a full name',
			'sendContacts',
			(ok) => ({ contacts: { contact: [{ formattedName: ok ? 'A' : '', phone: '1' }] } }),
			/^Contact 1 > Full Name is empty/,
		],
		[
			'contact birthday format',
			'sendContacts',
			(ok) => ({
				contacts: { contact: [{ formattedName: 'A', birthday: ok ? '2012-08-18' : '18/08/2012' }] },
			}),
			/^Contact 1 > Birthday must be a date as YYYY-MM-DD/,
		],
		[
			'one emoji per reaction',
			'sendReaction',
			(ok) => ({ messageId: 'wamid.X', emoji: ok ? '👍🏽' : '👍👍' }),
			/^Emoji must be exactly one emoji/,
		],
		[
			'callback data 512',
			'sendText',
			(ok) => ({ text: 'a', options: { bizOpaqueCallbackData: x(ok ? 512 : 513) } }),
			/^Callback Data is too long: 513/,
		],
		[
			'media link is https',
			'sendMedia',
			(ok) => ({
				mediaType: 'image',
				mediaSource: 'link',
				mediaLink: ok ? 'https://e.com/a.jpg' : 'http://e.com/a.jpg',
			}),
			/^Link must be an https:\/\/ link/,
		],
	];

	test.each(cases)('%s', async (_name, operation, params, message) => {
		await insideAndOutside(operation, params, message);
	});

	test('binary media: wrong type and oversize fail before any request', async () => {
		const bin = (mimeType: string, bytes: number) => ({
			json: {},
			binary: { data: { data: Buffer.alloc(bytes).toString('base64'), mimeType, fileName: 'f' } },
		});
		const params = {
			resource: 'message',
			operation: 'sendMedia',
			to: TO,
			mediaType: 'image',
			mediaSource: 'binary',
			binaryPropertyName: 'data',
		};
		const ok = await runAction(params, credentials, [bin('image/png', 5 * 1024 * 1024)]);
		expect(ok.error).toBeUndefined();
		sandbox.log.length = 0;
		const big = await runAction(params, credentials, [bin('image/png', 5 * 1024 * 1024 + 1)]);
		expect(big.error?.message).toMatch(
			/^Input Binary Field "data": the file is 5\.0 MB; WhatsApp allows at most 5 MB for image \[item 0\]/,
		);
		const gif = await runAction(params, credentials, [bin('image/gif', 10)]);
		expect(gif.error?.message).toBe(
			'Input Binary Field "data": WhatsApp does not accept "image/gif" as image [item 0]',
		);
		expect(sandbox.log).toHaveLength(0);
	});
});
