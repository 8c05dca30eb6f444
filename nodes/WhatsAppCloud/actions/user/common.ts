import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { GRAPH_CODE, hintForCode } from '../../../shared/errors';
import { GraphApiError } from '../../../shared/transport';
import { LIMIT } from '../../helpers/limits';
import { BSUID, itemError, recipientSchema } from '../../helpers/validation';
import { senderLocator } from '../common.descriptions';
import type { OperationContext } from '../../transport/context';

/**
 * What the User operations share: the number whose block list it is, the users of an item (phone
 * numbers and business-scoped user IDs, one or many), and the block and unblock requests, split at
 * Meta's 1,000 users per request, with one output item per user.
 */

/** The number whose block list it is; empty is the credential's. */
export const userSenderField: INodeProperties = {
	...senderLocator,
	description:
		"The business phone number whose block list this is: a user is blocked from this number only. Leave empty to use the credential's.",
};

export function usersField(action: 'block' | 'unblock'): INodeProperties {
	return {
		displayName: 'Users',
		name: 'users',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+4915112345678, US.13491208655302741918',
		hint: 'One user, or many separated by commas or new lines; an expression may give a list. Answering a trigger item: {{ $json.replyTo }}',
		description: `The users to ${action}: phone numbers in international format with the country code (spaces, dashes and brackets are removed) or business-scoped user IDs such as US.13491208655302741918, mixed as needed. ${action === 'block' ? 'Only a user who wrote to this number in the last 24 hours can be blocked. ' : ''}Parent user IDs (US.ENT.…) are refused, as Meta refuses them. More than ${LIMIT.blockUsersPerRequest.toLocaleString('en-US')} users are sent in several requests, in order.`,
	};
}

/** One user as Meta takes it: a phone number goes in `user`, a business-scoped user ID in `user_id`. */
export type BlockUser = { input: string; type: 'phone' | 'userId' };

/** A parent BSUID (`US.ENT.…`), which Meta refuses in block lists. */
const PARENT_BSUID = /^[A-Z]{2}\.ENT\./;

const FIX =
	'Give phone numbers with the country code (e.g. +4915112345678) or user IDs exactly as the trigger gave them (fromUserId), separated by commas or new lines, or an expression that gives a list of them.';

/**
 * The users of item `i`: text with commas, semicolons or new lines between users, or a list from
 * an expression (of text or numbers). Each is checked as a message recipient is; a parent BSUID is
 * refused here, since Meta refuses it and would block no one. The same user twice counts once.
 * Nothing is sent when any of them is wrong.
 */
export function readUsers(fns: IExecuteFunctions, i: number): BlockUser[] {
	const raw = fns.getNodeParameter('users', i, '') as unknown;
	let entries: unknown[];
	if (Array.isArray(raw)) entries = raw;
	else if (typeof raw === 'string') entries = raw.split(/[,;\r\n]+/);
	else if (typeof raw === 'number') entries = [String(raw)];
	else if (raw === undefined || raw === null) entries = [];
	else
		throw itemError(fns, i, 'Users must be text or a list, but its expression gave an object', FIX);
	const users: BlockUser[] = [];
	const seen = new Set<string>();
	entries.forEach((entry, n) => {
		const position = `Users, entry ${n + 1}`;
		if (typeof entry === 'number') entry = String(entry);
		if (typeof entry !== 'string')
			throw itemError(
				fns,
				i,
				`${position} must be a phone number or a user ID, but the list holds ${entry === null ? 'null' : Array.isArray(entry) ? 'a list' : typeof entry}`,
				FIX,
			);
		if (!entry.trim()) {
			// text may end with a separator or hold an empty line; a list's empty entry is a mistake
			if (!Array.isArray(raw)) return;
			throw itemError(fns, i, `${position} is empty`, FIX);
		}
		const parsed = recipientSchema.safeParse(entry);
		if (!parsed.success)
			throw itemError(fns, i, `${position} ${parsed.error.issues[0].message}`, FIX);
		const input = parsed.data;
		if (PARENT_BSUID.test(input))
			throw itemError(
				fns,
				i,
				`${position} is a parent user ID ("${input.slice(0, 40)}"), which WhatsApp does not block`,
				"Use the user's own user ID (fromUserId, without ENT.) or their phone number.",
			);
		if (seen.has(input)) return;
		seen.add(input);
		users.push({ input, type: BSUID.test(input) ? 'userId' : 'phone' });
	});
	if (!users.length) throw itemError(fns, i, 'Users is empty; it needs at least one user', FIX);
	return users;
}

