/**
 * Runs our nodes through n8n-core's real engine in-process: WorkflowExecute for workflows,
 * RoutingNode for the credential test (as n8n's CredentialsTester does), WebhookContext and
 * HookContext for the trigger. Only the credential store is ours: it hands out test credentials
 * and applies the credential type's own `authenticate`.
 */
import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IConnections,
} from 'n8n-workflow';
import { createRunExecutionData, ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

import { WhatsAppCloudApi } from '../../credentials/WhatsAppCloudApi.credentials';
// explicit .ts: without it, Node's resolution finds the codex file WhatsAppCloud.node.json first
import { WhatsAppCloud } from '../../nodes/WhatsAppCloud/WhatsAppCloud.node.ts';

export const PACKAGE = 'n8n-nodes-whatsapp-cloud';
export const ACTION_TYPE = `${PACKAGE}.whatsAppCloud`;
export const TRIGGER_TYPE = `${PACKAGE}.whatsAppCloudTrigger`;

export class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(type: string) {
		return this.types[type];
	}

	getByNameAndVersion(type: string, version?: number) {
		return NodeHelpers.getVersionedNodeType(this.types[type], version);
	}

	getKnownTypes() {
		return {};
	}
}

const resolveTemplate = (template: string, creds: ICredentialDataDecryptedObject) =>
	template
		.replace(/^=/, '')
		.replace(/\{\{\s*\$credentials\??\.(\w+)\s*\}\}/g, (_, k: string) => String(creds[k] ?? ''));

/** Credential store for tests; authentication is the credential type's own. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly types: Record<string, ICredentialType>,
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async authenticate(
		creds: ICredentialDataDecryptedObject,
		typeName: string,
		request: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const type = this.types[typeName];
		const auth = type?.authenticate;
		if (typeof auth === 'function') return await auth.call(type, creds, request);
		if (auth?.type === 'generic') {
			for (const [k, v] of Object.entries(auth.properties.headers ?? {})) {
				request.headers = { ...request.headers, [k]: resolveTemplate(String(v), creds) };
			}
			for (const [k, v] of Object.entries(auth.properties.qs ?? {})) {
				request.qs = { ...request.qs, [k]: resolveTemplate(String(v), creds) };
			}
		}
		return request;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not implemented in tests');
	}

	async getDecrypted(_a: unknown, _n: unknown, type: string) {
		return { ...(this.data[type] ?? {}) };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return [];
	}
}

export const nodeTypes = (): Record<string, INodeType> => ({ [ACTION_TYPE]: new WhatsAppCloud() });

export function additionalDataFor(
	credentials: ICredentialDataDecryptedObject,
	extra: IDataObject = {},
) {
	const url = 'http://localhost:5678';
	// A plain object on purpose: a deep mock makes every unknown field a truthy function, which
	// trips n8n-core checks such as `additionalData.encryptedRunnerIdentity`.
	return {
		executionId: '1',
		currentNodeExecutionIndex: 0,
		currentNodeParameters: undefined,
		variables: {},
		credentialsHelper: new TestCredentialsHelper(
			{ whatsAppCloudApi: new WhatsAppCloudApi() },
			{ whatsAppCloudApi: credentials },
		),
		restApiUrl: `${url}/rest`,
		instanceBaseUrl: url,
		formBaseUrl: `${url}/form`,
		formWaitingBaseUrl: `${url}/form-waiting`,
		formTestBaseUrl: `${url}/form-test`,
		webhookBaseUrl: `${url}/webhook`,
		webhookWaitingBaseUrl: `${url}/webhook-waiting`,
		webhookTestBaseUrl: `${url}/webhook-test`,
		mcpBaseUrl: `${url}/mcp`,
		mcpTestBaseUrl: `${url}/mcp-test`,
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executeWorkflow: async () => {
			throw new Error('executeWorkflow is not supported in tests');
		},
		startRunnerTask: async () => {
			throw new Error('startRunnerTask is not supported in tests');
		},
		...extra,
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** Runs a workflow with WorkflowExecute, starting at its start node with `input`. */
export async function runWorkflow(opts: {
	nodes: INode[];
	connections?: IConnections;
	credentials: ICredentialDataDecryptedObject;
	input?: INodeExecutionData[];
	types?: Record<string, INodeType | IVersionedNodeType>;
	/** Another credential store, for a node with another credential type (n8n's built-in node). */
	credentialsHelper?: ICredentialsHelper;
}): Promise<IRun> {
	const connections = opts.connections ?? {};
	const workflow = new Workflow({
		id: 'test',
		active: false,
		nodes: opts.nodes,
		connections,
		nodeTypes: new TestNodeTypes(opts.types ?? nodeTypes()),
	});
	const workflowData = {
		id: 'test',
		name: 'test',
		active: false,
		nodes: opts.nodes,
		connections,
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		isArchived: false,
	} as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks('manual', '1', workflowData);
	let resolveRun!: (run: IRun) => void;
	const done = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));
	const additionalData = additionalDataFor(opts.credentials, {
		hooks,
		...(opts.credentialsHelper ? { credentialsHelper: opts.credentialsHelper } : {}),
	} as IDataObject);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: workflow.getStartNode()!,
					data: { main: [opts.input ?? [{ json: {} }]] },
					source: null,
				},
			],
		},
	});
	await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(
		workflow,
	);
	return await done;
}

