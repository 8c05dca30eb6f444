/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * The node types the example workflows (examples/) run with when test/examples/run.test.ts
 * executes them.
 *
 * Ours are the real ones: the action node, the trigger, and the two variants n8n makes of the
 * action node for AI agents (the `…Tool` of a usableAsTool node, and the `…HitlTool` human-review
 * tool of a node with Send and Wait), each with the action node's own execute and webhook.
 *
 * n8n's own nodes are not installed here (only their published descriptions, test/.node-types/),
 * so each one an example uses has a stand-in: the published description of that node and version,
 * so parameters, defaults and expressions resolve as in n8n, with a small execute of our own that
 * does what the examples use the node for, and refuses any parameter value it does not model (so
 * a changed example fails loudly instead of running with other meaning):
 * - n8n's plain nodes (Manual Trigger, Schedule Trigger, Webhook, No Operation, Set, Filter, If,
 *   Switch, Split Out, Code) do their work here as n8n does it (the Schedule Trigger never fires:
 *   the items it emits are pinned); the conditions of Filter, If and Switch are evaluated by
 *   n8n-core itself, Set's types checked by n8n-workflow's own validateFieldType; Code runs
 *   the example's JavaScript in a fresh `vm` context (n8n runs it in a task runner, which is not
 *   part of n8n-core).
 * - Nodes that reach outside services (HTTP Request, Google Sheets, the AI Agent with its OpenAI
 *   model, the HTTP Request tool) never leave the test: each call is recorded (`StandInCall`) for
 *   the expected file, and answered with what the example's input file pins for that node (Google
 *   Sheets' reads also see the rows the run appended to the same sheet).
 * - The agent's Simple Memory keeps nothing (the stand-in agent plays the model, which is what
 *   would read the history); it records the session key it was given, and the agent the key of
 *   the memory it used, so the expected file shows whose conversation a run belongs to.
 */
import { existsSync, readFileSync } from 'fs';
import type {
	EngineRequest,
	EngineResponse,
	FieldType,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	ISupplyDataFunctions,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, validateFieldType } from 'n8n-workflow';
import path from 'path';
import { createContext, Script } from 'vm';

import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node.ts';
import { WhatsAppCloudTrigger } from '../../nodes/WhatsAppCloudTrigger/WhatsAppCloudTrigger.node.ts';

export const OUR = 'n8n-nodes-whatsapp-cloud';
const BASE = 'n8n-nodes-base';
const LANGCHAIN = '@n8n/n8n-nodes-langchain';

// ------------------------------------------------------------------------------------------------
// n8n's published node descriptions

const TYPES_DIR = path.join(__dirname, '../.node-types');

export type Description = Pick<
	INodeTypeDescription,
	'name' | 'version' | 'properties' | 'credentials' | 'inputs' | 'outputs'
>;

let publishedCache: Map<string, Description[]> | undefined;

/**
 * The node descriptions n8n publishes in its node packages, by node type (fetched by
 * scripts/fetch-node-types.mjs into test/.node-types/, as `npm test` does).
 */
export function published(): Map<string, Description[]> {
	if (publishedCache) return publishedCache;
	const map = new Map<string, Description[]>();
	for (const [file, prefix] of [
		['n8n-nodes-base@2.41.2.json', BASE],
		['n8n-nodes-langchain@2.41.1.json', LANGCHAIN],
	]) {
		const p = path.join(TYPES_DIR, file);
		if (!existsSync(p))
			throw new Error(`${p} is missing: run node scripts/fetch-node-types.mjs (npm test does)`);
		for (const d of JSON.parse(readFileSync(p, 'utf8')) as Description[]) {
			const key = `${prefix}.${d.name}`;
			map.set(key, [...(map.get(key) ?? []), d]);
		}
	}
	publishedCache = map;
	return map;
}

export const versionsOf = (d: Pick<Description, 'version'>) =>
	Array.isArray(d.version) ? d.version : [d.version];

/** n8n's published description of `type` at `version`. */
export function publishedDescription(type: string, version: number): INodeTypeDescription {
	const found = published()
		.get(type)
		?.find((d) => versionsOf(d).includes(version));
	if (!found) throw new Error(`n8n publishes no ${type} version ${version}`);
	return found as INodeTypeDescription;
}

// ------------------------------------------------------------------------------------------------
// Ours, and the variants n8n makes of the action node for AI agents

/** The fields n8n adds to the `…Tool` variant of a usableAsTool node. */
const TOOL_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Description',
		name: 'descriptionType',
		type: 'options',
		default: 'auto',
		options: [
			{ name: 'Set Automatically', value: 'auto' },
			{ name: 'Set Manually', value: 'manual' },
		],
	},
	{ displayName: 'Description', name: 'toolDescription', type: 'string', default: '' },
];

