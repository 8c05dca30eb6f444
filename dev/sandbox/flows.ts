/**
 * WhatsApp Flows, as the WhatsApp Business Management API keeps them: list and create per account
 * (`/{waba-id}/flows`), get (with the preview link), update the metadata and delete per Flow
 * (`/{flow-id}`), the Flow JSON asset (`/{flow-id}/assets`: a multipart upload, and the list),
 * publish and deprecate. Meta's lifecycle rules hold: only a draft changes or is deleted (a
 * published Flow is copied with `clone_flow_id` instead), only a draft without validation errors
 * is published, only a published Flow is deprecated. A Flow JSON gets the basic checks Meta's
 * validation starts with, answered as Meta answers them: `validation_errors` on a saved draft.
 *
 * It also checks a `flow` interactive message before the messages area takes it: the Flow exists
 * in the sender's account (by ID or name) and may be sent in that mode.
 */
import { createHash } from 'crypto';

import type { Faults } from './faults';
import { graphError, SANDBOX_WABA_ID, type Req, type Res } from './graph';
import type { GraphSandbox } from './server';

export type FlowStatus = 'DRAFT' | 'PUBLISHED' | 'DEPRECATED' | 'BLOCKED' | 'THROTTLED';

/** One problem in a Flow JSON, in Meta's shape. */
export type FlowValidationError = {
	error: string;
	error_type: string;
	message: string;
	line_start: number;
	line_end: number;
	column_start: number;
	column_end: number;
};

export type SandboxFlow = {
	id: string;
	wabaId: string;
	name: string;
	status: FlowStatus;
	categories: string[];
	validation_errors: FlowValidationError[];
	endpoint_uri?: string;
	/** The Flow JSON as last uploaded; a Flow created without one has none. */
	flowJson?: string;
	/** The preview link given out, until it is renewed with `invalidate(true)`. */
	preview?: { preview_url: string; expires_at: string };
};

/** Meta's Flow categories. */
export const FLOW_CATEGORIES = [
	'SIGN_UP',
	'SIGN_IN',
	'APPOINTMENT_BOOKING',
	'LEAD_GENERATION',
	'CONTACT_US',
	'CUSTOMER_SUPPORT',
	'SURVEY',
	'OTHER',
];

/** Meta takes a Flow JSON of at most 10 MB. */
const MAX_FLOW_JSON_BYTES = 10 * 1024 * 1024;

/** Meta lets a throttled Flow be sent 10 times an hour. */
const THROTTLED_PER_HOUR = 10;

/** A valid one-screen Flow JSON (navigate only) with the given screen ID. */
export function sampleFlowJson(screen = 'BOOKING'): string {
	return JSON.stringify(
		{
			version: '7.0',
			screens: [
				{
					id: screen,
					title: 'Book',
					terminal: true,
					data: { name: { type: 'string', __example__: 'Ana' } },
					layout: {
						type: 'SingleColumnLayout',
						children: [
							{ type: 'TextHeading', text: '${data.name}' },
							{
								type: 'Footer',
								label: 'Confirm',
								'on-click-action': { name: 'complete', payload: {} },
							},
						],
					},
				},
			],
		},
		null,
		2,
	);
}

/** The Flows every sandbox starts with: one published, one draft, one draft Meta found errors in. */
export const SEED_FLOWS = {
	published: '1197715005513101',
	draft: '1197715005513202',
	invalidDraft: '1197715005513303',
};

function seedFlows(): SandboxFlow[] {
	const broken = JSON.stringify(
		{ version: '7.0', screens: [{ id: 'LEAD', title: 'Lead' }] },
		null,
		2,
	);
	return [
		{
			id: SEED_FLOWS.published,
			wabaId: SANDBOX_WABA_ID,
			name: 'Book an appointment',
			status: 'PUBLISHED',
			categories: ['APPOINTMENT_BOOKING'],
			validation_errors: [],
			flowJson: sampleFlowJson('BOOKING'),
		},
		{
			id: SEED_FLOWS.draft,
			wabaId: SANDBOX_WABA_ID,
			name: 'Customer survey',
			status: 'DRAFT',
			categories: ['SURVEY'],
			validation_errors: [],
			flowJson: sampleFlowJson('RATING'),
		},
		{
			id: SEED_FLOWS.invalidDraft,
			wabaId: SANDBOX_WABA_ID,
			name: 'Lead form',
			status: 'DRAFT',
			categories: ['LEAD_GENERATION'],
			validation_errors: validate(JSON.parse(broken), broken),
			flowJson: broken,
		},
	];
}

