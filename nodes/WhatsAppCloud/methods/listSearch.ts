import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { getGraphConfig, graphCall, type GraphPage } from '../../shared/transport';
import type { TemplateDefinition } from '../actions/template/definition';
import { requireWaba } from '../transport/context';

/**
 * The sender picker: the account's phone numbers (the trigger lists them the same way); and the
 * accounts the token reaches, for the WhatsApp Business Account resource.
 */
export { getBusinessAccounts, getPhoneNumbers } from '../../shared/listSearch';

type Page = GraphPage<TemplateDefinition>;

/** Template picker: the account's templates, paged with Meta's cursors, filtered by the typed text. */
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const config = await getGraphConfig.call(this);
	const page = await graphCall<Page>(this, config, {
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

type FlowPage = GraphPage<{ id: string; name?: string; status?: string }>;

/** What a Flow's status means for sending it, as the Flow picker shows it. */
const FLOW_STATUS: Record<string, string> = {
	DRAFT: 'draft, sent only in Mode "Draft"',
	PUBLISHED: 'published',
	THROTTLED: 'throttled, 10 messages an hour',
	BLOCKED: 'blocked, cannot be sent',
	DEPRECATED: 'deprecated, cannot be sent',
};

/**
 * Flow picker: the account's Flows with their status, paged with Meta's cursors. Meta's list has
 * no name filter, so the typed text filters each page by name or ID.
 */
export async function searchFlows(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const config = await getGraphConfig.call(this);
	const page = await graphCall<FlowPage>(this, config, {
		method: 'GET',
		path: `/${requireWaba(this, config)}/flows`,
		qs: {
			fields: 'id,name,status',
			limit: 100,
			...(paginationToken ? { after: paginationToken } : {}),
		},
	});
	const needle = (filter ?? '').trim().toLowerCase();
	const results = (page.data ?? [])
		.filter(
			(f) =>
				!needle ||
				String(f.name ?? '')
					.toLowerCase()
					.includes(needle) ||
				f.id === needle,
		)
		.map((f) => {
			const status = String(f.status ?? '');
			return {
				name: `${f.name ?? f.id} · ${FLOW_STATUS[status] ?? status.toLowerCase()}`,
				value: f.id,
			};
		});
	const after = page.paging?.next ? page.paging.cursors?.after : undefined;
	return { results, ...(after ? { paginationToken: after } : {}) };
}

/**
 * Catalog picker: the catalog connected to the account (Meta connects at most one, and answers
 * with a list). Reading it needs the token's catalog_management permission.
 */
export async function getCatalogs(this: ILoadOptionsFunctions): Promise<INodeListSearchResult> {
	const config = await getGraphConfig.call(this);
	const found = await graphCall<{ data?: Array<{ id: string; name?: string }> }>(this, config, {
		method: 'GET',
		path: `/${requireWaba(this, config)}/product_catalogs`,
		qs: { fields: 'id,name' },
	});
	return {
		results: (found.data ?? []).map((c) => ({
			name: c.name ? `${c.name} (${c.id})` : c.id,
			value: c.id,
		})),
	};
}