const action = new WhatsAppCloud();

/** The action node with another description: what n8n's loader does to make its variants. */
function actionVariant(description: INodeTypeDescription): INodeType {
	return {
		description,
		methods: action.methods,
		execute: action.execute,
		webhook: action.webhook,
	};
}

/** `whatsAppCloudTool`: the action node as an agent's tool (its output goes to the agent). */
export const toolVariant = (): INodeType =>
	actionVariant({
		...action.description,
		name: 'whatsAppCloudTool',
		displayName: `${action.description.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
		properties: [...TOOL_PROPERTIES, ...action.description.properties],
	});

/**
 * `whatsAppCloudHitlTool`: n8n's human-review tool made from Send and Wait. The tools it gates
 * connect into it; resource and operation are hidden, the send-and-wait fields kept.
 */
export const hitlVariant = (): INodeType =>
	actionVariant({
		...action.description,
		name: 'whatsAppCloudHitlTool',
		displayName: `${action.description.displayName} (Human Review)`,
		inputs: [{ type: NodeConnectionTypes.AiTool, displayName: 'Tool' }],
		outputs: [NodeConnectionTypes.AiTool],
		properties: action.description.properties.filter(
			(p) =>
				['resource', 'sender'].includes(p.name) ||
				(p.name === 'operation' && p.displayOptions?.show?.resource?.includes('message')) ||
				p.displayOptions?.show?.operation?.includes('sendAndWait'),
		),
	});

// ------------------------------------------------------------------------------------------------
// Stand-ins for n8n's nodes

/** One call a stand-in for an outside service received, as it would have gone out. */
export type StandInCall = { node: string; request: IDataObject };

/** A turn of the stand-in model: the tools it calls (by node name) and with what. */
export type ModelTurn = Array<{ tool: string; args: IDataObject }>;

/** What a run's stand-ins answer and record. */
export type StandInScript = {
	/** What a stood-in node answers, by node name: one entry per call in order, the last repeated. */
	answers?: Record<string, IDataObject[]>;
	/** The stand-in agent's model: its turns, then its final answer. */
	model?: { turns: ModelTurn[]; answer: string };
};

export class StandIns {
	readonly calls: StandInCall[] = [];

	private readonly answered = new Map<string, number>();

	constructor(readonly script: StandInScript) {}

	/** Records a call of `node` that has no answer (what the agent was asked). */
	record(node: string, request: IDataObject): void {
		this.calls.push({ node, request });
	}

	/** Records a call of `node` and gives the pinned answer for it. */
	call(node: string, request: IDataObject): IDataObject {
		this.calls.push({ node, request });
		return this.answer(node);
	}

	/** The next pinned answer for `node` (the call recorded apart). */
	answer(node: string): IDataObject {
		const answers = this.script.answers?.[node];
		if (!answers?.length) throw new Error(`the example's input pins no answer for "${node}"`);
		const n = this.answered.get(node) ?? 0;
		this.answered.set(node, n + 1);
		return answers[Math.min(n, answers.length - 1)];
	}
}

type Execute = (this: IExecuteFunctions, response?: EngineResponse) => Promise<unknown>;

/** A stand-in: n8n's description of `type` at `version`, with our execute (or only `webhook`). */
function standIn(
	type: string,
	version: number,
	execute?: Execute,
	overrides: Partial<INodeTypeDescription> = {},
): INodeType {
	const description = { ...publishedDescription(type, version), ...overrides };
	if (!execute)
		// a node with a webhook and no execute: n8n-core passes the start items through, as for
		// n8n's own Webhook node, whose webhook() made them
		return {
			description,
			webhook: async () => {
				throw new Error(`${type} is a stand-in: its start items are pinned`);
			},
		};
	return { description, execute: execute as INodeType['execute'] };
}

/** Fails unless the parameter has one of the values the stand-in models. */
function only(
	ctx: Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>,
	name: string,
	allowed: unknown[],
	item = 0,
) {
	const value = ctx.getNodeParameter(name, item, undefined) as unknown;
	if (!allowed.some((a) => JSON.stringify(a) === JSON.stringify(value)))
		throw new NodeOperationError(
			ctx.getNode(),
			`stand-in: ${name} = ${JSON.stringify(value)} is not modelled (only ${JSON.stringify(allowed)})`,
		);
	return value;
}

/** Manual Trigger and No Operation: their items go on as they came. */
async function passThrough(this: IExecuteFunctions) {
	return [this.getInputData()];
}

