import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	getGraphConfig,
	graphJson,
	type GraphConfig,
	type GraphRequest,
} from '../../shared/transport';
import type { TemplateDefinition } from '../actions/template/definitions';
import { requireWaba } from '../transport/context';

type PhoneNumbers = {
	data?: Array<{
		id: string;
		display_phone_number?: string;
		verified_name?: string;
		quality_rating?: string;
	}>;
	paging?: { cursors?: { after?: string }; next?: string };
};

/** The account's phone numbers for the sender picker, paged with Meta's cursors, filtered by text. */
export async function getPhoneNumbers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const config = await getGraphConfig.call(this);
	if (!config.businessAccountId) {
		throw new NodeOperationError(
			this.getNode(),
			'Add the WhatsApp Business Account ID to the credential to list its phone numbers',
			{
				description: 'Or switch the field to "By ID" and type the phone number ID.',
			},
		);
	}
	const page = await graphJson.call<
		ILoadOptionsFunctions,
		[GraphConfig, GraphRequest],
		Promise<PhoneNumbers>
	>(this, config, {
		method: 'GET',
		path: `/${config.businessAccountId}/phone_numbers`,
		qs: {
			fields: 'id,display_phone_number,verified_name,quality_rating',
			limit: 100,
			...(paginationToken ? { after: paginationToken } : {}),
		},
	});
	const needle = (filter ?? '').toLowerCase().replace(/[\s+\-()]/g, '');
	const results = (page.data ?? [])
		.map((p) => ({
			name: `+${p.display_phone_number ?? '?'} ${p.verified_name ?? ''}${p.quality_rating ? ` (quality ${p.quality_rating})` : ''}`.trim(),
			value: p.id,
		}))
		.filter(
			(r) =>
				!needle ||
				r.name
					.toLowerCase()
					.replace(/[\s+\-()]/g, '')
					.includes(needle) ||
				r.value.includes(needle),
		);
	const after = page.paging?.next ? page.paging.cursors?.after : undefined;
	return { results, ...(after ? { paginationToken: after } : {}) };
}

type Page = {
	data?: TemplateDefinition[];
	paging?: { cursors?: { after?: string }; next?: string };
};

/** Template picker: the account's templates, paged with Meta's cursors, filtered by the typed text. */
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const config = await getGraphConfig.call(this);
	const page = await graphJson.call<
		ILoadOptionsFunctions,
		[GraphConfig, GraphRequest],
		Promise<Page>
	>(this, config, {
		method: 'GET',
		path: `/${requireWaba(this, config)}/message_templates`,
		qs: {
			fields: 'id,name,language,status,category',
			limit: 100,
			...(filter ? { name: filter.trim() } : {}),
			...(paginationToken ? { after: paginationToken } : {}),
		},
	});
	const results = (page.data ?? []).map((t) => ({
		name: `${t.name} · ${t.language} · ${t.status === 'APPROVED' ? 'approved' : `${String(t.status).toLowerCase()}, cannot be sent`} · ${String(t.category ?? '').toLowerCase()}`,
		value: t.id,
	}));
	const after = page.paging?.next ? page.paging.cursors?.after : undefined;
	return { results, ...(after ? { paginationToken: after } : {}) };
}
