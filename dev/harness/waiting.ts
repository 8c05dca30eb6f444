/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * Waiting executions, as n8n keeps and resumes them, over real HTTP:
 * - `WaitingExecutions.start` runs a workflow with n8n-core's WorkflowExecute until a node puts it
 *   to wait, and stores the run as n8n's database would (JSON, status "waiting").
 * - A request to `/webhook-waiting/<executionId>/<nodeId>` goes through the steps of n8n's
 *   WaitingWebhooks and webhook helpers: the execution is looked up (404), the URL's signature is
 *   checked with n8n-core's validateUrlSignature and the instance's HMAC secret when the node
 *   waits in send-and-wait (401), a running or failed execution answers 409 and a finished one
 *   "no action required"; then the waiting node's `webhook` method runs in n8n-core's
 *   WebhookContext, and if it returns items the execution goes on from that node, disabled, with
 *   those items, in a new WorkflowExecute (as n8n's WorkflowRunner resumes it).
 * - `timeOut` resumes an execution as n8n's WaitTracker does when the wait limit passes.
 * `WaitingServer` serves these beside the trigger routes of the WebhookServer, on one address, as
 * n8n serves `/webhook/...` and `/webhook-waiting/...` side by side.
 */
import {
	ExecutionLifecycleHooks,
	InstanceSettings,
	validateUrlSignature,
	WAITING_TOKEN_QUERY_PARAM,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import * as http from 'http';
import { createRequire } from 'module';
import type {
	ExecutionStatus,
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IPinData,
	IRun,
	IRunExecutionData,
	ITaskData,
	IVersionedNodeType,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	IWorkflowBase,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	createRunExecutionData,
	NodeHelpers,
	SEND_AND_WAIT_OPERATION,
	Workflow,
} from 'n8n-workflow';

import { additionalDataFor, nodeTypes, TestNodeTypes } from './engine';
import { expressLike, WebhookServer } from './webhook-server';

export type StoredExecution = {
	id: string;
	mode: WorkflowExecuteMode;
	status: ExecutionStatus;
	finished: boolean;
	workflowData: IWorkflowBase;
	/** The run data as n8n stores it between runs (a JSON copy). */
	data: IRunExecutionData;
	/** Every run of this execution: the first, then each resume. */
	runs: IRun[];
	credentials: ICredentialDataDecryptedObject;
};

/** One request to a waiting webhook and n8n's answer. */
export type WaitingCall = {
	method: string;
	executionId: string;
	suffix: string;
	status: number;
	body: string;
	/** Whether the execution went on because of it. */
	resumed: boolean;
};

const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * n8n-core's own dependency container (n8n-core has its own copy of @n8n/di): the instance settings
 * that signed the resume URLs, with the HMAC secret n8n checks them with.
 */
const { Container } = createRequire(require.resolve('n8n-core'))('@n8n/di') as {
	Container: { get<T>(type: new (...args: never[]) => T): T };
};

/** The body as n8n's webhook helpers parse it: JSON and URL-encoded forms. */
function parseBody(req: http.IncomingMessage, raw: Buffer): IDataObject {
	const type = String(req.headers['content-type'] ?? '');
	if (!raw.length) return {};
	if (/^application\/json/i.test(type)) return JSON.parse(raw.toString('utf8')) as IDataObject;
	if (/^application\/x-www-form-urlencoded/i.test(type))
		return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
	return {};
}

export class WaitingExecutions {
	readonly executions = new Map<string, StoredExecution>();

	/** Every request to a waiting webhook, in order. */
	readonly calls: WaitingCall[] = [];

	/** What waiting nodes logged while answering their webhook, as `level: message`. */
	readonly logs: string[] = [];

	/** Every node run of every execution, in order, with what it output (n8n's nodeExecuteAfter). */
	readonly nodeRuns: Array<{ executionId: string; node: string; task: ITaskData }> = [];

	private counter = 1000;

	/**
	 * The node types of an execution started with its own (an example workflow's n8n nodes and
	 * their stand-ins); the others run with the action node alone. Kept beside the executions: as
	 * in n8n, the node types are the instance's, not part of what is stored.
	 */
	private readonly types = new Map<string, Record<string, INodeType | IVersionedNodeType>>();

	private readonly running = new Set<Promise<unknown>>();

	constructor(private readonly baseUrl: () => string) {}

	get waitingBaseUrl(): string {
		return `${this.baseUrl()}/webhook-waiting`;
	}

	private additionalData(execution: StoredExecution, extra: IDataObject = {}) {
		const hooks = new ExecutionLifecycleHooks(execution.mode, execution.id, execution.workflowData);
		return {
			hooks,
			additionalData: additionalDataFor(execution.credentials, {
				hooks,
				executionId: execution.id,
				webhookBaseUrl: `${this.baseUrl()}/webhook`,
				webhookWaitingBaseUrl: this.waitingBaseUrl,
				...extra,
			}),
		};
	}

	private workflowOf(execution: StoredExecution): Workflow {
		const { workflowData } = execution;
		return new Workflow({
			id: workflowData.id,
			name: workflowData.name,
			nodes: json(workflowData.nodes),
			connections: workflowData.connections,
			active: false,
			nodeTypes: new TestNodeTypes(this.types.get(execution.id) ?? nodeTypes()),
			settings: workflowData.settings,
		});
	}

	/** Runs `runExecutionData` to its end or its next wait, and stores the result as n8n does. */
	private async execute(execution: StoredExecution, runExecutionData: IRunExecutionData) {
		const { hooks, additionalData } = this.additionalData(execution);
		let resolveRun!: (run: IRun) => void;
		const done = new Promise<IRun>((resolve) => (resolveRun = resolve));
		hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));
		hooks.addHandler('nodeExecuteAfter', (node, task) => {
			this.nodeRuns.push({ executionId: execution.id, node, task });
		});
		execution.status = 'running';
		await new WorkflowExecute(
			additionalData,
			execution.mode,
			runExecutionData,
		).processRunExecutionData(this.workflowOf(execution));
		const run = await done;
		execution.runs.push(run);
		execution.data = json(run.data);
		execution.status = run.status;
		execution.finished = run.finished === true;
		return run;
	}

	/**
	 * Starts a workflow at its first node (or `startNode`) with `input`; resolves when it ends or
	 * waits. `types` are the node types it runs with (default: the action node), `pinData` the
	 * nodes whose output is pinned, as in the editor, `settings` the workflow's settings (its time
	 * zone, which `$today` and the date fields are read in; execution order v1 unless told).
	 */
	async start(opts: {
		nodes: INode[];
		connections?: IConnections;
		credentials: ICredentialDataDecryptedObject;
		input?: INodeExecutionData[];
		mode?: WorkflowExecuteMode;
		startNode?: string;
		types?: Record<string, INodeType | IVersionedNodeType>;
		pinData?: IPinData;
		settings?: IWorkflowSettings;
	}): Promise<StoredExecution> {
		const id = String(++this.counter);
		if (opts.types) this.types.set(id, opts.types);
		const execution: StoredExecution = {
			id,
			mode: opts.mode ?? 'webhook',
			status: 'new',
			finished: false,
			workflowData: {
				id: `waiting-workflow-${id}`,
				name: 'waiting test',
				active: false,
				activeVersionId: null,
				nodes: opts.nodes,
				connections: opts.connections ?? {},
				settings: { executionOrder: 'v1', ...opts.settings },
				createdAt: new Date(),
				updatedAt: new Date(),
				isArchived: false,
			} as unknown as IWorkflowBase,
			data: createRunExecutionData({}),
			runs: [],
			credentials: opts.credentials,
		};
		this.executions.set(id, execution);
		const workflow = this.workflowOf(execution);
		const startNode = opts.startNode ? workflow.getNode(opts.startNode) : workflow.getStartNode();
		if (!startNode) throw new Error(`the workflow has no node ${opts.startNode}`);
		await this.execute(
			execution,
			createRunExecutionData({
				executionData: {
					nodeExecutionStack: [
						{
							node: startNode,
							data: { main: [opts.input ?? [{ json: {} }]] },
							source: null,
						},
					],
				},
				...(opts.pinData ? { resultData: { runData: {}, pinData: opts.pinData } } : {}),
			}),
		);
		return execution;
	}

	/** As n8n's WaitTracker when an execution's wait limit has passed: it goes on without an answer. */
	async timeOut(executionId: string): Promise<IRun> {
		const execution = this.executions.get(executionId);
		if (!execution || execution.status !== 'waiting')
			throw new Error(`execution ${executionId} is not waiting`);
		return await this.execute(execution, json(execution.data));
	}

	/** Resolves once every resumed execution has ended or waits again. */
	async settled(): Promise<void> {
		while (this.running.size) await Promise.all([...this.running]);
	}

	/** The items a node output in the last run of an execution. */
	output(executionId: string, nodeName: string): INodeExecutionData[] {
		const runData = this.executions.get(executionId)?.data.resultData.runData[nodeName];
		return runData?.at(-1)?.data?.main?.[0] ?? [];
	}

	/** n8n's waiting webhook: `/webhook-waiting/<executionId>/<suffix>`. */
	async handle(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		raw: Buffer,
		executionId: string,
		suffix: string,
	): Promise<void> {
		const call: WaitingCall = {
			method: req.method ?? '',
			executionId,
			suffix,
			status: 0,
			body: '',
			resumed: false,
		};
		const chunks: string[] = [];
		const end = res.end.bind(res);
		res.end = ((body?: unknown, ...rest: unknown[]) => {
			if (typeof body === 'string' || Buffer.isBuffer(body)) chunks.push(String(body));
			return end(body as never, ...(rest as []));
		}) as typeof res.end;
		res.on('finish', () => {
			call.status = res.statusCode;
			call.body = chunks.join('');
		});
		this.calls.push(call);
		const answer = (status: number, body: IDataObject | string) => {
			res.statusCode = status;
			if (typeof body === 'string') res.setHeader('content-type', 'text/html; charset=utf-8');
			else res.setHeader('content-type', 'application/json');
			res.end(typeof body === 'string' ? body : JSON.stringify(body));
		};

		const execution = this.executions.get(executionId);
		const sendAndWait = (nodes: INode[]) =>
			nodes.some((n) => n.id === suffix && n.parameters.operation === SEND_AND_WAIT_OPERATION);
		if (execution?.data.resumeToken) {
			const isSendAndWait = sendAndWait(execution.workflowData.nodes);
			const url = new URL(req.url ?? '/', 'http://localhost');
			const provided = url.searchParams.get(WAITING_TOKEN_QUERY_PARAM) ?? '';
			const valid = isSendAndWait
				? provided !== '' &&
					validateUrlSignature(provided, url, Container.get(InstanceSettings).hmacSignatureSecret)
				: provided === execution.data.resumeToken;
			if (!valid)
				return answer(
					401,
					isSendAndWait ? '<html><body>Invalid token</body></html>' : { error: 'Invalid token' },
				);
		}
		if (!execution)
			return answer(404, { message: `The execution "${executionId}" does not exist.` });
		if (execution.status === 'running')
			return answer(409, { message: `The execution "${executionId}" is running already.` });
		if (execution.data.resultData.error)
			return answer(409, {
				message: `The execution "${executionId}" has finished with error.`,
			});
		const noActionRequired =
			'<html><body>No action required: this request was already answered</body></html>';
		if (execution.finished) {
			if (sendAndWait(execution.workflowData.nodes)) return answer(200, noActionRequired);
			return answer(409, { message: `The execution "${executionId} has finished already.` });
		}

		// n8n's getWebhookExecutionData: the stack's node disabled, waitTill cleared, the waiting
		// run taken off, the node's restart webhook for this method and path
		const data = json(execution.data);
		data.executionData!.nodeExecutionStack[0].node.disabled = true;
		data.waitTill = undefined;
		const lastNodeExecuted = data.resultData.lastNodeExecuted!;
		const runs = data.resultData.runData[lastNodeExecuted];
		const popped = runs.pop();
		if (popped?.inputOverride)
			runs.push({
				startTime: 0,
				executionTime: 0,
				executionIndex: 0,
				source: popped.source,
				inputOverride: popped.inputOverride,
			});
		const workflow = this.workflowOf(execution);
		const node = workflow.getNode(lastNodeExecuted)!;
		const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const description = (nodeType.description.webhooks ?? []).find((w) => {
			if (w.httpMethod !== req.method || w.restartWebhook !== true) return false;
			const path = workflow.expression.getSimpleParameterValue(
				node,
				w.path,
				execution.mode,
				{},
			) as string;
			return (
				NodeHelpers.getNodeWebhookPath(workflow.id, node, path, true, true).replace(
					/^\/|\/$/g,
					'',
				) === suffix
			);
		}) as IWebhookDescription | undefined;
		if (!description) {
			if (sendAndWait(workflow.nodes ? Object.values(workflow.nodes) : []))
				return answer(200, noActionRequired);
			return answer(404, {
				message: `The workflow for execution "${executionId}" does not contain a waiting webhook with a matching path/method.`,
			});
		}

		Object.assign(req, {
			query: Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams),
			body: parseBody(req, raw),
			rawBody: raw,
			params: {},
			readRawBody: async () => undefined,
		});
		const { additionalData } = this.additionalData(execution, {
			httpRequest: req as unknown as IDataObject,
			httpResponse: expressLike(res) as unknown as IDataObject,
		});
		const webhookData = {
			httpMethod: description.httpMethod,
			node: node.name,
			path: suffix,
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
		} as IWebhookData;
		const ctx = new WebhookContext(
			workflow,
			node,
			additionalData,
			execution.mode,
			webhookData,
			[],
			data,
		);
		const record = (level: string) => (message: string) => this.logs.push(`${level}: ${message}`);
		Object.defineProperty(ctx, 'logger', {
			value: {
				debug: record('debug'),
				info: record('info'),
				warn: record('warn'),
				error: record('error'),
			},
		});
		let result: IWebhookResponseData;
		try {
			result = await nodeType.webhook!.call(ctx);
		} catch (error) {
			return answer(500, { message: (error as Error).message });
		}
		if (!result.workflowData) {
			if (!res.writableEnded) {
				if (result.webhookResponse !== undefined)
					answer(200, result.webhookResponse as IDataObject | string);
				else if (!result.noWebhookResponse) answer(200, { message: 'Webhook call received' });
			}
			return;
		}
		// as n8n's prepareExecutionData: the waiting node's input becomes the webhook's items
		const entry = data.executionData!.nodeExecutionStack[0];
		entry.data.main = result.workflowData;
		entry.metadata = { ...entry.metadata, forwardAllOutputs: true };
		execution.status = 'running';
		call.resumed = true;
		const resumed = this.execute(execution, data).catch(() => undefined);
		this.running.add(resumed);
		void resumed.finally(() => this.running.delete(resumed));
		// responseMode onReceived: the webhook's own response, once the execution is under way
		if (!res.writableEnded)
			answer(200, (result.webhookResponse ?? { message: 'Workflow was started' }) as IDataObject);
	}
}

