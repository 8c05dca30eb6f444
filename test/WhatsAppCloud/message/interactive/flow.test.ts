/**
 * Message > Send Interactive > Flow (actions/message/interactive/flow.ts): the JSON Meta documents
 * for a Flow message (by ID or name, navigate or data exchange, draft or published), the flow
 * token in the output, the limits, and the sandbox's refusals of Flows that may not be sent.
 */
import type { INodeParameters } from 'n8n-workflow';

import { rl } from '../../../../dev/harness/templates';
import { SEED_FLOWS } from '../../../../dev/sandbox/flows';
import type { GraphSandbox } from '../../../../dev/sandbox/server';
import { clearSends, head, useMessageSandbox } from '../send';

let sandbox: GraphSandbox;
const { send, sentBody } = useMessageSandbox(
	(started) => (sandbox = started.sandbox),
	(s) => {
		s.reset();
		clearSends(s);
	},
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A Flow message's parameters, with the published seed Flow unless told. */
const flow = (p: INodeParameters = {}): INodeParameters => ({
	interactiveType: 'flow',
	flow: rl(SEED_FLOWS.published),
	body: 'Book your next visit in a few taps.',
	flowCta: 'Book now',
	...p,
});

describe('Send Interactive > Flow sends exactly the JSON Meta documents', () => {
	test('by ID, navigate to a screen with data, text header and footer, a given token', async () => {
		const { items, error } = await send(
			'sendInteractive',
			flow({
				flowHeaderText: 'Lucky Shrub',
				footer: 'Takes a minute',
				flowScreen: 'BOOKING',
				flowScreenData: '{"name": "Ana", "visits": 3}',
				flowReference: 'order-4711',
			}),
		);
		expect(error).toBeUndefined();
		expect(sandbox.accepted[0].body).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'flow',
				header: { type: 'text', text: 'Lucky Shrub' },
				body: { text: 'Book your next visit in a few taps.' },
				footer: { text: 'Takes a minute' },
				action: {
					name: 'flow',
					parameters: {
						flow_message_version: '3',
						flow_id: SEED_FLOWS.published,
						flow_cta: 'Book now',
						flow_token: 'order-4711',
						mode: 'published',
						flow_action: 'navigate',
						flow_action_payload: { screen: 'BOOKING', data: { name: 'Ana', visits: 3 } },
					},
				},
			},
		});
		expect(items[0].json).toMatchObject({
			messageId: sandbox.accepted[0].id,
			flowToken: 'order-4711',
		});
	});

	test('a draft by name in draft mode, with data exchange: no payload, flow_name', async () => {
		expect(
			await sentBody(
				'sendInteractive',
				flow({
					flow: rl('Customer survey', 'name'),
					flowMode: 'draft',
					flowAction: 'data_exchange',
					flowReference: 'survey-1',
				}),
			),
		).toEqual({
			...head,
			type: 'interactive',
			interactive: {
				type: 'flow',
				body: { text: 'Book your next visit in a few taps.' },
				action: {
					name: 'flow',
					parameters: {
						flow_message_version: '3',
						flow_name: 'Customer survey',
						flow_cta: 'Book now',
						flow_token: 'survey-1',
						mode: 'draft',
						flow_action: 'data_exchange',
					},
				},
			},
		});
	});

	test('without a token: a new random UUID per item, sent and output as flowToken', async () => {
		const { items, error } = await send('sendInteractive', flow(), [{}, {}, {}]);
		expect(error).toBeUndefined();
		const tokens = items.map((i) => String(i.json.flowToken));
		tokens.forEach((token) => expect(token).toMatch(UUID));
		expect(new Set(tokens).size).toBe(3);
		const sent = sandbox.accepted.map(
			(m) =>
				(m.body.interactive as { action: { parameters: { flow_token: string } } }).action.parameters
					.flow_token,
		);
		expect(new Set(sent)).toEqual(new Set(tokens));
		for (const item of items) {
			const accepted = sandbox.accepted.find((m) => m.id === item.json.messageId)!;
			expect(
				(accepted.body.interactive as { action: { parameters: { flow_token: string } } }).action
					.parameters.flow_token,
			).toBe(item.json.flowToken);
		}
		// navigate without a first screen: no payload, the Flow opens on its first screen
		expect(
			(sandbox.accepted[0].body.interactive as { action: { parameters: object } }).action
				.parameters,
		).not.toHaveProperty('flow_action_payload');
	});
});

