/**
 * The message envelope: what every send shares (recipient, reply context, callback data, the
 * fallback template for the 24-hour window), its checks, and the one send through the throttle
 * with its output.
 */
import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { GRAPH_CODE } from '../../../shared/errors';
import { GraphApiError } from '../../../shared/transport';
import { z } from 'zod';

import {
	asText,
	isBusinessScopedUserId,
	itemError,
	readText,
	type Recipient,
	recipientSchema,
	templateParameterProblem,
	text,
	validatePayload,
} from '../../helpers/validation';
import type { OperationContext } from '../../transport/context';
import { LIMIT } from '../../helpers/limits';
import { windowTemplate } from './windowTemplate';
import { groupIdOf, readRecipientType, refuseGroupLikeRecipient, sendsToGroups } from './groups';

export type { Recipient };

export type SendOptions = IDataObject & {
	replyToMessageId?: string;
	bizOpaqueCallbackData?: string;
	fallbackTemplate?: { template?: { name?: string; language?: string; parameters?: string } };
};

export const readSendOptions = (fns: IExecuteFunctions, i: number) =>
	fns.getNodeParameter('options', i, {}) as SendOptions;

const envelopeSchema = z.object({
	to: recipientSchema,
	context: z.object({ message_id: z.string().trim().min(1) }).optional(),
	biz_opaque_callback_data: text(LIMIT.callbackData).optional(),
});

/** The envelope of a group send: To was checked as a group ID already (groups.ts). */
const groupEnvelopeSchema = envelopeSchema.extend({ to: z.string() });

const ENVELOPE_LABELS: Record<string, string> = {
	to: 'To',
	context: 'Reply To Message ID',
	'context.message_id': 'Reply To Message ID',
	biz_opaque_callback_data: 'Callback Data',
};

export type Envelope = {
	sender: string;
	recipient: Recipient;
	body: IDataObject;
	fallback?: IDataObject;
};

const fallbackSchema = z.object({
	name: z
		.string()
		.trim()
		.min(1)
		.max(LIMIT.templateName)
		.regex(
			/^[a-z0-9_]+$/,
			"must be the template's name: lowercase letters, digits and underscores",
		),
	language: z.string().trim().min(2).max(LIMIT.languageCode),
});

/** The fallback template of item `i`, as the `template` object of a send, checked; or undefined. */
async function fallbackTemplate(
	fns: IExecuteFunctions,
	ctx: OperationContext,
	i: number,
	options: SendOptions,
	recipient: Recipient,
): Promise<IDataObject | undefined> {
	const t = options.fallbackTemplate?.template;
	const name = asText(fns, t?.name, 'Fallback Template > Template Name', i).trim();
	if (!t || !name) return undefined;
	const lines = asText(fns, t.parameters, 'Fallback Template > Body Parameters', i)
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);
	// what can be told from the text alone, before the template is read
	lines.forEach((line, n) => {
		const problem = templateParameterProblem(line);
		if (problem) {
			throw itemError(
				fns,
				i,
				`Fallback Template > Body Parameters, line ${n + 1}, ${problem}`,
				'Meta refuses such a parameter (error 132018).',
			);
		}
	});
	const checked = validatePayload(
		fns,
		fallbackSchema,
		{
			name,
			language: asText(fns, t.language, 'Fallback Template > Language Code', i).trim() || 'en_US',
		},
		i,
		{ name: 'Fallback Template > Template Name', language: 'Fallback Template > Language Code' },
	);
	return await windowTemplate(fns, ctx, i, {
		option: 'Fallback Template',
		name: checked.name,
		language: checked.language,
		lines,
		recipient,
	});
}

/**
 * Reads `to` and the shared options of item `i` and builds the common part of a message body,
 * validated. `content` is merged in: `{ type: 'text', text: {...} }`.
 */
