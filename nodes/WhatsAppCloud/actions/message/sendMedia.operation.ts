import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import {
	checkBinaryUpload,
	type BinaryUpload,
	type MediaKind,
	uploadMedia,
} from '../../../shared/media';
import { readText, text, validatePayload } from '../../helpers/validation';
import { LIMIT, upToLower } from '../../helpers/limits';
import { binaryInputField, sendOptions } from '../common.descriptions';
import { groupRecipientField, recipientTypeField } from './groups';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { buildEnvelope, readSendOptions, sendMessage } from './send';

const displayOptions = { show: { resource: ['message'], operation: ['sendMedia'] } };

const properties: INodeProperties[] = [
	recipientTypeField,
	groupRecipientField,
	{
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		default: 'document',
		options: [
			{
				name: 'Audio',
				value: 'audio',
				description: 'AAC, AMR, MP3, M4A or OGG (OPUS) up to 16 MB',
			},
			{
				name: 'Document',
				value: 'document',
				description: 'PDF, Word, Excel, PowerPoint or text up to 100 MB',
			},
			{ name: 'Image', value: 'image', description: 'JPEG or PNG up to 5 MB' },
			{
				name: 'Sticker',
				value: 'sticker',
				description: 'WebP, up to 100 KB (static) or 500 KB (animated)',
			},
			{ name: 'Video', value: 'video', description: 'MP4 or 3GPP (H.264 + AAC) up to 16 MB' },
		],
	},
	{
		displayName: 'Source',
		name: 'mediaSource',
		type: 'options',
		default: 'binary',
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description:
					'A file from an earlier node; uploaded to WhatsApp first, then sent by its media ID',
			},
			{
				name: 'Link',
				value: 'link',
				description: 'A public HTTPS URL that Meta downloads (cached by Meta for 10 minutes)',
			},
			{
				name: 'Media ID',
				value: 'id',
				description: 'The ID of media already uploaded to WhatsApp (kept 30 days)',
			},
		],
	},
	{ ...binaryInputField, displayOptions: { show: { mediaSource: ['binary'] } } },
	{
		displayName: 'Link',
		name: 'mediaLink',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/receipt.pdf',
		displayOptions: { show: { mediaSource: ['link'] } },
	},
	{
		displayName: 'Media ID',
		name: 'mediaId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { mediaSource: ['id'] } },
	},
	{
		displayName: 'Caption',
		name: 'caption',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: `Text under the image, video or document, ${upToLower(LIMIT.caption)}`,
		displayOptions: { show: { mediaType: ['image', 'video', 'document'] } },
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'invoice-1042.pdf',
		description:
			"Name the customer sees; its extension decides the icon. Empty: the binary file's name.",
		displayOptions: { show: { mediaType: ['document'] } },
	},
	{
		displayName: 'Voice Note',
		name: 'voice',
		type: 'boolean',
		default: false,
		description:
			'Whether to send the audio as a voice note (OGG with OPUS codec only; play icon for files up to 512 KB)',
		displayOptions: { show: { mediaType: ['audio'] } },
	},
	sendOptions(),
];

const description = updateDisplayOptions(displayOptions, properties);

const source = z.union([
	z.object({ id: z.string().trim().min(1) }),
	z.object({
		link: z
			.string()
			.trim()
			.url()
			.regex(/^https:\/\//i, 'must be an https:// link'),
	}),
]);

export const mediaSchemas: Record<MediaKind, z.ZodTypeAny> = {
	image: z.intersection(source, z.object({ caption: text(LIMIT.caption).optional() })),
	video: z.intersection(source, z.object({ caption: text(LIMIT.caption).optional() })),
	document: z.intersection(
		source,
		z.object({
			caption: text(LIMIT.caption).optional(),
			filename: text(LIMIT.fileName).optional(),
		}),
	),
	audio: z.intersection(source, z.object({ voice: z.literal(true).optional() })),
	sticker: source,
};

const LABELS = {
	link: 'Link',
	id: 'Media ID',
	caption: 'Caption',
	filename: 'File Name',
	voice: 'Voice Note',
};

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const options = readSendOptions(this, i);
	const kind = this.getNodeParameter('mediaType', i) as MediaKind;
	const from = this.getNodeParameter('mediaSource', i) as 'binary' | 'link' | 'id';
	const caption =
		kind === 'image' || kind === 'video' || kind === 'document'
			? readText(this, 'caption', i, 'Caption')
			: '';
	let fileName =
		kind === 'document' ? readText(this, 'fileName', i, 'File Name', { trim: true }) : '';
	const voice = kind === 'audio' && this.getNodeParameter('voice', i, false) === true;

	let upload: BinaryUpload | undefined;
	let ref: IDataObject;
	if (from === 'binary') {
		const property = String(this.getNodeParameter('binaryPropertyName', i, 'data'));
		upload = await checkBinaryUpload(this, i, property, {
			field: `Input Binary Field "${property}"`,
			kind,
			fallbackName: 'file',
		});
		if (kind === 'document' && !fileName) fileName = upload.fileName;
		ref = { id: 'pending-upload' };
	} else if (from === 'link') {
		ref = { link: readText(this, 'mediaLink', i, 'Media Link', { trim: true }) };
	} else {
		ref = { id: readText(this, 'mediaId', i, 'Media ID', { trim: true }) };
	}
	const media = validatePayload(
		this,
		mediaSchemas[kind],
		{
			...ref,
			...(caption ? { caption } : {}),
			...(fileName ? { filename: fileName } : {}),
			...(voice ? { voice: true } : {}),
		},
		i,
		LABELS,
	) as IDataObject;
	const envelope = await buildEnvelope(this, i, ctx, { type: kind, [kind]: media }, options);

	return async () => {
		let uploadedId: string | undefined;
		if (upload) {
			uploadedId = await uploadMedia(ctx, upload, envelope.sender);
			envelope.body[kind] = { ...media, id: uploadedId };
		}
		const output = await sendMessage(ctx, i, envelope);
		return uploadedId ? { ...output, uploadedMediaId: uploadedId } : output;
	};
}

export const sendMedia: Operation = { description, paced: true, prepare };
