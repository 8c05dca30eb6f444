import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkBinaryUpload, type BinaryUpload, uploadResumable } from '../../../shared/media';
import { itemError } from '../../helpers/validation';
import type { OperationContext } from '../../transport/context';
import { upper } from './definition';
import { PENDING_SAMPLE } from './parts/header';

/**
 * The sample files of a template's media headers (the template's own, or each card's): checked
 * while the item is prepared, uploaded through the Resumable Upload API just before the create
 * call, which takes them only as an upload handle.
 */

const SAMPLE_TYPES = ['application/pdf', 'image/jpeg', 'image/jpg', 'image/png', 'video/mp4'];
/** A card's sample: an image or a video, as its header says. */
const CARD_SAMPLE_TYPES: Record<string, { types: string[]; names: string }> = {
	IMAGE: { types: ['image/jpeg', 'image/jpg', 'image/png'], names: 'JPEG or PNG' },
	VIDEO: { types: ['video/mp4'], names: 'MP4' },
};

const isPendingSample = (c: IDataObject) =>
	upper(c.type) === 'HEADER' &&
	(c.example as IDataObject | undefined)?.header_handle?.toString() === PENDING_SAMPLE;

/** A media header whose sample file is uploaded before the create call. */
export type PendingSample = { header: IDataObject; file: BinaryUpload };

type Wanted = { header: IDataObject; property: string; field: string; card?: string };

/** The headers waiting for a sample, with the binary field that holds each. */
function wantedSamples(fns: IExecuteFunctions, i: number, components: IDataObject[]): Wanted[] {
	const wanted: Wanted[] = [];
	for (const c of components) {
		if (isPendingSample(c))
			wanted.push({
				header: c,
				property: String(fns.getNodeParameter('headerBinaryProperty', i, 'data')),
				field: 'Header Sample File',
			});
		if (upper(c.type) !== 'CAROUSEL') continue;
		const cardFields = fns.getNodeParameter('cards.card', i, []) as IDataObject[];
		((c.cards ?? []) as IDataObject[]).forEach((card, ci) => {
			const header = ((card.components ?? []) as IDataObject[]).find(isPendingSample);
			if (header)
				wanted.push({
					header,
					property: String(cardFields[ci]?.headerBinaryProperty || 'data'),
					field: `Card ${ci + 1} > Header Sample File`,
					card: upper(header.format),
				});
		});
	}
	return wanted;
}

/** The sample files of item `i`'s media headers, checked; none when it has no media header. */
export async function checkSamples(
	fns: IExecuteFunctions,
	i: number,
	ctx: OperationContext,
	components: IDataObject[],
): Promise<PendingSample[]> {
	const wanted = wantedSamples(fns, i, components);
	if (wanted.length && !ctx.config.appId)
		throw itemError(
			fns,
			i,
			'A media header needs the App ID in the credential, to upload its sample',
			'App dashboard > App settings > Basic > App ID.',
			'',
		);
	const samples: PendingSample[] = [];
	for (const w of wanted) {
		const only = w.card ? CARD_SAMPLE_TYPES[w.card] : undefined;
		samples.push({
			header: w.header,
			file: await checkBinaryUpload(fns, i, w.property, {
				field: w.field,
				only: {
					types: only?.types ?? SAMPLE_TYPES,
					// checkBinaryUpload adds the item to this message
					refused: (mimeType) =>
						`${w.field}: Meta takes ${only ? `${only.names} samples for ${w.card === 'IMAGE' ? 'an image' : 'a video'} card` : 'PDF, JPEG, PNG or MP4 samples'}, not "${mimeType}"`,
				},
				fallbackName: 'sample',
			}),
		});
	}
	return samples;
}

/** Uploads each sample and puts its handle on its header. */
export async function uploadSamples(
	ctx: OperationContext,
	samples: PendingSample[],
): Promise<void> {
	for (const sample of samples)
		sample.header.example = { header_handle: [await uploadResumable(ctx, sample.file)] };
}
