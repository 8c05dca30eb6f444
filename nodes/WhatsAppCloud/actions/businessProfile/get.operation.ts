import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { phoneNumberField } from '../phoneNumber/common';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';

const PROFILE_FIELDS = 'about,address,description,email,profile_picture_url,websites,vertical';

const displayOptions = { show: { resource: ['businessProfile'], operation: ['get'] } };

const description = updateDisplayOptions(displayOptions, [phoneNumberField]);

export const get: Operation = {
	description,
	paced: false,
	async prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
		const id = ctx.sender(i, 'Phone Number');
		return async () => {
			const result = await ctx.call<{ data?: IDataObject[] }>(
				{ method: 'GET', path: `/${id}/whatsapp_business_profile`, qs: { fields: PROFILE_FIELDS } },
				i,
			);
			const profile = result.data?.[0] ?? {};
			return {
				phoneNumberId: id,
				about: profile.about ?? null,
				address: profile.address ?? null,
				description: profile.description ?? null,
				email: profile.email ?? null,
				websites: profile.websites ?? [],
				vertical: profile.vertical ?? null,
				profilePictureUrl: profile.profile_picture_url ?? null,
			};
		};
	},
};
