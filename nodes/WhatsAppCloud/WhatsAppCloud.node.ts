import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { businessAccountDescription } from './actions/businessAccount';
import { businessProfileDescription } from './actions/businessProfile';
import { flowDescription } from './actions/flow';
import { groupDescription } from './actions/group';
import { mediaDescription } from './actions/media';
import { messageDescription } from './actions/message';
import {
	SEND_AND_WAIT_TOOLTIP,
	sendAndWaitWebhook,
	sendAndWaitWebhooks,
} from './actions/message/sendAndWait/sendAndWait.operation';
import { phoneNumberDescription } from './actions/phoneNumber';
import { qrCodeDescription } from './actions/qrCode';
import { router } from './actions/router';
import { templateDescription } from './actions/template';
import { listSearch, resourceMapping } from './methods';
import { NODE_DESCRIPTION } from '../shared/description';

export class WhatsAppCloud implements INodeType {
	description: INodeTypeDescription = {
		// "Cloud API" and the description set it apart from n8n's built-in "WhatsApp Business Cloud"
		// in the node creator, where both show a WhatsApp logo (ours carries a cloud badge)
		displayName: 'WhatsApp Cloud API',
		name: 'whatsAppCloud',
		icon: { light: 'file:../../icons/whatsapp.svg', dark: 'file:../../icons/whatsapp.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: NODE_DESCRIPTION,
		defaults: { name: 'WhatsApp Cloud API' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'whatsAppCloudApi', required: true }],
		// Send and Wait: the waiting webhook that resumes the execution (n8n also makes the node a
		// human-review tool for AI agents from these and the `sendAndWait` operation)
		webhooks: sendAndWaitWebhooks,
		waitingNodeTooltip: SEND_AND_WAIT_TOOLTIP,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Business Profile', value: 'businessProfile' },
					{ name: 'Flow', value: 'flow' },
					{ name: 'Group', value: 'group' },
					{ name: 'Media', value: 'media' },
					{ name: 'Message', value: 'message' },
					{ name: 'Phone Number', value: 'phoneNumber' },
					{ name: 'QR Code', value: 'qrCode' },
					{ name: 'Template', value: 'template' },
					{ name: 'WhatsApp Business Account', value: 'businessAccount' },
				],
				default: 'message',
			},
			...messageDescription,
			...templateDescription,
			...flowDescription,
			...mediaDescription,
			...phoneNumberDescription,
			...qrCodeDescription,
			...businessProfileDescription,
			...groupDescription,
			...businessAccountDescription,
		],
	};

	methods = { listSearch, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await sendAndWaitWebhook.call(this);
	}
}
