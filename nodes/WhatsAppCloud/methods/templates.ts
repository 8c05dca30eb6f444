import type { ILoadOptionsFunctions, INodeListSearchResult, INodeParameterResourceLocator, ResourceMapperFields } from 'n8n-workflow';

import { templateVariables, type TemplateDefinition } from '../../shared/templates';
import { getGraphConfig, graphJson, type GraphConfig, type GraphRequest } from '../../shared/transport';
import { fetchTemplate, requireWaba } from '../actions/template/common';

type Page = { data?: TemplateDefinition[]; paging?: { cursors?: { after?: string }; next?: string } };

/** Template picker: the account's templates, paged with Meta's cursors, filtered by the typed text. */
export async function searchTemplates(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const config = await getGraphConfig.call(this);
	const page = await graphJson.call<ILoadOptionsFunctions, [GraphConfig, GraphRequest], Promise<Page>>(this, config, {
		method: 'GET',
		path: `/${requireWaba(this, config)}/message_templates`,
		qs: { fields: 'id,name,language,status,category', limit: 100, ...(filter ? { name: filter.trim() } : {}), ...(paginationToken ? { after: paginationToken } : {}) },
	});
	const results = (page.data ?? []).map((t) => ({
		name: `${t.name} · ${t.language} · ${t.status === 'APPROVED' ? 'approved' : `${String(t.status).toLowerCase()}, cannot be sent`} · ${String(t.category ?? '').toLowerCase()}`,
		value: t.id,
	}));
	const after = page.paging?.next ? page.paging.cursors?.after : undefined;
	return { results, ...(after ? { paginationToken: after } : {}) };
}

/** Template Variables: the chosen template's own placeholders, labelled with its sample values. */
export async function getTemplateVariables(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const locator = this.getNodeParameter('template', 0) as INodeParameterResourceLocator;
	if (!locator?.value) return { fields: [], emptyFieldsNotice: 'Choose a template first' };
	const config = await getGraphConfig.call(this);
	const template = await fetchTemplate(this, config, locator);
	const fields = templateVariables(template).map((v) => ({
		id: v.id,
		displayName: v.label,
		required: v.required,
		defaultMatch: false,
		display: true,
		type: 'string' as const,
		canBeUsedToMatch: false,
	}));
	return fields.length ? { fields } : { fields, emptyFieldsNotice: `Template "${template.name}" has no variables: it is sent as it is` };
}
