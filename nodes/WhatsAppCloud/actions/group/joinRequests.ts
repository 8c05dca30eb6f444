import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { LIMIT } from '../../helpers/limits';
import { itemError } from '../../helpers/validation';
import type { OperationContext } from '../../transport/context';
import type { Operation } from '../types';
import { freePlaces, groupIdField, readGroupId, readList, reasonsOf } from './common';

/**
 * Approve and Reject Join Requests: the same field and the same answer, one output item per
 * request, approved/rejected or failed with Meta's reason. A request Meta's answer names neither
 * way is reported as failed too, never as a silent success.
 */

/** A join request ID goes into the body only, but must still be one token of Meta's alphabet. */
const JOIN_REQUEST_ID = /^[A-Za-z0-9+/=_-]{1,256}$/;

const joinRequestIdsField: INodeProperties = {
	displayName: 'Join Request IDs',
	name: 'joinRequestIds',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'MTY0NjcwNDM1OTU6MTIwMzYzNDA0Njk0MjMzODIw, MTY0NjcwNDM1OTU6MTIwMzYzNDA0Njk0MjMzODIx',
	hint: 'Separated by commas or new lines, or a list from an expression',
	description:
		"The join requests to answer: the joinRequestId of Get Many Join Requests, or of the trigger's join request item",
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function readIds(fns: IExecuteFunctions, i: number): string[] {
	const ids = readList(fns, i, 'joinRequestIds', 'Join Request IDs', 'join request IDs');
	const bad = ids.find((id) => !JOIN_REQUEST_ID.test(id));
	if (bad)
		throw itemError(
			fns,
			i,
			`Join Request IDs: ${JSON.stringify(bad.slice(0, 60))} is not a join request ID`,
			'Use the joinRequestId of Group > Get Many Join Requests.',
		);
	return ids;
}

function joinRequestsOperation(approve: boolean): Operation {
	const value = approve ? 'approveJoinRequests' : 'rejectJoinRequests';
	const description = updateDisplayOptions({ show: { resource: ['group'], operation: [value] } }, [
		groupIdField,
		approve
			? {
					...joinRequestIdsField,
					description: `${String(joinRequestIdsField.description)}. A group has at most ${LIMIT.groupParticipants} participants besides the business: approving more than its free places is refused before any request.`,
				}
			: joinRequestIdsField,
	]);
	async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
		const group = readGroupId(this, i);
		const ids = readIds(this, i);
		if (approve) {
			if (ids.length > LIMIT.groupParticipants)
				throw itemError(
					this,
					i,
					`Join Request IDs lists ${ids.length} requests, more than a group can take (WhatsApp allows at most ${LIMIT.groupParticipants} participants)`,
					'Approve fewer requests.',
				);
			// a read that the participant limit needs; items of this run that approve for the same group count too
			const { count, free } = await freePlaces(ctx, group, i);
			// free places the items before this one already take, by group
			const reserved = ctx.tally('reservedPlaces');
			const taken = reserved.get(group) ?? 0;
			if (ids.length > free - taken)
				throw itemError(
					this,
					i,
					`Join Request IDs lists ${plural(ids.length, 'request')}, but the group has ${plural(Math.max(0, free - taken), 'free place')} (${plural(count, 'participant')}${taken ? `, ${taken} more approved by earlier items` : ''}; WhatsApp allows at most ${LIMIT.groupParticipants})`,
					'Approve fewer requests, or remove participants first.',
				);
			reserved.set(group, taken + ids.length);
		}
		return async (): Promise<INodeExecutionData[]> => {
			const answer = await ctx.call<IDataObject>(
				{
					method: approve ? 'POST' : 'DELETE',
					path: `/${group}/join_requests`,
					body: { messaging_product: 'whatsapp', join_requests: ids },
				},
				i,
			);
			const done = new Set(
				(answer[approve ? 'approved_join_requests' : 'rejected_join_requests'] as
					| unknown[]
					| undefined) ?? [],
			);
			const failed = new Map(
				((answer.failed_join_requests as IDataObject[] | undefined) ?? []).map((f) => [
					String(f.join_request_id),
					f,
				]),
			);
			const status = approve ? 'approved' : 'rejected';
			return ids.map((id) => {
				if (done.has(id)) return { json: { groupId: group, joinRequestId: id, status } };
				const failure = failed.get(id);
				return {
					json: {
						groupId: group,
						joinRequestId: id,
						status: 'failed',
						errors: failure
							? reasonsOf(failure)
							: [{ message: `Meta's answer did not say whether this request was ${status}` }],
					},
				};
			});
		};
	}
	return { description, paced: false, prepare };
}

export const approveJoinRequests = joinRequestsOperation(true);
export const rejectJoinRequests = joinRequestsOperation(false);
