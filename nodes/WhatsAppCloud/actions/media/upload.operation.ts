import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	baseMime,
	binarySize,
	checkMediaFile,
	kindOfMime,
	MEDIA_RULES,
	mediaForm,
	mediaMultipartStream,
} from '../../../shared/media';
import { senderField, senderOf } from '../message/common';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';

const show = { resource: ['media'], operation: ['upload'] };

const description: INodeProperties[] = [
	{
		...senderField,
		displayName: 'Phone Number',
		description:
			"The business phone number to upload for (media uploaded for one number can be sent from it). Empty: the credential's.",
		displayOptions: { show },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field holding the file',
		description:
			'WhatsApp keeps uploaded media for 30 days. Accepted: JPEG/PNG images (5 MB), MP4/3GPP videos and AAC/AMR/MP3/M4A/OGG audio (16 MB), PDF/Office/text documents (100 MB), WebP stickers (500 KB).',
		displayOptions: { show },
	},
];

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const property = String(this.getNodeParameter('binaryPropertyName', i, 'data'));
	const binary = this.helpers.assertBinaryData(i, property);
	const mimeType = baseMime(binary.mimeType);
	const kind = kindOfMime(mimeType);
	if (!kind) {
		throw new NodeOperationError(
			this.getNode(),
			`Input Binary Field "${property}": WhatsApp does not accept "${mimeType || 'unknown type'}" [item ${i}]`,
			{
				itemIndex: i,
				description: `Accepted types: ${Object.values(MEDIA_RULES)
					.flatMap((r) => r.types)
					.join(', ')}. Nothing was uploaded for this item.`,
			},
		);
	}
	// in n8n's filesystem (or external) binary mode the file stays on disk and is streamed
	const size = binary.id
		? (await this.helpers.getBinaryMetadata(binary.id)).fileSize
		: binarySize(binary);
	checkMediaFile(this, kind, binary, size, i, `Input Binary Field "${property}"`);
	const fileName = binary.fileName ?? `file.${binary.fileExtension ?? 'bin'}`;
	const sender = senderOf(this, i, ctx);
	return async () => {
		const uploaded = await ctx.call<{ id: string }>(async () => {
			if (binary.id) {
				// on disk: streamed from the file, a fresh stream for each attempt
				const { body, headers } = mediaMultipartStream(
					await this.helpers.getBinaryStream(binary.id),
					size,
					mimeType,
					fileName,
				);
				return {
					method: 'POST',
					path: `/${sender}/media`,
					body,
					headers,
					timeoutMs: 600_000,
					upload: true,
				};
			}
			// in memory already: one copy for the form
			return {
				method: 'POST',
				path: `/${sender}/media`,
				...mediaForm(await this.helpers.getBinaryDataBuffer(i, property), mimeType, fileName),
				timeoutMs: 600_000,
				upload: true,
			};
		}, i);
		return { id: uploaded.id, kind, fileName, mimeType, size, senderPhoneNumberId: sender };
	};
}

export const upload: Operation = { description, paced: false, prepare };
