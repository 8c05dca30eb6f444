import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { LIMIT, upTo, upToLower } from '../../../helpers/limits';
import { asText, readText, text } from '../../../helpers/validation';
import type { InteractiveKind } from './form';
import { footerSchema, PART_LABELS, readHeaderBodyFooter, unique } from './shared';

/**
 * List: a menu button that opens rows in sections, under a body with an optional text header and
 * footer. The chosen row's ID comes back in the trigger as replyId.
 */

const LIST = { show: { interactiveType: ['list'] } };

const listFields: INodeProperties[] = [
	{
		displayName: 'Menu Button Label',
		name: 'listButton',
		type: 'string',
		default: 'Options',
		description: `The button that opens the list, ${upToLower(LIMIT.buttonTitle)}`,
		displayOptions: LIST,
	},
	{
		displayName:
			'Each row is one option. Rows with the same Section Title form one section, in the order the titles first appear; with more than one section every row needs a section title.',
		name: 'listRowsNotice',
		type: 'notice',
		default: '',
		displayOptions: LIST,
	},
	{
		displayName: 'Rows',
		name: 'listRows',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add row',
		description: `${upTo(LIMIT.listRows, 'rows')} in all. Rows with the same section title are grouped into one section.`,
		displayOptions: LIST,
		options: [
			{
				displayName: 'Row',
				name: 'row',
				values: [
					{
						displayName: 'Section Title',
						name: 'section',
						type: 'string',
						default: '',
						description: `${upTo(LIMIT.sectionTitle)}; required when there is more than one section`,
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: upTo(LIMIT.rowTitle),
					},
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						default: '',
						description: `${upTo(LIMIT.rowId)}, unique; returned when chosen`,
					},
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
						description: upTo(LIMIT.rowDescription),
					},
				],
			},
		],
	},
];

const row = z.object({
	id: text(LIMIT.rowId),
	title: text(LIMIT.rowTitle),
	description: text(LIMIT.rowDescription).optional(),
});
const listMessageSchema = z.object({
	type: z.literal('list'),
	header: z
		.object({
			type: z.literal('text', {
				errorMap: () => ({
					message: 'must be text: lists cannot have an image, video or document header',
				}),
			}),
			text: text(LIMIT.headerText),
		})
		.optional(),
	body: z.object({ text: text(LIMIT.textBody) }),
	footer: footerSchema,
	action: z
		.object({
			button: text(LIMIT.buttonTitle),
			sections: z
				.array(z.object({ title: text(LIMIT.sectionTitle).optional(), rows: z.array(row).min(1) }))
				.min(1)
				.max(LIMIT.listSections),
		})
		.superRefine((action, ctx) => {
			const rows = action.sections.flatMap((s) => s.rows);
			if (rows.length > LIMIT.listRows)
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['sections'],
					message: `have ${rows.length} rows in all (WhatsApp allows at most ${LIMIT.listRows})`,
				});
			unique<{ id: string }>((r) => r.id, 'row IDs')(rows, ctx);
			if (action.sections.length > 1) {
				action.sections.forEach((s, index) => {
					if (!s.title)
						ctx.addIssue({
							code: z.ZodIssueCode.custom,
							path: ['sections', index, 'title'],
							message: 'is needed when the list has more than one section',
						});
				});
			}
		}),
});

const LABELS: Record<string, string> = {
	...PART_LABELS,
	'action.button': 'Menu Button Label',
	'action.sections': 'Rows',
	'action.sections.*.title': 'Section > Title',
	'action.sections.*.rows': 'Section > Rows',
	'action.sections.*.rows.*.id': 'Section > Row > ID',
	'action.sections.*.rows.*.title': 'Section > Row > Title',
	'action.sections.*.rows.*.description': 'Section > Row > Description',
};

export const listMessage: InteractiveKind = {
	option: {
		name: 'List',
		value: 'list',
		description: `A menu of ${upToLower(LIMIT.listRows, 'options')} in sections`,
	},
	fields: listFields,
	schema: listMessageSchema,
	build(fns, i) {
		const parts = readHeaderBodyFooter(fns, i);
		// rows with the same section title form one section, in the order the titles first appear
		const sections: Array<{ title?: string; rows: IDataObject[] }> = [];
		for (const r of fns.getNodeParameter('listRows.row', i, []) as IDataObject[]) {
			const title = asText(fns, r.section, 'Row > Section', i).trim();
			let section = sections.find((s) => (s.title ?? '') === title);
			if (!section) sections.push((section = { ...(title ? { title } : {}), rows: [] }));
			const descriptionText = asText(fns, r.description, 'Row > Description', i);
			section.rows.push({
				id: asText(fns, r.id, 'Row > ID', i),
				title: asText(fns, r.title, 'Row > Title', i),
				...(descriptionText ? { description: descriptionText } : {}),
			});
		}
		return {
			interactive: {
				type: 'list',
				...parts,
				action: { button: readText(fns, 'listButton', i, 'Menu Button Label'), sections },
			},
			labels: LABELS,
		};
	},
};
