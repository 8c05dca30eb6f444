import type { ILoadOptionsFunctions, INodeListSearchResult, INodePropertyMode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { credentialId, GRAPH_ID } from './ids';
import {
	getGraphConfig,
	graphCall,
	type GraphConfig,
	type GraphPage,
	type GraphRequest,
} from './transport';

/**
 * The pickers both nodes show: the sender (action) and the registered number (trigger) come from
 * the account's phone numbers; the trigger's per-account registration from the accounts the
 * token may manage.
 */

type PhoneNumber = {
	id: string;
	display_phone_number?: string;
	verified_name?: string;
	quality_rating?: string;
};

async function get<T>(fns: ILoadOptionsFunctions, config: GraphConfig, request: GraphRequest) {
	return await graphCall<T>(fns, config, request);
}

/** Lower case without the spaces, dashes, brackets and plus signs people type in numbers. */
const squash = (text: string) => text.toLowerCase().replace(/[\s+\-()]/g, '');

/** The account's phone numbers, paged with Meta's cursors, filtered by the typed text. */
export async function getPhoneNumbers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const config = await getGraphConfig.call(this);
	const waba = credentialId(this.getNode(), config, 'businessAccountId');
	if (!waba) {
		throw new NodeOperationError(
			this.getNode(),
			'Add the WhatsApp Business Account ID to the credential to list its phone numbers',
			{ description: 'Or switch the field to "By ID" and type the phone number ID.' },
		);
	}
	const page = await get<GraphPage<PhoneNumber>>(this, config, {
		method: 'GET',
		path: `/${waba}/phone_numbers`,
		qs: {
			fields: 'id,display_phone_number,verified_name,quality_rating',
			limit: 100,
			...(paginationToken ? { after: paginationToken } : {}),
		},
	});
	const needle = squash(filter ?? '');
	const results = (page.data ?? [])
		.map((p) => ({
			name: `+${p.display_phone_number ?? '?'} ${p.verified_name ?? ''}${p.quality_rating ? ` (quality ${p.quality_rating})` : ''}`.trim(),
			value: p.id,
		}))
		.filter((r) => !needle || squash(r.name).includes(needle) || r.value.includes(needle));
	const after = page.paging?.next ? page.paging.cursors?.after : undefined;
	return { results, ...(after ? { paginationToken: after } : {}) };
}

type TokenInfo = {
	data?: { granular_scopes?: Array<{ scope?: string; target_ids?: string[] }> };
};

/** Meta answers a multi-ID lookup with one object per ID, keyed by the ID. */
type Named = Record<string, { id?: string; name?: string }>;

/** At most this many accounts are named in one lookup; more are listed by ID only. */
const NAMED_AT_MOST = 50;

/**
 * The WhatsApp Business Accounts the credential's token may manage: Meta lists them as the
 * targets of the token's whatsapp_business_management scope (debug_token), with the credential's
 * own account first even when the token's scope does not name it (a token scoped to all of a
 * business's assets has no target list).
 */
export async function getBusinessAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const config = await getGraphConfig.call(this);
	// checked before any call: it goes into the `ids` query of the second one
	const own = credentialId(this.getNode(), config, 'businessAccountId');
	const credentials = await this.getCredentials('whatsAppCloudApi');
	const info = await get<TokenInfo>(this, config, {
		method: 'GET',
		path: '/debug_token',
		qs: { input_token: String(credentials.accessToken ?? '').trim() },
	});
	const ids = new Set<string>(own ? [own] : []);
	for (const scope of info.data?.granular_scopes ?? []) {
		if (scope.scope === 'whatsapp_business_management')
			// Meta's own answer, but it goes into a query too: what is not an ID is no account
			for (const id of scope.target_ids ?? []) if (GRAPH_ID.test(String(id))) ids.add(String(id));
	}
	const list = [...ids];
	const named = list.length
		? await get<Named>(this, config, {
				method: 'GET',
				path: '/',
				qs: { ids: list.slice(0, NAMED_AT_MOST).join(','), fields: 'id,name' },
			})
		: {};
	const needle = (filter ?? '').trim().toLowerCase();
	const results = list
		.map((id) => ({
			name: `${named[id]?.name ?? 'WhatsApp Business Account'} (${id})${id === config.businessAccountId ? ' · the credential’s' : ''}`,
			value: id,
		}))
		.filter((r) => !needle || r.name.toLowerCase().includes(needle));
	return { results };
}

/** A phone number picked from the account's numbers, or typed as an ID: the sender and the trigger. */
export const phoneNumberModes: INodePropertyMode[] = [
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- a locator mode, not a parameter: the locator has the default
	{
		displayName: 'From List',
		name: 'list',
		type: 'list',
		placeholder: 'Select a phone number...',
		typeOptions: { searchListMethod: 'getPhoneNumbers', searchable: true },
	},
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- a locator mode, not a parameter
	{
		displayName: 'By ID',
		name: 'id',
		type: 'string',
		placeholder: '106540352242922',
		validation: [
			{
				type: 'regex',
				properties: { regex: '^\\d+$', errorMessage: 'A phone number ID has only digits' },
			},
		],
	},
];

/** The modes of a WhatsApp Business Account locator: picked from the token's accounts, or typed. */
export const businessAccountModes: INodePropertyMode[] = [
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- a locator mode, not a parameter: the locator has the default
	{
		displayName: 'From List',
		name: 'list',
		type: 'list',
		placeholder: 'Select an account...',
		typeOptions: { searchListMethod: 'getBusinessAccounts', searchable: true },
	},
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- a locator mode, not a parameter
	{
		displayName: 'By ID',
		name: 'id',
		type: 'string',
		placeholder: '102290129340398',
		validation: [
			{
				type: 'regex',
				properties: { regex: '^\\d+$', errorMessage: 'An account ID has only digits' },
			},
		],
	},
];