describe('Flow message limits: inside is sent, outside fails before any request, naming field and item', () => {
	const v = '={{ $json.v }}';
	const cases: Array<[string, INodeParameters, [string, string, string], RegExp]> = [
		[
			'button text 20 characters',
			flow({ flowCta: v }),
			['Book', 'x'.repeat(20), 'x'.repeat(21)],
			/^Button Text is too long: 21 characters \(WhatsApp allows at most 20\) \[item 1\]$/,
		],
		[
			'button text without emoji',
			flow({ flowCta: v }),
			['Book', 'Book now!', 'Book now 📅'],
			/^Button Text may not contain emoji \[item 1\]$/,
		],
		[
			'button text without a flag (regional indicators)',
			flow({ flowCta: v }),
			['Book', 'Book now DE', 'Book now 🇩🇪'],
			/^Button Text may not contain emoji \[item 1\]$/,
		],
		[
			'button text without a keycap',
			flow({ flowCta: v }),
			['Book', 'Book now #1', 'Book now 1️⃣'],
			/^Button Text may not contain emoji \[item 1\]$/,
		],
		[
			'button text without an emoji presentation selector',
			flow({ flowCta: v }),
			['Book', 'Book now #', 'Book now #\uFE0F'],
			/^Button Text may not contain emoji \[item 1\]$/,
		],
		[
			'button text without a tag sequence',
			flow({ flowCta: v }),
			['Book', 'Book now', 'Book now 🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}'],
			/^Button Text may not contain emoji \[item 1\]$/,
		],
		[
			'button text not empty',
			flow({ flowCta: v }),
			['Book', 'B', ''],
			/^Button Text is empty; it needs a value \[item 1\]$/,
		],
		[
			'header text 60 characters',
			flow({ flowHeaderText: v }),
			['Hi', 'x'.repeat(60), 'x'.repeat(61)],
			/^Header Text is too long: 61 characters \(WhatsApp allows at most 60\) \[item 1\]$/,
		],
		[
			'body 1,024 characters',
			flow({ body: v }),
			['Hi', 'x'.repeat(1024), 'x'.repeat(1025)],
			/^Body is too long: 1,025 characters \(WhatsApp allows at most 1,024\) \[item 1\]$/,
		],
		[
			'footer 60 characters',
			flow({ footer: v }),
			['Hi', 'x'.repeat(60), 'x'.repeat(61)],
			/^Footer is too long: 61 characters \(WhatsApp allows at most 60\) \[item 1\]$/,
		],
		[
			'screen data is a non-empty object',
			flow({ flowScreen: 'BOOKING', flowScreenData: v }),
			['{"a": 1}', '{"name": "Ana"}', '{}'],
			/^Screen Data must have at least one value \[item 1\]$/,
		],
		[
			'screen data is an object, not a list',
			flow({ flowScreen: 'BOOKING', flowScreenData: v }),
			['{"a": 1}', '{"b": 2}', '[1, 2]'],
			/^Screen Data must be a JSON object such as \{"name": "Ana"\} \[item 1\]$/,
		],
		[
			'screen data is JSON',
			flow({ flowScreen: 'BOOKING', flowScreenData: v }),
			['{"a": 1}', '{"b": 2}', '{name: Ana}'],
			/^Screen Data is not valid JSON: .* \[item 1\]$/,
		],
		[
			'screen data needs a first screen',
			flow({ flowScreen: v, flowScreenData: '{"name": "Ana"}' }),
			['BOOKING', 'BOOKING', ''],
			/^First Screen is empty, but Screen Data needs the screen it is for \[item 1\]$/,
		],
		[
			'a Flow ID has digits only',
			flow({ flow: rl(v) }),
			[SEED_FLOWS.published, SEED_FLOWS.published, 'Book an appointment'],
			/^Flow must be a Flow ID \(digits only\) \[item 1\]$/,
		],
		[
			'a Flow is chosen',
			flow({ flow: rl(v, 'name') }),
			['Book an appointment', 'Book an appointment', ' '],
			/^Choose a Flow \[item 1\]$/,
		],
	];
	test.each(cases)('%s', async (_name, parameters, [first, inside, outside], error) => {
		const ok = await send('sendInteractive', parameters, [{ v: first }, { v: inside }]);
		expect(ok.error).toBeUndefined();
		expect(sandbox.accepted).toHaveLength(2);
		clearSends(sandbox);
		const bad = await send('sendInteractive', parameters, [{ v: first }, { v: outside }]);
		expect(bad.error?.message).toMatch(error);
		expect(sandbox.log).toEqual([]);
	});
});

describe('the sandbox sends only Flows that may be sent', () => {
	test('a draft in published mode, a Flow that does not exist, a deprecated Flow: 131009', async () => {
		const draft = await send('sendInteractive', flow({ flow: rl(SEED_FLOWS.draft) }));
		expect(draft.error?.message).toBe(
			'WhatsApp Cloud API error 131009: Parameter value is not valid',
		);
		expect(String(draft.error?.description)).toMatch(
			/The Flow is a draft: send it with mode "draft"/,
		);
		const missing = await send('sendInteractive', flow({ flow: rl('Nope', 'name') }));
		expect(String(missing.error?.description)).toMatch(/Flow with name "Nope" does not exist/);
		sandbox.flows.get(SEED_FLOWS.published)!.status = 'DEPRECATED';
		const deprecated = await send('sendInteractive', flow());
		expect(String(deprecated.error?.description)).toMatch(/deprecated/);
		expect(sandbox.accepted).toHaveLength(0);
	});

	test('a blocked Flow: 132068, with its hint', async () => {
		sandbox.flows.get(SEED_FLOWS.published)!.status = 'BLOCKED';
		const { error } = await send('sendInteractive', flow());
		expect(error?.message).toBe('WhatsApp Cloud API error 132068: Flow is in blocked state');
		expect(String(error?.description)).toMatch(/The Flow is blocked, so it cannot be sent/);
	});

	test('a throttled Flow: 10 messages an hour, then 132069', async () => {
		sandbox.flows.get(SEED_FLOWS.published)!.status = 'THROTTLED';
		const ten = await send(
			'sendInteractive',
			flow(),
			Array.from({ length: 10 }, () => ({})),
		);
		expect(ten.error).toBeUndefined();
		expect(sandbox.accepted).toHaveLength(10);
		const eleventh = await send('sendInteractive', flow());
		expect(eleventh.error?.message).toBe(
			'WhatsApp Cloud API error 132069: Flow is in throttled state',
		);
		expect(String(eleventh.error?.description)).toMatch(/sent only 10 times an hour/);
	});
});
