import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { qrCode } from '../../../shared/ids';
import { LIMIT, upTo } from '../../helpers/limits';
import { charCount, itemError, readText } from '../../helpers/validation';
import { phoneNumberField } from '../phoneNumber/common';

/**
 * What the QR Code operations share: the number the codes belong to, the code picked, the
 * prefilled message with Meta's length rule, and a code in the node's output shape.
 */

/** The number whose QR codes these are; empty is the credential's. */
export const qrPhoneNumberField: INodeProperties = {
	...phoneNumberField,
	description:
		'The number the QR code opens a chat with. Leave empty to use the one in the credential.',
};

export const qrCodeField: INodeProperties = {
	displayName: 'QR Code',
	name: 'code',
	type: 'string',
	default: '',
	required: true,
	placeholder: '4O4YGZEG3RIVE1',
	description:
		'The code of the QR code: 14 capital letters and digits, as Create or Get Many gives it (the end of its wa.me/message/ link)',
};

export const prefilledMessageField: INodeProperties = {
	displayName: 'Prefilled Message',
	name: 'prefilledMessage',
	type: 'string',
	default: '',
	required: true,
	typeOptions: { rows: 2 },
	description: `The message the chat opens with, ready for the customer to send. ${upTo(LIMIT.qrPrefilledMessage)}.`,
};

/** The QR code of item `i`, checked before it goes into a path. */
export function readQrCode(fns: IExecuteFunctions, i: number): string {
	return qrCode(fns.getNode(), fns.getNodeParameter('code', i, ''), 'QR Code', i);
}

/** The prefilled message of item `i`: not empty, and within Meta's length (counted as a person counts). */
export function readPrefilledMessage(fns: IExecuteFunctions, i: number): string {
	const message = readText(fns, 'prefilledMessage', i, 'Prefilled Message');
	if (!message.trim())
		throw itemError(fns, i, 'Prefilled Message is empty', 'Write the message the chat opens with.');
	const length = charCount(message);
	if (length > LIMIT.qrPrefilledMessage)
		throw itemError(
			fns,
			i,
			`Prefilled Message is too long: ${length} characters (WhatsApp takes at most ${LIMIT.qrPrefilledMessage})`,
			'Shorten the message.',
		);
	return message;
}

/** Meta's QR code record in the node's output shape, with the raw record kept. */
export function qrCodeJson(q: IDataObject): IDataObject {
	return {
		code: q.code,
		prefilledMessage: q.prefilled_message,
		deepLinkUrl: q.deep_link_url,
		qrImageUrl: q.qr_image_url,
		raw: q,
	};
}

/** The record fields Get and Get Many ask Meta for. */
export const QR_FIELDS = 'code,prefilled_message,deep_link_url';

/** The MIME type and file extension of each image format Meta makes. */
export const QR_IMAGE_TYPES = {
	PNG: { mimeType: 'image/png', extension: 'png' },
	SVG: { mimeType: 'image/svg+xml', extension: 'svg' },
} as const;

export type QrImageFormat = keyof typeof QR_IMAGE_TYPES;
