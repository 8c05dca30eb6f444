import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { validatePayload } from '../../helpers/validation';
import { recipientField, sendOptions } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { buildEnvelope, readSendOptions, sendMessage } from './send';
import { INTERACTIVE_KINDS, interactiveKind } from './interactive';
import { bodyField, footerField, headerFields } from './interactive/shared';

/**
 * Message > Send Interactive: the kinds of interactive message (./interactive) put together. The
 * form is every kind's fields around the header, body and footer they share; an item is built,
 * checked and sent as the kind its Interactive Type names.
 */

const displayOptions = { show: { resource: ['message'], operation: ['sendInteractive'] } };

const interactiveTypeField: INodeProperties = {
	displayName: 'Interactive Type',
	name: 'interactiveType',
	type: 'options',
	default: 'button',
	// by name, as the editor lists options
	options: INTERACTIVE_KINDS.map((kind) => kind.option).sort((a, b) =>
		a.name.localeCompare(b.name, 'en'),
	),
};

const properties: INodeProperties[] = [
	recipientField,
	interactiveTypeField,
	...headerFields,
	...INTERACTIVE_KINDS.flatMap((kind) => kind.headerFields ?? []),
	bodyField,
	...INTERACTIVE_KINDS.flatMap((kind) => (kind.bodyField ? [kind.bodyField] : [])),
	footerField,
	// a field several kinds list (Catalog ID) is shown once, where the first of them lists it
	...new Set(INTERACTIVE_KINDS.flatMap((kind) => kind.fields)),
	sendOptions(),
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	// Interactive Type offers only the kinds: a value from an expression that names none fails
	// here, before anything is sent
	const kind = interactiveKind(this.getNodeParameter('interactiveType', i) as string)!;
	const { interactive: built, labels } = kind.build(this, i);
	const interactive = validatePayload(this, kind.schema, built, i, labels) as IDataObject;
	const envelope = await buildEnvelope(
		this,
		i,
		ctx,
		{ type: 'interactive', interactive },
		readSendOptions(this, i),
	);
	const extra = kind.output?.(interactive);
	return async () => {
		const output = await sendMessage(ctx, i, envelope);
		// a window template sent instead of the message carries nothing of it
		return extra && !output.fallback ? { ...output, ...extra } : output;
	};
}

export const sendInteractive: Operation = { description, paced: true, prepare };
