import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { upper } from '../definition';
import type { Issue } from './types';

/**
 * The call permission request of a template: a component of its own (not a button) that shows
 * WhatsApp's card asking the customer to let the business call them. Meta allows it in Marketing
 * and Utility templates, with a body that is not empty, a header and a footer, and with no other
 * interactive component (buttons, a carousel, a limited-time offer). When sent, it takes no
 * parameter: the template is sent with its body parameters only.
 */

/** The form's switch for it, under the Buttons of a standard template. */
export const callPermissionField = (
	hide: NonNullable<INodeProperties['displayOptions']>['hide'],
): INodeProperties => ({
	displayName: 'Call Permission Request',
	name: 'callPermissionRequest',
	type: 'boolean',
	default: false,
	description:
		"Whether the template asks the customer to let you call them on WhatsApp (WhatsApp's own card under the body). Marketing and Utility templates only, and no buttons beside it.",
	displayOptions: { show: { definition: ['form'] }, hide },
});

/** The component, when the form asks for it. */
export const callPermissionComponents = (on: boolean): IDataObject[] =>
	on ? [{ type: 'call_permission_request' }] : [];

/** What may stand beside a call permission request: the message's text parts. */
const BESIDE = ['HEADER', 'BODY', 'FOOTER'];

/** Meta's rules for a template with a call permission request, over all its components. */
export function checkCallPermission(
	components: IDataObject[],
	category: string,
	issue: Issue,
): void {
	const types = components.map((c) => upper(c.type));
	const requests = types.filter((t) => t === 'CALL_PERMISSION_REQUEST').length;
	if (!requests) return;
	const at = ['call_permission_request'];
	if (category !== 'MARKETING' && category !== 'UTILITY')
		issue(at, `is for Marketing and Utility templates only, not ${category.toLowerCase()}`);
	if (requests > 1) issue(at, `is given ${requests} times; a template has one`);
	for (const type of new Set(types))
		if (type !== 'CALL_PERMISSION_REQUEST' && !BESIDE.includes(type))
			issue(
				[type.toLowerCase()],
				'cannot be combined with a call permission request: beside it a template has only a header, a body and a footer',
			);
}
