/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- a test: it formats the expected files it writes with prettier */
/**
 * Every example workflow (examples/) runs, as n8n would run it once published, through n8n-core's
 * real engine against the Graph API sandbox (test/examples/run.ts), with its pinned input
 * (test/examples/<name>.input.json), and makes exactly the requests of its expected file
 * (test/examples/<name>.requests.json): per step, the nodes that ran and the items each put out,
 * the Graph requests as the sandbox received them, and what the stand-ins for outside services
 * were asked.
 *
 * Stood in for (test/examples/nodeTypes.ts, STAND_INS says why for each): the nodes that reach
 * outside services (HTTP Request to the shop and the helpdesk, Google Sheets, the AI Agent with
 * its OpenAI model, the refund HTTP Request tool), which must not leave the test; and n8n's plain
 * nodes (Manual Trigger, Schedule Trigger, Webhook, No Operation, Set, Filter, If, Switch, Split
 * Out, Code) and the agent's Simple Memory, because n8n's node packages are not installed here. Ours, and n8n-core's engine,
 * run for real.
 *
 * The expected files are written by the run itself, once, and then compared exactly:
 *   UPDATE_EXPECTED=1 npx jest test/examples/run.test.ts
 * Read the diff of an updated file before committing it: it is the example's behaviour.
 */
import { execFileSync } from 'child_process';
import { existsSync, readdirSync, writeFileSync } from 'fs';
import type { INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import path from 'path';

import { TestNodeTypes } from '../../dev/harness/engine';
import { exampleNodeTypes, OUR, STAND_INS, StandIns } from './nodeTypes';
import {
	EXAMPLES_DIR,
	fixNow,
	loadExample,
	readJson,
	runExample,
	type ExampleInput,
	type StepRecord,
} from './run';

const UPDATE = process.env.UPDATE_EXPECTED === '1';
const PRETTIER = require.resolve('prettier/bin/prettier.cjs');

const NAMES = readdirSync(EXAMPLES_DIR)
	.filter((f) => f.endsWith('.workflow.json'))
	.map((f) => f.replace(/\.workflow\.json$/, ''))
	.sort();

const fileOf = (name: string, kind: 'input' | 'requests') =>
	path.join(__dirname, `${name}.${kind}.json`);

test('every example workflow has its pinned input and its expected requests', () => {
	expect(NAMES.length).toBeGreaterThan(0);
	const missing = NAMES.flatMap((name) =>
		(['input', 'requests'] as const)
			.map((kind) => fileOf(name, kind))
			.filter((file) => !existsSync(file) && !(UPDATE && file.endsWith('.requests.json'))),
	);
	expect(missing.map((f) => path.relative(EXAMPLES_DIR, f))).toEqual([]);
});

test('every node of the examples is ours or has a stand-in that says why', () => {
	const types = new Set(NAMES.flatMap((name) => loadExample(name).nodes.map((n) => n.type)));
	const unexplained = [...types].filter((t) => !t.startsWith(`${OUR}.`) && !STAND_INS[t]);
	expect(unexplained).toEqual([]);
});

test("an input's now is what n8n's expressions take for now, until the run ends", () => {
	const node: INode = {
		id: 'now',
		name: 'Now',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes(exampleNodeTypes(new StandIns({}))),
		settings: { timezone: 'UTC' },
	});
	// as n8n-core resolves a node's parameter
	const evaluate = (expression: string) =>
		workflow.expression.getParameterValue(expression, null, 0, 0, 'Now', [], 'manual', {});
	const restore = fixNow('2026-12-01T06:00:00Z');
	try {
		expect(evaluate('={{ $now.toISO() }}')).toBe('2026-12-01T06:00:00.000Z');
		expect(evaluate('={{ $today.minus({ days: 1 }).toISO() }}')).toBe('2026-11-30T00:00:00.000Z');
		expect(evaluate('={{ DateTime.now().toMillis() }}')).toBe(Date.parse('2026-12-01T06:00:00Z'));
		// the rest of the run's clock starts there and runs on
		expect(Date.now() - Date.parse('2026-12-01T06:00:00Z')).toBeLessThan(60_000);
		expect(new Date().getTime()).toBeGreaterThanOrEqual(Date.parse('2026-12-01T06:00:00Z'));
	} finally {
		restore();
	}
	expect(Math.abs((evaluate('={{ $now.toMillis() }}') as number) - Date.now())).toBeLessThan(
		60_000,
	);
	expect(new Date().getFullYear()).toBeGreaterThanOrEqual(2026);
	expect(Math.abs(Date.now() - performance.timeOrigin - performance.now())).toBeLessThan(60_000);
	expect(() => fixNow('2026-12-01T06:00:00')).toThrow(/with an offset/);
});

describe.each(NAMES)('%s', (name) => {
	test('runs with its pinned input and makes exactly the expected requests', async () => {
		const input = readJson<ExampleInput>(fileOf(name, 'input'));
		const records = await runExample(name, input);
		const expectedFile = fileOf(name, 'requests');
		if (UPDATE) {
			writeFileSync(expectedFile, JSON.stringify(records, null, '\t'));
			// in the repository's format (prettier cannot be loaded inside jest: it imports lazily)
			execFileSync(process.execPath, [PRETTIER, '--write', '--log-level=warn', expectedFile]);
		}
		expect(records).toEqual(readJson<StepRecord[]>(expectedFile));
	});
});
