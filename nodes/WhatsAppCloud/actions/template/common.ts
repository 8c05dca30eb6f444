import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INode,
	INodeParameterResourceLocator,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphId } from '../../../shared/ids';
import { requireWaba, type OperationContext } from '../../transport/context';
import type { TemplateDefinition } from './definition';
import {
	graphCall,
	type GraphConfig,
	type GraphFunctions,
	type GraphRequest,
} from '../../../shared/transport';

export const TEMPLATE_FIELDS =
	'id,name,language,status,category,components,parameter_format,rejected_reason,quality_score';

const NOT_FOUND = 'No template ';

/** True for the error of a template looked up by name that the account does not have. */
export const isTemplateNotFound = (error: unknown) =>
	error instanceof NodeOperationError && error.message.startsWith(NOT_FOUND);

/** A Graph GET, through whatever client the caller has. */
type Read = <T>(request: GraphRequest) => Promise<T>;

/**
 * What a `template` locator names, checked before any request: a template ID (picked from the
 * list or typed), or name:language.
 */
export function templateLocatorValue(
	node: INode,
	locator: INodeParameterResourceLocator | string,
	itemIndex?: number,
): { mode: 'id' | 'name'; value: string } {
	const mode = typeof locator === 'string' || locator.mode !== 'name' ? 'id' : 'name';
	const raw = typeof locator === 'string' ? locator : locator.value;
	if (raw === undefined || raw === null || String(raw).trim() === '')
		throw new NodeOperationError(node, 'Choose a template', { itemIndex });
	if (mode === 'name') return { mode, value: String(raw).trim() };
	return { mode, value: graphId(node, raw, 'Template', 'template', itemIndex) };
}

/** Reads a template's definition by ID or by name:language. */
async function readTemplate(
	fns: GraphFunctions,
	read: Read,
	waba: () => string,
	locator: INodeParameterResourceLocator | string,
	itemIndex?: number,
): Promise<TemplateDefinition> {
	const { mode, value } = templateLocatorValue(fns.getNode(), locator, itemIndex);
	if (mode === 'id') {
		return await read<TemplateDefinition>({
			method: 'GET',
			path: `/${value}`,
			qs: { fields: TEMPLATE_FIELDS },
		});
	}
	const [name, language] = value.split(':');
	const found = await read<{ data?: TemplateDefinition[] }>({
		method: 'GET',
		path: `/${waba()}/message_templates`,
		qs: { name, language, fields: TEMPLATE_FIELDS, limit: 100 },
	});
	const match = (found.data ?? []).find((t) => t.name === name && t.language === language);
	if (!match) {
		throw new NodeOperationError(fns.getNode(), `${NOT_FOUND}"${name}" in language ${language}`, {
			itemIndex,
			description: 'Check the name and language code in WhatsApp Manager > Message templates.',
		});
	}
	return match;
}

/**
 * A template's definition for an operation: read through the operation context (retried like
 * every call), once per execution and template.
 */
export async function templateOf(
	fns: IExecuteFunctions,
	ctx: OperationContext,
	locator: INodeParameterResourceLocator,
	itemIndex: number,
): Promise<TemplateDefinition> {
	// one request per template, not per item
	return await ctx.once(
		`template:${locator.mode}:${String(locator.value)}`,
		async () =>
			await readTemplate(
				fns,
				async <T>(request: GraphRequest) => await ctx.call<T>(request, itemIndex),
				() => ctx.waba(itemIndex),
				locator,
				itemIndex,
			),
	);
}

/** A template's definition for the editor (Template Variables), read directly. */
export async function templateForEditor(
	fns: ILoadOptionsFunctions,
	config: GraphConfig,
	locator: INodeParameterResourceLocator,
): Promise<TemplateDefinition> {
	return await readTemplate(
		fns,
		async <T>(request: GraphRequest) => await graphCall<T>(fns, config, request),
		() => requireWaba(fns, config),
		locator,
	);
}
