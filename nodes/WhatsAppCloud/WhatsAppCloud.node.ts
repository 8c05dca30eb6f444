import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { businessProfileDescription } from './actions/businessProfile';
import { mediaDescription } from './actions/media';
import { messageDescription } from './actions/message';
import { phoneNumberDescription } from './actions/phoneNumber';
import { router } from './actions/router';
import { templateDescription } from './actions/template';
import { listSearch, resourceMapping } from './methods';

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
		description:
			'Send messages, templates with mapped variables, Flows and media from your WhatsApp Business number; manage templates and Flows (community node, bulk-safe)',
		defaults: { name: 'WhatsApp Cloud API' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'whatsAppCloudApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Business Profile', value: 'businessProfile' },
					{ name: 'Media', value: 'media' },
					{ name: 'Message', value: 'message' },
					{ name: 'Phone Number', value: 'phoneNumber' },
					{ name: 'Template', value: 'template' },
				],
				default: 'message',
			},
			...messageDescription,
			...templateDescription,
			...mediaDescription,
			...phoneNumberDescription,
			...businessProfileDescription,
		],
	};

	methods = { listSearch, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
