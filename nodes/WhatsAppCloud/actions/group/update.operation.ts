import { randomBytes } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { jpegSize } from '../../../shared/jpeg';
import { checkBinaryUpload } from '../../../shared/media';
import { LIMIT, upTo } from '../../helpers/limits';
import { asText, itemError } from '../../helpers/validation';
import type { OperationContext } from '../../transport/context';
import type { Operation } from '../types';
import { checkDescription, checkSubject, groupIdField, readGroupId } from './common';

const displayOptions = { show: { resource: ['group'], operation: ['update'] } };

const MiB = 1024 * 1024;

const properties: INodeProperties[] = [
	groupIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				typeOptions: { rows: 3 },
				description: `The group's new description. ${upTo(LIMIT.groupDescription)}.`,
			},
			{
				displayName: 'Picture',
				name: 'picture',
				type: 'string',
				default: 'data',
				hint: `Input binary field with a square JPEG of at least ${LIMIT.groupPictureMinPixels}×${LIMIT.groupPictureMinPixels} pixels, up to ${LIMIT.groupPictureBytes / MiB} MB`,
				description: "The name of the input binary field that holds the group's new picture",
			},
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
				description: `The group's new name. ${upTo(LIMIT.groupSubject)}; white space around it is removed.`,
			},
		],
	},
];

const description = updateDisplayOptions(displayOptions, properties);

/**
 * A group picture read from an item's binary field and checked as Meta checks it: a JPEG of at
 * most 5 MB, square, at least 192 pixels a side. Its size is read from the JPEG's own bytes, so a
 * file Meta would refuse (131209, 131210) fails before any request.
 */
async function readPicture(fns: IExecuteFunctions, i: number, property: string) {
	const field = `Picture (binary field "${property}")`;
	const file = await checkBinaryUpload(fns, i, property, {
		field,
		only: {
			types: ['image/jpeg'],
			refused: (mimeType) =>
				`${field} must be a JPEG image, not "${mimeType || 'unknown type'}" (WhatsApp takes only JPEG group pictures)`,
		},
		fallbackName: 'group-picture',
	});
	if (file.size > LIMIT.groupPictureBytes)
		throw itemError(
			fns,
			i,
			`${field} is too large: ${(file.size / MiB).toFixed(1)} MB (WhatsApp allows at most ${LIMIT.groupPictureBytes / MiB} MB)`,
			'Make the picture smaller.',
		);
	const bytes = await fns.helpers.getBinaryDataBuffer(i, property);
	if (bytes.length > LIMIT.groupPictureBytes)
		throw itemError(
			fns,
			i,
			`${field} is too large: ${(bytes.length / MiB).toFixed(1)} MB (WhatsApp allows at most ${LIMIT.groupPictureBytes / MiB} MB)`,
			'Make the picture smaller.',
		);
	const size = jpegSize(bytes);
	if (!size)
		throw itemError(
			fns,
			i,
			`${field} is not a JPEG image: its bytes have no JPEG frame header`,
			'Convert the picture to JPEG.',
		);
	if (size.width !== size.height)
		throw itemError(
			fns,
			i,
			`${field} is not square: ${size.width}×${size.height} pixels (WhatsApp takes only square group pictures)`,
			'Crop the picture to a square.',
		);
	if (size.width < LIMIT.groupPictureMinPixels)
		throw itemError(
			fns,
			i,
			`${field} is too small: ${size.width}×${size.height} pixels (WhatsApp needs at least ${LIMIT.groupPictureMinPixels}×${LIMIT.groupPictureMinPixels})`,
			'Use a larger picture.',
		);
	// the bytes are read again when the item is sent: all items are prepared before any is sent,
	// and a run of many items must not hold every picture in memory meanwhile
	return { property, fileName: file.fileName, ...size };
}

/**
 * The update as multipart/form-data, the picture as `profile_picture_file`. Meta's OpenAPI types
 * the JSON `profile_picture_file` as a file path and names the multipart file part `file`; the
 * field Meta's groups reference documents is `profile_picture_file`, which is sent here.
 */
function multipart(fields: IDataObject, picture: { bytes: Buffer; fileName: string }) {
	const boundary = `----n8nWhatsAppCloud${randomBytes(12).toString('hex')}`;
	const parts = Object.entries(fields).map(
		([name, value]) =>
			`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${String(value as string)}\r\n`,
	);
	const safeName = picture.fileName.replace(/["\r\n]/g, '_');
	const body = Buffer.concat([
		Buffer.from(
			`${parts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="profile_picture_file"; filename="${safeName}"\r\nContent-Type: image/jpeg\r\n\r\n`,
		),
		picture.bytes,
		Buffer.from(`\r\n--${boundary}--\r\n`),
	]);
	return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const group = readGroupId(this, i);
	const fields = this.getNodeParameter('updateFields', i, {}) as IDataObject;
	const changes: IDataObject = {};
	if (fields.subject !== undefined)
		changes.subject = checkSubject(this, i, asText(this, fields.subject, 'Subject', i));
	if (fields.description !== undefined)
		changes.description = checkDescription(
			this,
			i,
			asText(this, fields.description, 'Description', i),
		);
	const picture =
		fields.picture !== undefined
			? await readPicture(this, i, asText(this, fields.picture, 'Picture', i).trim() || 'data')
			: undefined;
	if (!Object.keys(changes).length && !picture)
		throw itemError(this, i, 'Nothing to update: add a field to Update Fields');
	return async () => {
		const fieldsSent: IDataObject = { messaging_product: 'whatsapp', ...changes };
		let answer: IDataObject;
		if (picture) {
			const bytes = await this.helpers.getBinaryDataBuffer(i, picture.property);
			const { body, contentType } = multipart(fieldsSent, { bytes, fileName: picture.fileName });
			answer = await ctx.call<IDataObject>(
				{ method: 'POST', path: `/${group}`, body, headers: { 'Content-Type': contentType } },
				i,
			);
		} else {
			answer = await ctx.call<IDataObject>(
				{ method: 'POST', path: `/${group}`, body: fieldsSent },
				i,
			);
		}
		return {
			success: answer.success === true,
			groupId: group,
			...changes,
			...(picture ? { picture: { width: picture.width, height: picture.height } } : {}),
			// each setting's outcome comes in a group_settings_update webhook
			note: "Each change's outcome arrives in the WhatsApp Cloud Trigger's group_settings_update item (update_successful per setting).",
			raw: answer,
		};
	};
}

export const update: Operation = { description, paced: false, prepare };