export async function buildEnvelope(
	fns: IExecuteFunctions,
	i: number,
	ctx: OperationContext,
	content: IDataObject,
	options: SendOptions = readSendOptions(fns, i),
): Promise<Envelope> {
	const reply = asText(fns, options.replyToMessageId, 'Reply To Message ID', i).trim();
	const callback = asText(fns, options.bizOpaqueCallbackData, 'Callback Data', i);
	const operation = String(fns.getNodeParameter('operation', i, ''));
	const toGroup = sendsToGroups(operation) && readRecipientType(fns, i) === 'group';
	const to = readText(fns, 'to', i, 'To');
	// a group ID has its own check; anywhere else it is named as one, not as a bad phone number
	const groupId = toGroup ? groupIdOf(fns, i, to) : undefined;
	if (!toGroup) refuseGroupLikeRecipient(fns, i, operation, to);
	const head = validatePayload(
		fns,
		groupId === undefined ? envelopeSchema : groupEnvelopeSchema,
		{
			to: groupId ?? to,
			context: reply ? { message_id: reply } : undefined,
			biz_opaque_callback_data: callback ? callback : undefined,
		},
		i,
		ENVELOPE_LABELS,
	);
	const recipient: Recipient = {
		id: head.to,
		type: groupId !== undefined ? 'group' : isBusinessScopedUserId(head.to) ? 'userId' : 'phone',
	};
	return {
		sender: ctx.sender(i),
		recipient,
		fallback: await fallbackTemplate(fns, ctx, i, options, recipient),
		body: {
			messaging_product: 'whatsapp',
			recipient_type: recipient.type === 'group' ? 'group' : 'individual',
			// Meta reads a user ID only from `recipient`, and `to` wins when both are given: exactly
			// one; a group goes in `to`
			...(recipient.type === 'userId' ? { recipient: recipient.id } : { to: recipient.id }),
			...(head.context ? { context: head.context } : {}),
			...(head.biz_opaque_callback_data
				? { biz_opaque_callback_data: head.biz_opaque_callback_data }
				: {}),
			...content,
		},
	};
}

/** Meta's answer to a send (`/messages`, and `/marketing_messages` alike). */
export type SendResponse = {
	contacts?: Array<{ input?: string; wa_id?: string; user_id?: string }>;
	messages?: Array<{ id?: string; message_status?: string }>;
};

/** Sends a built message through the throttle and shapes the item output. */
export async function sendMessage(
	ctx: OperationContext,
	i: number,
	envelope: Envelope,
): Promise<IDataObject> {
	let response: SendResponse | undefined;
	let failure: unknown;
	try {
		response = await ctx.send<SendResponse>(
			{ method: 'POST', path: `/${envelope.sender}/messages`, body: envelope.body },
			i,
			{ sender: envelope.sender, recipient: envelope.recipient.id },
		);
	} catch (error) {
		failure = error;
	}
	if (response) return messageOutput(ctx, i, envelope, envelope.body, response);
	if (
		!(failure instanceof GraphApiError) ||
		failure.graphCode !== GRAPH_CODE.outsideWindow ||
		!envelope.fallback
	)
		throw failure;
	// outside the 24-hour window: send the fallback template instead
	const type = envelope.body.type;
	const templateBody: IDataObject = {
		...envelope.body,
		type: 'template',
		template: envelope.fallback,
	};
	delete templateBody[String(type)];
	const templateResponse = await ctx.send<SendResponse>(
		{ method: 'POST', path: `/${envelope.sender}/messages`, body: templateBody },
		i,
		{ sender: envelope.sender, recipient: envelope.recipient.id },
	);
	return {
		...messageOutput(ctx, i, envelope, templateBody, templateResponse),
		fallback: {
			used: true,
			reason:
				'The customer has not written in the last 24 hours (131047), so the fallback template was sent instead.',
			refusedType: type,
			template: (envelope.fallback as { name: string }).name,
		},
	};
}

/** The output of a send Meta answered; an answer without a message ID is an error, never a send. */
export function messageOutput(
	ctx: OperationContext,
	i: number,
	envelope: Envelope,
	sent: IDataObject,
	response: SendResponse,
): IDataObject {
	const message = response.messages?.[0];
	const contact = response.contacts?.[0] ?? {};
	if (typeof message?.id !== 'string' || !message.id) {
		// A 2xx without a message ID proves nothing was accepted, and nothing proves it was not:
		// never output it as sent.
		throw Object.assign(
			new NodeApiError(ctx.node, { message: 'no message ID' } as JsonObject, {
				itemIndex: i,
				message: `Meta's answer has no message ID, so the message is not counted as sent [item ${i}]`,
				description: `Answer: ${JSON.stringify(response).slice(0, 200)}\nA send that Meta accepted always answers with messages[0].id. Check the Base URL in the credential (${ctx.config.baseUrl}) and look for the message in the customer's chat before sending it again.`,
			}),
			{ mayHaveArrived: true },
		);
	}
	return {
		messageId: message.id,
		// a group's answer names the group in wa_id: it is no customer's WhatsApp ID
		...(envelope.recipient.type === 'group'
			? {}
			: envelope.recipient.type === 'phone'
				? { waId: contact.wa_id, ...(contact.user_id ? { userId: contact.user_id } : {}) }
				: { userId: contact.user_id }),
		to: envelope.recipient.id,
		recipientType: envelope.recipient.type,
		...(message.message_status ? { messageStatus: message.message_status } : {}),
		senderPhoneNumberId: envelope.sender,
		type: sent.type,
		sent,
	};
}
