import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	credentialApiVersion,
	graphApiVersionProblem,
	credentialBaseUrl,
	credentialText,
} from '../../credentials/WhatsAppCloudApi.credentials';
import { hintForCode, retryKind, type RetryKind } from './errors';

export const CREDENTIAL_NAME = 'whatsAppCloudApi';

export type GraphFunctions =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions;

/** The non-secret part of the credential that every request needs. */
export type GraphConfig = {
	baseUrl: string;
	apiVersion: string;
	phoneNumberId: string;
	businessAccountId: string;
	appId: string;
};

export async function getGraphConfig(this: GraphFunctions): Promise<GraphConfig> {
	const c = await this.getCredentials(CREDENTIAL_NAME);
	const apiVersion = credentialApiVersion(c);
	// the first segment of every path: anything else would address another endpoint
	const problem = graphApiVersionProblem(apiVersion);
	if (problem)
		throw new NodeOperationError(this.getNode(), problem, {
			description:
				'Pick a version in the credential, or under Other type one as Meta writes it (v28.0). Nothing was sent.',
		});
	return {
		baseUrl: credentialBaseUrl(c),
		apiVersion,
		phoneNumberId: credentialText(c, 'phoneNumberId'),
		businessAccountId: credentialText(c, 'businessAccountId'),
		appId: credentialText(c, 'appId'),
	};
}

export type GraphRequest = {
	method: IHttpRequestMethods;
	/** Path below the version, e.g. `/123/messages`, or an absolute URL (media downloads). */
	path: string;
	/** JSON, a form, raw bytes, or a Node stream (n8n's binary streams). */
	body?: IDataObject | FormData | Buffer | NodeJS.ReadableStream;
	qs?: IDataObject;
	headers?: IDataObject;
	/** Return the raw bytes (media downloads). */
	binary?: boolean;
	/**
	 * An upload: redirects are not followed, since following them makes the HTTP client keep a
	 * copy of the whole body in memory to replay it. Meta's upload endpoints do not redirect.
	 */
	upload?: boolean;
	timeoutMs?: number;
};

export type GraphResponse<T> = { status: number; headers: IDataObject; body: T };

/** Meta's error object, as it arrives in `{"error": {...}}`. */
export type GraphErrorBody = {
	message?: string;
	type?: string;
	code?: number;
	error_subcode?: number;
	error_data?: { details?: string; messaging_product?: string } | string;
	error_user_title?: string;
	error_user_msg?: string;
	is_transient?: boolean;
	fbtrace_id?: string;
};

/**
 * Network failures in two classes. Before a connection exists nothing can have reached Meta, so
 * a retry is safe. Once it exists, a reset or a timeout may come after Meta took the request: the
 * message may already be on its way, and a retry can deliver it twice.
 */
const NOT_CONNECTED_CODES = new Set([
	'ECONNREFUSED',
	'EAI_AGAIN',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);
const BROKEN_CONNECTION_CODES = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'UND_ERR_SOCKET',
]);

function networkCodeOf(error: unknown): string | undefined {
	let e = error as { code?: string; cause?: unknown } | undefined;
	for (let depth = 0; e && depth < 4; depth++) {
		if (
			typeof e.code === 'string' &&
			(NOT_CONNECTED_CODES.has(e.code) || BROKEN_CONNECTION_CODES.has(e.code))
		)
			return e.code;
		e = e.cause as typeof e;
	}
	return undefined;
}

/**
 * A failed Graph call, as a NodeApiError that also carries what Meta said (code, subcode,
 * details, fbtrace_id) and how the throttle should treat it. Built only from Meta's response
 * body, never from the request, so no token or secret can leak into it.
 */
export class GraphApiError extends NodeApiError {
	graphCode?: number;

	graphSubcode?: number;

	graphDetails?: string;

	fbtraceId?: string;

	httpStatus?: number;

	retry: RetryKind;

	/** How many attempts were made before giving up (set by the throttle). */
	attempts = 1;

	/** Meta may have taken the request despite this failure (a 5xx, a connection broken mid-call). */
	mayHaveArrived: boolean;