/** Meta's record of one user in a block or unblock answer. */
type MetaUser = {
	input?: string;
	wa_id?: string;
	user_id?: string;
	errors?: Array<{ message?: string; code?: number; error_data?: { details?: string } }>;
};

type BlockAnswer = {
	block_users?: { added_users?: MetaUser[]; removed_users?: MetaUser[]; failed_users?: MetaUser[] };
	error?: IDataObject;
};

/** What happened to one user. `notSent`: an earlier request of the item failed, so theirs never left. */
export type UserOutcome = {
	input: string;
	waId?: string;
	userId?: string;
	status: 'blocked' | 'unblocked' | 'failed' | 'notSent';
	error?: { code?: number; message?: string; details?: string; hint?: string };
};

const userOutput = (u: UserOutcome): IDataObject => ({
	input: u.input,
	...(u.waId ? { waId: u.waId } : {}),
	...(u.userId ? { userId: u.userId } : {}),
	status: u.status,
	...(u.error ? { error: u.error } : {}),
});

/**
 * Blocks (POST) or unblocks (DELETE) the users of item `i`, in requests of at most 1,000 users, one
 * after the other and in order. Meta's partial failure (error 139100 with the lists of users done
 * and failed) is read user by user, never taken for success. A request that fails as a whole stops
 * the item: its users are failed with that error, and the later requests are not sent.
 *
 * Output: one item per user. When a user failed, the item fails: with Continue On Fail the items
 * are output anyway, each failed user marked with its error; without it the run stops with an error
 * that names the users who failed and those who were blocked. When the first request fails as a
 * whole, nothing was done, and Meta's own error is thrown as it came.
 */
export async function changeBlockList(
	fns: IExecuteFunctions,
	ctx: OperationContext,
	i: number,
	phone: string,
	users: BlockUser[],
	action: 'block' | 'unblock',
): Promise<Array<{ json: IDataObject }>> {
	const done = action === 'block' ? 'blocked' : 'unblocked';
	const outcomes: UserOutcome[] = [];
	let stopped: Error | undefined;
	for (let start = 0; start < users.length; start += LIMIT.blockUsersPerRequest) {
		const chunk = users.slice(start, start + LIMIT.blockUsersPerRequest);
		if (stopped) {
			for (const u of chunk) outcomes.push({ input: u.input, status: 'notSent' });
			continue;
		}
		let answer: BlockAnswer | undefined;
		let failure: unknown;
		try {
			answer = await ctx.call<BlockAnswer>(
				{
					method: action === 'block' ? 'POST' : 'DELETE',
					path: `/${phone}/block_users`,
					body: {
						messaging_product: 'whatsapp',
						block_users: chunk.map((u) =>
							u.type === 'phone' ? { user: u.input } : { user_id: u.input },
						),
					},
				},
				i,
			);
		} catch (error) {
			failure = error;
		}
		if (!answer) {
			const lists = (failure as GraphApiError | undefined)?.answer as BlockAnswer | undefined;
			if (
				failure instanceof GraphApiError &&
				failure.graphCode === GRAPH_CODE.blockSomeFailed &&
				lists?.block_users
			) {
				answer = lists;
			} else {
				// the first request failed as a whole: nothing was done, Meta's error is the item's
				if (start === 0) throw failure;
				stopped = failure as Error;
				for (const u of chunk)
					outcomes.push({ input: u.input, status: 'failed', error: requestError(failure) });
				continue;
			}
		}
		outcomes.push(...readAnswer(chunk, answer, done));
	}
	if (outcomes.every((u) => u.status === done))
		return outcomes.map((u) => ({ json: userOutput(u) }));
	if (fns.continueOnFail()) return outcomes.map((u) => ({ json: userOutput(u) }));
	throw partialFailure(fns, i, outcomes, done);
}

