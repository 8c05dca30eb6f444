import { startSandbox } from '../../dev/harness/sandbox';
import { CONTRADICTIONS, checkAgainstOpenApi, type MetaExamples } from '../../dev/sandbox/openapi';
import { SANDBOX_PHONE_NUMBER_ID, SANDBOX_TOKEN } from '../../dev/sandbox/server';
import examplesFixture from '../fixtures/openapi/send-message.examples.json';
import schemaFixture from '../fixtures/openapi/send-message.schema.json';

const EXAMPLES = examplesFixture.examples as unknown as MetaExamples;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Meta's examples that a choice in CONTRADICTIONS refuses, by name. */
const REFUSED = new Map(
	CONTRADICTIONS.flatMap((c) =>
		(c.examples ?? []).map((e) => [e.name, { ...e, id: c.id }] as const),
	),
);

const envelope = {
	messaging_product: 'whatsapp',
	recipient_type: 'individual',
	to: '+16505551234',
};
/** A body without its `to`, to address it by `recipient` or not at all. */
const withoutTo = (body: Record<string, unknown>) => {
	const copy = { ...body };
	delete copy.to;
	return copy;
};

describe("the fixture is Meta's OpenAPI document, attributed", () => {
	test('both files name the pinned commit and carry the MIT notice', () => {
		for (const fixture of [schemaFixture, examplesFixture]) {
			expect(fixture['x-source']).toMatchObject({
				repository: 'https://github.com/facebook/openapi',
				commit: 'ecba623b4aba6ae770185b074ed77ed5acef22f7',
				file: 'business-messaging-api_v23.0.yaml',
			});
			expect(fixture['x-license'].spdx).toBe('MIT');
			expect(fixture['x-license'].copyright).toBe(
				'Copyright (c) Meta Platforms, Inc. and affiliates.',
			);
		}
		expect(schemaFixture.$ref).toBe('#/$defs/Message');
	});

	test('every contradiction says which side we follow, and one that follows the docs changes the schema', () => {
		for (const c of CONTRADICTIONS) {
			expect([c.id, c.openapi.length > 0, c.docs.length > 0, c.why.length > 0]).toEqual([
				c.id,
				true,
				true,
				true,
			]);
			if (c.follow === 'docs') expect([c.id, typeof c.patch]).toEqual([c.id, 'function']);
			else expect([c.id, c.patch]).toEqual([c.id, undefined]);
		}
	});
});

describe("(a) Meta's own request examples pass", () => {
	test('there are 50, and every example a contradiction names exists', () => {
		expect(Object.keys(EXAMPLES)).toHaveLength(50);
		for (const name of REFUSED.keys()) expect(Object.keys(EXAMPLES)).toContain(name);
	});

	test.each(Object.keys(EXAMPLES).filter((name) => !REFUSED.has(name)))('%s', (name) => {
		expect(checkAgainstOpenApi(EXAMPLES[name])).toEqual([]);
	});

	// these break the OpenAPI schema where we follow it (see CONTRADICTIONS): they fail for exactly
	// the documented reason, and pass once that one thing is corrected
	test.each([...REFUSED.keys()])('%s: refused only for the documented contradiction', (name) => {
		const { problems, fix } = REFUSED.get(name)!;
		expect(checkAgainstOpenApi(EXAMPLES[name])).toEqual(problems);
		const fixed = clone(EXAMPLES[name]);
		fix(fixed);
		expect(checkAgainstOpenApi(fixed)).toEqual([]);
	});
});

