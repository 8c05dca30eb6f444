import type {
	IDataObject,
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { templateVariables } from './send/variables';
import { templateLocator } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { templateLocatorValue, templateOf } from './common';

const displayOptions = { show: { resource: ['template'], operation: ['get'] } };

const properties: INodeProperties[] = [templateLocator];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const locator = this.getNodeParameter('template', i) as INodeParameterResourceLocator;
	// the template is read when the item runs: its ID is checked now, with every other item's
	templateLocatorValue(this.getNode(), locator, i);
	return async () => {
		const template = await templateOf(this, ctx, locator, i);
		// the variables a send needs, with the field IDs of Send Template's Template Variables
		const variables = templateVariables(template).map(({ id, label, required }) => ({
			id,
			label,
			required,
		}));
		return { ...(template as unknown as IDataObject), variables };
	};
}

export const get: Operation = { description, paced: false, prepare };
