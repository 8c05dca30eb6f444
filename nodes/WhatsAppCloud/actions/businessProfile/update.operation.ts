import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { checkBinaryUpload, type BinaryUpload, uploadResumable } from '../../../shared/media';
import { asText, itemError, text, validatePayload } from '../../helpers/validation';
import { LIMIT, upTo } from '../../helpers/limits';
import { phoneNumberField } from '../phoneNumber/common';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';

const VERTICALS = [
	'UNDEFINED',
	'OTHER',
	'AUTO',
	'BEAUTY',
	'APPAREL',
	'EDU',
	'ENTERTAIN',
	'EVENT_PLAN',
	'FINANCE',
	'GROCERY',
	'GOVT',
	'HOTEL',
	'HEALTH',
	'NONPROFIT',
	'PROF_SERVICES',
	'RETAIL',
	'TRAVEL',
	'RESTAURANT',
	'NOT_A_BIZ',
];

const displayOptions = { show: { resource: ['businessProfile'], operation: ['update'] } };

const properties: INodeProperties[] = [
	phoneNumberField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		options: [
			{
				displayName: 'About',
				name: 'about',
				type: 'string',
				default: '',
				description: `The profile's "About" text, 1 to ${LIMIT.profileAbout} characters, no formatting`,
			},
			{
				displayName: 'Address',
				name: 'address',
				type: 'string',
				default: '',
				description: upTo(LIMIT.profileAddress),
			},
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: upTo(LIMIT.profileDescription),
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'Up to 128 characters',
			},
			{
				displayName: 'Industry',
				name: 'vertical',
				type: 'options',
				default: 'OTHER',
				options: VERTICALS.map((v) => ({
					name: v.charAt(0) + v.slice(1).toLowerCase().replace(/_/g, ' '),
					value: v,
				})).sort((a, b) => a.name.localeCompare(b.name)),
			},
			{
				displayName: 'Profile Picture',
				name: 'profilePicture',
				type: 'string',
				default: 'data',
				hint: 'Input binary field with a JPEG or PNG picture, uploaded through the Resumable Upload API (needs the App ID in the credential)',
			},
			{
				displayName: 'Websites',
				name: 'websites',
				type: 'string',
				default: '',
				placeholder: 'https://example.com, https://shop.example.com',
				description: 'One or two links, separated by commas',
			},
		],
	},
];

const description = updateDisplayOptions(displayOptions, properties);

const profileSchema = z.object({
	about: text(LIMIT.profileAbout).optional(),
	address: text(LIMIT.profileAddress).optional(),
	description: text(LIMIT.profileDescription).optional(),
	email: z.string().email('is not a valid email address').max(LIMIT.profileEmail).optional(),
	vertical: z.enum(VERTICALS as [string, ...string[]]).optional(),
	websites: z
		.array(
			z
				.string()
				.url('is not a valid URL')
				.max(LIMIT.profileWebsite)
				.regex(/^https?:\/\//, 'must start with http:// or https://'),
		)
		.max(LIMIT.profileWebsites)
		.optional(),
});

const PROFILE_LABELS: Record<string, string> = {
	about: 'About',
	address: 'Address',
	description: 'Description',
	email: 'Email',
	vertical: 'Industry',
	websites: 'Websites',
};

export const update: Operation = {
	description,
	paced: false,
	async prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
		const id = ctx.sender(i, 'Phone Number');
		const fields = this.getNodeParameter('updateFields', i, {}) as IDataObject;
		const s = (k: string) =>
			fields[k] === undefined ? undefined : asText(this, fields[k], PROFILE_LABELS[k], i);
		const body = validatePayload(
			this,
			profileSchema,
			{
				about: s('about'),
				address: s('address'),
				description: s('description'),
				email: s('email')?.trim(),
				vertical: s('vertical'),
				websites:
					fields.websites === undefined
						? undefined
						: asText(this, fields.websites, PROFILE_LABELS.websites, i)
								.split(',')
								.map((w) => w.trim())
								.filter(Boolean),
			},
			i,
			{ ...PROFILE_LABELS, 'websites.*': 'Website' },
		) as IDataObject;
		let picture: BinaryUpload | undefined;
		if (fields.profilePicture !== undefined) {
			const property = String(fields.profilePicture || 'data');
			picture = await checkBinaryUpload(this, i, property, {
				field: 'Profile Picture',
				only: {
					types: ['image/jpeg', 'image/png'],
					refused: (mimeType) => `Profile Picture must be a JPEG or PNG image, not "${mimeType}"`,
				},
				fallbackName: 'profile',
			});
		}
		const payload = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
		if (!Object.keys(payload).length && !picture) {
			throw itemError(this, i, 'Nothing to update: add a field to Update Fields');
		}
		return async () => {
			const request: IDataObject = { messaging_product: 'whatsapp', ...payload };
			if (picture) request.profile_picture_handle = await uploadResumable(ctx, picture);
			const result = await ctx.call<{ success?: boolean }>(
				{ method: 'POST', path: `/${id}/whatsapp_business_profile`, body: request },
				i,
			);
			return { success: result.success === true, phoneNumberId: id, updated: request };
		};
	},
};
