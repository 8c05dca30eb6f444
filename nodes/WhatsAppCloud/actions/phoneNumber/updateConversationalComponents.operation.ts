import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { LIMIT, upTo, upToLower } from '../../helpers/limits';
import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { phoneNumberField } from './common';
import { conversationalJson, readConversationalComponents } from './conversational';

const displayOptions = {
	show: { resource: ['phoneNumber'], operation: ['updateConversationalComponents'] },
};

const properties: INodeProperties[] = [
	phoneNumberField,
	{
		displayName:
			'Both lists are replaced: the number gets exactly the ice breakers and commands below, and an empty list removes them all. To change one list only, Get the components first and pass the other list through.',
		name: 'replaceNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Ice Breakers',
		name: 'iceBreakers',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add ice breaker',
		description: `Prompts a customer may tap when they open the chat for the first time; a tap sends its text as an ordinary message. At most ${LIMIT.iceBreakers}.`,
		options: [
			{
				displayName: 'Ice Breaker',
				name: 'iceBreaker',
				values: [
					{
						displayName: 'Text',
						name: 'text',
						type: 'string',
						default: '',
						placeholder: 'Book a flight',
						description: `${upTo(LIMIT.iceBreakerText)}, no emoji`,
					},
				],
			},
		],
	},
	{
		displayName: 'Commands',
		name: 'commands',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add command',
		description: `Commands a customer types after a slash, such as /tickets; the message arrives as ordinary text. At most ${LIMIT.commands}.`,
		options: [
			{
				displayName: 'Command',
				name: 'command',
				values: [
					{
						displayName: 'Command Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'tickets',
						description: `Without the slash: letters, digits and underscores, ${upToLower(LIMIT.commandName)}`,
					},
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
						placeholder: 'Book flight tickets',
						description: `What the command does, as the customer sees it. ${upTo(LIMIT.commandDescription)}, no emoji.`,
					},
				],
			},
		],
	},
];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const id = ctx.sender(i, 'Phone Number');
	const components = readConversationalComponents(this, i);
	return async () => {
		// both lists always go, as arrays: what the node shows is what the number gets
		const result = await ctx.call<{ success?: boolean }>(
			{ method: 'POST', path: `/${id}/conversational_automation`, body: components },
			i,
		);
		return { success: result.success === true, ...conversationalJson(id, components) };
	};
}

export const updateConversationalComponents: Operation = { description, paced: false, prepare };
