import type { INodeProperties } from 'n8n-workflow';

import { LIMIT } from '../../helpers/limits';
import type { Operation } from '../types';
import { deregister } from './deregister.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { getConversationalComponents } from './getConversationalComponents.operation';
import { register } from './register.operation';
import { requestCode } from './requestCode.operation';
import { setTwoStepPin } from './setTwoStepPin.operation';
import { updateConversationalComponents } from './updateConversationalComponents.operation';
import { verifyCode } from './verifyCode.operation';

export const phoneNumberOperations: Record<string, Operation> = {
	getAll,
	get,
	register,
	deregister,
	setTwoStepPin,
	requestCode,
	verifyCode,
	getConversationalComponents,
	updateConversationalComponents,
};

export const phoneNumberDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['phoneNumber'] } },
		options: [
			{
				name: 'Deregister',
				value: 'deregister',
				action: 'Deregister a phone number',
				description: `Take the number off the Cloud API: it stops sending and receiving there (counts toward ${LIMIT.registrations} registrations and deregistrations in ${LIMIT.registrationWindowHours} hours)`,
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a phone number',
				description:
					'One number with its quality, limits, health status (in plain words) and webhook configuration',
			},
			{
				name: 'Get Conversational Components',
				value: 'getConversationalComponents',
				action: 'Get the conversational components of a phone number',
				description: "The number's ice breakers and commands",
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many phone numbers',
				description:
					"The account's numbers with display number, verified name, quality rating, name status, throughput and messaging limit",
			},
			{
				name: 'Register',
				value: 'register',
				action: 'Register a phone number',
				description: `Needed once before a number sends from the Cloud API; the PIN becomes the number's two-step verification PIN (at most ${LIMIT.registrations} registrations and deregistrations in ${LIMIT.registrationWindowHours} hours)`,
			},
			{
				name: 'Request Code',
				value: 'requestCode',
				action: 'Request a verification code for a phone number',
				description:
					'Have Meta send a verification code to the number by SMS or voice call, for a number that must be verified before it registers',
			},
			{
				name: 'Set Two-Step PIN',
				value: 'setTwoStepPin',
				action: 'Set the two step verification pin of a phone number',
				description: 'Change the two-step verification PIN of a registered number',
			},
			{
				name: 'Update Conversational Components',
				value: 'updateConversationalComponents',
				action: 'Update the conversational components of a phone number',
				description: `Set the number's ice breakers (at most ${LIMIT.iceBreakers}) and commands (at most ${LIMIT.commands}); both lists are replaced`,
			},
			{
				name: 'Verify Code',
				value: 'verifyCode',
				action: 'Verify a phone number with a code',
				description: 'Give Meta the code of Request Code, to verify the number',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...register.description,
	...deregister.description,
	...setTwoStepPin.description,
	...requestCode.description,
	...verifyCode.description,
	...getConversationalComponents.description,
	...updateConversationalComponents.description,
];
