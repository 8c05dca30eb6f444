import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { itemError } from '../../helpers/validation';
import type { OperationContext } from '../../transport/context';
import type { Operation } from '../types';
import {
	descriptionField,
	groupPhoneNumberField,
	readDescription,
	readSubject,
	requireOfficialAccount,
	subjectField,
} from './common';

const displayOptions = { show: { resource: ['group'], operation: ['create'] } };

const JOIN_MODES = ['approval_required', 'auto_approve'];

const properties: INodeProperties[] = [
	groupPhoneNumberField,
	subjectField,
	descriptionField,
	{
		displayName: 'Join Approval Mode',
		name: 'joinApprovalMode',
		type: 'options',
		default: 'auto_approve',
		options: [
			{
				name: 'Approval Required',
				value: 'approval_required',
				description:
					'Whoever opens the invite link asks to join; approve or reject with Approve/Reject Join Requests',
			},
			{
				name: 'Auto Approve',
				value: 'auto_approve',
				description: 'Whoever opens the invite link joins at once',
			},
		],
		description:
			'Whether people who open the invite link join at once or wait for approval. People join a group only through its invite link: the business cannot add them.',
	},
	{
		displayName:
			"WhatsApp creates the group a moment later: its ID and invite link arrive in the WhatsApp Cloud Trigger's group_lifecycle_update item (group_create), whose request ID matches this output's requestId",
		name: 'createNotice',
		type: 'notice',
		default: '',
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const phone = ctx.sender(i, 'Phone Number');
	const subject = readSubject(this, i);
	const text = readDescription(this, i);
	const mode = String(this.getNodeParameter('joinApprovalMode', i, 'auto_approve'));
	if (!JOIN_MODES.includes(mode))
		throw itemError(
			this,
			i,
			`Join Approval Mode must be auto_approve or approval_required, got ${JSON.stringify(mode)}`,
		);
	await requireOfficialAccount(this, ctx, phone, i);
	return async () => {
		const body: IDataObject = { messaging_product: 'whatsapp', subject };
		if (text) body.description = text;
		body.join_approval_mode = mode;
		const answer = await ctx.call<IDataObject>(
			{ method: 'POST', path: `/${phone}/groups`, body },
			i,
		);
		return {
			requestId: answer.request_id,
			phoneNumberId: phone,
			subject,
			joinApprovalMode: mode,
			status: 'requested',
			// said in the output itself, since a workflow reads it rather than the node's notice
			note: "WhatsApp creates the group a moment later: its group ID and invite link arrive in the WhatsApp Cloud Trigger's group_lifecycle_update item (type group_create) with this requestId.",
			raw: answer,
		};
	};
}

export const create: Operation = { description, paced: false, prepare };
