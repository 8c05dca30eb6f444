import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { fetchMedia, fileNameFor } from '../../../shared/media';
import { readText } from '../../helpers/validation';
import { mediaIdField } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { mediaJson, readMediaId } from './common';

const displayOptions = { show: { resource: ['media'], operation: ['download'] } };

const properties: INodeProperties[] = [
	mediaIdField,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		description:
			'Name of the file; empty: whatsapp- and the media ID, with the extension of its type',
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = readMediaId(this, i);
	const property = String(this.getNodeParameter('binaryPropertyName', i, 'data'));
	const name = readText(this, 'fileName', i, 'File Name', { trim: true });
	return async () => {
		const file = await fetchMedia(async (req) => await ctx.call(req, i), id);
		if (file.sha256Verified === false) {
			throw new NodeOperationError(
				this.getNode(),
				`The downloaded file of media ${id} does not match Meta's SHA-256: it was damaged on the way [item ${i}]`,
				{
					itemIndex: i,
					description: 'Run the node again; the download URL is fetched anew each time.',
				},
			);
		}
		const binary = await this.helpers.prepareBinaryData(
			file.bytes,
			name || fileNameFor({ id }, file.mimeType),
			file.mimeType,
		);
		return [
			{
				json: {
					...mediaJson(file.info),
					url: undefined,
					sha256Verified: file.sha256Verified === true,
				},
				binary: { [property]: binary },
			},
		];
	};
}

export const download: Operation = { description, paced: false, prepare };
