/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * A stand-in for n8n's webhook server: real HTTP on 127.0.0.1, routing
 * `/webhook/<webhookId>/webhook` (production, execution mode 'webhook') and
 * `/webhook-test/<webhookId>/webhook` (the editor's "Listen for test event", execution mode
 * 'manual', as n8n's test webhooks run) to a trigger node through n8n-core's WebhookContext (raw
 * body read and JSON bodies parsed first, as n8n's webhook helpers do), and activation/deactivation
 * through n8n-core's HookContext (checkExists, create, delete). It records what each trigger
 * emitted and logged. The trigger is ours unless another node type is given (the benchmark runs
 * n8n's built-in WhatsApp trigger through the same path).
 */
import { HookContext, WebhookContext } from 'n8n-core';
import * as http from 'http';
import type { AddressInfo } from 'net';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { WhatsAppCloudTrigger } from '../../nodes/WhatsAppCloudTrigger/WhatsAppCloudTrigger.node.ts';
import { additionalDataFor, TestCredentialsHelper, TestNodeTypes, TRIGGER_TYPE } from './engine';

/** A webhook trigger node type to run, and the credential type its node uses. */
export type TriggerKind = {
	type: string;
	create: () => INodeType;
	credentialType: string;
};

export const OUR_TRIGGER: TriggerKind = {
	type: TRIGGER_TYPE,
	create: () => new WhatsAppCloudTrigger(),
	credentialType: 'whatsAppCloudApi',
};

export type Received = {
	method: string;
	status: number;
	ms: number;
	answeredAt: number;
	items: INodeExecutionData[];
};

export class TriggerHandle {
	/** One entry per workflow run the trigger started: the items it emitted. */
	readonly runs: INodeExecutionData[][] = [];

	/** Every call the trigger answered. */
	readonly calls: Received[] = [];

	/** What the trigger logged, as `level: message`. */
	readonly logs: string[] = [];

	readonly type: INodeType;

	constructor(
		readonly server: WebhookServer,
		readonly node: INode,
		readonly workflow: Workflow,
		readonly credentials: ICredentialDataDecryptedObject,
		readonly kind: TriggerKind = OUR_TRIGGER,
	) {
		this.type = kind.create();
	}

	get url(): string {
		return `${this.server.url}/webhook/${this.node.webhookId}/webhook`;
	}

	/** The test URL n8n listens on while the editor waits for a test event. */
	get testUrl(): string {
		return `${this.server.url}/webhook-test/${this.node.webhookId}/webhook`;
	}

	get items(): INodeExecutionData[] {
		return this.runs.flat();
	}

	/** What n8n hands a webhook node or its registration: the webhook's description and path. */
	private webhookData(
		name: 'setup' | 'default',
		additionalData: ReturnType<typeof additionalDataFor>,
		isTest = false,
	): IWebhookData {
		const description = this.type.description.webhooks!.find(
			(w) => w.name === name,
		) as IWebhookDescription;
		return {
			httpMethod: description.httpMethod,
			node: this.node.name,
			path: 'webhook',
			webhookDescription: description,
			workflowId: this.workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.node.webhookId,
			isTest,
		} as IWebhookData;
	}

	/** n8n's additional data, with this trigger's credential under its credential type. */
	private additionalData(extra: Record<string, unknown>) {
		const credentialType = this.kind.credentialType;
		return additionalDataFor(this.credentials, {
			...(credentialType === OUR_TRIGGER.credentialType
				? {}
				: {
						credentialsHelper: new TestCredentialsHelper(
							{},
							{ [credentialType]: this.credentials },
						),
					}),
			...extra,
		} as IDataObject);
	}

	/** Sends what the node logs through `ctx.logger` to `logs`, as `level: message`. */
	private recordLogs(ctx: object) {
		const record = (level: string) => (message: string) => this.logs.push(`${level}: ${message}`);
		Object.defineProperty(ctx, 'logger', {
			value: {
				debug: record('debug'),
				info: record('info'),
				warn: record('warn'),
				error: record('error'),
			},
		});
	}

	private hookContext(activation: 'activate' | 'update') {
		const additionalData = this.additionalData({
			webhookBaseUrl: `${this.server.url}/webhook`,
		});
		const ctx = new HookContext(
			this.workflow,
			this.node,
			additionalData,
			'trigger',
			activation,
			this.webhookData('default', additionalData),
		);
		this.recordLogs(ctx);
		return ctx;
	}

	/** As n8n activates a workflow: the route is live first, then checkExists and create. */
	async activate(): Promise<void> {
		this.server.routes.set(this.node.webhookId!, this);
		const ctx = this.hookContext('activate');
		const methods = this.type.webhookMethods!.default!;
		if (!(await methods.checkExists.call(ctx))) await methods.create.call(ctx);
	}

	/**
	 * With `startListening({ once: true })`: the test URL takes one event, as n8n's test webhooks
	 * do. n8n removes them after the first call whose webhook() started an execution; a call
	 * whose webhook() returned no workflowData leaves them listening, and calls already let in go
	 * on. After that the test URL answers 404, as n8n's does.
	 */
	private testOnce = false;

	private testTaken = false;

	/**
	 * As n8n's editor listens for a test event: checkExists and create in mode 'manual' with the
	 * test URL (the production route, if any, stays as it is). Without `once`, the test URL keeps
	 * taking events, so one listener can be sent many.
	 */
	async startListening(options: { once?: boolean } = {}): Promise<void> {
		this.testOnce = options.once === true;
		this.testTaken = false;
		this.server.routes.set(this.node.webhookId!, this);
		const ctx = this.testHookContext();
		const methods = this.type.webhookMethods!.default!;
		if (!(await methods.checkExists.call(ctx))) await methods.create.call(ctx);
	}

	/** As n8n's editor stops listening: delete in mode 'manual' with the test URL. */
	async stopListening(): Promise<void> {
		await this.type.webhookMethods!.default!.delete.call(this.testHookContext());
	}

	private testHookContext() {
		const additionalData = this.additionalData({
			webhookBaseUrl: `${this.server.url}/webhook`,
			webhookTestBaseUrl: `${this.server.url}/webhook-test`,
		});
		const ctx = new HookContext(
			this.workflow,
			this.node,
			additionalData,
			'manual',
			'manual',
			this.webhookData('default', additionalData, true),
		);
		this.recordLogs(ctx);
		return ctx;
	}

	/** Only the route, without registering anywhere (for a node whose registration calls Meta). */
	listen(): void {
		this.server.routes.set(this.node.webhookId!, this);
	}

	/** As n8n deactivates a workflow: delete, then the route goes away. */
	async deactivate(): Promise<void> {
		await this.type.webhookMethods!.default!.delete.call(this.hookContext('activate'));
		this.server.routes.delete(this.node.webhookId!);
	}

	async handle(
		req: http.IncomingMessage & { rawBody?: Buffer },
		res: http.ServerResponse,
		url: URL,
		mode: WorkflowExecuteMode = 'webhook',
	): Promise<void> {
		if (mode === 'manual' && this.testOnce && this.testTaken) {
			res
				.writeHead(404, { 'content-type': 'application/json' })
				.end(JSON.stringify({ message: 'The requested webhook is not registered' }));
			return;
		}
		const started = Date.now();
		let answeredAt = 0;
		res.on('finish', () => (answeredAt = Date.now()));
		const name = req.method === 'GET' ? 'setup' : 'default';
		// What n8n's webhook helpers give a node: query, raw body, and the body parsed from the raw
		// bytes when the content type is application/json (n8n's parseBody: JSON.parse of the bytes;
		// other types become text, a form or XML, which a WhatsApp call never is). n8n answers 422
		// itself when that parse fails; here the node sees no parsed body instead, so its own
		// fallback to the raw bytes is what answers.
		const json = /^application\/json\s*(;|$)/i.test(String(req.headers['content-type'] ?? ''));
		Object.assign(req, {
			query: Object.fromEntries(url.searchParams),
			body: (() => {
				if (!json || !req.rawBody?.length) return undefined;
				try {
					return JSON.parse(req.rawBody.toString());
				} catch {
					return undefined;
				}
			})(),
			readRawBody: async () => undefined,
		});
		const response = expressLike(res);
		const additionalData = this.additionalData({
			httpRequest: req,
			httpResponse: response,
			webhookBaseUrl: `${this.server.url}/webhook`,
		});
		const ctx = new WebhookContext(
			this.workflow,
			this.node,
			additionalData,
			mode,
			this.webhookData(name, additionalData, mode === 'manual'),
			[],
			null,
		);
		this.recordLogs(ctx);
		let result: IWebhookResponseData | undefined;
		let failure: Error | undefined;
		try {
			result = await this.type.webhook!.call(ctx);
		} catch (error) {
			failure = error as Error;
		}
		if (!result) {
			// n8n answers 500 when a webhook node throws
			if (!res.headersSent) res.writeHead(500).end(failure?.message);
			this.calls.push({
				method: req.method ?? '',
				status: 500,
				ms: Date.now() - started,
				answeredAt,
				items: [],
			});
			return;
		}
		if (!result.noWebhookResponse && !res.writableEnded) {
			res
				.writeHead(200, { 'content-type': 'application/json' })
				.end(JSON.stringify({ message: 'Webhook call received' }));
		}
		const items = result.workflowData?.[0] ?? [];
		if (result.workflowData) {
			this.runs.push(items);
			if (mode === 'manual') this.testTaken = true;
		}
		this.calls.push({
			method: req.method ?? '',
			status: res.statusCode,
			ms: Date.now() - started,
			answeredAt,
			items,
		});
	}
}

/**
 * The parts of an express Response that trigger nodes and waiting webhooks use (an HTML page
 * unless a type is set).
 */
export function expressLike(res: http.ServerResponse) {
	const r = {
		status(code: number) {
			res.statusCode = code;
			return r;
		},
		type(type: string) {
			res.setHeader('content-type', type === 'html' ? 'text/html; charset=utf-8' : type);
			return r;
		},
		setHeader(name: string, value: string) {
			res.setHeader(name, value);
			return r;
		},
		send(body?: string | Buffer) {
			if (!res.hasHeader('content-type') && typeof body === 'string')
				res.setHeader('content-type', 'text/html; charset=utf-8');
			res.end(body);
			return r;
		},
		json(body: unknown) {
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify(body));
			return r;
		},
		end(body?: string | Buffer) {
			res.end(body);
			return r;
		},
		get headersSent() {
			return res.headersSent;
		},
	};
	return r;
}

export class WebhookServer {
	readonly routes = new Map<string, TriggerHandle>();

	private server?: http.Server;

	private counter = 0;

	/** Requests still being answered (a trigger goes on after answering Meta: it may resume). */
	protected readonly inFlight = new Set<Promise<unknown>>();

	get url(): string {
		return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
	}

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => {
			const handled = this.dispatch(req, res);
			this.inFlight.add(handled);
			void handled.finally(() => this.inFlight.delete(handled));
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		return this;
	}

	async stop(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (!server) return;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Adds a trigger node (not yet active) with these parameters; ours unless `kind` says. */
	trigger(
		parameters: INodeParameters,
		credentials: ICredentialDataDecryptedObject,
		kind: TriggerKind = OUR_TRIGGER,
	): TriggerHandle {
		const n = ++this.counter;
		const node: INode = {
			id: `trigger-${n}`,
			name: `WhatsApp Cloud Trigger ${n}`,
			type: kind.type,
			typeVersion: 1,
			position: [0, 0],
			webhookId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
			credentials: { [kind.credentialType]: { id: '1', name: 'WhatsApp account' } },
			parameters,
		};
		const workflow = new Workflow({
			id: `workflow-${n}`,
			active: true,
			nodes: [node],
			connections: {},
			nodeTypes: new TestNodeTypes({ [kind.type]: kind.create() }),
		});
		return new TriggerHandle(this, node, workflow, credentials, kind);
	}

	/**
	 * A route of n8n's besides the triggers' (`/<prefix>/<first>/<second>`), when a subclass serves
	 * one: answers and returns true when the request is for it.
	 */
	protected routeOther?: (
		req: http.IncomingMessage & { rawBody?: Buffer },
		res: http.ServerResponse,
		parts: { prefix: string; first: string; second: string },
	) => Promise<boolean>;

	private async dispatch(
		req: http.IncomingMessage & { rawBody?: Buffer },
		res: http.ServerResponse,
	): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		req.rawBody = Buffer.concat(chunks);
		const url = new URL(req.url ?? '/', 'http://localhost');
		const [, prefix = '', first = '', second = ''] = url.pathname.split('/');
		if (await this.routeOther?.(req, res, { prefix, first, second })) return;
		const handle =
			(prefix === 'webhook' || prefix === 'webhook-test') && second === 'webhook'
				? this.routes.get(first)
				: undefined;
		if (!handle) {
			res
				.writeHead(404, { 'content-type': 'application/json' })
				.end(JSON.stringify({ message: 'The requested webhook is not registered' }));
			return;
		}
		await handle
			.handle(req, res, url, prefix === 'webhook-test' ? 'manual' : 'webhook')
			.catch(() => undefined);
	}
}