describe('(b) wrong bodies fail, naming the JSON path and what was expected', () => {
	const text = { ...envelope, type: 'text', text: { body: 'hi' } };
	const cta = (parameters: object) => ({
		...envelope,
		type: 'interactive',
		interactive: { type: 'cta_url', body: { text: 'b' }, action: { name: 'cta_url', parameters } },
	});
	const template = (t: object) => ({ ...envelope, type: 'template', template: t });

	test.each<[string, unknown, string[]]>([
		[
			'a field of the wrong type',
			{ ...text, text: { body: 42 } },
			['$.text.body: expected string, got integer 42'],
		],
		[
			'location coordinates as numbers',
			{ ...envelope, type: 'location', location: { latitude: 52.52, longitude: '13.40' } },
			['$.location.latitude: expected string, got number 52.52'],
		],
		[
			'an unknown message type',
			{ ...envelope, type: 'carousel', carousel: {} },
			[
				'$.type: expected one of "text", "audio", "document", "image", "location", "video", "sticker", "reaction", "interactive", "template", "contacts"; got "carousel"',
			],
		],
		[
			'a missing required field',
			template({ name: 'hello_world' }),
			['$.template.language: is required'],
		],
		[
			'a required field of a nested kind',
			template({
				name: 'n',
				language: { code: 'en' },
				components: [
					{
						type: 'body',
						parameters: [{ type: 'currency', currency: { code: 'EUR', fallback_value: '€1' } }],
					},
				],
			}),
			['$.template.components[0].parameters[0].currency.amount_1000: is required'],
		],
		[
			'a field the kind does not have',
			{ ...text, text: { body: 'hi', previewUrl: true } },
			['$.text.previewUrl: is not allowed here (allowed: body, preview_url)'],
		],
		[
			'an envelope field Meta does not know',
			{ ...text, priority: 'high' },
			[
				'$.priority: is not allowed here (allowed: messaging_product, recipient_type, to, recipient, type, context, biz_opaque_callback_data, text)',
			],
		],
		[
			'media by both id and link',
			{ ...envelope, type: 'image', image: { id: '1', link: 'https://e.com/a.jpg' } },
			['$.image: expected exactly one of these shapes: { id } | { link }; matched 2'],
		],
		[
			'media by neither',
			{ ...envelope, type: 'image', image: { caption: 'c' } },
			['$.image: expected one of these shapes: { id } | { link }'],
		],
		[
			'a media link of the wrong type',
			{ ...envelope, type: 'video', video: { link: 5 } },
			['$.video.link: expected string, got integer 5'],
		],
		[
			'a CTA button text over 20 characters',
			cta({ display_text: 'x'.repeat(21), url: 'https://e.com' }),
			['$.interactive.action.parameters.display_text: expected at most 20 characters, got 21'],
		],
		[
			'an interactive action of no known shape',
			{
				...envelope,
				type: 'interactive',
				interactive: { type: 'button', body: { text: 'b' }, action: { name: 'reply' } },
			},
			[
				'$.interactive.action: expected one of these shapes: { button, sections } | { buttons } | { catalog_id } | { name: "catalog_message", parameters } | { name: "flow", parameters } | { name: "call_permission_request" } | { name: "cta_url", parameters } | { name: "send_location" } | { name: "review_and_pay", parameters } | { name: "review_order", parameters } | { name: "request_contact_info" } | { name: "voice_call" } | { cards }',
			],
		],
		[
			'four reply buttons',
			{
				...envelope,
				type: 'interactive',
				interactive: {
					type: 'button',
					body: { text: 'b' },
					action: {
						buttons: [1, 2, 3, 4].map((n) => ({
							type: 'reply',
							reply: { id: `${n}`, title: `${n}` },
						})),
					},
				},
			},
			['$.interactive.action.buttons: expected at most 3 items, got 4'],
		],
		[
			'a reply button body over 1,024 characters',
			{
				...envelope,
				type: 'interactive',
				interactive: {
					type: 'button',
					body: { text: 'x'.repeat(1025) },
					action: { buttons: [{ type: 'reply', reply: { id: '1', title: 'One' } }] },
				},
			},
			['$.interactive.body.text: expected at most 1024 characters, got 1025'],
		],
		[
			'a flow by both ID and name',
			{
				...envelope,
				type: 'interactive',
				interactive: {
					type: 'flow',
					body: { text: 'b' },
					action: {
						name: 'flow',
						parameters: { flow_message_version: '3', flow_cta: 'Go', flow_id: '1', flow_name: 'n' },
					},
				},
			},
			[
				'$.interactive.action.parameters: expected exactly one of these shapes: { flow_id } | { flow_name }; matched 2',
			],
		],
		[
			'a button index out of range',
			template({
				name: 'n',
				language: { code: 'en' },
				components: [
					{
						type: 'button',
						sub_type: 'quick_reply',
						index: '10',
						parameters: [{ type: 'payload', payload: 'p' }],
					},
				],
			}),
			['$.template.components[0].index: expected to match /^[0-9]$/, got "10"'],
		],
		[
			'a button parameter of a type Meta does not have',
			template({
				name: 'n',
				language: { code: 'en' },
				components: [
					{
						type: 'button',
						sub_type: 'copy_code',
						index: '0',
						parameters: [{ type: 'coupon', coupon_code: 'X' }],
					},
				],
			}),
			[
				'$.template.components[0].parameters[0].type: expected one of "payload", "text", "coupon_code", "action", "ttl_minutes"; got "coupon"',
			],
		],
		[
			'a typing indicator of a kind Meta does not have',
			{
				messaging_product: 'whatsapp',
				status: 'read',
				message_id: 'wamid.X',
				typing_indicator: { type: 'audio' },
			},
			['$.typing_indicator.type: expected one of "text"; got "audio"'],
		],
		[
			'a read receipt without the message',
			{ messaging_product: 'whatsapp', status: 'read' },
			['$.message_id: is required'],
		],
		['a body that is not an object', 'hello', ['$: expected object, got string "hello"']],
	])('%s', (_, body, problems) => {
		expect(checkAgainstOpenApi(body)).toEqual(problems);
	});

	test('a list body may have 4,096 characters, other interactive bodies 1,024', () => {
		const list = (body: string) => ({
			...envelope,
			type: 'interactive',
			interactive: {
				type: 'list',
				body: { text: body },
				action: { button: 'Menu', sections: [{ rows: [{ id: '1', title: 'One' }] }] },
			},
		});
		expect(checkAgainstOpenApi(list('x'.repeat(4096)))).toEqual([]);
		expect(checkAgainstOpenApi(list('x'.repeat(4097)))).toEqual([
			'$.interactive.body.text: expected at most 4096 characters, got 4097',
		]);
	});

	test('recipient: a business-scoped user ID instead of to; a wrong one still fails', () => {
		const noTo = withoutTo(text);
		for (const id of ['US.13491208655302741918', 'US.ENT.11815799212886844830'])
			expect(checkAgainstOpenApi({ ...noTo, recipient: id })).toEqual([]);
		// both may be given (Meta takes to); a template is addressed the same way
		expect(checkAgainstOpenApi({ ...text, recipient: 'US.13491208655302741918' })).toEqual([]);
		const templateNoTo = withoutTo(template({ name: 'n', language: { code: 'en' } }));
		expect(checkAgainstOpenApi({ ...templateNoTo, recipient: 'US.13491208655302741918' })).toEqual(
			[],
		);
		expect(checkAgainstOpenApi({ ...noTo, recipient: '+4915112345678' })).toEqual([
			'$.recipient: expected to match /^[A-Z]{2}\\.(ENT\\.)?[A-Za-z0-9]{1,128}$/, got "+4915112345678"',
		]);
		expect(checkAgainstOpenApi({ ...noTo, recipient: 'us.13491208655302741918' })).toHaveLength(1);
		expect(checkAgainstOpenApi({ ...noTo, recipient: 42 })).toEqual([
			'$.recipient: expected string, got integer 42',
		]);
		expect(checkAgainstOpenApi(noTo)).toEqual(['$.to: is required']);
	});

	test('an interactive contact_request: its documented shape passes, with a body of at most 1,024', () => {
		const request = (body: string, action: object = { name: 'request_contact_info' }) => ({
			...envelope,
			type: 'interactive',
			interactive: { type: 'contact_request', body: { text: body }, action },
		});
		expect(checkAgainstOpenApi(request('x'.repeat(1024)))).toEqual([]);
		expect(checkAgainstOpenApi(request('x'.repeat(1025)))).toEqual([
			'$.interactive.body.text: expected at most 1024 characters, got 1025',
		]);
		expect(checkAgainstOpenApi(request('b', { name: 'send_contact' }))).toHaveLength(1);
	});

	test('a body without type is checked as a text message (Meta: type defaults to text)', () => {
		expect(checkAgainstOpenApi({ ...envelope, text: { body: 'hi' } })).toEqual([]);
		expect(checkAgainstOpenApi({ ...envelope, image: { id: '1' } })[0]).toBe('$.text: is required');
	});

	test('every problem of a body is listed, in document order', () => {
		expect(
			checkAgainstOpenApi({
				messaging_product: 'whatsapp',
				type: 'reaction',
				reaction: { emoji: 1 },
				extra: true,
			}),
		).toEqual([
			'$.to: is required',
			'$.reaction.emoji: expected string, got integer 1',
			'$.extra: is not allowed here (allowed: messaging_product, recipient_type, to, recipient, type, context, biz_opaque_callback_data, reaction)',
		]);
	});
});

