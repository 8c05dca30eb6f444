import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { readCoordinate, readText, text, validatePayload } from '../../helpers/validation';
import { LIMIT } from '../../helpers/limits';
import { recipientField, sendOptions } from '../common.descriptions';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { buildEnvelope, readSendOptions, sendMessage } from './send';

const displayOptions = { show: { resource: ['message'], operation: ['sendLocation'] } };

const properties: INodeProperties[] = [
	recipientField,
	{
		displayName: 'Latitude',
		name: 'latitude',
		type: 'number',
		typeOptions: { numberPrecision: 6 },
		default: 0,
		required: true,
		description: 'Between -90 and 90',
	},
	{
		displayName: 'Longitude',
		name: 'longitude',
		type: 'number',
		typeOptions: { numberPrecision: 6 },
		default: 0,
		required: true,
		description: 'Between -180 and 180',
	},
	{
		displayName: 'Name',
		name: 'locationName',
		type: 'string',
		default: '',
		placeholder: 'Lucky Shrub, Main Store',
		description: 'Name of the place, shown above the address',
	},
	{
		displayName: 'Address',
		name: 'address',
		type: 'string',
		default: '',
		placeholder: '1 Hacker Way, Menlo Park, CA 94025',
	},
	sendOptions(),
];

const description = updateDisplayOptions(displayOptions, properties);

const locationSchema = z.object({
	latitude: z.string(),
	longitude: z.string(),
	name: text(LIMIT.locationText).optional(),
	address: text(LIMIT.locationText).optional(),
});

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const name = readText(this, 'locationName', i, 'Name', { trim: true });
	const address = readText(this, 'address', i, 'Address', { trim: true });
	const location = validatePayload(
		this,
		locationSchema,
		{
			// Meta's reference types the coordinates of a sent location as strings
			latitude: readCoordinate(this, 'latitude', i, 'Latitude', 90),
			longitude: readCoordinate(this, 'longitude', i, 'Longitude', 180),
			...(name ? { name } : {}),
			...(address ? { address } : {}),
		},
		i,
		{ latitude: 'Latitude', longitude: 'Longitude', name: 'Name', address: 'Address' },
	);
	const envelope = await buildEnvelope(
		this,
		i,
		ctx,
		{ type: 'location', location },
		readSendOptions(this, i),
	);
	return async () => await sendMessage(ctx, i, envelope);
}

export const sendLocation: Operation = { description, paced: true, prepare };
