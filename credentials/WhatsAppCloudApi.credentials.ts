import { createHmac } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

/** The Graph API versions offered in the credential; v25.0 is the default. */
export const GRAPH_API_VERSIONS = ['v26.0', 'v25.0', 'v24.0', 'v23.0'];
export const DEFAULT_GRAPH_API_VERSION = 'v25.0';
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';

const TOKEN_HELP =
	'Create a permanent token in Meta Business Settings > Users > System users: add a system user, assign it your app and WhatsApp account, then "Generate new token" with whatsapp_business_messaging and whatsapp_business_management and expiry "Never".';

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
		'https://github.com/n8n-nodes-whatsapp-cloud/n8n-nodes-whatsapp-cloud?tab=readme-ov-file#credentials';

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
			description:
				'The WABA ID: app dashboard > WhatsApp > API Setup, or Business Settings > Accounts > WhatsApp accounts. Needed for templates and phone number lists.',
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
			options: GRAPH_API_VERSIONS.map((v) => ({ name: v, value: v })),
			default: DEFAULT_GRAPH_API_VERSION,
			description: 'Graph API version used for every call',
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
		const accessToken = String(credentials.accessToken ?? '').trim();
		// A call that brings its own token (the app access token of app-wide webhook registration)
		// keeps it; every other call is made with the system-user token.
		if (requestOptions.headers?.Authorization) return requestOptions;
		// The Resumable Upload API's upload step (POST /upload:<session>) takes the token as OAuth
		const scheme = /\/upload:[^/]+$/.test(String(requestOptions.url ?? '')) ? 'OAuth' : 'Bearer';
		requestOptions.headers = { ...requestOptions.headers, Authorization: `${scheme} ${accessToken}` };
		if (credentials.useProof === true && credentials.appSecret) {
			requestOptions.qs = {
				...requestOptions.qs,
				appsecret_proof: appSecretProof(accessToken, String(credentials.appSecret)),
			};
		}
		return requestOptions;
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ String($credentials.baseUrl || "https://graph.facebook.com").replace(/\\/+$/, "") }}',
			url: '=/{{ $credentials.apiVersion || "v25.0" }}/{{ String($credentials.phoneNumberId).trim() }}',
			qs: { fields: 'display_phone_number,verified_name,quality_rating' },
			ignoreHttpStatusErrors: true,
		},
		rules: [
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
				type: 'responseSuccessBody',
				properties: {
					key: 'error.code',
					value: 100,
					message:
						'Meta error 100: the phone number ID was not found or the token cannot see it. Copy the Phone Number ID (not the phone number) from WhatsApp > API Setup, and make sure the system user is assigned to that WhatsApp account.',
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
		],
	};
}

export type WhatsAppCloudCredentials = {
	accessToken: string;
	appSecret?: string;
	phoneNumberId: string;
	businessAccountId?: string;
	appId?: string;
	apiVersion?: string;
	baseUrl?: string;
	useProof?: boolean;
};
