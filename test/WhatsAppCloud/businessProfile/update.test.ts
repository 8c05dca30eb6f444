import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { type OperationArgs, runOperation } from '../../../dev/harness/engine';
import { JPEG } from '../../../dev/harness/files';
import { startSandbox } from '../../../dev/harness/sandbox';
import { SANDBOX_APP_ID, type GraphSandbox } from '../../../dev/sandbox/server';

let sandbox: GraphSandbox;
let credentials: Awaited<ReturnType<typeof startSandbox>>['credentials'];

beforeAll(async () => {
	({ sandbox, credentials } = await startSandbox());
	credentials.appId = SANDBOX_APP_ID;
});
afterAll(async () => await sandbox.stop());
beforeEach(() => {
	sandbox.log.length = 0;
});

const run = async (...args: OperationArgs) => await runOperation(credentials, ...args);

describe('business profile', () => {
	test('update changes the fields and the picture (uploaded through the Resumable Upload API)', async () => {
		const { items, error } = await run(
			'businessProfile',
			'update',
			{
				updateFields: {
					about: 'Plants that thrive on neglect',
					websites: 'https://luckyshrub.com, https://shop.luckyshrub.com',
					vertical: 'RETAIL',
					profilePicture: 'logo',
				},
			},
			[
				{
					json: {},
					binary: {
						logo: { data: JPEG.toString('base64'), mimeType: 'image/jpeg', fileName: 'logo.jpg' },
					},
				},
			],
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			success: true,
			updated: {
				messaging_product: 'whatsapp',
				about: 'Plants that thrive on neglect',
				websites: ['https://luckyshrub.com', 'https://shop.luckyshrub.com'],
				vertical: 'RETAIL',
				profile_picture_handle: expect.stringMatching(/^4::/),
			},
		});
		const after = await run('businessProfile', 'get');
		expect(after.items[0].json).toMatchObject({
			about: 'Plants that thrive on neglect',
			websites: ['https://luckyshrub.com', 'https://shop.luckyshrub.com'],
			profilePictureUrl: expect.stringMatching(/^https:\/\/pps\.sandbox/),
		});
	});

	test('limits are checked before any request', async () => {
		const cases: Array<[IDataObject, RegExp]> = [
			[
				{ about: 'a'.repeat(140) },
				/^About is too long: 140 characters \(WhatsApp allows at most 139\)/,
			],
			[{ description: 'd'.repeat(513) }, /^Description is too long: 513/],
			[{ email: 'not-an-email' }, /^Email is not a valid email address/],
			[
				{ websites: 'https://a.com, https://b.com, https://c.com' },
				/^Websites has 3 entries \(WhatsApp allows at most 2\)/,
			],
			[{}, /^Nothing to update/],
		];
		for (const [updateFields, message] of cases) {
			const { error } = await run('businessProfile', 'update', {
				updateFields: updateFields as INodeParameters,
			});
			expect(error?.message).toMatch(message);
		}
		expect(sandbox.log).toHaveLength(0);
	});
});