/** Line and column (1-based) of the first `"key"` in a Flow JSON text, or of its start. */
function locate(text: string, needle?: string): { line: number; column: number; length: number } {
	const at = needle ? text.indexOf(needle) : -1;
	if (at < 0) return { line: 1, column: 1, length: 1 };
	const before = text.slice(0, at).split('\n');
	return {
		line: before.length,
		column: before[before.length - 1].length + 1,
		length: needle!.length,
	};
}

function problem(
	text: string,
	error: string,
	message: string,
	needle?: string,
): FlowValidationError {
	const { line, column, length } = locate(text, needle);
	return {
		error,
		error_type: 'JSON_SCHEMA_ERROR',
		message,
		line_start: line,
		line_end: line,
		column_start: column,
		column_end: column + length - 1,
	};
}

/**
 * The first checks of Meta's Flow JSON validation: a `version`, a non-empty `screens` list, and
 * an `id` and a `layout` on every screen. Anything wrong comes back as Meta's validation errors.
 */
function validate(flow: Record<string, unknown>, text: string): FlowValidationError[] {
	const errors: FlowValidationError[] = [];
	if (flow.version === undefined)
		errors.push(
			problem(text, 'MISSING_REQUIRED_PROPERTY', 'The property "version" is required at "$root".'),
		);
	const screens = flow.screens;
	if (!Array.isArray(screens) || !screens.length) {
		errors.push(
			problem(
				text,
				screens === undefined ? 'MISSING_REQUIRED_PROPERTY' : 'INVALID_PROPERTY_VALUE',
				screens === undefined
					? 'The property "screens" is required at "$root".'
					: 'The property "screens" at "$root" must be a list of at least one screen.',
				'"screens"',
			),
		);
		return errors;
	}
	screens.forEach((screen: Record<string, unknown>, n) => {
		const where = `$root/screens/${n}`;
		const needle = typeof screen?.id === 'string' ? `"${screen.id}"` : '"screens"';
		for (const key of ['id', 'layout'])
			if (screen?.[key] === undefined)
				errors.push(
					problem(
						text,
						'MISSING_REQUIRED_PROPERTY',
						`The property "${key}" is required at "${where}".`,
						needle,
					),
				);
	});
	return errors;
}

/** Meta's answer to a Flow operation its lifecycle does not allow (139001-139004). */
const flowError = (code: number, title: string, message: string) =>
	graphError(400, code, title, { error_user_title: title, error_user_msg: message });

const invalid = (message: string, title = 'Invalid parameter') =>
	graphError(400, 100, 'Invalid parameter', { error_user_title: title, error_user_msg: message });

/** The fields `GET /{flow-id}` knows; Meta refuses any other. */
const FLOW_FIELDS = new Set([
	'id',
	'name',
	'status',
	'categories',
	'validation_errors',
	'json_version',
	'data_api_version',
	'endpoint_uri',
	'preview',
	'whatsapp_business_account',
	'application',
	'health_status',
]);

export class Flows {
	private counter = 0;

	constructor(
		private readonly sandbox: GraphSandbox,
		private readonly faults: Faults,
	) {
		this.reset();
	}

	/** Back to the seeded Flows (sandbox reset). */
	reset(): void {
		this.sandbox.flows.clear();
		for (const flow of seedFlows()) this.sandbox.flows.set(flow.id, flow);
	}

	/**
	 * The faults of message sends, on Flow calls too: a throttling roll answers as Meta answers an
	 * account over its management rate limit (80007), a server error or a reset as for a send. A
	 * pair-rate roll answers nothing: that limit is one of messages to a customer.
	 */
	private fault(): Res | undefined {
		const fault = this.faults.beforeSend('flow-management');
		const code = (fault?.body as { error?: { code?: number } } | undefined)?.error?.code;
		if (code === 131056) {
			this.sandbox.injected.pairLimit--;
			return undefined;
		}
		if (code === 130429)
			return graphError(400, 80007, 'Rate limit issues', {
				error_data: 'The WhatsApp Business Account has reached its rate limit.',
			});
		return fault;
	}

	/** `/{waba-id}/flows`: GET lists, POST creates. */
	async forAccount(wabaId: string, req: Req): Promise<Res> {
		const fault = this.fault();
		if (fault) return fault;
		if (req.method === 'GET') return this.list(wabaId, req);
		if (req.method === 'POST') return this.create(wabaId, await params(req));
		return graphError(400, 100, 'Unsupported method');
	}

