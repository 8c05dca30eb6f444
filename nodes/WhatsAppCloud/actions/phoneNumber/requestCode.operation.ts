import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { itemError, readText } from '../../helpers/validation';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { phoneNumberField } from './common';

/** The language of the code message, as Meta takes it: language_COUNTRY. */
const LANGUAGE = /^[a-z]{2}_[A-Z]{2}$/;

const displayOptions = { show: { resource: ['phoneNumber'], operation: ['requestCode'] } };

const properties: INodeProperties[] = [
	{
		...phoneNumberField,
		description:
			'The number to verify: Meta sends the code to it. Leave empty to use the one in the credential.',
	},
	{
		displayName: 'Code Method',
		name: 'codeMethod',
		type: 'options',
		default: 'SMS',
		options: [
			{ name: 'SMS', value: 'SMS', description: 'A text message to the number' },
			{ name: 'Voice', value: 'VOICE', description: 'A phone call to the number' },
		],
		description: 'How Meta sends the 6-digit verification code',
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: 'en_US',
		required: true,
		placeholder: 'en_US',
		hint: 'Then give the code to Phone Number > Verify Code',
		description:
			'Language of the code message: language and country, such as en_US, pt_BR or de_DE',
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = ctx.sender(i, 'Phone Number');
	const method = String(this.getNodeParameter('codeMethod', i, 'SMS') as string).trim();
	if (method !== 'SMS' && method !== 'VOICE')
		throw itemError(
			this,
			i,
			`Code Method must be SMS or VOICE, got ${JSON.stringify(method.slice(0, 20))}`,
		);
	const language = readText(this, 'language', i, 'Language', { trim: true });
	if (!LANGUAGE.test(language))
		throw itemError(
			this,
			i,
			language
				? `Language must be a language and country code such as en_US, got ${JSON.stringify(language.slice(0, 20))}`
				: 'Language is empty; it needs a language and country code such as en_US',
			'Two small letters, an underscore and two capital letters (en_US, pt_BR, de_DE).',
		);
	return async () => {
		const result = await ctx.call<{ success?: boolean }>(
			{
				method: 'POST',
				path: `/${id}/request_code`,
				body: { code_method: method, language },
			},
			i,
		);
		return {
			success: result.success === true,
			phoneNumberId: id,
			codeMethod: method,
			language,
		};
	};
}

export const requestCode: Operation = { description, paced: false, prepare };
