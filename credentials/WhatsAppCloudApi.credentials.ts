import { createHmac } from 'crypto';
import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

/**
 * The Graph API versions Meta supports now (v21.0 until 21 January 2027, v27.0 the newest since
 * 4 November 2026), offered in the credential; v25.0 is the default, the version every test runs
 * on. A newer one is typed under Other, so that nobody waits for a release of this package.
 */
export const GRAPH_API_VERSIONS = ['v27.0', 'v26.0', 'v25.0', 'v24.0', 'v23.0', 'v22.0', 'v21.0'];
export const DEFAULT_GRAPH_API_VERSION = 'v25.0';

/** The API Version option that shows Other API Version. */
export const OTHER_API_VERSION = 'other';

/** What a Graph API version looks like: it is the first segment of every request's path. */
export const GRAPH_API_VERSION_FORMAT = /^v\d{1,3}\.\d{1,2}$/;
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';

const TOKEN_HELP =
	'Create a permanent token in Meta Business Settings > Users > System users: add a system user, assign it your app and WhatsApp account, then "Generate new token" with whatsapp_business_messaging and whatsapp_business_management and expiry "Never".';

/** The credential's text fields. `useProof` is the only non-text field. */
type TextField =
	| 'accessToken'
	| 'appSecret'
	| 'phoneNumberId'
	| 'businessAccountId'
	| 'appId'
	| 'apiVersion'
	| 'apiVersionOther'
	| 'baseUrl';

/**
 * The one rule for reading a text field of this credential: as text, without surrounding white
 * space. A token, secret or ID pasted with a stray space or line break would otherwise sign
 * webhooks, build `appsecret_proof` or address Graph objects with the wrong value. Every reader
 * (authenticate, the credential test, the trigger, registration) goes through this rule; the
 * credential test, which n8n evaluates as expressions, spells it with `textExpression`.
 */
export function credentialText(
	credentials: ICredentialDataDecryptedObject,
	field: TextField,
): string {
	const value = credentials[field];
	return value === undefined || value === null ? '' : String(value).trim();
}

/**
 * Text up to its trailing slashes (group 1), and those slashes. Anchored at the start, it is
 * matched from there only and in time linear in the text. `/\/+$/` is tried again at every slash
 * of a run that does not end the text: a Base URL with 100,000 of them blocked n8n for seconds.
 */
const TRAILING_SLASHES = /^([\s\S]*[^/])?\/*$/;

/** The Base URL to call: trimmed, the default when empty, without trailing slashes. */
export function credentialBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	return (credentialText(credentials, 'baseUrl') || DEFAULT_GRAPH_BASE_URL).replace(
		TRAILING_SLASHES,
		'$1',
	);
}

/**
 * The Graph API version to call, as typed (trimmed; the default when empty): the chosen one, or
 * Other API Version under Other. Whether it has a version's form is checked by its caller,
 * `graphApiVersionProblem`, since the version is part of every path.
 */
export function credentialApiVersion(credentials: ICredentialDataDecryptedObject): string {
	const chosen = credentialText(credentials, 'apiVersion');
	const version =
		chosen === OTHER_API_VERSION ? credentialText(credentials, 'apiVersionOther') : chosen;
	return version || DEFAULT_GRAPH_API_VERSION;
}

/** What is wrong with a version from the credential, or undefined when it has a version's form. */
export function graphApiVersionProblem(version: string): string | undefined {
	if (GRAPH_API_VERSION_FORMAT.test(version)) return undefined;
	return `The credential's API Version "${version.slice(0, 40)}" is not a Graph API version such as v27.0`;
}

/** `credentialText` as an n8n expression body, for the declarative credential test. */
const textExpression = (field: TextField) => `String($credentials.${field} || "").trim()`;

/**
 * Statuses the Graph API does not answer the test request with. They are thrown
 * (not handed to the body rules) so the `responseCode` rules below can name the status: such an
 * answer comes from whatever the Base URL points at, not from Meta. Statuses Meta does use
 * (400, 401, 403, 429, 500, 503) stay with the body rules, which tell Meta's errors apart; a
 * non-Graph body on one of them still fails, through the last body rule.
 */
const NON_GRAPH_STATUSES = [
	404, 405, 406, 407, 408, 410, 413, 414, 415, 421, 422, 451, 501, 502, 504, 505, 520, 521, 522,
	523, 524, 525, 526,
];

const CHECK_BASE_URL = `check the Base URL of this credential (normally ${DEFAULT_GRAPH_BASE_URL}, or your proxy's or sandbox's address)`;

const PHONE_NUMBER_HELP =
	'Copy the Phone Number ID (not the phone number, not the WhatsApp Business Account ID) from WhatsApp > API Setup, and make sure the system user is assigned to that WhatsApp account.';

const PROOF_HELP =
	'Copy the App Secret again from the app dashboard > App settings > Basic (it must be the secret of the app the token belongs to), or turn off "Add App Secret Proof" if the app does not require it.';