/**
 * A WebhookServer that also serves n8n's waiting webhooks on its own address: the trigger routes
 * (`/webhook/<id>/webhook`, `/webhook-test/<id>/webhook`) and `/webhook-waiting/<executionId>/<nodeId>`.
 */
export class WaitingServer extends WebhookServer {
	readonly waiting = new WaitingExecutions(() => this.url);

	/**
	 * Resolves once every request has been handled to its end, including what a trigger does after
	 * answering Meta, and every resumed execution has ended or waits again.
	 */
	async settled(): Promise<void> {
		while (this.inFlight.size) await Promise.all([...this.inFlight]);
		await this.waiting.settled();
	}

	override async stop(): Promise<void> {
		await this.settled();
		await super.stop();
	}

	protected override routeOther = async (
		req: http.IncomingMessage & { rawBody?: Buffer },
		res: http.ServerResponse,
		{ prefix, first, second }: { prefix: string; first: string; second: string },
	): Promise<boolean> => {
		if (prefix !== 'webhook-waiting' || !first) return false;
		await this.waiting
			.handle(req, res, req.rawBody!, decodeURIComponent(first), decodeURIComponent(second))
			.catch((error: Error) => {
				if (!res.headersSent) res.writeHead(500).end(error.message);
			});
		return true;
	};
}

/** A WaitingServer for a test file: started before its tests, stopped after them. */
export function useWaitingServer(set: (server: WaitingServer) => void): void {
	let server: WaitingServer | undefined;
	beforeAll(async () => {
		server = await new WaitingServer().start();
		set(server);
	});
	afterAll(async () => await server?.stop());
}
