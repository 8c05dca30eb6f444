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
import { NodeApiError } from 'n8n-workflow';

import {
	DEFAULT_GRAPH_API_VERSION,
	DEFAULT_GRAPH_BASE_URL,
} from '../../credentials/WhatsAppCloudApi.credentials';
import { hintForCode, retryKind, type RetryKind } from './errors';

export const CREDENTIAL_NAME = 'whatsAppCloudApi';

export type GraphFunctions = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

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
	return {
		baseUrl: String(c.baseUrl || DEFAULT_GRAPH_BASE_URL).trim().replace(/\/+$/, ''),
		apiVersion: String(c.apiVersion || DEFAULT_GRAPH_API_VERSION).trim(),
		phoneNumberId: String(c.phoneNumberId ?? '').trim(),
		businessAccountId: String(c.businessAccountId ?? '').trim(),
		appId: String(c.appId ?? '').trim(),
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

	constructor(
		fns: GraphFunctions,
		init: { httpStatus?: number; error?: GraphErrorBody; networkCode?: string; itemIndex?: number },
	) {
		const e = init.error ?? {};
		const code = typeof e.code === 'number' ? e.code : undefined;
		const details =
			typeof e.error_data === 'object' && e.error_data ? e.error_data.details : typeof e.error_data === 'string' ? e.error_data : undefined;
		const hint = hintForCode(code);
		const message = init.networkCode
			? `Could not reach the Graph API (${init.networkCode})`
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
		this.graphCode = code;
		this.graphSubcode = e.error_subcode;
		this.graphDetails = details;
		this.fbtraceId = e.fbtrace_id;
		this.httpStatus = init.httpStatus;
		this.retry = init.networkCode ? 'transient' : retryKind(code, init.httpStatus);
		if (e.is_transient === true && this.retry === 'none' && code !== undefined && !hint) this.retry = 'transient';
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
		};
	}
}

function stripCodePrefix(message: string): string {
	return message.replace(/^\(#\d+\)\s*/, '');
}

const NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_SOCKET',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

function networkCodeOf(error: unknown): string | undefined {
	let e = error as { code?: string; cause?: unknown } | undefined;
	for (let depth = 0; e && depth < 4; depth++) {
		if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
		e = e.cause as typeof e;
	}
	return undefined;
}

const isStream = (body: unknown): boolean => typeof (body as { pipe?: unknown } | undefined)?.pipe === 'function';

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
		json: !(request.body instanceof FormData) && !Buffer.isBuffer(request.body) && !isStream(request.body) && !request.binary,
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
		throw new NodeApiError(this.getNode(), { message: failure?.message ?? 'no response' } as JsonObject, {
			itemIndex,
			message: `The Graph API call failed: ${failure?.message ?? 'no response'}`,
		});
	}
	const status = response.statusCode;
	if (status >= 200 && status < 300) {
		let body = response.body as T;
		if (request.binary && !Buffer.isBuffer(body)) body = Buffer.from(body as ArrayBuffer) as T;
		return { status, headers: response.headers ?? {}, body };
	}
	throw new GraphApiError(this, { httpStatus: status, error: extractGraphError(response.body), itemIndex });
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
