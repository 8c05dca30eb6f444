import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { asText, text, validatePayload } from '../../helpers/validation';
import { LIMIT } from '../../helpers/limits';
import { recipientField, sendOptions } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { buildEnvelope, readSendOptions, sendMessage } from './send';

const displayOptions = { show: { resource: ['message'], operation: ['sendContacts'] } };

const properties: INodeProperties[] = [
	recipientField,
	{
		displayName: 'Contacts',
		name: 'contacts',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add contact',
		required: true,
		description: 'One or more contact cards',
		options: [
			{
				displayName: 'Contact',
				name: 'contact',
				values: [
					{
						displayName: 'Birthday',
						name: 'birthday',
						type: 'string',
						default: '',
						placeholder: 'YYYY-MM-DD',
					},
					{ displayName: 'City', name: 'city', type: 'string', default: '' },
					{ displayName: 'Company', name: 'company', type: 'string', default: '' },
					{ displayName: 'Country', name: 'country', type: 'string', default: '' },
					{
						displayName: 'Country Code',
						name: 'countryCode',
						type: 'string',
						default: '',
						placeholder: 'us',
					},
					{ displayName: 'Department', name: 'department', type: 'string', default: '' },
					{
						displayName: 'Email',
						name: 'email',
						type: 'string',
						placeholder: 'name@email.com',
						default: '',
					},
					{
						displayName: 'Email Type',
						name: 'emailType',
						type: 'options',
						default: 'WORK',
						options: [
							{ name: 'Home', value: 'HOME' },
							{ name: 'Work', value: 'WORK' },
						],
					},
					{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
					{
						displayName: 'Full Name',
						name: 'formattedName',
						type: 'string',
						default: '',
						description: 'The name shown on the card (required)',
					},
					{ displayName: 'Job Title', name: 'title', type: 'string', default: '' },
					{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
					{
						displayName: 'Phone',
						name: 'phone',
						type: 'string',
						default: '',
						placeholder: '+1 650 555 1234',
					},
					{
						displayName: 'Phone Type',
						name: 'phoneType',
						type: 'options',
						default: 'CELL',
						options: [
							{ name: 'Cell', value: 'CELL' },
							{ name: 'Home', value: 'HOME' },
							{ name: 'iPhone', value: 'IPHONE' },
							{ name: 'Main', value: 'MAIN' },
							{ name: 'Work', value: 'WORK' },
						],
					},
					{ displayName: 'State', name: 'state', type: 'string', default: '' },
					{ displayName: 'Street', name: 'street', type: 'string', default: '' },
					{
						displayName: 'Website',
						name: 'url',
						type: 'string',
						default: '',
						placeholder: 'https://example.com',
					},
					{
						displayName: 'WhatsApp ID',
						name: 'waId',
						type: 'string',
						default: '',
						description:
							'The phone\'s WhatsApp ID (digits only), to show a "Message" button on the card',
					},
					{ displayName: 'ZIP', name: 'zip', type: 'string', default: '' },
				],
			},
		],
	},
	sendOptions(),
];

const description = updateDisplayOptions(displayOptions, properties);

/** Editor labels of a contact's fields, for errors: "Contact > Full Name". */
const FIELD_LABELS: Record<string, string> = Object.fromEntries(
	((description[1].options?.[0] as { values?: INodeProperties[] }).values ?? []).map((v) => [
		v.name,
		`Contact > ${v.displayName}`,
	]),
);

const optionalText = text(LIMIT.contactText).optional();

const contactSchema = z.object({
	name: z.object({
		formatted_name: text(LIMIT.contactText),
		first_name: optionalText,
		last_name: optionalText,
	}),
	phones: z
		.array(
			z.object({
				phone: text(LIMIT.contactPhone),
				type: z.string(),
				wa_id: z
					.string()
					.regex(/^\d{7,15}$/, 'must be digits only (7 to 15)')
					.optional(),
			}),
		)
		.optional(),
	emails: z
		.array(z.object({ email: z.string().email('is not a valid email address'), type: z.string() }))
		.optional(),
	org: z
		.object({ company: optionalText, department: optionalText, title: optionalText })
		.optional(),
	urls: z
		.array(z.object({ url: z.string().url('is not a valid URL'), type: z.string() }))
		.optional(),
	birthday: z
		.string()
		.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
		.optional(),
	addresses: z
		.array(
			z.object({
				street: optionalText,
				city: optionalText,
				state: optionalText,
				zip: optionalText,
				country: optionalText,
				country_code: optionalText,
				type: z.string(),
			}),
		)
		.optional(),
});

const contactsSchema = z.array(contactSchema).min(1);

const LABELS: Record<string, string> = {
	'*': 'Contact',
	'*.name.formatted_name': 'Contact > Full Name',
	'*.name': 'Contact > Name',
	'*.phones': 'Contact > Phone',
	'*.emails': 'Contact > Email',
	'*.urls': 'Contact > Website',
	'*.birthday': 'Contact > Birthday',
	'*.org': 'Contact > Company',
	'*.addresses': 'Contact > Address',
};

const clean = (o: IDataObject): IDataObject | undefined => {
	const entries = Object.entries(o).filter(([, v]) => v !== undefined && v !== '');
	return entries.length ? Object.fromEntries(entries) : undefined;
};

function toMeta(fns: IExecuteFunctions, c: IDataObject, i: number): IDataObject {
	const s = (k: string) => asText(fns, c[k], FIELD_LABELS[k] ?? `Contact > ${k}`, i).trim();
	const org = clean({ company: s('company'), department: s('department'), title: s('title') });
	const address = clean({
		street: s('street'),
		city: s('city'),
		state: s('state'),
		zip: s('zip'),
		country: s('country'),
		country_code: s('countryCode'),
	});
	return {
		name: clean({
			formatted_name: s('formattedName'),
			first_name: s('firstName'),
			last_name: s('lastName'),
		}) ?? { formatted_name: '' },
		...(s('phone')
			? { phones: [clean({ phone: s('phone'), type: s('phoneType') || 'CELL', wa_id: s('waId') })] }
			: {}),
		...(s('email') ? { emails: [{ email: s('email'), type: s('emailType') || 'WORK' }] } : {}),
		...(org ? { org } : {}),
		...(s('url') ? { urls: [{ url: s('url'), type: 'WORK' }] } : {}),
		...(s('birthday') ? { birthday: s('birthday') } : {}),
		...(address ? { addresses: [{ ...address, type: 'WORK' }] } : {}),
	};
}

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const raw = (this.getNodeParameter('contacts.contact', i, []) as IDataObject[]) ?? [];
	const contacts = validatePayload(
		this,
		contactsSchema,
		raw.map((c) => toMeta(this, c, i)),
		i,
		LABELS,
	);
	const envelope = await buildEnvelope(
		this,
		i,
		ctx,
		{ type: 'contacts', contacts },
		readSendOptions(this, i),
	);
	return async () => await sendMessage(ctx, i, envelope);
}

export const sendContacts: Operation = { description, paced: true, prepare };