/**
 * Set (Edit Fields), manual mapping: per item, each assignment's value (expressions resolved by
 * n8n-core) checked and converted to its type by n8n-workflow's validateFieldType, on top of the
 * item's fields when Include Other Fields is on; binary data kept unless told otherwise.
 */
async function set(this: IExecuteFunctions) {
	return [
		this.getInputData().map((item, i) => {
			only(this, 'mode', ['manual'], i);
			only(this, 'duplicateItem', [false], i);
			const options = this.getNodeParameter('options', i, {}) as IDataObject;
			for (const key of Object.keys(options))
				if (key !== 'includeBinary') throw new Error(`stand-in: Set option ${key} is not modelled`);
			const other = this.getNodeParameter('includeOtherFields', i, false) as boolean;
			if (other) only(this, 'include', ['all'], i);
			const json: IDataObject = other ? structuredClone(item.json) : {};
			const assignments = this.getNodeParameter('assignments.assignments', i, []) as Array<{
				name: string;
				value: unknown;
				type: FieldType;
			}>;
			for (const { name, value, type } of assignments) {
				if (name.includes('.')) throw new Error(`stand-in: Set field "${name}" with a dot`);
				// a string field takes any value as text, as n8n's Set does (objects as JSON)
				const text =
					type !== 'string' || typeof value === 'string'
						? value
						: value !== null && typeof value === 'object'
							? JSON.stringify(value)
							: String(value);
				const checked = validateFieldType(name, text, type);
				if (!checked.valid) throw new NodeOperationError(this.getNode(), checked.errorMessage!);
				json[name] = checked.newValue as IDataObject[string];
			}
			return {
				json,
				...(item.binary && options.includeBinary !== false ? { binary: item.binary } : {}),
				pairedItem: { item: i },
			};
		}),
	];
}

/** Filter: the items whose conditions hold, as n8n-core evaluates the filter parameter. */
async function filter(this: IExecuteFunctions) {
	const kept = this.getInputData().filter(
		(_, i) => this.getNodeParameter('conditions', i, false, { extractValue: true }) as boolean,
	);
	return [kept];
}

/** If: each item to the true output (0) when its conditions hold, else to the false output (1). */
async function ifNode(this: IExecuteFunctions) {
	const outputs: INodeExecutionData[][] = [[], []];
	this.getInputData().forEach((item, i) => {
		const options = this.getNodeParameter('options', i, {}) as IDataObject;
		if (Object.keys(options).length) throw new Error('stand-in: If options are not modelled');
		const pass = this.getNodeParameter('conditions', i, false, { extractValue: true }) as boolean;
		outputs[pass ? 0 : 1].push({ ...item, pairedItem: { item: i } });
	});
	return outputs;
}

/**
 * Switch, Rules mode: one output per rule, in order; each item goes to the first rule whose
 * conditions hold (n8n-core evaluates them), to every one that holds with All Matching Outputs,
 * to the extra Fallback Output when none does and one is asked for, else nowhere.
 */
async function switchNode(this: IExecuteFunctions) {
	only(this, 'mode', ['rules']);
	const rules = this.getNodeParameter('rules.values', 0, []) as unknown[];
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	for (const key of Object.keys(options))
		if (!['allMatchingOutputs', 'fallbackOutput'].includes(key))
			throw new Error(`stand-in: Switch option ${key} is not modelled`);
	const fallback = options.fallbackOutput ?? 'none';
	if (fallback !== 'none' && fallback !== 'extra')
		throw new Error(`stand-in: Switch Fallback Output ${JSON.stringify(fallback)} is not modelled`);
	const outputs: INodeExecutionData[][] = Array.from(
		{ length: rules.length + (fallback === 'extra' ? 1 : 0) },
		() => [],
	);
	this.getInputData().forEach((item, i) => {
		let matched = false;
		for (let r = 0; r < rules.length; r++) {
			if (matched && !options.allMatchingOutputs) break;
			const pass = this.getNodeParameter(`rules.values[${r}].conditions`, i, false, {
				extractValue: true,
			}) as boolean;
			if (!pass) continue;
			matched = true;
			outputs[r].push({ ...item, pairedItem: { item: i } });
		}
		if (!matched && fallback === 'extra')
			outputs[rules.length].push({ ...item, pairedItem: { item: i } });
	});
	return outputs;
}

/** A field by dotted path. */
const at = (value: unknown, dotted: string): unknown =>
	dotted
		.split('.')
		.reduce<unknown>(
			(v, k) => (v && typeof v === 'object' ? (v as IDataObject)[k] : undefined),
			value,
		);

