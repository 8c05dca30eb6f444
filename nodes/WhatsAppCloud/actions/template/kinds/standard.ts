import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { LIMIT, upTo, upToLower } from '../../../helpers/limits';
import { bodyFields, bodyFromForm, checkBody } from '../parts/body';
import {
	BUTTON_TEXT_DESCRIPTION,
	BUTTON_URL_DESCRIPTION,
	buttonsComponents,
	checkButtons,
	urlButton,
	voiceCallButton,
} from '../parts/buttons';
import { callPermissionComponents, callPermissionField } from '../parts/callPermission';
import { checkFooter, footerComponents } from '../parts/footer';
import { checkHeader, formatHeader, textHeader } from '../parts/header';
import type { Check, PartRule, Path, TemplateForm, TemplateKind } from '../parts/types';

/**
 * The standard template: a header (text, file or location), a body, a footer and its
 * buttons. Its rules are its parts' own, and they hold for the message of every template but an
 * authentication one: a carousel's message body is checked as this body.
 */

/** The standard form's fields are hidden when the category or Template Type chooses another kind. */
const otherKinds = {
	category: ['AUTHENTICATION'],
	templateType: ['mediaCarousel', 'productCarousel'],
};

const headerFields: INodeProperties[] = [
	{
		displayName: 'Header',
		name: 'headerFormat',
		type: 'options',
		default: 'NONE',
		options: [
			{ name: 'Document', value: 'DOCUMENT' },
			{ name: 'Image', value: 'IMAGE' },
			{ name: 'Location', value: 'LOCATION' },
			{ name: 'None', value: 'NONE' },
			{ name: 'Text', value: 'TEXT' },
			{ name: 'Video', value: 'VIDEO' },
		],
		displayOptions: { show: { definition: ['form'] }, hide: otherKinds },
	},
	{
		displayName: 'Header Text',
		name: 'headerText',
		type: 'string',
		default: '',
		placeholder: 'Receipt for {{1}}',
		description: `${upTo(LIMIT.templateHeaderText)} and at most one variable`,
		displayOptions: { show: { definition: ['form'], headerFormat: ['TEXT'] }, hide: otherKinds },
	},
	{
		displayName: 'Header Example',
		name: 'headerExample',
		type: 'string',
		default: '',
		description: 'Sample value of the header variable (for named parameters: name=value)',
		displayOptions: { show: { definition: ['form'], headerFormat: ['TEXT'] }, hide: otherKinds },
	},
	{
		displayName: 'Header Sample File',
		name: 'headerBinaryProperty',
		type: 'string',
		default: 'data',
		hint: "Input binary field with a sample file for Meta's review (PDF, JPEG, PNG or MP4), uploaded through the Resumable Upload API; needs the App ID in the credential",
		displayOptions: {
			show: { definition: ['form'], headerFormat: ['IMAGE', 'VIDEO', 'DOCUMENT'] },
			hide: otherKinds,
		},
	},
];

