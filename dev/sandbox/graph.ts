/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * What the sandbox's areas share: the IDs the sandbox plays, the shapes it keeps (phone numbers,
 * templates, accepted messages, deliveries), a request as the router hands it on and an answer,
 * and Meta's error envelope.
 */
import { readFileSync } from 'fs';
import type * as http from 'http';
import path from 'path';

import { checkRequest } from './openapi';

export const SANDBOX_TOKEN = 'sandbox-token';
export const SANDBOX_APP_SECRET = 'sandbox-app-secret';
export const SANDBOX_WABA_ID = '102290129340398';
export const SANDBOX_PHONE_NUMBER_ID = '106540352242922';
export const SANDBOX_APP_ID = '1234567890123456';
/** The catalog connected to the sandbox account (the one in Meta's product message examples). */
export const SANDBOX_CATALOG_ID = '194836987003835';

/**
 * The data of a WhatsApp Cloud API credential that points at a sandbox at `baseUrl`: the token,
 * app and IDs the sandbox plays. `overrides` changes single fields (a test without an App ID).
 */
export function sandboxCredentialData(baseUrl: string, overrides: Record<string, unknown> = {}) {
	return {
		accessToken: SANDBOX_TOKEN,
		appSecret: SANDBOX_APP_SECRET,
		phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
		businessAccountId: SANDBOX_WABA_ID,
		// the sandbox's app, for the app-wide registration
		appId: SANDBOX_APP_ID,
		apiVersion: 'v25.0',
		baseUrl,
		useProof: false,
		...overrides,
	};
}

export type SandboxPhoneNumber = {
	id: string;
	display_phone_number: string;
	verified_name: string;
	quality_rating?: string;
	wabaId: string;
	[field: string]: unknown;
};

export type SandboxTemplate = {
	id: string;
	wabaId: string;
	name: string;
	language: string;
	category: string;
	status: string;
	parameter_format: string;
	components: Array<Record<string, unknown> & { type: string; text?: string }>;
	[field: string]: unknown;
};

export type AcceptedMessage = {
	id: string;
	phoneNumberId: string;
	body: Record<string, unknown>;
	at: number;
};

/** A callback override registered for a WABA or a phone number. */
export type Override = { url: string; verifyToken: string };

export type Delivery = { url: string; status: number; body: string; ms: number };

/** A Graph API request as the router hands it to an area: path split, body read (and parsed if JSON). */
export type Req = {
	method: string;
	path: string[];
	query: URLSearchParams;
	headers: http.IncomingHttpHeaders;
	raw: Buffer;
	json: Record<string, unknown> | undefined;
	token: string;
};

/** An area's answer; `reset` drops the connection instead (the client sees ECONNRESET). */
export type Res = {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
	reset?: boolean;
};

/** Meta signs and sends its JSON with every non-ASCII character escaped as \\uXXXX (lowercase). */
export function metaJson(payload: unknown): string {
	return JSON.stringify(payload).replace(
		/[\u007f-\uffff]/g,
		(c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
}

/** Meta's error envelope: `(#code) message`, OAuthException, a fresh fbtrace_id. */
export const graphError = (
	status: number,
	code: number,
	message: string,
	extra: Record<string, unknown> = {},
): Res => ({
	status,
	body: {
		error: {
			message: `(#${code}) ${message}`,
			type: 'OAuthException',
			code,
			...extra,
			fbtrace_id: `Sandbox${Math.random().toString(36).slice(2, 12)}`,
		},
	},
});

/**
 * Meta's answer to a management request body that its OpenAPI request schema refuses (an invalid
 * parameter naming the first problem), or undefined when the body passes. `request` is the method
 * and the path as Meta's document writes it (dev/sandbox/openapi.ts checkRequest).
 */
export function refusedBySchema(request: string, body: unknown): Res | undefined {
	const problems = checkRequest(request, body);
	if (!problems.length) return undefined;
	return graphError(400, 100, 'Invalid parameter', {
		error_data: { messaging_product: 'whatsapp', details: problems[0] },
	});
}

/** The requested fields of a stored object, as Graph's `?fields=` returns them. */
export function pick(t: Record<string, unknown>, fields: string[]): Record<string, unknown> {
	return Object.fromEntries(fields.filter((f) => f in t && f !== 'wabaId').map((f) => [f, t[f]]));
}

/** A Graph API response from test/fixtures/api, parsed. */
export function apiFixture<T>(name: string): T {
	return JSON.parse(
		readFileSync(path.join(__dirname, '../../test/fixtures/api', name), 'utf8'),
	) as T;
}
