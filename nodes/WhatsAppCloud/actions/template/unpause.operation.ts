import type {
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { itemError } from '../../helpers/validation';
import type { OperationContext } from '../../transport/context';
import { templateLocator } from '../common.descriptions';
import type { Operation } from '../types';
import { templateLocatorValue, templateOf } from './common';

/**
 * Template > Unpause: `POST /{template-id}/unpause`. Meta pauses a template whose quality fell
 * (sends fail with 132015); this asks Meta to resume it. Meta answers `success: false` with a
 * reason when it does not (the template is not paused, or was disabled): that is an error of the
 * item, never a quiet `false`.
 */

const displayOptions = { show: { resource: ['template'], operation: ['unpause'] } };

const properties: INodeProperties[] = [
	{
		...templateLocator,
		description:
			'A paused template (status Paused): Meta pauses templates whose quality dropped, and sends of them fail with error 132015',
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const locator = this.getNodeParameter('template', i) as INodeParameterResourceLocator;
	// checked now with every other item; a name:language is looked up when the item runs
	const { mode, value } = templateLocatorValue(this.getNode(), locator, i);
	return async () => {
		const id = mode === 'id' ? value : (await templateOf(this, ctx, locator, i)).id;
		const answer = await ctx.call<{ success?: boolean; reason?: string }>(
			{ method: 'POST', path: `/${id}/unpause` },
			i,
		);
		if (answer.success !== true)
			throw itemError(
				this,
				i,
				`Meta did not unpause template ${id}: ${answer.reason ?? 'no reason given'}`,
				'Only a paused template can be unpaused (Template > Get shows its status); a disabled template cannot come back.',
				'Nothing changed.',
			);
		return { templateId: id, unpaused: true };
	};
}

export const unpause: Operation = { description, paced: false, prepare };
