import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { asText, itemError, validatePayload } from '../../helpers/validation';
import { flowLocator } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import {
	endpointUri,
	FLOW_CATEGORIES,
	flowCategories,
	flowJsonFields,
	flowJsonUpload,
	flowName,
	type FlowValidationError,
	readCategories,
	readFlowId,
	readFlowJson,
	validationOutput,
} from './common';

const displayOptions = { show: { resource: ['flow'], operation: ['update'] } };

const properties: INodeProperties[] = [
	{
		...flowLocator,
		description:
			'A draft Flow: a published Flow cannot be changed (create a copy with Create > Clone From Flow ID)',
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		options: [
			{
				displayName: 'Categories',
				name: 'categories',
				type: 'multiOptions',
				default: [],
				options: FLOW_CATEGORIES,
			},
			{
				displayName: 'Endpoint URI',
				name: 'endpointUri',
				type: 'string',
				default: '',
				placeholder: 'https://example.com/whatsapp-flow',
				description: 'The HTTPS endpoint that a Flow with data exchange calls',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Unique among the Flows of the WhatsApp Business Account',
			},
		],
	},
	...flowJsonFields(
		{ name: 'No Change', description: "Keep the Flow's current Flow JSON" },
		'none',
	),
];

const description = updateDisplayOptions(displayOptions, properties);

const metadataSchema = z.object({
	name: flowName.optional(),
	categories: flowCategories.optional(),
	endpoint_uri: endpointUri.optional(),
});

const LABELS: Record<string, string> = {
	name: 'Update Fields > Name',
	categories: 'Update Fields > Categories',
	endpoint_uri: 'Update Fields > Endpoint URI',
};

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = readFlowId(this, i);
	const fields = this.getNodeParameter('updateFields', i, {}) as IDataObject;
	const text = (key: string, label: string) =>
		fields[key] === undefined ? undefined : asText(this, fields[key], label, i);
	const name = text('name', 'Update Fields > Name');
	const endpoint = text('endpointUri', 'Update Fields > Endpoint URI');
	const metadata = validatePayload(
		this,
		metadataSchema,
		{
			...(name !== undefined ? { name } : {}),
			...(fields.categories !== undefined ? { categories: readCategories(fields.categories) } : {}),
			...(endpoint !== undefined ? { endpoint_uri: endpoint } : {}),
		},
		i,
		LABELS,
	) as IDataObject;
	const flowJson = await readFlowJson(this, i);
	if (!Object.keys(metadata).length && flowJson === undefined) {
		throw itemError(
			this,
			i,
			'Nothing to update: add a field under Update Fields, or choose a Flow JSON Source',
		);
	}
	return async () => {
		const output: IDataObject = { id };
		if (Object.keys(metadata).length) {
			const result = await ctx.call<{ success?: boolean }>(
				{ method: 'POST', path: `/${id}`, body: metadata },
				i,
			);
			output.success = result.success === true;
			output.updated = metadata;
		}
		if (flowJson !== undefined) {
			const upload = flowJsonUpload(flowJson);
			const result = await ctx.call<{
				success?: boolean;
				validation_errors?: FlowValidationError[];
			}>(
				{
					method: 'POST',
					path: `/${id}/assets`,
					headers: { 'Content-Type': upload.contentType },
					body: upload.body,
				},
				i,
			);
			output.success = result.success === true && output.success !== false;
			output.flowJsonUploaded = true;
			Object.assign(output, validationOutput(result.validation_errors));
		}
		return output;
	};
}

export const update: Operation = { description, paced: false, prepare };
