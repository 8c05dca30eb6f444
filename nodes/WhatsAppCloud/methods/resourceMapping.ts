import type {
	ILoadOptionsFunctions,
	INodeParameterResourceLocator,
	ResourceMapperFields,
} from 'n8n-workflow';

import { getGraphConfig } from '../../shared/transport';
import { templateForEditor } from '../actions/template/common';
import { templateVariables } from '../actions/template/send/variables';

/** Template Variables: the chosen template's own placeholders, labelled with its sample values. */
export async function getTemplateVariables(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const locator = this.getNodeParameter('template', 0) as INodeParameterResourceLocator;
	if (!locator?.value) return { fields: [], emptyFieldsNotice: 'Choose a template first' };
	const config = await getGraphConfig.call(this);
	const template = await templateForEditor(this, config, locator);
	const fields = templateVariables(template).map((v) => ({
		id: v.id,
		displayName: v.label,
		required: v.required,
		defaultMatch: false,
		display: true,
		type: 'string' as const,
		canBeUsedToMatch: false,
	}));
	return fields.length
		? { fields }
		: {
				fields,
				emptyFieldsNotice: `Template "${template.name}" has no variables: it is sent as it is`,
			};
}