/**
 * How n8n's credential tester reads these rules: when the request throws (a status in
 * NON_GRAPH_STATUSES), the first `responseCode` rule with that status gives the message; otherwise
 * the body is checked against every `responseSuccessBody` rule in order, each an exact match of
 * the value at `key`, and the first match fails the test with its message. A body no rule
 * matches passes. So Meta's specific errors come first, its generic error types next, and the
 * last rule fails anything that is not a phone number object (no `id`): HTML, an empty body, a
 * JSON answer from something else, or a Meta error none of the rules above knows.
 *
 * What these rules cannot do, and why:
 * - Rule messages are fixed text (n8n does not evaluate them): they name the Base URL field, not
 *   its value.
 * - A non-Graph answer with a status Meta also uses (400, 401, 403, 429, 500, 503), e.g. a
 *   firewall's 403 page, fails through the last rule, whose text cannot name the status: body
 *   rules never see it.
 * - An unreachable Base URL fails with n8n's own text, the network error's code (ECONNREFUSED,
 *   ENOTFOUND...): n8n reports it before any rule is read.
 * - Rules match exact values only. Meta's two code-100 answers are told apart by subcode 33
 *   (unknown or invisible phone number ID) and by Meta's exact appsecret_proof wording; should
 *   Meta reword the latter, a wrong App Secret falls to the general code-100 text, which names
 *   the App Secret too.
 * A test function could read the status and quote the URL, but n8n runs one only for credentials
 * without `test`, and the only HTTP helper it gets is the deprecated `helpers.request`, which
 * community packages may not use.
 */
const TEST_RULES: Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> = [
	...NON_GRAPH_STATUSES.map(
		(status): IAuthenticateRuleResponseCode => ({
			type: 'responseCode',
			properties: {
				value: status,
				message: `The Base URL answered HTTP ${status} with something that is not the Graph API: ${CHECK_BASE_URL}.`,
			},
		}),
	),
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'error.code',
			value: 190,
			message: `Meta error 190: the access token has expired or is invalid. ${TOKEN_HELP}`,
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'error.code',
			value: 0,
			message: `Meta error 0: Meta could not authenticate the token (revoked, or the user changed their password). ${TOKEN_HELP}`,
		},
	},
	{
		// Meta: "Unsupported get request. Object with ID '...' does not exist, cannot be loaded
		// due to missing permissions, or does not support this operation" (code 100, subcode 33)
		type: 'responseSuccessBody',
		properties: {
			key: 'error.error_subcode',
			value: 33,
			message: `Meta error 100 (subcode 33): no phone number with this Phone Number ID exists or the token can see it. ${PHONE_NUMBER_HELP}`,
		},
	},
	...[
		'Invalid appsecret_proof provided in the API argument',
		'(#100) Invalid appsecret_proof provided in the API argument',
	].map(
		(text): IAuthenticateRuleResponseSuccessBody => ({
			type: 'responseSuccessBody',
			properties: {
				key: 'error.message',
				value: text,
				message: `Meta error 100: invalid appsecret_proof, so the App Secret does not match the token's app. ${PROOF_HELP}`,
			},
		}),
	),
	...[
		'API calls from the server require an appsecret_proof argument',
		'(#100) API calls from the server require an appsecret_proof argument',
	].map(
		(text): IAuthenticateRuleResponseSuccessBody => ({
			type: 'responseSuccessBody',
			properties: {
				key: 'error.message',
				value: text,
				message:
					'Meta error 100: the app requires appsecret_proof ("Require App Secret" is on in its advanced settings). Turn on "Add App Secret Proof" and fill in the App Secret.',
			},
		}),
	),
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'error.code',
			value: 100,
			message: `Meta error 100: Meta refused a parameter of the test call. ${PHONE_NUMBER_HELP} If "Add App Secret Proof" is on, also check the App Secret.`,
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'error.code',
			value: 10,
			message:
				'Meta error 10: permission denied. Give the token whatsapp_business_messaging and whatsapp_business_management, and assign the system user to the WhatsApp account.',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'error.code',
			value: 200,
			message:
				'Meta error 200: the token lacks a permission. Regenerate it with whatsapp_business_messaging and whatsapp_business_management.',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'error.type',
			value: 'OAuthException',
			message:
				'Meta refused the credentials (OAuthException). Check the access token, the phone number ID and, if "Add App Secret Proof" is on, the app secret.',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'error.type',
			value: 'GraphMethodException',
			message: `Meta refused the test call (GraphMethodException). ${PHONE_NUMBER_HELP}`,
		},
	},
	{
		// The token and ID are right, yet nothing sent from this number is delivered: a number not
		// registered with the Cloud API reads as NOT_APPLICABLE. Only Meta's test number works
		// without registering, which is why this passes unnoticed until the first real send.
		type: 'responseSuccessBody',
		properties: {
			key: 'platform_type',
			value: 'NOT_APPLICABLE',
			message:
				'The credentials work, but this phone number is not registered with the Cloud API, so messages sent from it are not delivered (only the test number delivers without registering). Register it with the WhatsApp Cloud node: Phone Number > Register, with its two-step PIN (Request Code and Verify Code first if Meta asks to verify it).',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'id',
			value: undefined,
			message: `The Base URL answered with something that is not a WhatsApp phone number from the Graph API: ${CHECK_BASE_URL}.`,
		},
	},
];

