import { createHash } from 'crypto';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { fileNameFor } from '../../../WhatsAppCloudTrigger/media';
import { baseMime } from '../../../shared/media';
import type { Operation, OperationContext } from '../types';
import { mediaJson, readMediaId, type MediaInfo } from './common';

const show = { resource: ['media'], operation: ['download'] };

const description: INodeProperties[] = [
	{ displayName: 'Put Output File in Field', name: 'binaryPropertyName', type: 'string', default: 'data', required: true, hint: 'The name of the output binary field to put the file in', displayOptions: { show } },
	{ displayName: 'File Name', name: 'fileName', type: 'string', default: '', description: 'Name of the file; empty: whatsapp- and the media ID, with the extension of its type', displayOptions: { show } },
];

/** Meta gives the SHA-256 of a file as hex (media API) or base64 (webhooks); compare either. */
function sha256Matches(expected: string | undefined, bytes: Buffer): boolean | undefined {
	if (!expected) return undefined;
	const digest = createHash('sha256').update(bytes).digest();
	if (/^[0-9a-f]{64}$/i.test(expected)) return digest.toString('hex') === expected.toLowerCase();
	if (/^[A-Za-z0-9+/]{43}=$/.test(expected)) return digest.toString('base64') === expected;
	return undefined;
}

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = readMediaId(this, i);
	const property = String(this.getNodeParameter('binaryPropertyName', i, 'data'));
	const name = String(this.getNodeParameter('fileName', i, '') ?? '').trim();
	return async () => {
		const info = await ctx.call<MediaInfo>({ method: 'GET', path: `/${id}` }, i);
		if (!info.url) throw new NodeOperationError(this.getNode(), `Meta gave no download URL for media ${id} [item ${i}]`, { itemIndex: i });
		const bytes = await ctx.call<Buffer>(
			// Meta's media host refuses some default client user agents
			{ method: 'GET', path: info.url, binary: true, headers: { 'User-Agent': 'n8n-nodes-whatsapp-cloud' }, timeoutMs: 600_000 },
			i,
		);
		const verified = sha256Matches(info.sha256, bytes);
		if (verified === false) {
			throw new NodeOperationError(this.getNode(), `The downloaded file of media ${id} does not match Meta's SHA-256: it was damaged on the way [item ${i}]`, {
				itemIndex: i,
				description: 'Run the node again; the download URL is fetched anew each time.',
			});
		}
		const mimeType = baseMime(info.mime_type) || 'application/octet-stream';
		const binary = await this.helpers.prepareBinaryData(bytes, name || fileNameFor({ id }, mimeType), mimeType);
		return [{ json: { ...mediaJson(info), url: undefined, sha256Verified: verified === true }, binary: { [property]: binary } }];
	};
}

export const download: Operation = { description, paced: false, prepare };
