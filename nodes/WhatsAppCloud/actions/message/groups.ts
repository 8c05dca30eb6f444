/**
 * Sending to a WhatsApp group: which message operations a group takes, the Recipient Type field
 * that says a send goes to one, the group ID in To, and the templates a group can receive. Meta
 * lets a group receive text, media, and templates whose content is text or a media header; every
 * other kind (interactive messages of every sort, reactions, contacts, locations, commerce,
 * authentication and calling, carousels, read receipts) is refused here before anything is sent.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { recipientField } from '../common.descriptions';
import { GROUP_ID } from '../../../shared/ids';
import { BSUID, itemError, normalizePhone } from '../../helpers/validation';
import type { TemplateDefinition } from '../template/definition';
import { carouselOf, upper } from '../template/definition';

/** The operations that can send to a group, by their value, with the name the editor shows. */
export const GROUP_OPERATIONS: Readonly<Record<string, string>> = {
	sendText: 'Send Text',
	sendMedia: 'Send Media',
	sendTemplate: 'Send Template',
};

/** Whether an operation can send to a group (its own keys only: not `toString` and the like). */
export const sendsToGroups = (operation: string) =>
	Object.prototype.hasOwnProperty.call(GROUP_OPERATIONS, operation);

/** The send operations a group cannot receive, by their value, with the name the editor shows. */
const NOT_FOR_GROUPS: Readonly<Record<string, string>> = {
	sendAndWait: 'Send and Wait for Response',
	sendContacts: 'Send Contacts',
	sendInteractive: 'Send Interactive',
	sendLocation: 'Send Location',
	sendReaction: 'Send Reaction',
};

const ALLOWED =
	'WhatsApp groups take only Send Text, Send Media and Send Template (a template of text, or with an image, video or document header)';

/** The field the group-capable operations show before To. */
export const recipientTypeField: INodeProperties = {
	displayName: 'Recipient Type',
	name: 'recipientType',
	type: 'options',
	default: 'individual',
	options: [
		{
			name: 'Group',
			value: 'group',
			description:
				"A WhatsApp group of the sender's number: To is the group ID (the trigger's groupId, or the ID of a created group)",
		},
		{
			name: 'Individual',
			value: 'individual',
			description: 'A customer: To is their phone number or business-scoped user ID',
		},
	],
	hint: "Answering a trigger item that may come from a group: {{ $json.groupId ? 'group' : 'individual' }}",
	description:
		'Whether the message goes to one customer or to a WhatsApp group. Groups receive text, media and templates of text or with a media header, nothing else.',
};

/** To on the operations that can send to a group: a customer, or the group Recipient Type names. */
export const groupRecipientField: INodeProperties = {
	...recipientField,
	hint: 'A phone number with country code, a user ID, or with Recipient Type Group a group ID. Answering a trigger item: {{ $json.replyTo }}',
	description: `${recipientField.description} With Recipient Type Group: the group ID, e.g. the trigger's groupId (a group message's replyTo is its group).`,
};

/**
 * Whether To holds a group ID rather than a phone number or a user ID: the group ID rule of the
 * Group resource (`GROUP_ID`), plus a letter, since digits alone are a phone number (a BSUID has
 * a dot, which no group ID has), and a length that Meta's group IDs (about 56 characters) have
 * and a mistyped name hardly does.
 */
export const looksLikeGroupId = (value: string) => {
	const id = value.trim();
	return id.length >= 16 && GROUP_ID.test(id) && /[A-Za-z]/.test(id);
};

/** Recipient Type of item `i`, as its expression may give it; anything else names the field. */
export function readRecipientType(fns: IExecuteFunctions, i: number): 'group' | 'individual' {
	const raw = fns.getNodeParameter('recipientType', i, 'individual') as unknown;
	const value = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
	if (value === undefined || value === null || value === '' || value === 'individual')
		return 'individual';
	if (value === 'group') return 'group';
	throw itemError(
		fns,
		i,
		`Recipient Type is ${JSON.stringify(raw)}, which is neither Group nor Individual`,
		'Field: Recipient Type. Its expression must give "group" or "individual".',
	);
}

