import { NodeOperationError } from 'n8n-workflow';

import type { OperationContext } from './context';

/**
 * Meta's Resumable Upload API, for template header samples and profile pictures: a session on the
 * app (`POST /{app-id}/uploads`), then the bytes (`POST /upload:<id>`, token as OAuth, from
 * offset 0). Returns the handle `h`.
 */
export async function resumableUpload(
	ctx: OperationContext,
	itemIndex: number,
	file: Buffer,
	fileName: string,
	mimeType: string,
): Promise<string> {
	if (!ctx.config.appId) {
		throw new NodeOperationError(
			ctx.node,
			`This upload needs the App ID in the credential (Meta's Resumable Upload API works per app) [item ${itemIndex}]`,
			{
				itemIndex,
				description: 'App dashboard > App settings > Basic > App ID.',
			},
		);
	}
	const session = await ctx.call<{ id: string }>(
		{
			method: 'POST',
			path: `/${ctx.config.appId}/uploads`,
			qs: { file_name: fileName, file_length: file.length, file_type: mimeType },
		},
		itemIndex,
	);
	const uploaded = await ctx.call<{ h: string }>(
		{
			method: 'POST',
			path: `/${session.id}`,
			headers: { file_offset: '0', 'Content-Type': 'application/octet-stream' },
			body: file,
			timeoutMs: 300_000,
			upload: true,
		},
		itemIndex,
	);
	return uploaded.h;
}
