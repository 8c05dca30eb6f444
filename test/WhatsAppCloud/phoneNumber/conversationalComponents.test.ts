/**
 * Phone Number > Get and Update Conversational Components: the exact requests (the lists as
 * arrays, both always), what Get reads back, Meta's limits checked before any request (from
 * expressions too), and the sandbox's own refusals as Meta words them.
 */
import { type OperationArgs, runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useRecordingSandbox } from '../../../dev/harness/sandbox';
import { checkRequest } from '../../../dev/sandbox/openapi';
import { SANDBOX_PHONE_NUMBER_ID, type GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useRecordingSandbox((started) => ({ sandbox, credentials } = started));

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);
const PATH = `/v25.0/${SANDBOX_PHONE_NUMBER_ID}`;
const graphRequests = () => sandbox.log.filter((l) => l.path.startsWith('/v25.0/'));
const bodyOf = (k: number) => JSON.parse(sandbox.received[k].body.toString('utf8')) as unknown;

const iceBreakers = (...texts: string[]) => ({ iceBreaker: texts.map((text) => ({ text })) });
const commands = (...list: Array<[string, string]>) => ({
	command: list.map(([name, description]) => ({ name, description })),
});
const update = async (parameters: Record<string, unknown>) =>
	await run('phoneNumber', 'updateConversationalComponents', parameters as never);