/** To of item `i` when Recipient Type is Group: a group ID, checked; a phone or user ID names why not. */
export function groupIdOf(fns: IExecuteFunctions, i: number, raw: string): string {
	const to = raw.trim();
	const refuse = (problem: string, fix: string) =>
		itemError(fns, i, `To ${problem}`, `Field: To. ${fix}`);
	if (!to)
		throw refuse(
			'is empty; with Recipient Type Group it needs a group ID',
			"Map the trigger's groupId, or the group ID of a created group.",
		);
	if (BSUID.test(to) || normalizePhone(to))
		throw refuse(
			`is ${BSUID.test(to) ? 'a business-scoped user ID' : 'a phone number'} (${to}), but Recipient Type is Group`,
			"Give the group ID (the trigger's groupId), or set Recipient Type to Individual to send to this customer. Meta refuses a recipient that does not match its recipient type.",
		);
	if (!looksLikeGroupId(to)) {
		const shown = to.length > 60 ? `${to.slice(0, 60)}…` : to;
		throw refuse(
			`must be a group ID (letters, digits, _ and -, as the trigger's groupId gives it), got ${JSON.stringify(shown)}`,
			'Copy the group ID exactly as the trigger or Group > Get Many gave it.',
		);
	}
	return to;
}

/**
 * A To that looks like a group ID on a send that is not going to a group: either Recipient Type
 * was left at Individual, or the operation cannot send to groups at all. Said before the phone
 * number check, whose message would not mention groups.
 */
export function refuseGroupLikeRecipient(
	fns: IExecuteFunctions,
	i: number,
	operation: string,
	to: string,
): void {
	// a phone number has no letter and a user ID has a dot: neither looks like a group ID
	if (!looksLikeGroupId(to)) return;
	const name = Object.prototype.hasOwnProperty.call(NOT_FOR_GROUPS, operation)
		? NOT_FOR_GROUPS[operation]
		: undefined;
	if (name)
		throw itemError(
			fns,
			i,
			`To is a group ID, but WhatsApp does not allow ${name} in groups`,
			`Field: To. ${ALLOWED}. Send this to a customer instead (a participant: the trigger's participantReplyTo).`,
		);
	if (sendsToGroups(operation))
		throw itemError(
			fns,
			i,
			'To looks like a group ID, but Recipient Type is Individual',
			"Field: Recipient Type. Set it to Group to send to this group (for a trigger item: {{ $json.groupId ? 'group' : 'individual' }}), or give a phone number or user ID in To.",
		);
}

/** The header formats a group's template may have (or none). */
const GROUP_HEADERS = new Set(['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT']);

/**
 * The buttons of kinds a group cannot receive: commerce (catalog, multi- and single-product),
 * authentication codes, Flows and calls. Which button kinds Meta lets a group template carry is
 * not listed by Meta; these follow its list of what groups do not support (interactive, commerce,
 * authentication, calling). Quick replies, links and phone numbers are let through.
 */
const NOT_FOR_GROUP_BUTTONS = new Set(['CATALOG', 'MPM', 'SPM', 'OTP', 'FLOW', 'VOICE_CALL']);

/** What keeps a template from a group, or undefined when a group can receive it. */
export function groupTemplateProblem(template: TemplateDefinition): string | undefined {
	const category = upper(template.category);
	if (category === 'AUTHENTICATION') return 'is an authentication template';
	if (carouselOf(template)) return 'is a carousel template';
	const components = template.components ?? [];
	const header = components.find((c) => upper(c.type) === 'HEADER');
	if (header && !GROUP_HEADERS.has(upper(header.format)))
		return `has a ${upper(header.format).toLowerCase() || 'non-media'} header`;
	for (const c of components) {
		for (const button of c.buttons ?? [])
			if (NOT_FOR_GROUP_BUTTONS.has(upper(button.type)))
				return `has a ${upper(button.type).toLowerCase().replace(/_/g, ' ')} button`;
	}
	const other = components.find(
		(c) => !['HEADER', 'BODY', 'FOOTER', 'BUTTONS'].includes(upper(c.type)),
	);
	if (other) return `has a ${upper(other.type).toLowerCase().replace(/_/g, ' ')} component`;
	return undefined;
}

/** The error for a template a group cannot receive, naming the field it came from. */
export function groupTemplateError(
	fns: IExecuteFunctions,
	i: number,
	field: string,
	template: TemplateDefinition,
	problem: string,
) {
	return itemError(
		fns,
		i,
		`${field}: "${template.name}" (${template.language}) ${problem}, which WhatsApp does not send to a group`,
		`Field: ${field}. ${ALLOWED}: no authentication, carousel, catalog or product, Flow or call templates. Choose another template, or send this one to a customer.`,
	);
}
