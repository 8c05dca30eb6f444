import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { itemError } from '../../helpers/validation';

import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import {
	prefilledMessageField,
	qrCodeJson,
	qrPhoneNumberField,
	QR_IMAGE_TYPES,
	type QrImageFormat,
	readPrefilledMessage,
} from './common';

const displayOptions = { show: { resource: ['qrCode'], operation: ['create'] } };

const properties: INodeProperties[] = [
	qrPhoneNumberField,
	prefilledMessageField,
	{
		displayName: 'Image Format',
		name: 'imageFormat',
		type: 'options',
		default: 'PNG',
		options: [
			{ name: 'PNG', value: 'PNG' },
			{ name: 'SVG', value: 'SVG', description: 'Scales without loss, for print' },
		],
		description: 'The format of the QR code image Meta makes',
	},
	{
		displayName: 'Download Image',
		name: 'downloadImage',
		type: 'boolean',
		default: true,
		description:
			"Whether to put the QR code image in the output item's binary data. Meta's image link is signed and may stop working, so it is fetched right away.",
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the image in',
		displayOptions: { show: { downloadImage: [true] } },
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const phone = ctx.sender(i, 'Phone Number');
	const message = readPrefilledMessage(this, i);
	const format = String(this.getNodeParameter('imageFormat', i, 'PNG')) as QrImageFormat;
	if (!(format in QR_IMAGE_TYPES))
		throw itemError(this, i, `Image Format must be PNG or SVG, got ${JSON.stringify(format)}`);
	const download = this.getNodeParameter('downloadImage', i, true) as boolean;
	const property = download ? String(this.getNodeParameter('binaryPropertyName', i, 'data')) : '';
	return async () => {
		const created = await ctx.call<IDataObject>(
			{
				method: 'POST',
				path: `/${phone}/message_qrdls`,
				body: { prefilled_message: message, generate_qr_image: format },
			},
			i,
		);
		const json = qrCodeJson(created);
		const url = created.qr_image_url;
		if (!download || typeof url !== 'string' || !url) return [{ json }];
		// Meta's image host refuses some default client user agents, as its media host does
		const bytes = await ctx.call<Buffer>(
			{
				method: 'GET',
				path: url,
				binary: true,
				headers: { 'User-Agent': 'n8n-nodes-whatsapp-cloud' },
			},
			i,
		);
		const { mimeType, extension } = QR_IMAGE_TYPES[format];
		const binary = await this.helpers.prepareBinaryData(
			bytes,
			`qr-${String(created.code)}.${extension}`,
			mimeType,
		);
		return [{ json, binary: { [property]: binary } }];
	};
}

export const create: Operation = { description, paced: false, prepare };
