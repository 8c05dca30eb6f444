import type {
	IDataObject,
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';

import { templateVariables } from './definitions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { fetchTemplate, templateLocator } from './common';

const description: INodeProperties[] = [
	templateLocator({ resource: ['template'], operation: ['get', 'update'] }),
];

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const locator = this.getNodeParameter('template', i) as INodeParameterResourceLocator;
	return async () => {
		const template = await fetchTemplate(this, ctx.config, locator, i);
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
