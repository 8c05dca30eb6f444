import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { LIMIT } from '../../helpers/limits';
import { isBusinessScopedUserId, itemError, recipientSchema } from '../../helpers/validation';
import type { OperationContext } from '../../transport/context';
import type { Operation } from '../types';
import { groupIdField, readGroupId, readList } from './common';

const displayOptions = { show: { resource: ['group'], operation: ['removeParticipants'] } };

const properties: INodeProperties[] = [
	groupIdField,
	{
		displayName: 'Participants',
		name: 'participants',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+16505551234, US.13491208655302741918',
		hint: 'Phone numbers or user IDs, separated by commas or new lines, or a list from an expression',
		description: `The participants to remove: phone numbers in international format, or business-scoped user IDs (the trigger's fromUserId), mixed; at most ${LIMIT.groupParticipants}. Someone removed cannot join again through the invite link.`,
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const group = readGroupId(this, i);
	const entries = readList(this, i, 'participants', 'Participants', 'phone numbers or user IDs');
	if (entries.length > LIMIT.groupParticipants)
		throw itemError(
			this,
			i,
			`Participants lists ${entries.length} people (a group has at most ${LIMIT.groupParticipants}, and WhatsApp removes at most ${LIMIT.groupParticipants} at a time)`,
			'Remove fewer participants per item.',
		);
	// the same parsing as a message's recipient: a phone number, or a BSUID sent unchanged
	const participants = entries.map((entry, k) => {
		const parsed = recipientSchema.safeParse(entry);
		if (!parsed.success)
			throw itemError(
				this,
				i,
				`Participants (entry ${k + 1}) ${parsed.error.issues[0]?.message ?? 'is not valid'}`,
			);
		const participant: { user: string } | { user_id: string } = isBusinessScopedUserId(parsed.data)
			? { user_id: parsed.data }
			: { user: parsed.data };
		return participant;
	});
	const seen = new Set<string>();
	for (const p of participants) {
		const key = 'user' in p ? p.user.replace(/^\+/, '') : p.user_id;
		if (seen.has(key))
			throw itemError(this, i, `Participants lists ${key} twice`, 'Give each participant once.');
		seen.add(key);
	}
	return async () => {
		const answer = await ctx.call<IDataObject>(
			{
				method: 'DELETE',
				path: `/${group}/participants`,
				body: { messaging_product: 'whatsapp', participants },
			},
			i,
		);
		return {
			success: answer.success === true,
			groupId: group,
			participants: participants.map((p) =>
				'user' in p ? { phoneNumber: p.user } : { userId: p.user_id },
			),
			note: "Who was removed, and who could not be, arrives in the WhatsApp Cloud Trigger's group_participants_update item (removed_participants, failed_participants).",
			raw: answer,
		};
	};
}

export const removeParticipants: Operation = { description, paced: false, prepare };
