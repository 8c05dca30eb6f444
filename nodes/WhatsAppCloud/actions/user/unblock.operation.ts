import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Operation } from '../types';
import type { OperationContext } from '../../transport/context';
import { changeBlockList, readUsers, userSenderField, usersField } from './common';

const displayOptions = { show: { resource: ['user'], operation: ['unblock'] } };

const properties: INodeProperties[] = [userSenderField, usersField('unblock')];

const description = updateDisplayOptions(displayOptions, properties);

async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
	const phone = ctx.sender(i);
	const users = readUsers(this, i);
	return async () => await changeBlockList(this, ctx, i, phone, users, 'unblock');
}

export const unblock: Operation = { description, paced: false, prepare };