/**
 * Split Out: one item per element of the field to split out, under the destination field name,
 * with the selected other fields copied beside it.
 */
async function splitOut(this: IExecuteFunctions) {
	const out: INodeExecutionData[] = [];
	this.getInputData().forEach((item, i) => {
		only(this, 'include', ['selectedOtherFields'], i);
		const field = this.getNodeParameter('fieldToSplitOut', i) as string;
		const options = this.getNodeParameter('options', i, {}) as IDataObject;
		for (const key of Object.keys(options))
			if (key !== 'destinationFieldName')
				throw new Error(`stand-in: Split Out option ${key} is not modelled`);
		const destination = String(options.destinationFieldName ?? '') || field;
		const others = (this.getNodeParameter('fieldsToInclude', i) as string)
			.split(',')
			.map((f) => f.trim())
			.filter(Boolean);
		const list = at(item.json, field);
		for (const element of Array.isArray(list) ? list : []) {
			const json: IDataObject = { [destination]: element as IDataObject[string] };
			for (const other of others) json[other] = at(item.json, other) as IDataObject[string];
			out.push({ json, pairedItem: { item: i } });
		}
	});
	return [out];
}

/**
 * Code, JavaScript, once for all items: the example's code in a fresh vm context with the input
 * as `$input.all()` and `items`; what it returns becomes the items (`{ json }` or plain objects).
 */
async function code(this: IExecuteFunctions) {
	only(this, 'mode', ['runOnceForAllItems']);
	only(this, 'language', ['javaScript']);
	const source = this.getNodeParameter('jsCode', 0) as string;
	const input = this.getInputData();
	const context = createContext({
		$input: { all: () => input, first: () => input[0] },
		items: input,
	});
	const result = (await new Script(`(async () => {\n${source}\n})()`).runInContext(context, {
		timeout: 5000,
	})) as unknown;
	if (!Array.isArray(result)) throw new Error('stand-in: the code must return an array of items');
	// values made in the vm belong to its realm: copy them into this one
	const items = JSON.parse(JSON.stringify(result)) as Array<IDataObject>;
	return [
		items.map((r) => ({ json: (r.json as IDataObject | undefined) ?? r, pairedItem: { item: 0 } })),
	];
}

/**
 * HTTP Request: records the request it would make (method, URL, JSON body) and answers with the
 * pinned response: JSON, or a file under the output field the node names.
 */
async function httpRequest(this: IExecuteFunctions, standIns: StandIns) {
	const node = this.getNode().name;
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < this.getInputData().length; i++) {
		const method = this.getNodeParameter('method', i, 'GET') as string;
		const url = this.getNodeParameter('url', i) as string;
		const request: IDataObject = { method, url };
		if (this.getNodeParameter('sendBody', i, false)) {
			only(this, 'specifyBody', ['json'], i);
			request.body = JSON.parse(this.getNodeParameter('jsonBody', i) as string) as IDataObject;
		}
		const response = this.getNodeParameter('options.response.response', i, {}) as IDataObject;
		const answer = standIns.call(node, request);
		if (response.responseFormat === 'file') {
			const file = answer.file as { fileName: string; mimeType: string; text: string };
			const field = String(response.outputPropertyName ?? 'data');
			out.push({
				json: {},
				binary: {
					[field]: await this.helpers.prepareBinaryData(
						Buffer.from(file.text),
						file.fileName,
						file.mimeType,
					),
				},
				pairedItem: { item: i },
			});
		} else {
			if (Object.keys(response).length)
				throw new Error(`stand-in: HTTP Request response ${JSON.stringify(response)}`);
			out.push({ json: answer.json as IDataObject, pairedItem: { item: i } });
		}
	}
	return [out];
}

/** A sheet row as n8n's Google Sheets node outputs it: its row number, then its columns. */
type SheetRow = IDataObject & { row_number: number };

/**
 * Google Sheets, with the rows of each sheet a run touches: the rows its input pins (the answer
 * of the node that reads them) and those the run appended, so that a row one execution appends
 * is there when a later execution reads the same sheet (the row numbers count on from the pinned
 * rows, the header being row 1).
 */
class Sheets {
	private readonly appended = new Map<string, IDataObject[]>();

	append(document: unknown, sheet: unknown, row: IDataObject): void {
		const key = JSON.stringify([document, sheet]);
		this.appended.set(key, [...(this.appended.get(key) ?? []), row]);
	}

	rows(document: unknown, sheet: unknown, pinned: IDataObject[]): SheetRow[] {
		const all = [...pinned, ...(this.appended.get(JSON.stringify([document, sheet])) ?? [])];
		return all.map((row, n) => ({ row_number: n + 2, ...row }));
	}
}

