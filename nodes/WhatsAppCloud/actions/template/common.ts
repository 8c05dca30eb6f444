import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { TemplateDefinition } from './definitions';
import {
	graphJson,
	type GraphConfig,
	type GraphFunctions,
	type GraphRequest,
} from '../../../shared/transport';

export const TEMPLATE_FIELDS =
	'id,name,language,status,category,components,parameter_format,rejected_reason,quality_score';

/** The `template` resource locator: search the account's templates, or give an ID or name:language. */
export function templateLocator(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Template',
		name: 'template',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: "Only approved templates can be sent; the list shows each template's status",
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a template...',
				typeOptions: { searchListMethod: 'searchTemplates', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '1387372356726668',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\d+$', errorMessage: 'A template ID has only digits' },
					},
				],
			},
			{
				displayName: 'By Name and Language',
				name: 'name',
				type: 'string',
				placeholder: 'order_confirmation:en_US',
				hint: "The template's name and language code, separated by a colon",
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^[a-z0-9_]+:[A-Za-z_]+$',
							errorMessage: 'Write name:language, e.g. order_confirmation:en_US',
						},
					},
				],
			},
		],
		displayOptions: { show },
	};
}

export function requireWaba(fns: GraphFunctions, config: GraphConfig): string {
	if (!config.businessAccountId) {
		throw new NodeOperationError(
			fns.getNode(),
			'Add the WhatsApp Business Account ID to the credential',
			{
				description:
					'Templates belong to a WhatsApp Business Account (app dashboard > WhatsApp > API Setup).',
			},
		);
	}
	return config.businessAccountId;
}

/** Reads a template's definition by ID or by name:language. */
export async function fetchTemplate(
	fns: IExecuteFunctions | ILoadOptionsFunctions,
	config: GraphConfig,
	locator: INodeParameterResourceLocator | string,
	itemIndex?: number,
): Promise<TemplateDefinition> {
	const mode = typeof locator === 'string' ? 'id' : locator.mode;
	const value = String(typeof locator === 'string' ? locator : (locator.value ?? '')).trim();
	if (!value) throw new NodeOperationError(fns.getNode(), 'Choose a template', { itemIndex });
	const get = async <T>(request: GraphRequest) =>
		await graphJson.call<
			GraphFunctions,
			[GraphConfig, GraphRequest, number | undefined],
			Promise<T>
		>(fns, config, request, itemIndex);
	if (mode !== 'name')
		return await get<TemplateDefinition>({
			method: 'GET',
			path: `/${value}`,
			qs: { fields: TEMPLATE_FIELDS },
		});
	const [name, language] = value.split(':');
	const found = await get<{ data?: TemplateDefinition[] }>({
		method: 'GET',
		path: `/${requireWaba(fns, config)}/message_templates`,
		qs: { name, language, fields: TEMPLATE_FIELDS, limit: 100 },
	});
	const match = (found.data ?? []).find((t) => t.name === name && t.language === language);
	if (!match) {
		throw new NodeOperationError(fns.getNode(), `No template "${name}" in language ${language}`, {
			itemIndex,
			description: 'Check the name and language code in WhatsApp Manager > Message templates.',
		});
	}
	return match;
}
