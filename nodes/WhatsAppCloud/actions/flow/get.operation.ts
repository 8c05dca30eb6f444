import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { flowLocator } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { FLOW_FIELDS, readFlowId } from './common';

const displayOptions = { show: { resource: ['flow'], operation: ['get'] } };

const properties: INodeProperties[] = [
	flowLocator,
	{
		displayName: 'Include Preview URL',
		name: 'includePreview',
		type: 'boolean',
		default: false,
		description:
			'Whether to also get a link that opens the Flow in a browser, for testing. Anyone with the link can open it; it works for 30 days.',
	},
];

const description = updateDisplayOptions(displayOptions, properties);

type FlowWithPreview = IDataObject & { preview?: { preview_url?: string; expires_at?: string } };

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = readFlowId(this, i);
	const includePreview = this.getNodeParameter('includePreview', i, false) as boolean;
	// invalidate(false) keeps the link Meta already gave out, so asking again does not break it
	const fields = includePreview ? `${FLOW_FIELDS},preview.invalidate(false)` : FLOW_FIELDS;
	return async () => {
		const { preview, ...flow } = await ctx.call<FlowWithPreview>(
			{ method: 'GET', path: `/${id}`, qs: { fields } },
			i,
		);
		if (!includePreview) return flow;
		return { ...flow, previewUrl: preview?.preview_url, previewExpiresAt: preview?.expires_at };
	};
}

export const get: Operation = { description, paced: false, prepare };