	private list(wabaId: string, req: Req): Res {
		const flows = [...this.sandbox.flows.values()].filter((f) => f.wabaId === wabaId);
		const fields = fieldsOf(req, 'id,name,status,categories,validation_errors');
		if ('error' in fields) return fields.error;
		const limit = Math.max(1, Number(req.query.get('limit') ?? 25));
		const start = req.query.get('after')
			? Number(Buffer.from(String(req.query.get('after')), 'base64').toString())
			: 0;
		const page = flows.slice(start, start + limit);
		const after = Buffer.from(String(start + page.length)).toString('base64');
		return {
			status: 200,
			body: {
				data: page.map((f) => this.view(f, fields.list)),
				paging: {
					cursors: { before: Buffer.from(String(start)).toString('base64'), after },
					...(start + page.length < flows.length
						? { next: `${this.sandbox.url}/v25.0/${wabaId}/flows?after=${after}` }
						: {}),
				},
			},
		};
	}

	private create(wabaId: string, b: Record<string, unknown>): Res {
		const name = typeof b.name === 'string' ? b.name.trim() : '';
		if (!name) return graphError(400, 100, 'The parameter name is required');
		const categories = b.categories;
		if (!Array.isArray(categories) || !categories.length)
			return graphError(400, 100, 'The parameter categories is required');
		const unknown = categories.find((c) => !FLOW_CATEGORIES.includes(String(c)));
		if (unknown !== undefined)
			return invalid(
				`Invalid Flow category: ${String(unknown)}. Use one of ${FLOW_CATEGORIES.join(', ')}.`,
			);
		if (this.nameTaken(wabaId, name))
			return invalid(
				'Flow name should be unique within one WhatsApp Business Account. Use a different name.',
				'Flow name is not unique',
			);
		const endpoint = b.endpoint_uri;
		if (endpoint !== undefined && !/^https:\/\/\S+$/.test(String(endpoint)))
			return invalid('endpoint_uri must be an HTTPS URL.');
		let source: SandboxFlow | undefined;
		if (b.clone_flow_id !== undefined) {
			source = this.sandbox.flows.get(String(b.clone_flow_id));
			if (!source || source.wabaId !== wabaId)
				return invalid(
					'The Flow ID you provided was not found in your account.',
					'Flow with specified ID does not exist',
				);
		}
		const flow: SandboxFlow = {
			id: String(1500000000000000 + ++this.counter),
			wabaId,
			name,
			status: 'DRAFT',
			categories: categories.map(String),
			validation_errors: source ? [...source.validation_errors] : [],
			...(endpoint !== undefined ? { endpoint_uri: String(endpoint) } : {}),
			...(source?.flowJson ? { flowJson: source.flowJson } : {}),
		};
		if (b.flow_json !== undefined) {
			const refused = this.takeFlowJson(flow, String(b.flow_json));
			if (refused) return refused;
		}
		if (b.publish === true || b.publish === 'true') {
			// Meta publishes on create only a Flow that could be published afterwards
			if (!this.publishProblem(flow)) flow.status = 'PUBLISHED';
		}
		this.sandbox.flows.set(flow.id, flow);
		return {
			status: 200,
			body: {
				id: flow.id,
				success: true,
				...(b.flow_json !== undefined ? { validation_errors: flow.validation_errors } : {}),
			},
		};
	}

	/** `/{flow-id}` and `/{flow-id}/{assets|publish|deprecate}`. */
	async byId(id: string, edge: string | undefined, req: Req): Promise<Res> {
		const fault = this.fault();
		if (fault) return fault;
		const flow = this.sandbox.flows.get(id)!;
		if (edge === undefined) {
			if (req.method === 'GET') return this.get(flow, req);
			if (req.method === 'POST') return this.updateMetadata(flow, await params(req));
			if (req.method === 'DELETE') return this.delete(flow);
		}
		if (edge === 'assets' && req.method === 'GET') return this.assets(flow);
		if (edge === 'assets' && req.method === 'POST') return await this.upload(flow, req);
		if (edge === 'publish' && req.method === 'POST') return this.publish(flow);
		if (edge === 'deprecate' && req.method === 'POST') return this.deprecate(flow);
		return graphError(
			400,
			100,
			`Unsupported ${req.method.toLowerCase()} request. Object with ID '${id}' does not support this operation`,
			{ error_subcode: 33 },
		);
	}

