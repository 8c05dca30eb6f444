import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import {
	getGraphConfig,
	graphJson,
	type GraphConfig,
	type GraphRequest,
} from '../../shared/transport';
import type { TemplateDefinition } from '../actions/template/definitions';
import { requireWaba } from '../transport/context';

/** The sender picker: the account's phone numbers (the trigger lists them the same way). */
export { getPhoneNumbers } from '../../shared/listSearch';

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
