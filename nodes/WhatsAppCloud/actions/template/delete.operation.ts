import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { graphId } from '../../../shared/ids';
import { itemError, readText } from '../../helpers/validation';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';

const displayOptions = { show: { resource: ['template'], operation: ['delete'] } };

const properties: INodeProperties[] = [
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'order_confirmation',
		description:
			'Deletes the template in every language, unless a Template ID is given. The name of a deleted approved template cannot be used again for 30 days.',
	},
	{
		displayName: 'Template ID',
		name: 'templateId',
		type: 'string',
		default: '',
		description: "Delete only this language version: the template's ID",
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const name = readText(this, 'templateName', i, 'Template Name', { trim: true });
	const raw = this.getNodeParameter('templateId', i, '');
	// empty: every language of the template
	const id =
		raw === undefined || raw === null || String(raw).trim() === ''
			? ''
			: graphId(this.getNode(), raw, 'Template ID', 'template', i);
	if (!/^[a-z0-9_]+$/.test(name)) {
		throw itemError(
			this,
			i,
			`Template Name must be a template name (lowercase letters, digits, underscores), got "${name}"`,
			'',
			'',
		);
	}
	const waba = ctx.waba(i);
	return async () => {
		const result = await ctx.call<{ success?: boolean }>(
			{
				method: 'DELETE',
				path: `/${waba}/message_templates`,
				qs: { name, ...(id ? { hsm_id: id } : {}) },
			},
			i,
		);
		return { success: result.success === true, name, ...(id ? { id } : { allLanguages: true }) };
	};
}

export const deleteTemplate: Operation = { description, paced: false, prepare };
