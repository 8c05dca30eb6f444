import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkBinaryUpload, uploadMedia } from '../../../shared/media';
import { binaryInputField, senderLocator } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';

const displayOptions = { show: { resource: ['media'], operation: ['upload'] } };

const properties: INodeProperties[] = [
	{
		...senderLocator,
		displayName: 'Phone Number',
		description:
			"The business phone number to upload for (media uploaded for one number can be sent from it). Empty: the credential's.",
	},
	{
		...binaryInputField,
		description:
			'WhatsApp keeps uploaded media for 30 days. Accepted: JPEG/PNG images (5 MB), MP4/3GPP videos and AAC/AMR/MP3/M4A/OGG audio (16 MB), PDF/Office/text documents (100 MB), WebP stickers (500 KB).',
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const property = String(this.getNodeParameter('binaryPropertyName', i, 'data'));
	const file = await checkBinaryUpload(this, i, property, {
		field: `Input Binary Field "${property}"`,
		fallbackName: 'file',
	});
	const sender = ctx.sender(i);
	return async () => ({
		id: await uploadMedia(ctx, file, sender),
		kind: file.kind,
		fileName: file.fileName,
		mimeType: file.mimeType,
		size: file.size,
		senderPhoneNumberId: sender,
	});
}

export const upload: Operation = { description, paced: false, prepare };
