import type {
	IDataObject,
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	checkBinaryUpload,
	type BinaryUpload,
	type MediaKind,
	uploadMedia,
} from '../../../shared/media';
import { itemError, NOTHING_SENT } from '../../helpers/validation';
import type { TemplateDefinition } from '../template/definition';
import {
	buildTemplateMessage,
	placeUploadedMedia,
	type TemplateProblem,
	type TemplateUpload,
} from '../template/send/message';
import { templateOf } from '../template/common';
import { sendOptions, templateLocator } from '../common.descriptions';
import {
	groupRecipientField,
	groupTemplateError,
	groupTemplateProblem,
	readRecipientType,
	recipientTypeField,
} from './groups';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { buildEnvelope, readSendOptions } from './send';
import { marketingOptions, routeOf, sendRouted } from './sendThrough';

const displayOptions = { show: { resource: ['message'], operation: ['sendTemplate'] } };

const properties: INodeProperties[] = [
	recipientTypeField,
	groupRecipientField,
	templateLocator,
	{
		displayName: 'Template Variables',
		name: 'templateVariables',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		// the field labels must stay short to show whole, so what every media field takes is said here
		hint: 'Image, video and document fields take an https link, a media ID, or binary: and a binary field name, e.g. binary:data. Long samples: see Template > Get.',
		description:
			"The template's own variables, labelled with its sample values when they fit. Map each from the input data with expressions.",
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
	sendOptions(marketingOptions, { fallback: false }),
];

const description = updateDisplayOptions(displayOptions, properties);

/**
 * The error of an item whose values the template cannot take: the first problem, named by the
 * variable's label (the one the editor showed, for a stale field), and the others after it.
 */
function problemsError(
	fns: IExecuteFunctions,
	i: number,
	template: TemplateDefinition,
	problems: TemplateProblem[],
	labels: Record<string, string>,
) {
	const labelOf = (p: TemplateProblem) => p.variable?.label ?? labels[p.field] ?? p.field;
	const [first, ...more] = problems;
	return itemError(
		fns,
		i,
		`Template variable "${labelOf(first)}" ${first.message}`,
		`Variable ${first.field} of template "${template.name}" (${template.language}).`,
		`${NOTHING_SENT}${
			more.length
				? ` ${more.length} more problem(s): ${more.map((q) => `"${labelOf(q)}" ${q.message}`).join('; ')}`
				: ''
		}`,
	);
}

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	// the template is read now, to check the variables: a bad sender must fail before that read
	ctx.sender(i);
	const locator = this.getNodeParameter('template', i) as INodeParameterResourceLocator;
	const template = await templateOf(this, ctx, locator, i);
	if (String(template.status).toUpperCase() !== 'APPROVED') {
		throw itemError(
			this,
			i,
			`Template "${template.name}" (${template.language}) is ${template.status}: only approved templates can be sent`,
			"Wait for Meta's review (the trigger's Template Status Update event tells you), or choose an approved template.",
			'',
		);
	}
	// a template a group cannot receive is said before its variables, which would not help
	if (readRecipientType(this, i) === 'group') {
		const problem = groupTemplateProblem(template);
		if (problem) throw groupTemplateError(this, i, 'Template', template, problem);
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
	if (built.problems.length) throw problemsError(this, i, template, built.problems, labels);
	// header files (the template's, or each carousel card's) are checked now, uploaded when sending
	const uploads: Array<{ file: BinaryUpload; kind: MediaKind; target: TemplateUpload }> = [];
	for (const target of built.uploads) {
		const kind = target.format.toLowerCase() as MediaKind;
		const file = await checkBinaryUpload(this, i, target.property, {
			field: `Template variable "${target.variable.id}" (binary:${target.property})`,
			kind,
			fallbackName: 'header',
		});
		uploads.push({ file, kind, target });
	}
	const envelope = await buildEnvelope(
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
		throw itemError(
			this,
			i,
			`To is a business-scoped user ID (${envelope.recipient.id}), but template "${template.name}" is an authentication template, which WhatsApp delivers only to a phone number`,
			"Field: To. Send this template to the customer's phone number (for example asked for with Send Interactive > Request Contact Info), or choose a utility or marketing template.",
			`Nothing was sent for item ${i}.`,
		);
	}
	if (envelope.recipient.type === 'group') {
		// the Marketing Messages API sends to one customer only (its recipient_type is individual)
		const through = (this.getNodeParameter('options', i, {}) as IDataObject).sendThrough;
		if (through === 'marketingMessagesApi')
			throw itemError(
				this,
				i,
				'Send Through is Marketing Messages API, which does not send to groups',
				'Field: Send Through (in Options). Choose Cloud API (or Automatic, which sends to a group through the Cloud API), or send to a customer.',
			);
	}
	// Cloud API or Marketing Messages API: decided, and refused if impossible, before any send
	// Automatic sends a group's template through the Cloud API, without reading the onboarding
	const route = await routeOf(this, ctx, i, template, envelope.recipient.type === 'group');
	return async () => {
		for (const upload of uploads) {
			const id = await uploadMedia(ctx, upload.file, envelope.sender);
			placeUploadedMedia(envelope.body.template as IDataObject, upload.target, {
				id,
				...(upload.kind === 'document' ? { filename: upload.file.fileName } : {}),
			});
		}
		return {
			...(await sendRouted(ctx, i, envelope, route)),
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
