import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { asText, itemError, readText, validatePayload } from '../../helpers/validation';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import {
	endpointUri,
	FLOW_CATEGORIES,
	flowCategories,
	flowId,
	flowJsonFields,
	flowName,
	type FlowValidationError,
	readCategories,
	readFlowJson,
	validationOutput,
} from './common';

const displayOptions = { show: { resource: ['flow'], operation: ['create'] } };

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'flowName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Book an appointment',
		description: 'Unique among the Flows of the WhatsApp Business Account',
	},
	{
		displayName: 'Categories',
		name: 'categories',
		type: 'multiOptions',
		default: ['OTHER'],
		required: true,
		options: FLOW_CATEGORIES,
		description: 'What the Flow is for; at least one',
	},
	...flowJsonFields(
		{
			name: 'None',
			description: 'An empty draft, or a copy of the Flow given in Clone From Flow ID',
		},
		'json',
	),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Clone From Flow ID',
				name: 'cloneFlowId',
				type: 'string',
				default: '',
				placeholder: '1197715005513101',
				description:
					'Start as a copy of this Flow (Flow JSON Source "None"). The way to change a published Flow: copy it, edit the copy, publish it.',
			},
			{
				displayName: 'Endpoint URI',
				name: 'endpointUri',
				type: 'string',
				default: '',
				placeholder: 'https://example.com/whatsapp-flow',
				description:
					'The HTTPS endpoint that a Flow with data exchange calls (Flow JSON version 3.0 or later)',
			},
			{
				displayName: 'Publish',
				name: 'publish',
				type: 'boolean',
				default: false,
				description:
					'Whether to publish the Flow at once. Meta publishes it only if its Flow JSON has no validation errors; a published Flow can no longer be changed.',
			},
		],
	},
];

const description = updateDisplayOptions(displayOptions, properties);

const createSchema = z.object({
	name: flowName,
	categories: flowCategories,
	flow_json: z.string().optional(),
	clone_flow_id: flowId.optional(),
	endpoint_uri: endpointUri.optional(),
	publish: z.boolean().optional(),
});

const LABELS: Record<string, string> = {
	name: 'Name',
	categories: 'Categories',
	clone_flow_id: 'Options > Clone From Flow ID',
	endpoint_uri: 'Options > Endpoint URI',
};

type Created = { id: string; success?: boolean; validation_errors?: FlowValidationError[] };

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const text = (key: string, label: string) =>
		options[key] === undefined ? undefined : asText(this, options[key], label, i);
	const clone = text('cloneFlowId', 'Options > Clone From Flow ID');
	const endpoint = text('endpointUri', 'Options > Endpoint URI');
	const flowJson = await readFlowJson(this, i);
	if (flowJson !== undefined && clone) {
		throw itemError(
			this,
			i,
			'Give either a Flow JSON or Options > Clone From Flow ID, not both',
			'A copy starts with the Flow JSON of the Flow it copies: set Flow JSON Source to "None" to copy, or remove Clone From Flow ID to start from your Flow JSON.',
		);
	}
	const publish = options.publish === true;
	const body = validatePayload(
		this,
		createSchema,
		{
			name: readText(this, 'flowName', i, 'Name'),
			categories: readCategories(this.getNodeParameter('categories', i, [])),
			// Meta takes the Flow JSON as a string in the create call itself
			...(flowJson !== undefined ? { flow_json: flowJson } : {}),
			...(clone !== undefined ? { clone_flow_id: clone } : {}),
			...(endpoint !== undefined ? { endpoint_uri: endpoint } : {}),
			...(publish ? { publish: true } : {}),
		},
		i,
		LABELS,
	) as IDataObject;
	const waba = ctx.waba(i);
	return async () => {
		const created = await ctx.call<Created>({ method: 'POST', path: `/${waba}/flows`, body }, i);
		const errors = created.validation_errors ?? [];
		// Meta's answer has no status, and a Flow asked to be published may still be a draft
		// (validation errors, no endpoint): only then is it worth a read
		const status = publish
			? (
					await ctx.call<{ status?: string }>(
						{ method: 'GET', path: `/${created.id}`, qs: { fields: 'status' } },
						i,
					)
				).status
			: 'DRAFT';
		return {
			id: created.id,
			success: created.success !== false,
			name: body.name,
			categories: body.categories,
			status,
			...(body.clone_flow_id ? { clonedFrom: body.clone_flow_id } : {}),
			...validationOutput(errors, publish),
			...(publish && status !== 'PUBLISHED' && !errors.length
				? {
						notice: `Meta created the Flow but did not publish it (status ${String(status)}). Run Flow > Publish on it to see Meta's reason.`,
					}
				: {}),
		};
	};
}

export const create: Operation = { description, paced: false, prepare };
