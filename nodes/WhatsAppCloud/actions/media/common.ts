import type { IExecuteFunctions } from 'n8n-workflow';

import { graphId } from '../../../shared/ids';
import type { MediaInfo } from '../../../shared/media';

export type { MediaInfo };

export function readMediaId(fns: IExecuteFunctions, i: number): string {
	return graphId(fns.getNode(), fns.getNodeParameter('mediaId', i, ''), 'Media ID', 'media', i);
}

/** Meta's media record in the node's output shape (file_size arrives as a string or a number). */
export const mediaJson = (info: MediaInfo) => ({
	id: info.id,
	url: info.url,
	mimeType: info.mime_type,
	sha256: info.sha256,
	fileSize: info.file_size === undefined ? undefined : Number(info.file_size),
});