	constructor(
		fns: GraphFunctions,
		init: { httpStatus?: number; error?: GraphErrorBody; networkCode?: string; itemIndex?: number },
	) {
		const e = init.error ?? {};
		const code = typeof e.code === 'number' ? e.code : undefined;
		const details =
			typeof e.error_data === 'object' && e.error_data
				? e.error_data.details
				: typeof e.error_data === 'string'
					? e.error_data
					: undefined;
		const hint = hintForCode(
			code,
			typeof e.error_subcode === 'number' ? e.error_subcode : undefined,
			typeof e.message === 'string' ? e.message : undefined,
		);
		const message = init.networkCode
			? NOT_CONNECTED_CODES.has(init.networkCode)
				? `Could not reach the Graph API (${init.networkCode})`
				: `The connection to the Graph API broke during the call (${init.networkCode}); Meta may or may not have taken the request`
			: `WhatsApp Cloud API error${code !== undefined ? ` ${code}` : ''}: ${stripCodePrefix(e.error_user_msg || e.message || `HTTP ${init.httpStatus}`)}`;
		const description = [
			hint,
			details ? `Meta's details: ${details}` : undefined,
			e.error_subcode !== undefined ? `Subcode: ${e.error_subcode}` : undefined,
			e.fbtrace_id ? `fbtrace_id: ${e.fbtrace_id} (quote it to Meta support)` : undefined,
		]
			.filter(Boolean)
			.join('\n');
		const errorResponse: JsonObject = init.networkCode
			? { message, code: init.networkCode }
			: ({ error: { ...e } } as unknown as JsonObject);
		super(fns.getNode(), errorResponse, {
			message,
			description: description || undefined,
			httpCode: init.httpStatus !== undefined ? String(init.httpStatus) : undefined,
			itemIndex: init.itemIndex,
		});
		// n8n handles errors by name; this is a NodeApiError with Meta's fields added
		this.name = 'NodeApiError';
		// NodeApiError puts its own generic text in place of ours for network codes; ours says
		// whether the request may have reached Meta
		this.message = message;
		this.graphCode = code;
		this.graphSubcode = e.error_subcode;
		this.graphDetails = details;
		this.fbtraceId = e.fbtrace_id;
		this.httpStatus = init.httpStatus;
		const broken = init.networkCode !== undefined && !NOT_CONNECTED_CODES.has(init.networkCode);
		this.retry = init.networkCode
			? broken
				? 'uncertain'
				: 'transient'
			: retryKind(code, init.httpStatus);
		if (e.is_transient === true && this.retry === 'none' && code !== undefined && !hint)
			this.retry = 'transient';
		this.mayHaveArrived = broken || (init.httpStatus !== undefined && init.httpStatus >= 500);
	}

	/** A plain object for the item output when the node continues on fail. */
	toItemError(): IDataObject {
		return {
			message: this.message,
			description: this.description ?? undefined,
			code: this.graphCode,
			subcode: this.graphSubcode,
			details: this.graphDetails,
			fbtraceId: this.fbtraceId,
			httpCode: this.httpStatus,
			attempts: this.attempts,
			...(this.mayHaveArrived ? { mayHaveArrived: true } : {}),
		};
	}
}

