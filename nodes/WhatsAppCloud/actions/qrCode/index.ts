import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { create } from './create.operation';
import { deleteQrCode } from './delete.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { update } from './update.operation';

export const qrCodeOperations: Record<string, Operation> = {
	getAll,
	get,
	create,
	update,
	delete: deleteQrCode,
};

export const qrCodeDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['qrCode'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a QR code',
				description: 'Create a QR code and link that open a chat with a prefilled message',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a QR code',
				description: 'Delete a QR code for good',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a QR code',
				description: 'Get a QR code with its prefilled message and link',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many QR codes',
				description: "List the number's QR codes, newest first",
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a QR code',
				description: "Change a QR code's prefilled message",
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
	...create.description,
	...update.description,
	...deleteQrCode.description,
];