export function actionNode(parameters: INodeParameters, extra: Partial<INode> = {}): INode {
	return {
		id: 'action-1',
		name: 'WhatsApp Cloud',
		type: ACTION_TYPE,
		typeVersion: 1,
		position: [0, 0],
		credentials: { whatsAppCloudApi: { id: '1', name: 'WhatsApp account' } },
		parameters,
		...extra,
	};
}

/**
 * What the editor hands the action node's list and mapping methods for one parameter (`path`,
 * e.g. `parameters.catalogId`) of a node with these parameters: n8n-core's own context.
 */
export function actionLoadOptions(
	parameters: INodeParameters,
	credentials: ICredentialDataDecryptedObject,
	path: string,
): LoadOptionsContext {
	const node = actionNode(parameters);
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes(nodeTypes()),
	});
	return new LoadOptionsContext(workflow, node, additionalDataFor(credentials), path);
}

export type NodeRun = { items: INodeExecutionData[]; error?: Error & IDataObject; run: IRun };

/** Runs the action node alone over `input` and returns its output items or its error. */
export async function runAction(
	parameters: INodeParameters,
	credentials: ICredentialDataDecryptedObject,
	input: INodeExecutionData[] = [{ json: {} }],
	extra: Partial<INode> = {},
): Promise<NodeRun> {
	const node = actionNode(parameters, extra);
	const run = await runWorkflow({ nodes: [node], credentials, input });
	const error = run.data.resultData.error as (Error & IDataObject) | undefined;
	const items = run.data.resultData.runData[node.name]?.[0]?.data?.main?.[0] ?? [];
	return { items, error, run };
}

/**
 * Runs the credential's declarative test the way n8n's CredentialsTester does: a temporary node
 * whose only property routes the test request, executed by n8n-core's RoutingNode, then the
 * credential's `rules` applied to the response.
 */
export async function testCredential(
	credentials: ICredentialDataDecryptedObject,
): Promise<{ status: 'OK' | 'Error'; message: string; response?: IDataObject }> {
	const credentialType = new WhatsAppCloudApi();
	const testRequest = credentialType.test;
	const base = new WhatsAppCloud();
	const nodeType: INodeType = {
		description: {
			...base.description,
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: ACTION_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType.name]: { id: '1', name: 'test' } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes({ [ACTION_TYPE]: nodeType }),
	});
	const additionalData = additionalDataFor(credentials);
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData({ resultData: { runData: {} } }),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, {
		id: '1',
		name: 'test',
		type: credentialType.name,
		data: credentials,
	});
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		// As n8n's CredentialsTester: an HTTP error is matched against the `responseCode` rules,
		// then reported by its status text; a network error by its code; anything else by its message.
		const cause = (
			error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }
		).cause;
		if (cause?.response) {
			const { status, statusText } = cause.response;
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === status)
					return { status: 'Error', message: rule.properties.message };
			}
			if (status < 199 || status > 299)
				return { status: 'Error', message: statusText || `Received HTTP status code: ${status}` };
		} else if (cause?.code) {
			return { status: 'Error', message: cause.code };
		}
		return { status: 'Error', message: (error as Error).message };
	}
	const body = response?.[0]?.[0]?.json ?? {};
	for (const rule of testRequest.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const value = rule.properties.key
			.split('.')
			.reduce<unknown>((v, k) => (v as IDataObject | undefined)?.[k], body);
		if (value === rule.properties.value)
			return { status: 'Error', message: rule.properties.message, response: body };
	}
	return { status: 'OK', message: 'Connection successful!', response: body };
}

/** Runs one operation of the action node: `resource`, `operation` and its parameters. */
export async function runOperation(
	credentials: ICredentialDataDecryptedObject,
	resource: string,
	operation: string,
	parameters: INodeParameters = {},
	input: Array<{ json: IDataObject; binary?: IDataObject }> = [{ json: {} }],
): Promise<NodeRun> {
	return await runAction(
		{ resource, operation, ...parameters },
		credentials,
		input as INodeExecutionData[],
	);
}

/** `runOperation`'s arguments after the credentials. */
export type OperationArgs =
	Parameters<typeof runOperation> extends [unknown, ...infer Rest] ? Rest : never;