/** One button of the Buttons list: the fields of every type, each shown for its own. */
const buttonValues: INodeProperties[] = [
	{
		displayName: 'Code Example',
		name: 'couponExample',
		type: 'string',
		default: '',
		description: `Copy code: a sample code, ${upToLower(LIMIT.couponCode)}`,
		displayOptions: { show: { type: ['COPY_CODE'] } },
	},
	{
		displayName: 'Flow Action',
		name: 'flowAction',
		type: 'options',
		default: 'navigate',
		options: [
			{
				name: 'Data Exchange',
				value: 'data_exchange',
				description: "The Flow asks your Flow endpoint for its first screen's data",
			},
			{
				name: 'Navigate',
				value: 'navigate',
				description: 'The Flow opens on a screen, with data given when sending',
			},
		],
		displayOptions: { show: { type: ['FLOW'] } },
	},
	{
		displayName: 'Flow By',
		name: 'flowBy',
		type: 'options',
		default: 'id',
		options: [
			{ name: 'ID', value: 'id' },
			{ name: 'Name', value: 'name' },
		],
		description: 'A name breaks the button if the Flow is renamed; an ID does not',
		displayOptions: { show: { type: ['FLOW'] } },
	},
	{
		displayName: 'Flow ID',
		name: 'flowId',
		type: 'string',
		default: '',
		placeholder: '1197715005513101',
		displayOptions: { show: { type: ['FLOW'], flowBy: ['id'] } },
	},
	{
		displayName: 'Flow Name',
		name: 'flowName',
		type: 'string',
		default: '',
		displayOptions: { show: { type: ['FLOW'], flowBy: ['name'] } },
	},
	{
		displayName: 'Navigate Screen',
		name: 'navigateScreen',
		type: 'string',
		default: '',
		placeholder: 'BOOKING',
		description: "The ID of the screen the Flow opens on; empty: the Flow's first screen",
		displayOptions: { show: { type: ['FLOW'], flowAction: ['navigate'] } },
	},
	{
		displayName: 'Phone Number',
		name: 'phoneNumber',
		type: 'string',
		default: '',
		placeholder: '+15550051310',
		displayOptions: { show: { type: ['PHONE_NUMBER'] } },
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		description: BUTTON_TEXT_DESCRIPTION,
	},
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		default: 'QUICK_REPLY',
		options: [
			{ name: 'Copy Code', value: 'COPY_CODE' },
			{
				name: 'Flow',
				value: 'FLOW',
				description: 'Opens a WhatsApp Flow (a form) in the chat',
			},
			{ name: 'Phone Number', value: 'PHONE_NUMBER' },
			{ name: 'Quick Reply', value: 'QUICK_REPLY' },
			{
				name: 'Request Contact Info',
				value: 'REQUEST_CONTACT_INFO',
				description:
					'Asks the customer to share their phone number; Utility and Marketing templates only',
			},
			{ name: 'URL', value: 'URL' },
			{
				name: 'Voice Call',
				value: 'VOICE_CALL',
				description: `Starts a WhatsApp call to your business; its text ${upToLower(LIMIT.callButtonText)} (empty: "Call Now")`,
			},
		],
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/orders/{{1}}',
		description: BUTTON_URL_DESCRIPTION,
		displayOptions: { show: { type: ['URL'] } },
	},
	{
		displayName: 'URL Example',
		name: 'urlExample',
		type: 'string',
		default: '',
		description: 'Sample value of the URL variable',
		displayOptions: { show: { type: ['URL'] } },
	},
	{
		displayName: 'Valid For (Minutes)',
		name: 'callValidFor',
		type: 'number',
		// LIMIT.callTtlDefault, WhatsApp's default as sent (the linter takes a literal here)
		default: 10080,
		description: `Voice call: how long the button can be tapped once sent, ${LIMIT.templateCallTtlMin.toLocaleString('en-US')} (1 day) to ${LIMIT.callTtlMax.toLocaleString('en-US')} minutes (30 days). A send may set it again, from ${LIMIT.callTtlMin} minute.`,
		displayOptions: { show: { type: ['VOICE_CALL'] } },
	},
];

const fields: INodeProperties[] = [
	...headerFields,
	...bodyFields,
	{
		displayName: 'Footer',
		name: 'footerText',
		type: 'string',
		default: '',
		description: `${upTo(LIMIT.templateFooterText)}, no variables`,
		displayOptions: { show: { definition: ['form'] }, hide: otherKinds },
	},
	{
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add button',
		description: `Up to ${LIMIT.templateButtons}; quick replies must be next to each other`,
		displayOptions: { show: { definition: ['form'] }, hide: otherKinds },
		options: [{ displayName: 'Button', name: 'button', values: buttonValues }],
	},
	callPermissionField(otherKinds),
];

/** The header the form describes: none, a text with its example, a location or a file. */
function headerFromForm(form: TemplateForm): IDataObject[] {
	const format = form.text('headerFormat') || 'NONE';
	if (format === 'NONE') return [];
	if (format !== 'TEXT') return [formatHeader(format)];
	const examples = form.text('headerExample');
	return [textHeader(form.text('headerText'), examples, form.named)];
}

/** A button of the form as Meta takes it, by its type; `s` reads one of its fields, trimmed. */
type FormButton = (
	type: string,
	s: (key: string, label: string) => string,
	b: IDataObject,
) => IDataObject;

