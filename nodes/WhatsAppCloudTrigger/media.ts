import type { IBinaryData, IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { graphRequest, type GraphConfig } from '../shared/transport';

const EXTENSIONS: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'video/mp4': 'mp4',
	'video/3gpp': '3gp',
	'audio/aac': 'aac',
	'audio/amr': 'amr',
	'audio/mpeg': 'mp3',
	'audio/mp4': 'm4a',
	'audio/ogg': 'ogg',
	'application/pdf': 'pdf',
	'text/plain': 'txt',
	'application/msword': 'doc',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
	'application/vnd.ms-excel': 'xls',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
	'application/vnd.ms-powerpoint': 'ppt',
	'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
};

/** `audio/ogg; codecs=opus` -> `audio/ogg` */
export const baseMimeType = (mime: string) => mime.split(';')[0].trim().toLowerCase();

export function fileNameFor(media: IDataObject, mimeType: string): string {
	if (typeof media.filename === 'string' && media.filename) return media.filename;
	const ext = EXTENSIONS[baseMimeType(mimeType)] ?? 'bin';
	return `whatsapp-${String(media.id)}.${ext}`;
}

export type MediaResult = { ok: true; binary: IBinaryData } | { ok: false; error: string };

/**
 * Downloads the media of an incoming message: `GET /{media-id}` for a short-lived URL, then the
 * bytes from that URL with the same token. Never throws: a failure is returned as text.
 */
export async function downloadEventMedia(
	this: IWebhookFunctions,
	config: GraphConfig,
	media: IDataObject,
	phoneNumberId: string | null,
): Promise<MediaResult> {
	try {
		const info = await graphRequest.call<IWebhookFunctions, [GraphConfig, { method: 'GET'; path: string; qs?: IDataObject }], Promise<{ body: IDataObject }>>(
			this,
			config,
			{ method: 'GET', path: `/${String(media.id)}`, qs: phoneNumberId ? { phone_number_id: phoneNumberId } : undefined },
		);
		const url = String(info.body.url ?? '');
		if (!url) return { ok: false, error: 'Meta returned no download URL for this media' };
		const mimeType = String(info.body.mime_type ?? media.mimeType ?? 'application/octet-stream');
		const file = await graphRequest.call<IWebhookFunctions, [GraphConfig, { method: 'GET'; path: string; binary: true; headers: IDataObject }], Promise<{ body: Buffer }>>(
			this,
			config,
			// Meta's media host refuses some default client user agents
			{ method: 'GET', path: url, binary: true, headers: { 'User-Agent': 'n8n-nodes-whatsapp-cloud' } },
		);
		const binary = await this.helpers.prepareBinaryData(file.body, fileNameFor(media, mimeType), baseMimeType(mimeType));
		return { ok: true, binary };
	} catch (error) {
		return { ok: false, error: (error as Error).message };
	}
}
