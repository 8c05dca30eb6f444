import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { mediaIdField, mediaJson, readMediaId, type MediaInfo } from './common';

const description: INodeProperties[] = [mediaIdField(['get', 'download', 'delete'])];

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = readMediaId(this, i);
	return async () => {
		const info = await ctx.call<MediaInfo>({ method: 'GET', path: `/${id}` }, i);
		// the URL works for 5 minutes, with the access token
		return mediaJson(info);
	};
}

export const get: Operation = { description, paced: false, prepare };
