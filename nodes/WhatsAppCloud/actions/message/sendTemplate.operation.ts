import type {
	IDataObject,
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	binarySize,
	checkMediaFile,
	mediaForm,
	baseMime,
	type MediaKind,
} from '../../../shared/media';
import { buildTemplateMessage, type TemplateDefinition } from '../template/definitions';
import { fetchTemplate, templateLocator } from '../template/common';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { buildEnvelope, readSendOptions, recipientField, sendMessage, sendOptions } from './common';

const show = { resource: ['message'], operation: ['sendTemplate'] };

const description: INodeProperties[] = [
	recipientField('sendTemplate'),
	templateLocator(show),
	{
		displayName: 'Template Variables',
		name: 'templateVariables',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		description:
			"The template's own variables, labelled with its sample values. Map each from the input data with expressions.",
		typeOptions: {
			loadOptionsDependsOn: ['template.value'],
			resourceMapper: {
				resourceMapperMethod: 'getTemplateVariables',
				mode: 'map',
				valuesLabel: 'Variables',
				fieldWords: { singular: 'variable', plural: 'variables' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
				noFieldsError: 'This template has no variables: it is sent as it is.',
			},
		},
		displayOptions: { show },
	},
	sendOptions('sendTemplate', [], { fallback: false }),
];

/** Templates read in this execution, by locator: one request per template, not per item. */
const cache = new WeakMap<OperationContext, Map<string, Promise<TemplateDefinition>>>();

function definition(
	fns: IExecuteFunctions,
	ctx: OperationContext,
	locator: INodeParameterResourceLocator,
	i: number,
) {
	let byKey = cache.get(ctx);
	if (!byKey) cache.set(ctx, (byKey = new Map()));
	const key = `${locator.mode}:${String(locator.value)}`;
	let found = byKey.get(key);
	if (!found) {
		found = fetchTemplate(fns, ctx.config, locator, i);
		byKey.set(key, found);
	}
	return found;
}

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const locator = this.getNodeParameter('template', i) as INodeParameterResourceLocator;
	const template = await definition(this, ctx, locator, i);
	if (String(template.status).toUpperCase() !== 'APPROVED') {
		throw new NodeOperationError(
			this.getNode(),
			`Template "${template.name}" (${template.language}) is ${template.status}: only approved templates can be sent [item ${i}]`,
			{
				itemIndex: i,
				description:
					"Wait for Meta's review (the trigger's Template Status Update event tells you), or choose an approved template.",
			},
		);
	}
	const values = (this.getNodeParameter('templateVariables.value', i, {}) ?? {}) as Record<
		string,
		unknown
	>;
	const labels = Object.fromEntries(
		(
			(this.getNodeParameter('templateVariables.schema', i, []) ?? []) as Array<{
				id: string;
				displayName: string;
			}>
		).map((f) => [f.id, f.displayName]),
	);
	const built = buildTemplateMessage(template, values);
	if (built.problems.length) {
		const p = built.problems[0];
		const label = p.variable?.label ?? labels[p.field] ?? p.field;
		throw new NodeOperationError(
			this.getNode(),
			`Template variable "${label}" ${p.message} [item ${i}]`,
			{
				itemIndex: i,
				description: `Variable ${p.field} of template "${template.name}" (${template.language}). Nothing was sent for this item.${
					built.problems.length > 1
						? ` ${built.problems.length - 1} more problem(s): ${built.problems
								.slice(1)
								.map((q) => `${q.field} ${q.message}`)
								.join('; ')}`
						: ''
				}`,
			},
		);
	}
	let upload: { property: string; kind: MediaKind; mimeType: string; fileName: string } | undefined;
	if (built.upload) {
		const kind = built.upload.format.toLowerCase() as MediaKind;
		const binary = this.helpers.assertBinaryData(i, built.upload.property);
		checkMediaFile(
			this,
			kind,
			binary,
			binarySize(binary),
			i,
			`Template variable "header_media" (binary:${built.upload.property})`,
		);
		upload = {
			property: built.upload.property,
			kind,
			mimeType: baseMime(binary.mimeType),
			fileName: binary.fileName ?? `header.${binary.fileExtension ?? 'bin'}`,
		};
	}
	const envelope = buildEnvelope(
		this,
		i,
		ctx,
		{ type: 'template', template: built.template },
		readSendOptions(this, i),
	);
	return async () => {
		if (upload) {
			const file = await this.helpers.getBinaryDataBuffer(i, upload.property);
			const uploaded = await ctx.call<{ id: string }>(
				{
					method: 'POST',
					path: `/${envelope.sender}/media`,
					...mediaForm(file, upload.mimeType, upload.fileName),
					timeoutMs: 300_000,
					upload: true,
				},
				i,
			);
			const components = (envelope.body.template as { components: IDataObject[] }).components;
			const header = components.find((c) => c.type === 'header')!;
			header.parameters = [
				{
					type: upload.kind,
					[upload.kind]: {
						id: uploaded.id,
						...(upload.kind === 'document' ? { filename: upload.fileName } : {}),
					},
				},
			];
		}
		return {
			...(await sendMessage(ctx, i, envelope)),
			template: {
				id: template.id,
				name: template.name,
				language: template.language,
				category: template.category,
			},
		};
	};
}

export const sendTemplate: Operation = { description, paced: true, prepare };