describe('(c) the sandbox refuses what the schema refuses, as Meta refuses an invalid parameter', () => {
	const post = async (url: string, body: unknown) => {
		const response = await fetch(`${url}/v25.0/${SANDBOX_PHONE_NUMBER_ID}/messages`, {
			method: 'POST',
			headers: { authorization: `Bearer ${SANDBOX_TOKEN}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return {
			status: response.status,
			body: (await response.json()) as { error?: Record<string, unknown>; messages?: unknown[] },
		};
	};
	const location = {
		...envelope,
		type: 'location',
		location: { latitude: 52.52, longitude: 13.405 },
	};

	test('strict by default: HTTP 400, code 100, the first problem in error_data.details; nothing accepted', async () => {
		const { sandbox } = await startSandbox();
		try {
			const answer = await post(sandbox.url, location);
			expect(answer.status).toBe(400);
			expect(answer.body.error).toMatchObject({
				message: '(#100) Invalid parameter',
				type: 'OAuthException',
				code: 100,
				error_data: {
					messaging_product: 'whatsapp',
					details: '$.location.latitude: expected string, got number 52.52',
				},
			});
			expect(sandbox.accepted).toHaveLength(0);
			const valid = await post(sandbox.url, {
				...location,
				location: { latitude: '52.52', longitude: '13.405' },
			});
			expect(valid.status).toBe(200);
			expect(sandbox.accepted).toHaveLength(1);
		} finally {
			await sandbox.stop();
		}
	});

	test('a send to a user ID: recipient is answered with user_id and no wa_id; to wins over it; neither is code 100', async () => {
		const { sandbox } = await startSandbox();
		try {
			const noTo = withoutTo(envelope);
			const hi = { type: 'text', text: { body: 'hi' } };
			const byId = await post(sandbox.url, {
				...noTo,
				recipient: 'US.13491208655302741918',
				...hi,
			});
			expect(byId.status).toBe(200);
			expect(byId.body).toMatchObject({
				contacts: [{ input: 'US.13491208655302741918', user_id: 'US.13491208655302741918' }],
			});
			expect((byId.body as { contacts: object[] }).contacts[0]).not.toHaveProperty('wa_id');
			const both = await post(sandbox.url, {
				...envelope,
				recipient: 'US.13491208655302741918',
				...hi,
			});
			expect(both.body).toMatchObject({
				contacts: [{ input: '+16505551234', wa_id: '16505551234' }],
			});
			const neither = await post(sandbox.url, { ...noTo, ...hi });
			expect(neither.status).toBe(400);
			expect(neither.body.error).toMatchObject({
				message: '(#100) The parameter to is required.',
				type: 'OAuthException',
				code: 100,
			});
			const wrong = await post(sandbox.url, { ...noTo, recipient: '+16505551234', ...hi });
			expect(wrong.body.error).toMatchObject({ code: 100 });
			expect(sandbox.accepted).toHaveLength(2);
		} finally {
			await sandbox.stop();
		}
	});

	test('strictOpenApi: false lets the same body through', async () => {
		const { sandbox } = await startSandbox({ strictOpenApi: false });
		try {
			expect((await post(sandbox.url, location)).status).toBe(200);
			expect(sandbox.accepted).toHaveLength(1);
		} finally {
			await sandbox.stop();
		}
	});
});