function stripCodePrefix(message: string): string {
	return message.replace(/^\(#\d+\)\s*/, '');
}

const isStream = (body: unknown): boolean =>
	typeof (body as { pipe?: unknown } | undefined)?.pipe === 'function';

export function graphUrl(config: GraphConfig, path: string): string {
	if (/^https?:\/\//i.test(path)) return path;
	return `${config.baseUrl}/${config.apiVersion}${path.startsWith('/') ? '' : '/'}${path}`;
}

/**
 * The one Graph API call: URL from base URL + version, authentication through n8n's
 * httpRequestWithAuthentication (Bearer token, optional appsecret_proof), Graph errors mapped to
 * GraphApiError with a plain-language hint.
 */
export async function graphRequest<T = IDataObject>(
	this: GraphFunctions,
	config: GraphConfig,
	request: GraphRequest,
	itemIndex?: number,
): Promise<GraphResponse<T>> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: graphUrl(config, request.path),
		qs: request.qs,
		headers: request.headers,
		body: request.body as IHttpRequestOptions['body'],
		json:
			!(request.body instanceof FormData) &&
			!Buffer.isBuffer(request.body) &&
			!isStream(request.body) &&
			!request.binary,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeoutMs ?? 60_000,
	};
	if (request.binary) options.encoding = 'arraybuffer';
	if (request.upload) options.disableFollowRedirect = true;
	let response: { statusCode: number; headers: IDataObject; body: unknown } | undefined;
	let failure: Error | undefined;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_NAME,
			options,
		)) as typeof response;
	} catch (error) {
		failure = error as Error;
	}
	if (!response) {
		const networkCode = networkCodeOf(failure);
		if (networkCode) throw new GraphApiError(this, { networkCode, itemIndex });
		throw new NodeApiError(
			this.getNode(),
			{ message: failure?.message ?? 'no response' } as JsonObject,
			{
				itemIndex,
				message: `The Graph API call failed: ${failure?.message ?? 'no response'}`,
			},
		);
	}
	const status = response.statusCode;
	if (status >= 200 && status < 300) {
		let body = response.body as T;
		if (request.binary && !Buffer.isBuffer(body)) body = Buffer.from(body as ArrayBuffer) as T;
		else if (!request.binary && !isJsonObject(body))
			throw unexpectedAnswer(this, config, status, body, itemIndex);
		return { status, headers: response.headers ?? {}, body };
	}
	throw new GraphApiError(this, {
		httpStatus: status,
		error: extractGraphError(response.body),
		itemIndex,
	});
}

const isJsonObject = (body: unknown): boolean =>
	typeof body === 'object' && body !== null && !Array.isArray(body) && !Buffer.isBuffer(body);

/**
 * A 2xx answer that is not a Graph JSON object (an HTML page from a proxy or a mistyped Base URL, an
 * empty body): never taken as success, since nothing says Meta did what was asked.
 */
function unexpectedAnswer(
	fns: GraphFunctions,
	config: GraphConfig,
	status: number,
	body: unknown,
	itemIndex?: number,
): NodeApiError {
	const text = Buffer.isBuffer(body)
		? body.toString('utf8')
		: typeof body === 'string'
			? body
			: JSON.stringify(body ?? null);
	const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 120);
	const error = new NodeApiError(
		fns.getNode(),
		{ message: 'unexpected answer', httpCode: String(status) } as JsonObject,
		{
			itemIndex,
			message: `The Graph API answered HTTP ${status} with something that is not a Graph API answer`,
			description: `Answer: ${snippet || '(empty)'}\nCheck the Base URL in the credential (${config.baseUrl}): it must point at the Graph API (https://graph.facebook.com) or a proxy that passes its answers through.`,
			httpCode: String(status),
		},
	);
	// the request reached something that answered 2xx: whether Meta acted on it is unknown
	return Object.assign(error, { mayHaveArrived: true });
}

function extractGraphError(body: unknown): GraphErrorBody {
	let parsed: unknown = body;
	if (Buffer.isBuffer(parsed)) parsed = parsed.toString('utf8');
	if (parsed instanceof ArrayBuffer) parsed = Buffer.from(parsed).toString('utf8');
	if (typeof parsed === 'string') {
		const text = parsed;
		try {
			parsed = JSON.parse(text);
		} catch {
			return { message: text.slice(0, 300) };
		}
	}
	const error = (parsed as { error?: GraphErrorBody } | undefined)?.error;
	return error && typeof error === 'object' ? error : {};
}

/** Shortcut for JSON calls that only need the body. */
export async function graphJson<T = IDataObject>(
	this: GraphFunctions,
	config: GraphConfig,
	request: GraphRequest,
	itemIndex?: number,
): Promise<T> {
	return (await graphRequest.call(this, config, request, itemIndex)).body as T;
}

/** `graphJson` for any n8n context: the one typed way to make a Graph call and read its JSON. */
export async function graphCall<T = IDataObject>(
	fns: GraphFunctions,
	config: GraphConfig,
	request: GraphRequest,
	itemIndex?: number,
): Promise<T> {
	return await graphJson.call<GraphFunctions, [GraphConfig, GraphRequest, number?], Promise<T>>(
		fns,
		config,
		request,
		itemIndex,
	);
}

/** A page of a Graph list (`data` and Meta's cursors), as every list edge answers. */
export type GraphPage<T> = { data?: T[]; paging?: { cursors?: { after?: string }; next?: string } };
