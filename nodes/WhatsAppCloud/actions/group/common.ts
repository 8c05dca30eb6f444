import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { groupId } from '../../../shared/ids';
import { LIMIT, upTo } from '../../helpers/limits';
import { asText, charCount, itemError, readText } from '../../helpers/validation';
import type { OperationContext } from '../../transport/context';
import { phoneNumberField } from '../phoneNumber/common';

/**
 * What the Group operations share: the number the groups belong to (Create, Get Many), the group
 * picked, the subject and description with Meta's lengths, lists of IDs, the number's Official
 * Business Account status and a group's free places, both read before anything is changed.
 */

/** The number whose groups these are; empty is the credential's. */
export const groupPhoneNumberField: INodeProperties = {
	...phoneNumberField,
	description:
		'The business phone number the groups belong to (an Official Business Account). Leave empty to use the one in the credential.',
};

export const groupIdField: INodeProperties = {
	displayName: 'Group ID',
	name: 'groupId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'Y2FwaV9ncm91cDoxNTU1MDc4Mzg4MToxMjAzNjMxMDAwMDAwMDAwMDEZD',
	hint: "The group ID of the trigger's group_lifecycle_update item, or the id of Group > Get Many",
	description:
		"The group's ID: letters and digits, as the group_lifecycle_update item of the trigger gives it after Create, or as Get Many lists it",
};

export const subjectField: INodeProperties = {
	displayName: 'Subject',
	name: 'subject',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'New purchase inquiry',
	description: `The group's name as participants see it. ${upTo(LIMIT.groupSubject)}; white space around it is removed.`,
};

export const descriptionField: INodeProperties = {
	displayName: 'Description',
	name: 'description',
	type: 'string',
	default: '',
	typeOptions: { rows: 3 },
	description: `What the group is about, shown in its info. ${upTo(LIMIT.groupDescription)}.`,
};

/** The group ID of item `i`, checked before it goes into a path. */
export function readGroupId(fns: IExecuteFunctions, i: number): string {
	return groupId(fns.getNode(), fns.getNodeParameter('groupId', i, ''), 'Group ID', i);
}

/** A subject, trimmed as Meta trims it: not empty, and within Meta's length. */
export function checkSubject(fns: IExecuteFunctions, i: number, raw: string, label = 'Subject') {
	const subject = raw.trim();
	if (!subject) throw itemError(fns, i, `${label} is empty`, "Write the group's name.");
	const length = charCount(subject);
	if (length > LIMIT.groupSubject)
		throw itemError(
			fns,
			i,
			`${label} is too long: ${length} characters (WhatsApp allows at most ${LIMIT.groupSubject})`,
			'Shorten the subject.',
		);
	return subject;
}

/** A description within Meta's length (empty is allowed: the group then has none). */
export function checkDescription(
	fns: IExecuteFunctions,
	i: number,
	description: string,
	label = 'Description',
) {
	const length = charCount(description);
	if (length > LIMIT.groupDescription)
		throw itemError(
			fns,
			i,
			`${label} is too long: ${length} characters (WhatsApp allows at most ${LIMIT.groupDescription})`,
			'Shorten the description.',
		);
	return description;
}

export function readSubject(fns: IExecuteFunctions, i: number): string {
	return checkSubject(fns, i, readText(fns, 'subject', i, 'Subject'));
}

export function readDescription(fns: IExecuteFunctions, i: number): string {
	return checkDescription(fns, i, readText(fns, 'description', i, 'Description'));
}

/**
 * A list of values from a field that takes them separated by commas or new lines, or as a list
 * from an expression; each trimmed, none empty, none twice.
 */
export function readList(
	fns: IExecuteFunctions,
	i: number,
	name: string,
	label: string,
	what: string,
): string[] {
	const raw = fns.getNodeParameter(name, i, '') as unknown;
	const parts = Array.isArray(raw)
		? raw.map((v, k) => asText(fns, v, `${label} (entry ${k + 1})`, i).trim())
		: asText(fns, raw, label, i)
				.split(/[,\n]/)
				.map((v) => v.trim())
				.filter(Boolean);
	if (Array.isArray(raw) && parts.some((p) => !p))
		throw itemError(fns, i, `${label} has an empty entry`, `Give ${what}, each one once.`);
	if (!parts.length) throw itemError(fns, i, `${label} is empty`, `Give one or more ${what}.`);
	const twice = parts.find((p, k) => parts.indexOf(p) !== k);
	if (twice)
		throw itemError(fns, i, `${label} lists ${JSON.stringify(twice)} twice`, 'Give each one once.');
	return parts;
}

/** Meta's group record (Get) in the node's output shape, with the raw record kept. */
export function groupJson(g: IDataObject): IDataObject {
	const participants = Array.isArray(g.participants)
		? (g.participants as IDataObject[]).map((p) => ({
				waId: p.wa_id,
				...(p.user_id ? { userId: p.user_id } : {}),
			}))
		: undefined;
	return {
		id: g.id,
		subject: g.subject,
		description: g.description,
		joinApprovalMode: g.join_approval_mode,
		suspended: g.suspended,
		creationTimestamp: g.creation_timestamp,
		totalParticipantCount: g.total_participant_count,
		participants,
		raw: g,
	};
}

/** The fields Get asks Meta for: without `fields` Meta answers only the ID. */
export const GROUP_FIELDS = [
	'subject',
	'description',
	'participants',
	'join_approval_mode',
	'suspended',
	'creation_timestamp',
	'total_participant_count',
].join(',');

/**
 * Refuses, before anything is changed, a number that is not an Official Business Account: Meta
 * offers groups to those only (and answers 131215 otherwise). The status is read with
 * `GET /{phone-number-id}?fields=is_official_business_account`, once per execution and number.
 */
export async function requireOfficialAccount(
	fns: IExecuteFunctions,
	ctx: OperationContext,
	phone: string,
	i: number,
): Promise<void> {
	const official = await ctx.once(`official:${phone}`, async () => {
		const answer = await ctx.call<{ is_official_business_account?: unknown }>(
			{ method: 'GET', path: `/${phone}`, qs: { fields: 'is_official_business_account' } },
			i,
		);
		return answer.is_official_business_account === true;
	});
	if (!official)
		throw itemError(
			fns,
			i,
			`Phone number ${phone} is not an Official Business Account: WhatsApp offers groups only to those`,
			'Use a number with the blue badge (Official Business Account; request it in WhatsApp Manager > Phone numbers > Settings), or choose another Phone Number.',
		);
}

/**
 * How many more participants a group can take before Meta's limit: read with
 * `GET /{group-id}?fields=total_participant_count` (the business is not counted).
 */
export async function freePlaces(
	ctx: OperationContext,
	group: string,
	i: number,
): Promise<{ count: number; free: number }> {
	const answer = await ctx.call<{ total_participant_count?: unknown }>(
		{ method: 'GET', path: `/${group}`, qs: { fields: 'total_participant_count' } },
		i,
	);
	const count = Number(answer.total_participant_count ?? 0);
	return { count, free: Math.max(0, LIMIT.groupParticipants - count) };
}

/** Meta's error entries of one failed request or user, as the node shows them. */
export function reasonsOf(entry: IDataObject): IDataObject[] {
	const errors = Array.isArray(entry.errors) ? (entry.errors as IDataObject[]) : [];
	return errors.map((e) => ({
		code: e.code,
		message: e.message ?? e.title,
		details: (e.error_data as IDataObject | undefined)?.details,
	}));
}