	private get(flow: SandboxFlow, req: Req): Res {
		const fields = fieldsOf(req, 'id,name,status,categories,validation_errors');
		if ('error' in fields) return fields.error;
		return { status: 200, body: this.view(flow, fields.list) };
	}

	/** A Flow as Graph returns it with these fields; `preview.invalidate(true)` renews the link. */
	private view(flow: SandboxFlow, fields: string[]): Record<string, unknown> {
		const parsed = parseJson(flow.flowJson);
		const out: Record<string, unknown> = {};
		for (const field of fields) {
			const [name, modifier] = field.split('.');
			if (name === 'preview') {
				if (!flow.preview || /invalidate\(true\)/.test(modifier ?? '')) {
					const token = createHash('sha256')
						.update(`${flow.id}:${++this.counter}`)
						.digest('hex')
						.slice(0, 24);
					flow.preview = {
						preview_url: `https://business.facebook.com/wa/manage/flows/${flow.id}/preview/?token=${token}`,
						expires_at: graphDate(Date.now() + 30 * 24 * 3600 * 1000),
					};
				}
				out.preview = { ...flow.preview };
			} else if (name === 'json_version') {
				if (typeof parsed?.version === 'string') out.json_version = parsed.version;
			} else if (name === 'data_api_version') {
				if (typeof parsed?.data_api_version === 'string')
					out.data_api_version = parsed.data_api_version;
			} else if (name === 'whatsapp_business_account') {
				out.whatsapp_business_account = { id: flow.wabaId };
			} else if (name === 'health_status') {
				out.health_status = {
					can_send_message: ['BLOCKED', 'DEPRECATED'].includes(flow.status)
						? 'BLOCKED'
						: flow.status === 'THROTTLED'
							? 'LIMITED'
							: 'AVAILABLE',
				};
			} else if (name !== 'application') {
				const value = (flow as unknown as Record<string, unknown>)[name];
				if (value !== undefined) out[name] = Array.isArray(value) ? [...value] : value;
			}
		}
		return out;
	}

	private updateMetadata(flow: SandboxFlow, b: Record<string, unknown>): Res {
		if (flow.status !== 'DRAFT') return cannotUpdate();
		if (b.name !== undefined) {
			const name = String(b.name).trim();
			if (!name) return invalid('The Flow name cannot be empty.');
			if (name !== flow.name && this.nameTaken(flow.wabaId, name))
				return invalid(
					'Flow name should be unique within one WhatsApp Business Account. Use a different name.',
					'Flow name is not unique',
				);
			flow.name = name;
		}
		if (b.categories !== undefined) {
			const categories = b.categories;
			if (
				!Array.isArray(categories) ||
				!categories.length ||
				categories.some((c) => !FLOW_CATEGORIES.includes(String(c)))
			)
				return invalid(`Categories must be a non-empty list of ${FLOW_CATEGORIES.join(', ')}.`);
			flow.categories = categories.map(String);
		}
		if (b.endpoint_uri !== undefined) {
			if (!/^https:\/\/\S+$/.test(String(b.endpoint_uri)))
				return invalid('endpoint_uri must be an HTTPS URL.');
			flow.endpoint_uri = String(b.endpoint_uri);
		}
		return { status: 200, body: { success: true } };
	}

	private delete(flow: SandboxFlow): Res {
		if (flow.status !== 'DRAFT')
			return flowError(
				139004,
				'Flow failed to delete',
				flow.status === 'PUBLISHED'
					? "Can't delete published Flow."
					: `Only a draft Flow can be deleted; this one is ${flow.status}.`,
			);
		this.sandbox.flows.delete(flow.id);
		return { status: 200, body: { success: true } };
	}

	/** `GET /{flow-id}/assets`: the Flow JSON, by a download link. */
	private assets(flow: SandboxFlow): Res {
		return {
			status: 200,
			body: {
				data: flow.flowJson
					? [
							{
								name: 'flow.json',
								asset_type: 'FLOW_JSON',
								download_url: `${this.sandbox.url}/flow-assets/${flow.id}`,
							},
						]
					: [],
				paging: { cursors: { before: 'MAZDZD', after: 'MAZDZD' } },
			},
		};
	}

