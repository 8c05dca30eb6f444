/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
import { readFileSync } from 'fs';
import type { IDataObject } from 'n8n-workflow';
import path from 'path';

import { type OperationArgs, runOperation } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import type { GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
useSandbox(
	(started) => ({ sandbox, credentials } = started),
	() => {
		sandbox.log.length = 0;
	},
);

const fixture = (name: string) =>
	JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/api', name), 'utf8'));
const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);

describe('phone numbers', () => {
	test('get explains a limited health status in plain words (Meta example)', async () => {
		sandbox.options.phoneNumbers[0].health_status = fixture(
			'health_status_limited__meta_docs.json',
		).health_status;
		const { items } = await run('phoneNumber', 'get');
		expect(items[0].json.health).toEqual({
			canSendMessage: 'LIMITED',
			summary:
				'Messages can be sent, with limits. The phone number 106540352242922 can send messages with limits. Your display name has not been approved yet. Your message limit will increase after the display name is approved.',
			problems: [expect.objectContaining({ entity: 'PHONE_NUMBER', canSendMessage: 'LIMITED' })],
		});
		expect(items[0].json.webhookConfiguration).toEqual({});
	});

	test("get explains a blocked entity with Meta's error and what to do (Meta example)", async () => {
		sandbox.options.phoneNumbers[0].health_status = fixture(
			'health_status_blocked_template__meta_docs.json',
		).health_status;
		const { items } = await run('phoneNumber', 'get', {
			sender: { __rl: true, mode: 'id', value: '106540352242922' },
		});
		const health = items[0].json.health as IDataObject;
		expect(health.canSendMessage).toBe('BLOCKED');
		expect(health.summary).toBe(
			'Messages cannot be sent. The template 2632273056924580 cannot send messages. Message templates can only be sent out if they are approved. (141002) What to do: Edit or appeal the message template review decision.',
		);
	});

	test("get shows where the number's webhooks go", async () => {
		sandbox.webhooks.app = {
			url: 'https://app.example/hook',
			verifyToken: 'x',
			fields: ['messages'],
		};
		try {
			const { items } = await run('phoneNumber', 'get');
			expect(items[0].json.webhookConfiguration).toEqual({
				application: 'https://app.example/hook',
			});
		} finally {
			sandbox.webhooks.app = undefined;
		}
	});
});
