import type { IBinaryData, IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { graphId } from '../shared/ids';
import { fetchMedia, fileNameFor } from '../shared/media';
import { graphCall, type GraphConfig, type GraphRequest } from '../shared/transport';

export type MediaResult = { ok: true; binary: IBinaryData } | { ok: false; error: string };

/** Downloads the media of an incoming message into binary data. Never throws: a failure is returned as text. */
export async function downloadEventMedia(
	this: IWebhookFunctions,
	config: GraphConfig,
	media: IDataObject,
	phoneNumberId: string | null,
): Promise<MediaResult> {
	try {
		const request = async <T>(req: GraphRequest) => await graphCall<T>(this, config, req);
		// the IDs come from the event, and with signature checks off anyone can make one up
		const id = graphId(this.getNode(), media.id, 'Media ID', 'media');
		const qs = phoneNumberId
			? {
					phone_number_id: graphId(this.getNode(), phoneNumberId, 'Phone Number ID', 'phoneNumber'),
				}
			: undefined;
		const file = await fetchMedia(request, id, qs);
		if (file.sha256Verified === false)
			return {
				ok: false,
				error: `The downloaded file of media ${id} does not match Meta's SHA-256`,
			};
		return {
			ok: true,
			binary: await this.helpers.prepareBinaryData(
				file.bytes,
				fileNameFor(media, file.mimeType),
				file.mimeType,
			),
		};
	} catch (error) {
		return { ok: false, error: (error as Error).message };
	}
}