/**
 * Google Sheets, Append Row with columns mapped below: records the row each item would append
 * (the mapped columns, expressions resolved) and outputs it, as the node outputs what it appended.
 *
 * Get Row(s) (`read`): records the sheet and filters each item reads with, and outputs the rows
 * that match, as the node does: the sheet's rows are the pinned answer of the node (`{ rows }`)
 * and those the run appended to the same sheet; a filter compares a column's value as text; with
 * filters, only the first match unless the option asks for all, none when nothing matches (the
 * item then puts out nothing); without filters, every row.
 */
async function googleSheets(this: IExecuteFunctions, standIns: StandIns, sheets: Sheets) {
	const node = this.getNode().name;
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < this.getInputData().length; i++) {
		only(this, 'resource', ['sheet'], i);
		const operation = only(this, 'operation', ['append', 'read'], i);
		const document = this.getNodeParameter('documentId', i, '', { extractValue: true });
		const sheet = this.getNodeParameter('sheetName', i, '', { extractValue: true });
		if (operation === 'append') {
			only(this, 'columns.mappingMode', ['defineBelow'], i);
			const row = this.getNodeParameter('columns.value', i) as IDataObject;
			standIns.record(node, { document, sheet, append: row });
			sheets.append(document, sheet, row);
			out.push({ json: row, pairedItem: { item: i } });
			continue;
		}
		const options = this.getNodeParameter('options', i, {}) as IDataObject;
		for (const key of Object.keys(options))
			if (key !== 'returnAllMatches')
				throw new Error(`stand-in: Google Sheets read option ${key} is not modelled`);
		const filters = (
			this.getNodeParameter('filtersUI.values', i, []) as Array<{
				lookupColumn: string;
				lookupValue: unknown;
			}>
		).map((f) => ({ column: f.lookupColumn, value: String(f.lookupValue ?? '') }));
		const combine = filters.length
			? (only(this, 'combineFilters', ['AND', 'OR'], i) as string)
			: undefined;
		const all = options.returnAllMatches === 'returnAllMatches';
		standIns.record(node, {
			document,
			sheet,
			read: filters.length ? { filters, combine, ...(all ? { all } : {}) } : 'all rows',
		});
		const pinned = standIns.answer(node).rows;
		if (!Array.isArray(pinned))
			throw new Error(`stand-in: the answer pinned for "${node}" must be { rows: [...] }`);
		const matches = (row: IDataObject) => {
			const hits = filters.map((f) => String(row[f.column] ?? '') === f.value);
			return combine === 'OR' ? hits.some(Boolean) : hits.every(Boolean);
		};
		const found = sheets
			.rows(document, sheet, pinned as IDataObject[])
			.filter((row) => !filters.length || matches(row));
		for (const row of filters.length && !all ? found.slice(0, 1) : found)
			out.push({ json: row, pairedItem: { item: i } });
	}
	return [out];
}

/**
 * The HTTP Request tool, run by the engine at an agent's request: records the request the model's
 * arguments make (method, URL, the arguments as the JSON body) and gives the pinned answer. The
 * engine hands a tool the agent's own input item with the arguments merged in: the body keeps the
 * fields the model's calls of this tool name.
 */
async function toolHttpRequest(this: IExecuteFunctions, standIns: StandIns) {
	const node = this.getNode().name;
	only(this, 'specifyBody', ['model']);
	const keys = new Set(
		(standIns.script.model?.turns ?? [])
			.flat()
			.filter((call) => call.tool === node)
			.flatMap((call) => Object.keys((call.args.toolParameters as IDataObject) ?? call.args)),
	);
	const merged = this.getInputData()[0]?.json ?? {};
	const request = {
		method: this.getNodeParameter('method', 0, 'GET') as string,
		url: this.getNodeParameter('url', 0) as string,
		body: Object.fromEntries(Object.entries(merged).filter(([key]) => keys.has(key))),
	};
	return [[{ json: standIns.call(node, request) }]];
}

type Tool = {
	name: string;
	schema: { parse: (v: unknown) => unknown };
	invoke: (args: IDataObject) => Promise<string>;
	metadata?: { sourceNodeName?: string; gatedToolNodeName?: string };
};