/** Posts a body to the sandbox as it is, to see Meta's own refusal. */
const post = async (body: unknown) => {
	const res = await fetch(`${sandbox.url}${PATH}/conversational_automation`, {
		method: 'POST',
		headers: { authorization: 'Bearer sandbox-token', 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: res.status, body: (await res.json()) as { error?: { message: string } } };
};

describe('Phone Number > Update Conversational Components', () => {
	test('posts both lists as arrays, and Get reads them back', async () => {
		const { items, error } = await update({
			iceBreakers: iceBreakers('Book a flight', 'Plan a vacation'),
			commands: commands(['tickets', 'Book flight tickets'], ['hotel_2', 'Find a hotel']),
		});
		expect(error).toBeUndefined();
		expect(sandbox.received[0]).toMatchObject({
			method: 'POST',
			path: `${PATH}/conversational_automation`,
		});
		expect(bodyOf(0)).toEqual({
			prompts: ['Book a flight', 'Plan a vacation'],
			commands: [
				{ command_name: 'tickets', command_description: 'Book flight tickets' },
				{ command_name: 'hotel_2', command_description: 'Find a hotel' },
			],
		});
		expect(
			checkRequest('POST /{Version}/{Phone-Number-ID}/conversational_automation', bodyOf(0)),
		).toEqual([]);
		expect(items[0].json).toMatchObject({
			success: true,
			phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
			iceBreakers: ['Book a flight', 'Plan a vacation'],
			commands: [
				{ name: 'tickets', description: 'Book flight tickets' },
				{ name: 'hotel_2', description: 'Find a hotel' },
			],
		});

		sandbox.received.length = 0;
		const got = await run('phoneNumber', 'getConversationalComponents');
		expect(got.error).toBeUndefined();
		expect(sandbox.received[0]).toMatchObject({
			method: 'GET',
			path: PATH,
			query: { fields: 'conversational_automation' },
		});
		expect(got.items[0].json).toEqual({
			phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
			iceBreakers: ['Book a flight', 'Plan a vacation'],
			commands: [
				{ name: 'tickets', description: 'Book flight tickets' },
				{ name: 'hotel_2', description: 'Find a hotel' },
			],
			raw: {
				prompts: ['Book a flight', 'Plan a vacation'],
				commands: [
					{ command_name: 'tickets', command_description: 'Book flight tickets' },
					{ command_name: 'hotel_2', command_description: 'Find a hotel' },
				],
			},
		});
	});

	test('replaces both lists: empty fields send empty lists, which clear them', async () => {
		await update({ iceBreakers: iceBreakers('Hi'), commands: commands(['help', 'Get help']) });
		sandbox.received.length = 0;
		const { error } = await update({ commands: commands(['status', 'Order status']) });
		expect(error).toBeUndefined();
		expect(bodyOf(0)).toEqual({
			prompts: [],
			commands: [{ command_name: 'status', command_description: 'Order status' }],
		});
		const got = await run('phoneNumber', 'getConversationalComponents');
		expect(got.items[0].json).toMatchObject({
			iceBreakers: [],
			commands: [{ name: 'status', description: 'Order status' }],
		});
		// the welcome message is never sent: Meta dropped it
		expect(bodyOf(0)).not.toHaveProperty('enable_welcome_message');
	});

	test('takes Meta’s maximums: 4 ice breakers of 80 characters, 30 commands, names of 30, descriptions of 256', async () => {
		const { error } = await update({
			iceBreakers: iceBreakers(...Array.from({ length: 4 }, (_, k) => `${k}`.padEnd(80, 'x'))),
			commands: commands(
				...Array.from(
					{ length: 30 },
					(_, k) => [`c${k}`.padEnd(30, '_'), 'd'.repeat(256)] as [string, string],
				),
			),
		});
		expect(error).toBeUndefined();
		expect(graphRequests()).toHaveLength(1);
	});

	test.each([
		[
			'5 ice breakers',
			{ iceBreakers: iceBreakers('a', 'b', 'c', 'd', 'e') },
			'Ice Breakers has 5 entries (WhatsApp allows at most 4) [item 0]',
		],
		[
			'an ice breaker of 81 characters',
			{ iceBreakers: iceBreakers('x'.repeat(81)) },
			'Ice Breaker 1 > Text is too long: 81 characters (WhatsApp allows at most 80) [item 0]',
		],
		[
			'an ice breaker of 81 characters from an expression',
			{ iceBreakers: iceBreakers('ok', '={{ "y".repeat(81) }}') },
			'Ice Breaker 2 > Text is too long: 81 characters (WhatsApp allows at most 80) [item 0]',
		],
		[
			'an emoji in an ice breaker',
			{ iceBreakers: iceBreakers('Book a flight ✈️') },
			'Ice Breaker 1 > Text contains an emoji, which WhatsApp does not allow here [item 0]',
		],
		[
			'an empty ice breaker',
			{ iceBreakers: iceBreakers('  ') },
			'Ice Breaker 1 > Text is empty [item 0]',
		],
		[
			'31 commands',
			{
				commands: commands(
					...Array.from({ length: 31 }, (_, k) => [`c${k}`, 'd'] as [string, string]),
				),
			},
			'Commands has 31 entries (WhatsApp allows at most 30) [item 0]',
		],
		[
			'a command name with the slash',
			{ commands: commands(['/tickets', 'Book']) },
			'Command 1 > Command Name starts with a slash [item 0]',
		],
		[
			'a command name with a space, from an expression',
			{ commands: commands(['={{ "order status" }}', 'Book']) },
			'Command 1 > Command Name may hold only letters, digits and underscores, got "order status" [item 0]',
		],
		[
			'a command name of 31 characters',
			{ commands: commands(['a'.repeat(31), 'Book']) },
			'Command 1 > Command Name is too long: 31 characters (WhatsApp allows at most 30) [item 0]',
		],
		[
			'a command name twice',
			{ commands: commands(['help', 'Help'], ['help', 'More help']) },
			'Command 2 > Command Name "help" is there twice [item 0]',
		],
		[
			'a description of 257 characters',
			{ commands: commands(['help', 'd'.repeat(257)]) },
			'Command 1 > Description is too long: 257 characters (WhatsApp allows at most 256) [item 0]',
		],
		[
			'an emoji in a description',
			{ commands: commands(['help', 'Get help 🆘']) },
			'Command 1 > Description contains an emoji, which WhatsApp does not allow here [item 0]',
		],
		[
			'an empty description',
			{ commands: commands(['help', '']) },
			'Command 1 > Description is empty [item 0]',
		],
		[
			'an object as a description from an expression',
			{ commands: commands(['help', '={{ { a: 1 } }}']) },
			'Command 1 > Description must be text, but its expression gave an object [item 0]',
		],
	])('refuses %s before any request', async (_, parameters, message) => {
		const { error } = await update(parameters);
		expect(error?.message).toBe(message);
		expect(graphRequests()).toEqual([]);
	});

	test('a Phone Number that is not an ID is refused before any request', async () => {
		const { error } = await update({
			sender: { __rl: true, mode: 'id', value: '={{ "123?fields=x" }}' },
			iceBreakers: iceBreakers('Hi'),
		});
		expect(error?.message).toMatch(/Phone Number must be a phone number ID/);
		expect(graphRequests()).toEqual([]);
	});
});

describe('Phone Number > Get Conversational Components', () => {
	test('a number without any gives empty lists', async () => {
		const { items, error } = await run('phoneNumber', 'getConversationalComponents');
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
			iceBreakers: [],
			commands: [],
			raw: {},
		});
	});
});

describe('the sandbox refuses what Meta refuses', () => {
	test.each([
		[
			{ prompts: ['a', 'b', 'c', 'd', 'e'] },
			'(#100) Too many prompts provided. Maximum allowed is 4',
		],
		[{ prompts: ['x'.repeat(81)] }, '(#100) Prompt text exceeds maximum length of 80 characters'],
		[
			{ commands: [{ command_name: '/help', command_description: 'Help' }] },
			'(#100) Invalid command name format. Command names must contain only alphanumeric characters and underscores',
		],
		[
			{
				commands: [
					{ command_name: 'help', command_description: 'Help' },
					{ command_name: 'help', command_description: 'Help' },
				],
			},
			'(#100) Command names must be unique. Duplicate command name found: help',
		],
		// a JSON string of the list, as one client library sends it
		[
			{ commands: JSON.stringify([{ command_name: 'help', command_description: 'Help' }]) },
			'(#100) Param commands must be an array',
		],
		[{ welcome: true }, '(#100) Param welcome is not a valid parameter'],
	])('%j', async (body, message) => {
		const answer = await post(body);
		expect(answer.status).toBe(400);
		expect(answer.body.error?.message).toBe(message);
	});
});