/** Meta's error of a request that failed as a whole, as the users of that request carry it. */
function requestError(error: unknown): UserOutcome['error'] {
	if (error instanceof GraphApiError)
		return {
			code: error.graphCode,
			message: error.message,
			details: error.graphDetails,
			hint: hintForCode(error.graphCode, error.graphSubcode),
		};
	return { message: (error as Error).message };
}

/**
 * Each user of a request as Meta's answer says: done (with Meta's wa_id or user_id), or failed with
 * Meta's error. Users are matched by the `input` Meta echoes; a user the answer leaves out is failed,
 * never counted as done.
 */
function readAnswer(
	chunk: BlockUser[],
	answer: BlockAnswer,
	done: 'blocked' | 'unblocked',
): UserOutcome[] {
	const lists = answer.block_users ?? {};
	const ok = new Map<string, MetaUser>();
	for (const u of (done === 'blocked' ? lists.added_users : lists.removed_users) ?? [])
		if (typeof u.input === 'string') ok.set(u.input, u);
	const bad = new Map<string, MetaUser>();
	for (const u of lists.failed_users ?? []) if (typeof u.input === 'string') bad.set(u.input, u);
	return chunk.map((user) => {
		const failure = bad.get(user.input);
		const success = ok.get(user.input);
		if (failure || !success) {
			const e = failure?.errors?.[0];
			return {
				input: user.input,
				status: 'failed',
				error: e
					? {
							code: e.code,
							message: e.message,
							details: e.error_data?.details,
							hint: hintForCode(e.code),
						}
					: { message: `Meta's answer does not list this user as ${done}` },
			};
		}
		return {
			input: user.input,
			...(success.wa_id ? { waId: success.wa_id } : {}),
			...(success.user_id ? { userId: success.user_id } : {}),
			status: done,
		};
	});
}

/** How many users the error names one by one; the rest are counted. */
const NAMED = 20;

const listed = (users: UserOutcome[], describe: (u: UserOutcome) => string) =>
	`${users.slice(0, NAMED).map(describe).join(', ')}${users.length > NAMED ? ` and ${users.length - NAMED} more` : ''}`;

/** The error of an item in which some users were blocked (or unblocked) and others not. */
function partialFailure(
	fns: IExecuteFunctions,
	i: number,
	outcomes: UserOutcome[],
	done: 'blocked' | 'unblocked',
): NodeApiError {
	const ok = outcomes.filter((u) => u.status === done);
	const failed = outcomes.filter((u) => u.status === 'failed');
	const notSent = outcomes.filter((u) => u.status === 'notSent');
	const hints = [
		...new Set(
			failed
				.map((u) =>
					u.error?.code !== undefined
						? `${u.error.code}: ${u.error.hint ?? u.error.message}`
						: undefined,
				)
				.filter(Boolean),
		),
	];
	const description = [
		`Failed (${failed.length}): ${listed(failed, (u) => `${u.input} (${u.error?.code ?? 'error'}${u.error?.message ? ` ${u.error.message}` : ''})`)}`,
		ok.length
			? `${done === 'blocked' ? 'Blocked' : 'Unblocked'} (${ok.length}): ${listed(ok, (u) => u.input)}`
			: `Nobody was ${done}.`,
		notSent.length
			? `Not sent, after an earlier request of this item failed (${notSent.length}): ${listed(notSent, (u) => u.input)}`
			: undefined,
		...hints,
		`Run the item again with only the users that failed or were not sent, or turn on "On Error: Continue" to get one output item per user with its status.`,
	]
		.filter(Boolean)
		.join('\n');
	return new NodeApiError(fns.getNode(), { message: 'some users failed' } as JsonObject, {
		itemIndex: i,
		message: `${failed.length + notSent.length} of ${outcomes.length} users were not ${done}, ${ok.length} were [item ${i}]`,
		description,
	});
}
