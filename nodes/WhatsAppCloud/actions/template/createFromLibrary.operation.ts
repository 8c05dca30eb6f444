import type {
	IDataObject,
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { LIMIT, upToLower } from '../../helpers/limits';
import { asText, itemError, readText } from '../../helpers/validation';
import type { OperationContext } from '../../transport/context';
import type { Operation } from '../types';
import { PACKAGE_NAME, SIGNATURE_HASH } from './kinds/authentication';
import { otherLanguageField, readLanguage, templateLanguagesWithOther } from './languages';

/**
 * Template > Create From Library: a template made from one of Meta's ready-written library
 * templates (`library_template_name`), with the inputs its buttons need (a URL, a phone number, a
 * code button) and optional body additions. Meta approves such a template at once. The button
 * inputs go as an array of objects: Meta's own sample writes them as a quoted string while its
 * field table says array, and the known clients send an array.
 */

const displayOptions = { show: { resource: ['template'], operation: ['createFromLibrary'] } };

const NAME = new RegExp(`^[a-z0-9_]{1,${LIMIT.templateName}}$`);
const LIBRARY_NAME = /^[a-z0-9_]+$/;
const BUTTON_TYPES = ['OTP', 'PHONE_NUMBER', 'QUICK_REPLY', 'URL'] as const;
const OTP_TYPES = ['COPY_CODE', 'ONE_TAP', 'ZERO_TAP'] as const;

const properties: INodeProperties[] = [
	{
		displayName: 'Library Template',
		name: 'libraryTemplate',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			"A template of Meta's Template Library, by its library name (WhatsApp Manager > Message templates > Browse template library)",
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Search the library...',
				typeOptions: { searchListMethod: 'searchLibraryTemplates', searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'delivery_update_1',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^[a-z0-9_]+$',
							errorMessage: 'A library name has lowercase letters, digits and underscores',
						},
					},
				],
			},
		],
	},
	{
		displayName: 'Name',
		name: 'templateName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'my_delivery_update',
		description: `The new template's name: lowercase letters, digits and underscores, ${upToLower(LIMIT.templateName)}`,
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'options',
		default: 'en_US',
		required: true,
		options: templateLanguagesWithOther,
		description: 'A language the library template is offered in',
	},
	otherLanguageField,
	{
		displayName: 'Category',
		name: 'libraryCategory',
		type: 'options',
		default: 'UTILITY',
		options: [
			{ name: 'Authentication', value: 'AUTHENTICATION', description: 'One-time passwords' },
			{ name: 'Utility', value: 'UTILITY', description: 'Order, account and payment updates' },
		],
		description:
			"The library template's category. The library has utility and authentication templates; if Meta takes only Utility for this account, its error says so.",
	},
	{
		displayName: 'Button Inputs',
		name: 'buttonInputs',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add button input',
		description:
			"What the library template's buttons need, one entry per button, in the template's order. Required when the library template has buttons (the list shows which).",
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{
						displayName: 'Android Package Name',
						name: 'packageName',
						type: 'string',
						default: '',
						placeholder: 'com.example.app',
						description: 'For One-Tap and Zero-Tap: the app that receives the code',
						displayOptions: { show: { type: ['OTP'], otpType: ['ONE_TAP', 'ZERO_TAP'] } },
					},
					{
						displayName: 'Base URL',
						name: 'baseUrl',
						type: 'string',
						default: '',
						placeholder: 'https://www.example.com/{{1}}',
						description: `Your website address; end it with {{1}} for a part added at send time. ${upTo2000()}.`,
						displayOptions: { show: { type: ['URL'] } },
					},
					{
						displayName: 'Code Type',
						name: 'otpType',
						type: 'options',
						default: 'COPY_CODE',
						options: [
							{ name: 'Copy Code', value: 'COPY_CODE' },
							{ name: 'One-Tap Autofill', value: 'ONE_TAP' },
							{ name: 'Zero-Tap', value: 'ZERO_TAP' },
						],
						displayOptions: { show: { type: ['OTP'] } },
					},
					{
						displayName: 'Phone Number',
						name: 'phoneNumber',
						type: 'string',
						default: '',
						placeholder: '+16315551010',
						description: `The number the button calls, with country code; up to ${LIMIT.templateButtonPhoneDigits} digits`,
						displayOptions: { show: { type: ['PHONE_NUMBER'] } },
					},
					{
						displayName: 'Signature Hash',
						name: 'signatureHash',
						type: 'string',
						default: '',
						description: `For One-Tap and Zero-Tap: the app signing key hash, ${LIMIT.signatureHash} characters`,
						displayOptions: { show: { type: ['OTP'], otpType: ['ONE_TAP', 'ZERO_TAP'] } },
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						default: 'URL',
						options: [
							{ name: 'Code (OTP)', value: 'OTP' },
							{ name: 'Phone Number', value: 'PHONE_NUMBER' },
							{ name: 'Quick Reply', value: 'QUICK_REPLY' },
							{ name: 'URL', value: 'URL' },
						],
					},
					{
						displayName: 'URL Suffix Example',
						name: 'urlSuffixExample',
						type: 'string',
						default: '',
						placeholder: 'https://www.example.com/order_update',
						description: 'A whole example URL with the variable part filled in, for review',
						displayOptions: { show: { type: ['URL'] } },
					},
					{
						displayName: 'Zero-Tap Terms Accepted',
						name: 'zeroTapTermsAccepted',
						type: 'boolean',
						default: false,
						description: "Whether you accept Meta's zero-tap terms, which a Zero-Tap button needs",
						displayOptions: { show: { type: ['OTP'], otpType: ['ZERO_TAP'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Body Inputs',
		name: 'bodyInputs',
		type: 'collection',
		default: {},
		placeholder: 'Add body input',
		description:
			"Additions to the library template's text; Meta ignores the ones a template does not offer",
		options: [
			{
				displayName: 'Add Contact Number',
				name: 'add_contact_number',
				type: 'boolean',
				default: true,
				description: 'Whether to add your phone number to the text',
			},
			{
				displayName: 'Add Learn More Link',
				name: 'add_learn_more_link',
				type: 'boolean',
				default: true,
				description: 'Whether to add a "learn more" link',
			},
			{
				displayName: 'Add Security Recommendation',
				name: 'add_security_recommendation',
				type: 'boolean',
				default: true,
				description: 'Whether to add "For your security, do not share this code." (authentication)',
			},
			{
				displayName: 'Add Track Package Link',
				name: 'add_track_package_link',
				type: 'boolean',
				default: true,
				description: 'Whether to add a package tracking link',
			},
			{
				displayName: 'Code Expiration (Minutes)',
				name: 'code_expiration_minutes',
				type: 'number',
				typeOptions: { minValue: LIMIT.codeExpirationMin, maxValue: LIMIT.codeExpirationMax },
				default: 10,
				description: `Authentication: "This code expires in N minutes", ${LIMIT.codeExpirationMin} to ${LIMIT.codeExpirationMax}`,
			},
		],
	},
];

function upTo2000() {
	return `Up to ${LIMIT.templateButtonUrl.toLocaleString('en-US')} characters`;
}

const description = updateDisplayOptions(displayOptions, properties);

/** The editor labels of the Body Inputs, for errors. */
const BODY_INPUT_LABELS: Record<string, string> = Object.fromEntries(
	((properties.find((p) => p.name === 'bodyInputs')?.options ?? []) as INodeProperties[]).map(
		(o) => [o.name, o.displayName],
	),
);

const HTTPS = /^https:\/\/[^\s/?#]+\.[^\s/?#]+/i;

/** One button input, checked as Meta would check it; `label` names the entry as the editor shows it. */
function buttonInput(
	fns: IExecuteFunctions,
	i: number,
	entry: IDataObject,
	label: string,
): IDataObject {
	const fail = (problem: string, fix = '') => itemError(fns, i, `${label} ${problem}`, fix);
	const text = (key: string, name: string) =>
		asText(fns, entry[key], `${label} > ${name}`, i).trim();
	const type = String(entry.type ?? '').toUpperCase();
	if (!(BUTTON_TYPES as readonly string[]).includes(type))
		throw fail(`> Type must be ${BUTTON_TYPES.join(', ')}, got ${JSON.stringify(entry.type)}`);
	if (type === 'URL') {
		const base = text('baseUrl', 'Base URL');
		const example = text('urlSuffixExample', 'URL Suffix Example');
		for (const [value, name] of [
			[base, 'Base URL'],
			[example, 'URL Suffix Example'],
		] as const) {
			if (!HTTPS.test(value))
				throw fail(`> ${name} must be an https:// address, got ${JSON.stringify(value)}`);
			if ([...value].length > LIMIT.templateButtonUrl)
				throw fail(
					`> ${name} is too long: ${[...value].length} characters (WhatsApp allows at most ${LIMIT.templateButtonUrl})`,
				);
		}
		const variables = base.match(/\{\{[^}]*\}\}/g) ?? [];
		if (variables.length > 1 || (variables.length === 1 && !/\{\{1\}\}$/.test(base)))
			throw fail('> Base URL may have one variable, {{1}}, at its very end');
		return { type, url: { base_url: base, url_suffix_example: example } };
	}
	if (type === 'PHONE_NUMBER') {
		const number = text('phoneNumber', 'Phone Number');
		const digits = number.replace(/[\s\-()]/g, '');
		if (!/^\+?\d+$/.test(digits))
			throw fail(
				`> Phone Number must be a phone number with country code, got ${JSON.stringify(number)}`,
			);
		if (digits.replace('+', '').length > LIMIT.templateButtonPhoneDigits)
			throw fail(
				`> Phone Number has ${digits.replace('+', '').length} digits (WhatsApp allows at most ${LIMIT.templateButtonPhoneDigits})`,
			);
		return { type, phone_number: digits };
	}
	if (type === 'OTP') {
		const otp = String(entry.otpType ?? 'COPY_CODE').toUpperCase();
		if (!(OTP_TYPES as readonly string[]).includes(otp))
			throw fail(
				`> Code Type must be ${OTP_TYPES.join(', ')}, got ${JSON.stringify(entry.otpType)}`,
			);
		const input: IDataObject = { type, otp_type: otp };
		if (otp === 'COPY_CODE') return input;
		const packageName = text('packageName', 'Android Package Name');
		const hash = text('signatureHash', 'Signature Hash');
		if (!PACKAGE_NAME.test(packageName) || packageName.length > LIMIT.packageName)
			throw fail(
				`> Android Package Name must be an Android package name such as com.example.app, got ${JSON.stringify(packageName)}`,
			);
		if (!SIGNATURE_HASH.test(hash))
			throw fail(
				`> Signature Hash must be exactly ${LIMIT.signatureHash} characters of letters, digits, +, / and =, got ${JSON.stringify(hash)}`,
			);
		input.supported_apps = [{ package_name: packageName, signature_hash: hash }];
		if (otp === 'ZERO_TAP') {
			if (entry.zeroTapTermsAccepted !== true)
				throw fail(
					'> Zero-Tap Terms Accepted must be on for a Zero-Tap button',
					'Meta creates zero-tap templates only for businesses that accept its zero-tap terms.',
				);
			input.zero_tap_terms_accepted = true;
		}
		return input;
	}
	return { type };
}

const BOOLEAN_INPUTS = [
	'add_contact_number',
	'add_learn_more_link',
	'add_security_recommendation',
	'add_track_package_link',
];

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const locator = this.getNodeParameter('libraryTemplate', i) as
		| INodeParameterResourceLocator
		| string;
	const library = asText(
		this,
		typeof locator === 'string' ? locator : locator.value,
		'Library Template',
		i,
	).trim();
	if (!LIBRARY_NAME.test(library))
		throw itemError(
			this,
			i,
			library
				? `Library Template must be a library template name (lowercase letters, digits, underscores), got ${JSON.stringify(library.slice(0, 60))}`
				: 'Library Template is empty; choose a template of the library',
			'Pick it from the list, or copy its name from the Template Library in WhatsApp Manager.',
		);
	const name = readText(this, 'templateName', i, 'Name', { trim: true });
	if (!NAME.test(name))
		throw itemError(
			this,
			i,
			`Name must be a template name (lowercase letters, digits and underscores, up to ${LIMIT.templateName}), got ${JSON.stringify(name.slice(0, 60))}`,
		);
	const language = readLanguage(this, i);
	const category = String(this.getNodeParameter('libraryCategory', i, 'UTILITY')).toUpperCase();
	if (category !== 'UTILITY' && category !== 'AUTHENTICATION')
		throw itemError(
			this,
			i,
			`Category must be UTILITY or AUTHENTICATION, got ${JSON.stringify(category)}`,
			'The Template Library has utility and authentication templates only.',
		);
	const entries = ((this.getNodeParameter('buttonInputs', i, {}) as IDataObject).button ??
		[]) as IDataObject[];
	const buttons = entries.map((entry, n) =>
		buttonInput(this, i, entry, `Button Inputs > Button ${n + 1}`),
	);
	const fields = this.getNodeParameter('bodyInputs', i, {}) as IDataObject;
	const bodyInputs: IDataObject = {};
	for (const key of BOOLEAN_INPUTS)
		if (fields[key] !== undefined) {
			if (typeof fields[key] !== 'boolean')
				throw itemError(
					this,
					i,
					`Body Inputs > ${BODY_INPUT_LABELS[key] ?? key} must be true or false, got ${JSON.stringify(fields[key])}`,
				);
			bodyInputs[key] = fields[key];
		}
	if (fields.code_expiration_minutes !== undefined) {
		const minutes = fields.code_expiration_minutes;
		if (
			!Number.isInteger(minutes) ||
			(minutes as number) < LIMIT.codeExpirationMin ||
			(minutes as number) > LIMIT.codeExpirationMax
		)
			throw itemError(
				this,
				i,
				`Body Inputs > Code Expiration (Minutes) must be a whole number from ${LIMIT.codeExpirationMin} to ${LIMIT.codeExpirationMax}, got ${JSON.stringify(minutes)}`,
			);
		bodyInputs.code_expiration_minutes = minutes;
	}
	const body: IDataObject = {
		name,
		language,
		category,
		library_template_name: library,
		...(buttons.length ? { library_template_button_inputs: buttons } : {}),
		...(Object.keys(bodyInputs).length ? { library_template_body_inputs: bodyInputs } : {}),
	};
	const waba = ctx.waba(i);
	return async () => {
		const created = await ctx.call<{ id: string; status: string; category: string }>(
			{ method: 'POST', path: `/${waba}/message_templates`, body },
			i,
		);
		return {
			id: created.id,
			status: created.status,
			category: created.category,
			name,
			language,
			libraryTemplateName: library,
		};
	};
}

export const createFromLibrary: Operation = { description, paced: false, prepare };
