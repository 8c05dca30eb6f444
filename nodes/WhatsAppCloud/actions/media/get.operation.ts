import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { mediaIdField } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { mediaJson, readMediaId, type MediaInfo } from './common';

const displayOptions = { show: { resource: ['media'], operation: ['get'] } };

const properties: INodeProperties[] = [mediaIdField];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = readMediaId(this, i);
	return async () => {
		const info = await ctx.call<MediaInfo>({ method: 'GET', path: `/${id}` }, i);
		// the URL works for 5 minutes, with the access token
		return mediaJson(info);
	};
}

export const get: Operation = { description, paced: false, prepare };
