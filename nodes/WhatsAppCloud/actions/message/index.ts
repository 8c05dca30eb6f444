import type { INodeProperties } from 'n8n-workflow';
import { SEND_AND_WAIT_OPERATION, updateDisplayOptions } from 'n8n-workflow';

import { senderLocator } from '../common.descriptions';
import type { Operation } from '../types';
import { markAsRead } from './markAsRead.operation';
import { sendContacts } from './sendContacts.operation';
import { sendInteractive } from './sendInteractive.operation';
import { sendLocation } from './sendLocation.operation';
import { sendMedia } from './sendMedia.operation';
import { sendAndWait } from './sendAndWait/sendAndWait.operation';
import { sendReaction } from './sendReaction.operation';
import { sendTemplate } from './sendTemplate.operation';
import { sendText } from './sendText.operation';

export const messageOperations: Record<string, Operation> = {
	sendText,
	sendTemplate,
	sendMedia,
	sendInteractive,
	sendLocation,
	sendContacts,
	sendReaction,
	markAsRead,
	sendAndWait,
};

export const messageDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Mark as Read',
				value: 'markAsRead',
				action: 'Mark a message as read',
				description: 'Show blue ticks for an incoming message, optionally with a typing indicator',
			},
			{
				name: 'Send and Wait for Response',
				value: SEND_AND_WAIT_OPERATION,
				action: 'Send message and wait for response',
				description:
					'Ask for an approval (reply buttons) or a written answer and wait until it comes; AI agents can use it as a human-review tool',
			},
			{
				name: 'Send Contacts',
				value: 'sendContacts',
				action: 'Send contact cards',
				description: 'Send one or more contact cards',
			},
			{
				name: 'Send Interactive',
				value: 'sendInteractive',
				action: 'Send an interactive message',
				description: 'Send reply buttons, a list, a call-to-action link or a location request',
			},
			{
				name: 'Send Location',
				value: 'sendLocation',
				action: 'Send a location',
				description: 'Send a map pin with a name and address',
			},
			{
				name: 'Send Media',
				value: 'sendMedia',
				action: 'Send media',
				description: 'Send a file from an earlier node, a link or a media ID',
			},
			{
				name: 'Send Reaction',
				value: 'sendReaction',
				action: 'React to a message',
				description: 'Set or remove an emoji reaction on a message',
			},
			{
				name: 'Send Template',
				value: 'sendTemplate',
				action: 'Send a template',
				description:
					'Send an approved template with its variables filled from your data; works outside the 24-hour window',
			},
			{
				name: 'Send Text',
				value: 'sendText',
				action: 'Send a text message',
				description: 'Send a text message to a customer within the 24-hour customer-service window',
			},
		],
		default: 'sendText',
	},
	...updateDisplayOptions({ show: { resource: ['message'] } }, [senderLocator]),
	...sendText.description,
	...sendTemplate.description,
	...sendMedia.description,
	...sendInteractive.description,
	...sendLocation.description,
	...sendContacts.description,
	...sendReaction.description,
	...markAsRead.description,
	...sendAndWait.description,
];