/** The agent's tools as n8n-core makes them from the nodes connected to it. */
async function toolsOf(ctx: IExecuteFunctions): Promise<Tool[]> {
	const supplied = (await ctx.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as unknown[];
	return supplied.flatMap((t) => ((t as { tools?: Tool[] }).tools ?? [t]) as Tool[]);
}

/** The tool a model's call names: by the node behind it, or the tool a human-review node gates. */
function toolFor(tools: Tool[], name: string): Tool {
	const tool = tools.find(
		(t) => (t.metadata?.gatedToolNodeName ?? t.metadata?.sourceNodeName) === name,
	);
	if (!tool)
		throw new Error(
			`stand-in agent: no tool "${name}" (has ${tools.map((t) => t.metadata?.sourceNodeName).join(', ')})`,
		);
	return tool;
}

/** What the stand-in memory supplies the agent: the session key of the conversation. */
type Memory = { sessionKey: string };

/**
 * What the agent was asked: its prompt and system message, and, when a memory is connected, the
 * session key of the conversation it reads and adds to.
 */
async function prompt(ctx: IExecuteFunctions): Promise<IDataObject> {
	const memory = (await ctx.getInputConnectionData(NodeConnectionTypes.AiMemory, 0)) as
		| Memory
		| undefined;
	return {
		prompt: ctx.getNodeParameter('text', 0) as string,
		systemMessage: ctx.getNodeParameter('options.systemMessage', 0, '') as string,
		...(memory ? { memory: memory.sessionKey } : {}),
	};
}

/**
 * The AI Agent, version 2: the model is played by the input file's turns. The agent gets its tools
 * from n8n-core (each connected node made a tool, its schema from the node's $fromAI() fields),
 * checks each call's arguments against that schema as the model's tool call would be, and invokes
 * the tool, which runs the node; then it answers with the model's final text.
 */
async function agentV2(this: IExecuteFunctions, standIns: StandIns) {
	const model = standIns.script.model;
	if (!model) throw new Error("stand-in agent: the example's input has no model turns");
	const tools = await toolsOf(this);
	standIns.record(this.getNode().name, await prompt(this));
	for (const turn of model.turns)
		for (const call of turn) {
			const tool = toolFor(tools, call.tool);
			tool.schema.parse(call.args);
			await tool.invoke(call.args);
		}
	return [[{ json: { output: model.answer }, pairedItem: { item: 0 } }]];
}

/** Where the stand-in agent v3 is between its calls to the engine. */
type AgentState = { turn: number; gated?: Array<{ tool: string; args: IDataObject }> };

/**
 * The AI Agent, version 3: as version 2, but as n8n's v3 agent does, each tool call goes to the
 * engine as a request to run the tool's node, and the agent is called again with the results. A
 * call of a tool behind a human-review node runs that node first (with the tool's name and
 * arguments as JSON text); the gated tool then runs only if the review's answer is an approval.
 */
async function agentV3(
	this: IExecuteFunctions,
	standIns: StandIns,
	response?: EngineResponse<AgentState>,
): Promise<INodeExecutionData[][] | EngineRequest<AgentState>> {
	const model = standIns.script.model;
	if (!model) throw new Error("stand-in agent: the example's input has no model turns");
	const tools = await toolsOf(this);
	// the engine's first call brings an empty response: no results, no metadata
	const state: AgentState = { turn: 0, ...response?.metadata };
	if (!response?.actionResponses.length) standIns.record(this.getNode().name, await prompt(this));
	const requests: EngineRequest<AgentState>['actions'] = [];
	let id = 0;
	const request = (nodeName: string, input: IDataObject) =>
		requests.push({
			actionType: 'ExecutionNodeAction',
			nodeName,
			input,
			type: NodeConnectionTypes.AiTool,
			id: `call_${state.turn}_${++id}`,
			metadata: { turn: state.turn },
		});
	// reviewed calls whose answer came back: the approved ones run now
	for (const gated of state.gated ?? []) {
		const tool = toolFor(tools, gated.tool);
		const review = response?.actionResponses.find(
			(r) => r.action.nodeName === tool.metadata?.sourceNodeName,
		);
		const answer = review?.data.data?.[NodeConnectionTypes.AiTool]?.[0]?.[0]?.json ?? {};
		// Send and Wait's answer is `{ data: { approved } }`
		const approved = answer.approved ?? (answer.data as IDataObject | undefined)?.approved;
		if (approved === true) request(gated.tool, gated.args);
	}
	if (requests.length)
		return { actions: requests, metadata: { turn: state.turn } } as EngineRequest<AgentState>;
	const turn = model.turns[state.turn];
	if (!turn) return [[{ json: { output: model.answer }, pairedItem: { item: 0 } }]];
	const gated: AgentState['gated'] = [];
	for (const call of turn) {
		const tool = toolFor(tools, call.tool);
		tool.schema.parse(call.args);
		const reviewer = tool.metadata?.gatedToolNodeName ? tool.metadata.sourceNodeName : undefined;
		if (reviewer) {
			const { toolParameters, hitlParameters } = call.args as {
				toolParameters: IDataObject;
				hitlParameters?: IDataObject;
			};
			// as n8n's agent hands them to the review node: its own parameters at the top, the
			// tool's as JSON text (what `$tool.parameters` shows the reviewer)
			request(reviewer, { ...hitlParameters, toolParameters: JSON.stringify(toolParameters) });
			gated.push({ tool: call.tool, args: toolParameters });
		} else request(call.tool, call.args);
	}
	return {
		actions: requests,
		metadata: { turn: state.turn + 1, gated },
	} as EngineRequest<AgentState>;
}

/**
 * The agent's inputs, without the expression n8n computes them with: main, a model, a memory (at
 * most one, as n8n's agent takes), tools.
 */
const AGENT_INPUTS: INodeTypeDescription['inputs'] = [
	NodeConnectionTypes.Main,
	{ type: NodeConnectionTypes.AiLanguageModel, displayName: 'Chat Model', required: true },
	{ type: NodeConnectionTypes.AiMemory, displayName: 'Memory', maxConnections: 1 },
	{ type: NodeConnectionTypes.AiTool, displayName: 'Tool' },
];

/** The chat model: connected for the agent's sake, never called (the stand-in agent is the model). */
const chatModel = (): INodeType => ({
	description: publishedDescription(`${LANGCHAIN}.lmChatOpenAi`, 1.2),
	supplyData: async () => {
		throw new Error('stand-in: the model is played by the stand-in agent');
	},
});

/**
 * Simple Memory (the window buffer memory), session key defined below: records the key the agent's
 * run gave it (its expression resolved by n8n-core against the agent's input item) and supplies
 * it to the agent. It keeps no history: the stand-in agent plays the model, which would read it.
 */
const memoryBufferWindow = (standIns: StandIns): INodeType => ({
	description: publishedDescription(`${LANGCHAIN}.memoryBufferWindow`, 1.3),
	supplyData: async function (this: ISupplyDataFunctions, itemIndex: number) {
		only(this, 'sessionIdType', ['customKey'], itemIndex);
		const sessionKey = this.getNodeParameter('sessionKey', itemIndex) as string;
		if (typeof sessionKey !== 'string' || !sessionKey)
			throw new NodeOperationError(this.getNode(), 'stand-in: the session key is empty');
		standIns.record(this.getNode().name, {
			sessionKey,
			contextWindowLength: this.getNodeParameter('contextWindowLength', itemIndex) as number,
		});
		const memory: Memory = { sessionKey };
		return { response: memory };
	},
});

/**
 * The Schedule Trigger, version 1.2: n8n's description, and a trigger that never fires here (a
 * timer would make the run depend on the clock). A `start` step gives the items it emits, as n8n's
 * does when the schedule fires (`timestamp`, `Readable date`, ... in the workflow's time zone);
 * n8n-core passes a trigger's start items on when the execution is not manual.
 */
const scheduleTrigger = (): INodeType => ({
	description: publishedDescription(`${BASE}.scheduleTrigger`, 1.2),
	trigger: async function () {
		throw new Error('stand-in: the Schedule Trigger never fires here; its start items are pinned');
	},
});

/** A node type with several versions, as n8n's VersionedNodeType holds them. */
function versioned(type: string, byVersion: Record<number, INodeType>): IVersionedNodeType {
	const versions = Object.keys(byVersion).map(Number);
	const currentVersion = Math.max(...versions);
	return {
		nodeVersions: byVersion,
		currentVersion,
		description: { ...publishedDescription(type, currentVersion), defaultVersion: currentVersion },
		getNodeType: (version?: number) => byVersion[version ?? currentVersion],
	} as unknown as IVersionedNodeType;
}

/**
 * The node types for one run of an example: ours, and the stand-ins above, recording into and
 * answering from `standIns`.
 */
export function exampleNodeTypes(
	standIns: StandIns,
): Record<string, INodeType | IVersionedNodeType> {
	const sheets = new Sheets();
	const bind = (
		fn: (this: IExecuteFunctions, s: StandIns, r?: EngineResponse<never>) => Promise<unknown>,
	) =>
		async function (this: IExecuteFunctions, response?: EngineResponse) {
			return await fn.call(this, standIns, response as EngineResponse<never>);
		};
	const agent = (version: number, fn: Parameters<typeof bind>[0]) =>
		standIn(`${LANGCHAIN}.agent`, version, bind(fn), { inputs: AGENT_INPUTS });
	return {
		[`${OUR}.whatsAppCloud`]: action,
		[`${OUR}.whatsAppCloudTool`]: toolVariant(),
		[`${OUR}.whatsAppCloudHitlTool`]: hitlVariant(),
		[`${OUR}.whatsAppCloudTrigger`]: new WhatsAppCloudTrigger(),
		[`${BASE}.manualTrigger`]: standIn(`${BASE}.manualTrigger`, 1, passThrough),
		[`${BASE}.webhook`]: standIn(`${BASE}.webhook`, 2.1, undefined, {
			outputs: [NodeConnectionTypes.Main],
		}),
		[`${BASE}.scheduleTrigger`]: scheduleTrigger(),
		[`${BASE}.noOp`]: standIn(`${BASE}.noOp`, 1, passThrough),
		[`${BASE}.set`]: standIn(`${BASE}.set`, 3.4, set),
		[`${BASE}.filter`]: standIn(`${BASE}.filter`, 2.2, filter),
		[`${BASE}.splitOut`]: standIn(`${BASE}.splitOut`, 1, splitOut),
		[`${BASE}.code`]: standIn(`${BASE}.code`, 2, code),
		[`${BASE}.httpRequest`]: standIn(`${BASE}.httpRequest`, 4.2, bind(httpRequest)),
		[`${BASE}.if`]: standIn(`${BASE}.if`, 2.2, ifNode),
		[`${BASE}.switch`]: standIn(`${BASE}.switch`, 3.2, switchNode),
		[`${BASE}.googleSheets`]: standIn(
			`${BASE}.googleSheets`,
			4.7,
			bind(async function (this: IExecuteFunctions, s: StandIns) {
				return await googleSheets.call(this, s, sheets);
			}),
		),
		[`${LANGCHAIN}.toolHttpRequest`]: standIn(
			`${LANGCHAIN}.toolHttpRequest`,
			1.1,
			bind(toolHttpRequest),
		),
		[`${LANGCHAIN}.lmChatOpenAi`]: chatModel(),
		[`${LANGCHAIN}.memoryBufferWindow`]: memoryBufferWindow(standIns),
		// one type per version the examples use: the versions differ in how they call their tools
		[`${LANGCHAIN}.agent`]: versioned(`${LANGCHAIN}.agent`, {
			2.2: agent(2.2, agentV2),
			3.1: agent(3.1, agentV3 as Parameters<typeof bind>[0]),
		}),
	};
}

/**
 * Every n8n node type the examples use, and why a stand-in plays it: n8n's own node packages are
 * not installed in this repository (their descriptions are, test/.node-types/), and the ones that
 * reach outside services must not leave the test anyway.
 */
export const STAND_INS: Record<string, string> = {
	[`${BASE}.manualTrigger`]: 'not installed here; passes its start item on, as n8n does',
	[`${BASE}.webhook`]:
		'not installed here; its start item (the request as n8n parses it) is pinned',
	[`${BASE}.scheduleTrigger`]:
		'not installed here, and a timer would tie the run to the clock; its start items (what the schedule emits) are pinned',
	[`${BASE}.noOp`]: 'not installed here; passes its items on, as n8n does',
	[`${BASE}.set`]: 'not installed here; sets the mapped fields, types checked by n8n-workflow',
	[`${BASE}.filter`]: "not installed here; keeps the items n8n-core's filter evaluation passes",
	[`${BASE}.splitOut`]: 'not installed here; one item per element, selected fields beside it',
	[`${BASE}.code`]:
		"not installed here, and n8n runs code in a task runner; runs the example's JavaScript in a vm",
	[`${BASE}.httpRequest`]:
		'reaches other sites; the request is recorded and answered from the input file',
	[`${BASE}.if`]:
		"not installed here; sends each item to true or false as n8n-core's filter evaluation says",
	[`${BASE}.switch`]:
		"not installed here; sends each item to the first rule n8n-core's filter evaluation passes",
	[`${BASE}.googleSheets`]:
		"reaches Google's API; the rows it would append and the reads are recorded, the rows read are pinned (and those the run appended)",
	[`${LANGCHAIN}.agent`]:
		"calls an AI model; the model's tool calls are scripted in the input file, n8n-core runs the tools",
	[`${LANGCHAIN}.lmChatOpenAi`]: "OpenAI's API; never called, the stand-in agent plays the model",
	[`${LANGCHAIN}.memoryBufferWindow`]:
		'not installed here; records the session key it is given, the stand-in agent the key it used',
	[`${LANGCHAIN}.toolHttpRequest`]:
		'reaches other sites; the request is recorded and answered from the input file',
};
