import { startSandbox } from '../../dev/harness/sandbox';
import {
	MANAGEMENT_CONTRADICTIONS,
	MANAGEMENT_REQUESTS,
	checkRequest,
} from '../../dev/sandbox/openapi';
import { SANDBOX_PHONE_NUMBER_ID, SANDBOX_TOKEN } from '../../dev/sandbox/server';
import examplesFixture from '../fixtures/openapi/management-requests.examples.json';
import schemaFixture from '../fixtures/openapi/management-requests.schema.json';

const EXAMPLES = examplesFixture.examples as unknown as Record<
	string,
	Record<string, Record<string, unknown>>
>;

const REGISTER = 'POST /{Version}/{Phone-Number-ID}/register';
const QR = 'POST /{Version}/{Phone-Number-ID}/message_qrdls';
const COMPONENTS = 'POST /{Version}/{Phone-Number-ID}/conversational_automation';
const GROUPS = 'POST /{Version}/{Phone-Number-ID}/groups';

describe("the management fixture is Meta's OpenAPI document, attributed", () => {
	test('both files name the pinned commit and carry the MIT notice', () => {
		for (const fixture of [schemaFixture, examplesFixture]) {
			expect(fixture['x-source']).toMatchObject({
				repository: 'https://github.com/facebook/openapi',
				commit: 'ecba623b4aba6ae770185b074ed77ed5acef22f7',
				file: 'business-messaging-api_v23.0.yaml',
			});
			expect(fixture['x-license'].spdx).toBe('MIT');
		}
	});

	test('it holds the bodies the sandbox checks, and nothing it cannot check', () => {
		expect(MANAGEMENT_REQUESTS).toEqual(
			expect.arrayContaining([
				GROUPS,
				'POST /{Version}/{Phone-Number-ID}/block_users',
				'DELETE /{Version}/{Phone-Number-ID}/block_users',
				COMPONENTS,
				REGISTER,
				QR,
				'POST /{Version}/{WABA-ID}/message_templates',
			]),
		);
		expect(() => checkRequest('POST /{Version}/{Phone-Number-ID}/nothing', {})).toThrow(
			'management-requests.schema.json has no body for "POST /{Version}/{Phone-Number-ID}/nothing"',
		);
	});
});

describe("Meta's own examples for these bodies pass", () => {
	const cases = Object.entries(EXAMPLES).flatMap(([request, examples]) =>
		Object.keys(examples).map((name) => [request, name] as const),
	);

	test('there are 34', () => {
		expect(cases).toHaveLength(34);
	});

	test.each(cases)('%s: %s', (request, name) => {
		expect(checkRequest(request, EXAMPLES[request][name])).toEqual([]);
	});
});

describe('wrong bodies fail, naming the JSON path and what was expected', () => {
	test.each([
		[
			REGISTER,
			{ messaging_product: 'whatsapp', pin: '12' },
			[
				'$.pin: expected at least 6 characters, got 2',
				'$.pin: expected to match /^[0-9]{6}$/, got "12"',
			],
		],
		[
			GROUPS,
			{ messaging_product: 'whatsapp', subject: 5 },
			['$.subject: expected string, got integer 5'],
		],
		[
			COMPONENTS,
			{ commands: [{ command_name: '/help', command_description: 'Help' }] },
			['$.commands[0].command_name: expected to match /^[a-zA-Z0-9_]+$/, got "/help"'],
		],
		[
			COMPONENTS,
			{ prompts: ['a', 'b', 'c', 'd', 'e'] },
			['$.prompts: expected at most 4 items, got 5'],
		],
	])('%s %j', (request, body, problems) => {
		expect(checkRequest(request, body)).toEqual(problems);
	});
});

describe('where we follow Meta’s docs over the schema, the choice holds', () => {
	test('each contradiction names both sides and why', () => {
		expect(MANAGEMENT_CONTRADICTIONS.map((c) => c.id)).toEqual([
			'qr-code-alphabet',
			'qr-create-or-update',
			'four-ice-breakers',
			'group-participant-user-id',
		]);
		for (const c of MANAGEMENT_CONTRADICTIONS) {
			expect(c.follow).toBe('docs');
			expect(c.openapi && c.docs && c.why).toBeTruthy();
		}
	});

	test('a QR code with a 1 in it (as in Meta’s own example) is updatable; an update without its message is not', () => {
		expect(checkRequest(QR, { code: 'ANED2T5QRU7HG1', prefilled_message: 'Hi' })).toEqual([]);
		expect(checkRequest(QR, { code: 'ANED2T5QRU7HG1' })).toEqual([
			'$: expected one of these shapes: { prefilled_message } | { code, prefilled_message }',
		]);
	});

	test('four ice breakers pass', () => {
		expect(checkRequest(COMPONENTS, { prompts: ['a', 'b', 'c', 'd'] })).toEqual([]);
	});
});

describe('the sandbox refuses what the schema refuses, as Meta refuses an invalid parameter', () => {
	test('registration with a body the schema refuses: 400, code 100, the problem in error_data.details', async () => {
		const { sandbox } = await startSandbox();
		try {
			const response = await fetch(`${sandbox.url}/v25.0/${SANDBOX_PHONE_NUMBER_ID}/register`, {
				method: 'POST',
				headers: { authorization: `Bearer ${SANDBOX_TOKEN}`, 'content-type': 'application/json' },
				// the hand-written checks pass this (a known region, a 6-digit PIN); the schema's backup
				// object wants its password as a string
				body: JSON.stringify({
					messaging_product: 'whatsapp',
					pin: '123456',
					backup: { password: 7, data: 'x' },
				}),
			});
			const body = (await response.json()) as { error?: Record<string, unknown> };
			expect(response.status).toBe(400);
			expect(body.error).toMatchObject({
				code: 100,
				message: '(#100) Invalid parameter',
				error_data: { details: '$.backup.password: expected string, got integer 7' },
			});
		} finally {
			await sandbox.stop();
		}
	});
});
