import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { LIMIT, upTo } from '../../../helpers/limits';
import { asText, text } from '../../../helpers/validation';
import type { InteractiveKind } from './form';
import {
	bodySchema,
	footerSchema,
	headerSchema,
	PART_LABELS,
	readHeaderBodyFooter,
	unique,
} from './shared';

/**
 * Reply Buttons: buttons the customer taps to answer, under a body with an optional header and
 * footer.
 */

const replyButtonsField: INodeProperties = {
	displayName: 'Buttons',
	name: 'replyButtons',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	placeholder: 'Add button',
	description: `1 to ${LIMIT.replyButtons} buttons. The tapped button comes back in the trigger as replyId (its ID) and text (its title).`,
	displayOptions: { show: { interactiveType: ['button'] } },
	options: [
		{
			displayName: 'Button',
			name: 'button',
			values: [
				{
					displayName: 'Title',
					name: 'title',
					type: 'string',
					default: '',
					description: `${upTo(LIMIT.buttonTitle)}, unique`,
				},
				{
					displayName: 'ID',
					name: 'id',
					type: 'string',
					default: '',
					description: `${upTo(LIMIT.buttonId)}, unique; returned when tapped`,
				},
			],
		},
	],
};

const noOuterSpaces = (s: string) => s === s.trim();

/** Meta's rules for reply buttons; Send and Wait asks its approvals with them too. */
export const replyButtonsSchema = z.object({
	type: z.literal('button'),
	header: headerSchema.optional(),
	body: bodySchema,
	footer: footerSchema,
	action: z.object({
		buttons: z
			.array(
				z.object({
					type: z.literal('reply'),
					reply: z.object({
						id: text(LIMIT.buttonId).refine(noOuterSpaces, 'may not start or end with a space'),
						title: text(LIMIT.buttonTitle),
					}),
				}),
			)
			.min(1)
			.max(LIMIT.replyButtons)
			.superRefine(unique((b) => b.reply.id, 'button IDs'))
			.superRefine(unique((b) => b.reply.title, 'button titles')),
	}),
});

const LABELS: Record<string, string> = {
	...PART_LABELS,
	'action.buttons': 'Buttons',
	'action.buttons.*': 'Button',
	'action.buttons.*.reply.id': 'Button > ID',
	'action.buttons.*.reply.title': 'Button > Title',
};

export const replyButtonsMessage: InteractiveKind = {
	option: {
		name: 'Reply Buttons',
		value: 'button',
		description: `${upTo(LIMIT.replyButtons, 'buttons')} the customer taps to answer`,
	},
	fields: [replyButtonsField],
	schema: replyButtonsSchema,
	build(fns, i) {
		const parts = readHeaderBodyFooter(fns, i);
		const buttons = (fns.getNodeParameter('replyButtons.button', i, []) as IDataObject[]).map(
			(b) => ({
				type: 'reply',
				reply: {
					id: asText(fns, b.id, 'Button > ID', i),
					title: asText(fns, b.title, 'Button > Title', i),
				},
			}),
		);
		return { interactive: { type: 'button', ...parts, action: { buttons } }, labels: LABELS };
	},
};
