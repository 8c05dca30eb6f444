import type {
	IDataObject,
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { GraphApiError } from '../../../shared/transport';
import { LIMIT } from '../../helpers/limits';
import { itemError } from '../../helpers/validation';
import { templateCategories, templateLocator } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { templateLocatorValue, templateOf } from './common';
import { parseComponentsJson } from './componentsJson';
import { maxPriceField, readMaxPrice } from './maxPrice';

/**
 * Template > Update: `POST /{template-id}` with a new category, new components or a new max
 * price.
 *
 * Meta's edit limits: the content of an APPROVED template may change once in 24 hours and
 * LIMIT.templateEditsPerMonth times in 30 days (rejected and paused ones without limit). The node
 * cannot know a template's edit history (Meta does not return it), so it does not guess: it
 * refuses only what it knows Meta will refuse, a second content edit of the same approved template
 * in one execution, and when Meta refuses an edit of an approved template with a generic error, the
 * error says that the limit may be why. A max price can change only on a template created with one
 * (Meta has no way to add it later), which is read before the request.
 */

const displayOptions = { show: { resource: ['template'], operation: ['update'] } };

const properties: INodeProperties[] = [
	templateLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		hint: `Approved templates: content ${LIMIT.templateEditsPerDay} edit per 24 hours and ${LIMIT.templateEditsPerMonth} per 30 days. Rejected or paused ones: no limit.`,
		description: `An approved template's content (components) can be edited once in 24 hours and ${LIMIT.templateEditsPerMonth} times in 30 days; each edit is reviewed again. The node cannot see a template's past edits, so it only refuses a second edit of the same approved template in one run; past that, Meta's refusal says the limit may be the reason. The category of an approved template cannot change.`,
		options: [
			{
				displayName: 'Category',
				name: 'category',
				type: 'options',
				default: 'UTILITY',
				options: templateCategories,
			},
			{
				displayName: 'Components (JSON)',
				name: 'components',
				type: 'json',
				default: '[]',
				description:
					"The new components, as in Meta's template definition; they replace all current components. Get the template first to start from its components.",
			},
			{
				...maxPriceField,
				description: `${maxPriceField.description} So it can be changed here only on a template created with a max price (checked before the request). Meta allows ${LIMIT.maxPriceEditsPerHour} max price edits an hour and ${LIMIT.maxPriceEditsPerDay.toLocaleString('en-US')} a day.`,
			},
		],
	},
];

const description = updateDisplayOptions(displayOptions, properties);

/** Meta's generic refusal (code 100 without a template subcode of its own). */
const isGenericRefusal = (error: unknown) =>
	error instanceof GraphApiError &&
	error.graphCode === 100 &&
	(error.graphSubcode === undefined || error.graphSubcode < 1_000_000);

/**
 * Meta's refusal of an edit, thrown on: for an approved template, a generic refusal may be its
 * edit limit, which only Meta can count, and the error says so.
 */
function explainRefusal(error: unknown, approved: boolean): never {
	if (approved && isGenericRefusal(error)) {
		const e = error as GraphApiError;
		e.description = [
			e.description,
			`This template is approved: Meta allows ${LIMIT.templateEditsPerDay} content edit per 24 hours and ${LIMIT.templateEditsPerMonth} per 30 days. If it was edited recently, that limit is the likely reason; try again later, or create a new template.`,
		]
			.filter(Boolean)
			.join('\n');
	}
	throw error;
}

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const locator = this.getNodeParameter('template', i) as INodeParameterResourceLocator;
	// checked now, with every other item's, before any read
	templateLocatorValue(this.getNode(), locator, i);
	const fields = this.getNodeParameter('updateFields', i, {}) as IDataObject;
	const body: IDataObject = {};
	if (fields.category) body.category = fields.category;
	if (fields.components !== undefined)
		body.components = parseComponentsJson(
			this,
			fields.components,
			i,
			'Update Fields > Components (JSON)',
		);
	const maxPrice = readMaxPrice(this, i, fields.maxPrice, 'Update Fields > Max Price');
	if (maxPrice) body.optimization_spec = maxPrice;
	if (!Object.keys(body).length) {
		throw itemError(
			this,
			i,
			'Nothing to update: add Category, Components (JSON) or Max Price',
			'',
			'',
		);
	}
	// a content edit needs the template's status (the edit limits), a max price its own (read apart:
	// the definition read elsewhere has no optimization_spec)
	const template =
		body.components !== undefined ? await templateOf(this, ctx, locator, i) : undefined;
	const approved = template?.status === 'APPROVED';
	if (template && approved) {
		// approved templates whose content an earlier item of this run edits: the item, by template ID
		const edited = ctx.tally('editedTemplates');
		const earlier = edited.get(template.id);
		if (earlier !== undefined)
			throw itemError(
				this,
				i,
				`Template ${template.id} is approved and item ${earlier} already edits its components in this run; Meta allows ${LIMIT.templateEditsPerDay} content edit of an approved template per 24 hours`,
				'Combine the changes into one item, or edit it again after 24 hours.',
			);
		edited.set(template.id, i);
	}
	if (maxPrice) {
		const id = template?.id ?? (await templateOf(this, ctx, locator, i)).id;
		const current = await ctx.call<{ optimization_spec?: unknown }>(
			{ method: 'GET', path: `/${id}`, qs: { fields: 'id,optimization_spec' } },
			i,
		);
		if (!current.optimization_spec)
			throw itemError(
				this,
				i,
				`Template ${id} was created without a max price, so Meta does not let one be added`,
				'Create a new Marketing template with Max Price (Template > Create), or leave Max Price out of this update.',
			);
	}
	return async () => {
		const target = template ?? (await templateOf(this, ctx, locator, i));
		let result: { success?: boolean };
		try {
			result = await ctx.call<{ success?: boolean }>(
				{ method: 'POST', path: `/${target.id}`, body },
				i,
			);
		} catch (error) {
			explainRefusal(error, approved);
		}
		return {
			success: result.success === true,
			id: target.id,
			name: target.name,
			language: target.language,
			updated: body,
		};
	};
}

export const update: Operation = { description, paced: false, prepare };