	/** `GET /flow-assets/{flow-id}`, outside the Graph path like Meta's download links. */
	download(req: Req): Res {
		const flow = this.sandbox.flows.get(req.path[1] ?? '');
		if (!flow?.flowJson) return { status: 404, body: { error: 'not found' } };
		return {
			status: 200,
			body: Buffer.from(flow.flowJson),
			headers: { 'content-type': 'application/json' },
		};
	}

	/** `POST /{flow-id}/assets`: multipart, the Flow JSON as `file`, `name`, `asset_type=FLOW_JSON`. */
	private async upload(flow: SandboxFlow, req: Req): Promise<Res> {
		const type = String(req.headers['content-type'] ?? '');
		if (!type.startsWith('multipart/form-data'))
			return graphError(400, 100, 'The upload must be multipart/form-data');
		let form: FormData;
		try {
			form = await new Response(new Uint8Array(req.raw), {
				headers: { 'content-type': type },
			}).formData();
		} catch {
			return graphError(400, 100, 'The multipart body could not be read');
		}
		const file = form.get('file');
		if (!file || typeof file === 'string')
			return graphError(400, 100, 'The parameter file is required.');
		if (!form.get('name')) return graphError(400, 100, 'The parameter name is required.');
		if (form.get('asset_type') !== 'FLOW_JSON') return invalid('asset_type must be FLOW_JSON.');
		if (flow.status !== 'DRAFT') return cannotUpdate();
		// the size Meta takes; the code of its answer to a larger file is not documented
		if (file.size > MAX_FLOW_JSON_BYTES) return invalid('The Flow JSON file is larger than 10 MB.');
		const refused = this.takeFlowJson(flow, await file.text());
		if (refused) return refused;
		return { status: 200, body: { success: true, validation_errors: flow.validation_errors } };
	}

	/** Stores a Flow JSON on a draft with its validation errors, or Meta's refusal of it. */
	private takeFlowJson(flow: SandboxFlow, text: string): Res | undefined {
		const parsed = parseJson(text);
		if (!parsed)
			return flowError(139001, 'Flow failed to update', 'Error while processing Flow JSON.');
		if (parsed.version !== undefined && !/^\d+\.\d+$/.test(String(parsed.version)))
			return invalid(
				`The Flow JSON version ${JSON.stringify(parsed.version)} is not valid.`,
				'Invalid Flow JSON version',
			);
		if (flow.endpoint_uri && /^[12]\./.test(String(parsed.version)))
			return flowError(
				139001,
				'Flow failed to update',
				'Specify Endpoint Uri in Flow JSON: endpoint_uri is for Flow JSON version 3.0 and later.',
			);
		flow.flowJson = text;
		flow.validation_errors = validate(parsed, text);
		return undefined;
	}

	/** Why a Flow cannot be published, or undefined. */
	private publishProblem(flow: SandboxFlow): string | undefined {
		if (flow.status !== 'DRAFT') return 'Publishing Flow in invalid state.';
		if (!flow.flowJson) return 'Publishing Flow without a Flow JSON.';
		if (flow.validation_errors.length) return 'Publishing Flow with validation errors.';
		if (parseJson(flow.flowJson)?.data_api_version && !flow.endpoint_uri)
			return 'Publishing without specifying endpoint_uri is forbidden.';
		return undefined;
	}

	private publish(flow: SandboxFlow): Res {
		const refused = this.publishProblem(flow);
		if (refused) return flowError(139002, 'Flow failed to publish', refused);
		flow.status = 'PUBLISHED';
		return { status: 200, body: { success: true } };
	}

	private deprecate(flow: SandboxFlow): Res {
		if (flow.status === 'DEPRECATED')
			return flowError(139003, 'Flow failed to deprecate', 'Flow is already deprecated.');
		if (flow.status !== 'PUBLISHED' && flow.status !== 'THROTTLED')
			return flowError(139003, 'Flow failed to deprecate', "Can't deprecate unpublished flow.");
		flow.status = 'DEPRECATED';
		return { status: 200, body: { success: true } };
	}

	private nameTaken(wabaId: string, name: string): boolean {
		return [...this.sandbox.flows.values()].some((f) => f.wabaId === wabaId && f.name === name);
	}

