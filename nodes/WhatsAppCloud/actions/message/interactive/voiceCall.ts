import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { LIMIT, upTo, upToLower } from '../../../helpers/limits';
import { readText, text } from '../../../helpers/validation';
import type { InteractiveKind } from './form';
import { bodySchema } from './shared';

/**
 * Voice Call: one button that starts a WhatsApp call to the business, under a body. The call itself
 * is answered elsewhere (the Calling API's media part needs a live WebRTC session, which a workflow
 * cannot hold); the trigger sees its `calls` events, with the button's payload.
 *
 * Meta shows the body alone: whether a header or footer is taken is not settled, so neither is
 * offered, and the body is required as in Meta's example.
 */

const VOICE_CALL = { show: { interactiveType: ['voice_call'] } };

const voiceCallFields: INodeProperties[] = [
	{
		displayName: 'Display Text',
		name: 'callDisplayText',
		type: 'string',
		default: 'Call Now',
		description: `The button's text, ${upToLower(LIMIT.callButtonText)}. Empty: WhatsApp shows "Call Now".`,
		displayOptions: VOICE_CALL,
	},
	{
		displayName: 'Valid For (Minutes)',
		name: 'callValidFor',
		type: 'number',
		typeOptions: { minValue: LIMIT.callTtlMin, maxValue: LIMIT.callTtlMax },
		// WhatsApp's default, LIMIT.callTtlDefault (the linter takes a literal here; a test ties the two)
		default: 10080,
		description: `How long the button can be tapped: ${LIMIT.callTtlMin} to ${LIMIT.callTtlMax.toLocaleString('en-US')} minutes (30 days). The default is 7 days.`,
		displayOptions: VOICE_CALL,
	},
	{
		displayName: 'Payload',
		name: 'callPayload',
		type: 'string',
		default: '',
		placeholder: 'order-4711',
		description: `${upTo(LIMIT.callPayload)}, returned with the call's events (the trigger's CTA Payload) so a workflow knows which message the call came from. Older WhatsApp apps leave it out.`,
		displayOptions: VOICE_CALL,
	},
];

/**
 * A call button's time to live in minutes, a whole number from `min` to `max`: as sent (a voice
 * call message, a template's button) 1 to 43,200; a template's button as created starts at 1,440.
 */
export const minutesIn = (min: number, max: number) =>
	z.unknown().superRefine((value, ctx) => {
		if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message: `must be a whole number of minutes from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, not ${JSON.stringify(value)?.slice(0, 40)}`,
			});
	});

/** A call button's time to live as sent. */
export const callTtl = minutesIn(LIMIT.callTtlMin, LIMIT.callTtlMax);

/** A call button's payload, returned on the call's webhooks. */
export const callPayload = text(LIMIT.callPayload);

/**
 * A number field of item `i` as an expression may leave it: numeric text becomes its number, an
 * empty value is undefined (left to WhatsApp's default), anything else stays as it is so that the
 * schema names it.
 */
export function readMinutes(fns: IExecuteFunctions, name: string, i: number): unknown {
	const raw = fns.getNodeParameter(name, i, undefined) as unknown;
	if (raw === undefined || raw === null || raw === '') return undefined;
	if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)))
		return Number(raw);
	return raw;
}

const voiceCallSchema = z
	.object({
		type: z.literal('voice_call'),
		body: bodySchema,
		action: z
			.object({
				name: z.literal('voice_call'),
				parameters: z
					.object({
						display_text: text(LIMIT.callButtonText).optional(),
						ttl_minutes: callTtl.optional(),
						payload: callPayload.optional(),
					})
					.strict()
					.optional(),
			})
			.strict(),
	})
	.strict();

const LABELS: Record<string, string> = {
	'body.text': 'Body',
	'action.parameters.display_text': 'Display Text',
	'action.parameters.ttl_minutes': 'Valid For (Minutes)',
	'action.parameters.payload': 'Payload',
};

export const voiceCallMessage: InteractiveKind = {
	option: {
		name: 'Voice Call',
		value: 'voice_call',
		description: 'One button that starts a WhatsApp call to your business',
	},
	fields: voiceCallFields,
	schema: voiceCallSchema,
	build(fns, i) {
		const displayText = readText(fns, 'callDisplayText', i, 'Display Text');
		const ttl = readMinutes(fns, 'callValidFor', i);
		const payload = readText(fns, 'callPayload', i, 'Payload');
		// what is left empty is left to WhatsApp's defaults ("Call Now", 7 days, no payload)
		const parameters: IDataObject = {
			...(displayText !== '' ? { display_text: displayText } : {}),
			...(ttl !== undefined ? { ttl_minutes: ttl as number } : {}),
			...(payload !== '' ? { payload } : {}),
		};
		return {
			interactive: {
				type: 'voice_call',
				body: { text: readText(fns, 'body', i, 'Body') },
				action: {
					name: 'voice_call',
					...(Object.keys(parameters).length ? { parameters } : {}),
				},
			},
			labels: LABELS,
		};
	},
};
