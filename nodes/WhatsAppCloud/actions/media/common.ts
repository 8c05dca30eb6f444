import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { MediaInfo } from '../../../shared/media';
import { readText } from '../../helpers/validation';

export type { MediaInfo };

export function readMediaId(fns: IExecuteFunctions, i: number): string {
	const id = readText(fns, 'mediaId', i, 'Media ID', { trim: true });
	if (!/^\d+$/.test(id)) {
		throw new NodeOperationError(
			fns.getNode(),
			`Media ID must be the digits of a media ID, got "${id}" [item ${i}]`,
			{ itemIndex: i },
		);
	}
	return id;
}

/** Meta's media record in the node's output shape (file_size arrives as a string or a number). */
export const mediaJson = (info: MediaInfo) => ({
	id: info.id,
	url: info.url,
	mimeType: info.mime_type,
	sha256: info.sha256,
	fileSize: info.file_size === undefined ? undefined : Number(info.file_size),
});