	/**
	 * Before a message send is taken: a `flow` interactive message must name a Flow of the sender's
	 * account that may be sent in its mode. The codes for a Flow that is missing, a draft sent as
	 * published, or deprecated are not documented: the sandbox answers 131009 (parameter value not
	 * valid). A blocked Flow gets 132068 and a throttled one 132069 after 10 sends in the hour, as
	 * Meta's error table says.
	 */
	checkSend(wabaId: string, body: Record<string, unknown> | undefined): Res | undefined {
		const interactive = body?.interactive as Record<string, unknown> | undefined;
		if (body?.type !== 'interactive' || interactive?.type !== 'flow') return undefined;
		const p = ((interactive.action as Record<string, unknown> | undefined)?.parameters ??
			{}) as Record<string, unknown>;
		if (p.flow_id === undefined && p.flow_name === undefined) return undefined;
		const flow = [...this.sandbox.flows.values()].find(
			(f) =>
				f.wabaId === wabaId &&
				(p.flow_id !== undefined ? f.id === p.flow_id : f.name === p.flow_name),
		);
		const refuse = (details: string) =>
			graphError(400, 131009, 'Parameter value is not valid', {
				error_data: { messaging_product: 'whatsapp', details },
			});
		if (!flow)
			return refuse(
				p.flow_id !== undefined
					? `Flow with id ${String(p.flow_id)} does not exist`
					: `Flow with name "${String(p.flow_name)}" does not exist`,
			);
		if (flow.status === 'DEPRECATED') return refuse('The Flow is deprecated and cannot be sent.');
		if (flow.status === 'BLOCKED')
			return graphError(400, 132068, 'Flow is in blocked state', {
				error_data: { messaging_product: 'whatsapp', details: 'Flow is in blocked state.' },
			});
		if (flow.status === 'DRAFT' && p.mode !== 'draft')
			return refuse('The Flow is a draft: send it with mode "draft", or publish it first.');
		if (flow.status === 'THROTTLED') {
			const hourAgo = Date.now() - 3600 * 1000;
			const sent = this.sandbox.accepted.filter((m) => {
				const i = m.body.interactive as Record<string, unknown> | undefined;
				const q = (i?.action as Record<string, unknown> | undefined)?.parameters as
					| Record<string, unknown>
					| undefined;
				return (
					m.at > hourAgo &&
					i?.type === 'flow' &&
					(q?.flow_id === flow.id || q?.flow_name === flow.name)
				);
			}).length;
			if (sent >= THROTTLED_PER_HOUR)
				return graphError(400, 132069, 'Flow is in throttled state', {
					error_data: {
						messaging_product: 'whatsapp',
						details: `Flow is in throttled state and ${THROTTLED_PER_HOUR} messages using this flow were already sent in the last hour.`,
					},
				});
		}
		return undefined;
	}
}

const cannotUpdate = () =>
	flowError(
		139001,
		"Flow can't be updated",
		'You attempted to update a Flow that has already been published. Create a new Flow with clone_flow_id to change it.',
	);

/** A Flow JSON text parsed as an object, or undefined. */
function parseJson(text: string | undefined): Record<string, unknown> | undefined {
	if (text === undefined) return undefined;
	try {
		const parsed = JSON.parse(text);
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The parameters of a create or metadata call: JSON, or a multipart form (Meta's OpenAPI document
 * sends that, with `categories` as a JSON list in text).
 */
async function params(req: Req): Promise<Record<string, unknown>> {
	if (req.json) return req.json;
	const type = String(req.headers['content-type'] ?? '');
	if (
		!type.startsWith('multipart/form-data') &&
		!type.startsWith('application/x-www-form-urlencoded')
	)
		return {};
	const form = await new Response(new Uint8Array(req.raw), {
		headers: { 'content-type': type },
	}).formData();
	const out: Record<string, unknown> = {};
	form.forEach((value, key) => {
		if (typeof value === 'string')
			out[key] = key === 'categories' ? (parseJsonValue(value) ?? value) : value;
	});
	return out;
}

function parseJsonValue(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** The `fields` of a Flow read, or Meta's refusal of a field it does not know. */
function fieldsOf(req: Req, fallback: string): { list: string[] } | { error: Res } {
	const list = (req.query.get('fields') ?? fallback).split(',').map((f) => f.trim());
	const unknown = list.find((f) => !FLOW_FIELDS.has(f.split('.')[0]));
	if (unknown)
		return {
			error: graphError(
				400,
				100,
				`Tried accessing nonexisting field (${unknown}) on node type (WhatsAppFlow)`,
			),
		};
	return { list };
}

/** A time as Graph writes it: 2026-12-21T11:18:09+0000. */
function graphDate(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}
