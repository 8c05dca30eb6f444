import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import { asText, readText, text } from '../../../helpers/validation';
import type { InteractiveKind } from './form';
import { footerSchema, PART_LABELS, readHeaderBodyFooter, unique } from './shared';

/**
 * List: a menu button that opens up to 10 rows in sections, under a body with an optional text
 * header and footer. The chosen row's ID comes back in the trigger as replyId.
 */

const LIST = { show: { interactiveType: ['list'] } };

const listFields: INodeProperties[] = [
	{
		displayName: 'Menu Button Label',
		name: 'listButton',
		type: 'string',
		default: 'Options',
		description: 'The button that opens the list, up to 20 characters',
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
		description:
			'Up to 10 rows in all. Rows with the same section title are grouped into one section.',
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
						description: 'Up to 24 characters; required when there is more than one section',
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: 'Up to 24 characters',
					},
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						default: '',
						description: 'Up to 200 characters, unique; returned when chosen',
					},
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
						description: 'Up to 72 characters',
					},
				],
			},
		],
	},
];

const row = z.object({ id: text(200), title: text(24), description: text(72).optional() });
const listMessageSchema = z.object({
	type: z.literal('list'),
	header: z
		.object({
			type: z.literal('text', {
				errorMap: () => ({
					message: 'must be text: lists cannot have an image, video or document header',
				}),
			}),
			text: text(60),
		})
		.optional(),
	body: z.object({ text: text(4096) }),
	footer: footerSchema,
	action: z
		.object({
			button: text(20),
			sections: z
				.array(z.object({ title: text(24).optional(), rows: z.array(row).min(1) }))
				.min(1)
				.max(10),
		})
		.superRefine((action, ctx) => {
			const rows = action.sections.flatMap((s) => s.rows);
			if (rows.length > 10)
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['sections'],
					message: `have ${rows.length} rows in all (WhatsApp allows at most 10)`,
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
	option: { name: 'List', value: 'list', description: 'A menu of up to 10 options in sections' },
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