/**
 * Adds `appsecret_proof` (HMAC-SHA256 of the access token keyed with the app secret) when the
 * credential asks for it. Meta requires it on every call once "Require App Secret" is switched on
 * in the app's advanced settings.
 */
export function appSecretProof(accessToken: string, appSecret: string): string {
	return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}

export class WhatsAppCloudApi implements ICredentialType {
	name = 'whatsAppCloudApi';

	displayName = 'WhatsApp Cloud API';

	icon: Icon = { light: 'file:../icons/whatsapp.svg', dark: 'file:../icons/whatsapp.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-whatsapp-cloud/n8n-nodes-whatsapp-cloud#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: `A system-user access token with whatsapp_business_messaging and whatsapp_business_management. Temporary tokens from the app dashboard expire after 24 hours. ${TOKEN_HELP}`,
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Meta app dashboard > App settings > Basic > App secret. The trigger uses it to check that each webhook really comes from Meta (X-Hub-Signature-256).',
		},
		{
			displayName: 'Phone Number ID',
			name: 'phoneNumberId',
			type: 'string',
			default: '',
			required: true,
			description:
				'The ID of the sending phone number (not the number itself): app dashboard > WhatsApp > API Setup, or WhatsApp Manager > Phone numbers. Nodes send from it unless they choose another.',
		},
		{
			displayName: 'WhatsApp Business Account ID',
			name: 'businessAccountId',
			type: 'string',
			default: '',
			// not needed to send a text, but templates, number lists and registration per account all
			// need it: asking here saves finding out one screen too late
			required: true,
			description:
				'The WABA ID: app dashboard > WhatsApp > API Setup, or Business Settings > Accounts > WhatsApp accounts. Needed for templates, phone number lists and per-account webhook registration.',
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			description:
				'Optional. App dashboard > App settings > Basic > App ID. Needed for template header samples and profile pictures (Resumable Upload API) and for app-wide webhook registration.',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			options: [
				...GRAPH_API_VERSIONS.map((v) => ({ name: v, value: v })),
				{ name: 'Other', value: OTHER_API_VERSION },
			],
			default: DEFAULT_GRAPH_API_VERSION,
			description:
				'Graph API version used for every call. Other: type a version Meta released after this list.',
		},
		{
			displayName: 'Other API Version',
			name: 'apiVersionOther',
			type: 'string',
			default: '',
			placeholder: 'v28.0',
			displayOptions: { show: { apiVersion: [OTHER_API_VERSION] } },
			description: 'A Graph API version, written as Meta writes it: v, a number, a dot, a number',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_GRAPH_BASE_URL,
			description: 'Change only to go through a proxy or a local test sandbox',
		},
		{
			displayName: 'Add App Secret Proof',
			name: 'useProof',
			type: 'boolean',
			default: false,
			description:
				'Whether to add appsecret_proof to every call. Turn on when "Require App Secret" is enabled in the app\'s advanced settings; needs the App Secret.',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const accessToken = credentialText(credentials, 'accessToken');
		const appSecret = credentialText(credentials, 'appSecret');
		// A call that brings its own token (the app access token of app-wide webhook registration)
		// keeps it; every other call is made with the system-user token.
		if (requestOptions.headers?.Authorization) return requestOptions;
		// The Resumable Upload API's upload step (POST /upload:<session>) takes the token as OAuth
		const scheme = /\/upload:[^/]+$/.test(String(requestOptions.url ?? '')) ? 'OAuth' : 'Bearer';
		requestOptions.headers = {
			...requestOptions.headers,
			Authorization: `${scheme} ${accessToken}`,
		};
		if (credentials.useProof === true && appSecret) {
			requestOptions.qs = {
				...requestOptions.qs,
				appsecret_proof: appSecretProof(accessToken, appSecret),
			};
		}
		return requestOptions;
	}

	test: ICredentialTestRequest = {
		request: {
			// the same trim as credentialBaseUrl, spelled as an expression
			baseURL: `={{ (${textExpression('baseUrl')} || "${DEFAULT_GRAPH_BASE_URL}").replace(${String(TRAILING_SLASHES)}, "$1") }}`,
			// one path segment whatever was typed: a `/`, `?` or `#` in the ID would read another object
			// the version as credentialApiVersion reads it, also kept to one path segment
			url: `=/{{ encodeURIComponent((${textExpression('apiVersion')} === "${OTHER_API_VERSION}" ? ${textExpression('apiVersionOther')} : ${textExpression('apiVersion')}) || "${DEFAULT_GRAPH_API_VERSION}") }}/{{ encodeURIComponent(${textExpression('phoneNumberId')}) }}`,
			qs: { fields: 'display_phone_number,verified_name,quality_rating,platform_type' },
			// Meta's errors come with 4xx/5xx statuses and are told apart by their body
			ignoreHttpStatusErrors: { ignore: true, except: NON_GRAPH_STATUSES },
		},
		// n8n's tester reads both kinds of rule from one list; its type only allows one kind per list
		rules: TEST_RULES as IAuthenticateRuleResponseSuccessBody[],
	};
}
