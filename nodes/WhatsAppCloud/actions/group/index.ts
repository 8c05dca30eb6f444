import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../types';
import { create } from './create.operation';
import { deleteGroup } from './delete.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { getInviteLink } from './getInviteLink.operation';
import { getJoinRequests } from './getJoinRequests.operation';
import { approveJoinRequests, rejectJoinRequests } from './joinRequests';
import { removeParticipants } from './removeParticipants.operation';
import { resetInviteLink } from './resetInviteLink.operation';
import { update } from './update.operation';

export const groupOperations: Record<string, Operation> = {
	create,
	get,
	getAll,
	update,
	delete: deleteGroup,
	getInviteLink,
	resetInviteLink,
	getJoinRequests,
	approveJoinRequests,
	rejectJoinRequests,
	removeParticipants,
};

export const groupDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['group'] } },
		options: [
			{
				name: 'Approve Join Requests',
				value: 'approveJoinRequests',
				action: 'Approve join requests',
				description: 'Let people who asked through the invite link into the group',
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Create a group',
				description:
					'Create a group; its ID and invite link arrive later in the trigger (group_lifecycle_update)',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a group',
				description: 'Delete a group and remove everyone from it',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a group',
				description: "Get a group's subject, description, settings and participants",
			},
			{
				name: 'Get Invite Link',
				value: 'getInviteLink',
				action: 'Get the invite link of a group',
				description: 'Get the link people join the group through',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many groups',
				description: "List the number's active groups",
			},
			{
				name: 'Get Many Join Requests',
				value: 'getJoinRequests',
				action: 'Get many join requests of a group',
				description: 'List the open requests to join a group',
			},
			{
				name: 'Reject Join Requests',
				value: 'rejectJoinRequests',
				action: 'Reject join requests',
				description: 'Turn down requests to join a group',
			},
			{
				name: 'Remove Participants',
				value: 'removeParticipants',
				action: 'Remove participants from a group',
				description: 'Remove people from a group; they cannot rejoin through the invite link',
			},
			{
				name: 'Reset Invite Link',
				value: 'resetInviteLink',
				action: 'Reset the invite link of a group',
				description: 'Replace the invite link; the old one stops working',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a group',
				description: "Change a group's subject, description or picture",
			},
		],
		default: 'getAll',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...deleteGroup.description,
	...getInviteLink.description,
	...resetInviteLink.description,
	...getJoinRequests.description,
	...approveJoinRequests.description,
	...rejectJoinRequests.description,
	...removeParticipants.description,
];