const FORM_BUTTONS: Record<string, FormButton> = {
	URL: (_type, s) => urlButton(s('text', 'Text'), s('url', 'URL'), s('urlExample', 'URL Example')),
	PHONE_NUMBER: (type, s) => ({
		type,
		text: s('text', 'Text'),
		phone_number: s('phoneNumber', 'Phone Number'),
	}),
	COPY_CODE: (type, s) => ({ type, example: s('couponExample', 'Code Example') }),
	VOICE_CALL: (_type, s, b) => voiceCallButton(s('text', 'Text'), minutes(b.callValidFor)),
	FLOW: (type, s, b) => {
		const action = s('flowAction', 'Flow Action') || 'navigate';
		const screen = s('navigateScreen', 'Navigate Screen');
		// an empty ID or name is left out, so the check says the Flow is missing
		const flow =
			String(b.flowBy ?? 'id') === 'name'
				? { flow_name: s('flowName', 'Flow Name') }
				: { flow_id: s('flowId', 'Flow ID') };
		return {
			type,
			text: s('text', 'Text'),
			...Object.fromEntries(Object.entries(flow).filter(([, v]) => v)),
			flow_action: action,
			...(action === 'navigate' && screen ? { navigate_screen: screen } : {}),
		};
	},
};

/** A number of minutes as an expression may leave it: numeric text is its number, empty is none. */
const minutes = (raw: unknown): unknown =>
	raw === undefined || raw === null || raw === ''
		? undefined
		: typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))
			? Number(raw)
			: raw;

/** Every other type (quick reply, request contact info) is its label only. */
const labelOnly: FormButton = (type, s) => ({ type, text: s('text', 'Text') });

function buttonsFromForm(form: TemplateForm): IDataObject[] {
	const buttons = form.fns.getNodeParameter('buttons.button', form.i, []) as IDataObject[];
	return buttons.map((b, bi) => {
		const type = String(b.type);
		const s = (key: string, label: string) =>
			form.entryText(b[key], `Button ${bi + 1} > ${label}`).trim();
		return (Object.hasOwn(FORM_BUTTONS, type) ? FORM_BUTTONS[type] : labelOnly)(type, s, b);
	});
}

/** Meta's rules for each component of a template's message, by its type. */
const PART_RULES: Record<string, PartRule> = {
	HEADER: checkHeader,
	BODY: checkBody,
	FOOTER: checkFooter,
	BUTTONS: checkButtons,
};

/** Checks a component of the message (`type` in capitals) by its part's rules. */
export function checkPart(
	c: IDataObject,
	type: string,
	at: (key?: string) => Path,
	check: Check,
): void {
	if (Object.hasOwn(PART_RULES, type)) PART_RULES[type](c, at, check);
}

export const standard: TemplateKind = {
	fields,
	fromForm: (form) => [
		...headerFromForm(form),
		bodyFromForm(form),
		...footerComponents(form.text('footerText')),
		...buttonsComponents(buttonsFromForm(form)),
		...callPermissionComponents(
			form.fns.getNodeParameter('callPermissionRequest', form.i, false) === true,
		),
	],
	labels: {
		header: 'Header',
		'header.text': 'Header Text',
		'header.example': 'Header Sample File',
		body: 'Body',
		'body.text': 'Body',
		footer: 'Footer',
		'footer.text': 'Footer',
		buttons: 'Buttons',
		'buttons.*': 'Button',
		'buttons.*.text': 'Button > Text',
		'buttons.*.url': 'Button > URL',
		'buttons.*.example': 'Button > Example',
		'buttons.*.phone_number': 'Button > Phone Number',
		'buttons.*.type': 'Button > Type',
		'buttons.*.flow_id': 'Button > Flow ID',
		'buttons.*.flow_name': 'Button > Flow Name',
		'buttons.*.flow_json': 'Button > Flow JSON',
		'buttons.*.flow_action': 'Button > Flow Action',
		'buttons.*.navigate_screen': 'Button > Navigate Screen',
		'buttons.*.ttl_minutes': 'Button > Valid For (Minutes)',
		call_permission_request: 'Call Permission Request',
	},
	templateType: {
		name: 'Standard',
		value: 'standard',
		description: 'Header, body, footer and buttons',
	},
};
