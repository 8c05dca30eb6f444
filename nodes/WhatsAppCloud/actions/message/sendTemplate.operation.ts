import type {
	IDataObject,
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	checkBinaryUpload,
	type BinaryUpload,
	type MediaKind,
	uploadMedia,
} from '../../../shared/media';
import { buildTemplateMessage } from '../template/definitions';
import { templateOf } from '../template/common';
import { recipientField, sendOptions, templateLocator } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { buildEnvelope, readSendOptions, sendMessage } from './envelope';

const displayOptions = { show: { resource: ['message'], operation: ['sendTemplate'] } };

const properties: INodeProperties[] = [
	recipientField,
	templateLocator,
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
	},
	sendOptions([], { fallback: false }),
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const locator = this.getNodeParameter('template', i) as INodeParameterResourceLocator;
	const template = await templateOf(this, ctx, locator, i);
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
								.map((q) => `"${q.variable?.label ?? labels[q.field] ?? q.field}" ${q.message}`)
								.join('; ')}`
						: ''
				}`,
			},
		);
	}
	let upload: { file: BinaryUpload; kind: MediaKind } | undefined;
	if (built.upload) {
		const kind = built.upload.format.toLowerCase() as MediaKind;
		const file = await checkBinaryUpload(this, i, built.upload.property, {
			field: `Template variable "header_media" (binary:${built.upload.property})`,
			kind,
			fallbackName: 'header',
		});
		upload = { file, kind };
	}
	const envelope = buildEnvelope(
		this,
		i,
		ctx,
		{ type: 'template', template: built.template },
		readSendOptions(this, i),
	);
	// Meta refuses authentication templates to a user ID (131062): a one-time code goes to a number
	if (
		envelope.recipient.type === 'userId' &&
		String(template.category).toUpperCase() === 'AUTHENTICATION'
	) {
		throw new NodeOperationError(
			this.getNode(),
			`To is a business-scoped user ID (${envelope.recipient.id}), but template "${template.name}" is an authentication template, which WhatsApp delivers only to a phone number [item ${i}]`,
			{
				itemIndex: i,
				description: `Field: To. Send this template to the customer's phone number (for example asked for with Send Interactive > Request Contact Info), or choose a utility or marketing template. Nothing was sent for item ${i}.`,
			},
		);
	}
	return async () => {
		if (upload) {
			const id = await uploadMedia(ctx, upload.file, envelope.sender);
			const components = (envelope.body.template as { components: IDataObject[] }).components;
			const header = components.find((c) => c.type === 'header')!;
			header.parameters = [
				{
					type: upload.kind,
					[upload.kind]: {
						id,
						...(upload.kind === 'document' ? { filename: upload.file.fileName } : {}),
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
