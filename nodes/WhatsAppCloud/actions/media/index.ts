import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { deleteMedia } from './delete.operation';
import { download } from './download.operation';
import { get } from './get.operation';
import { upload } from './upload.operation';

export const mediaOperations: Record<string, Operation> = {
	upload,
	get,
	download,
	delete: deleteMedia,
};

export const mediaDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['media'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete media',
				description: 'Delete uploaded media from WhatsApp',
			},
			{
				name: 'Download',
				value: 'download',
				action: 'Download media',
				description: "Download media into a binary field, checked against Meta's SHA-256",
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get media',
				description: 'Get the URL, type, size and SHA-256 of media',
			},
			{
				name: 'Upload',
				value: 'upload',
				action: 'Upload media',
				description: 'Upload a file to WhatsApp and get its media ID',
			},
		],
		default: 'upload',
	},
	...upload.description,
	...get.description,
	...download.description,
	...deleteMedia.description,
];
