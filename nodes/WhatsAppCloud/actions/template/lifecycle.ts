import type { IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_GRAPH_BASE_URL } from '../../../../credentials/WhatsAppCloudApi.credentials';
import { graphId } from '../../../shared/ids';
import type { GraphConfig } from '../../../shared/transport';
import { itemError } from '../../helpers/validation';

/**
 * What Template > Archive, Unarchive and Compare share: a list of template IDs read from one field,
 * and the one place that decides where archive requests go.
 */

/**
 * The host of Meta's archive and unarchive endpoints. Meta's reference we work from does not
 * document them: the host (`api.facebook.com`, not the Graph host), the path without a version
 * segment, the comma-separated `hsm_ids` body and the cap of 100 IDs are known from one client
 * library only. Every archive request takes its URL from `archiveUrl`, so a correction is one edit.
 */
export const ARCHIVE_HOST = 'https://api.facebook.com';

/**
 * The URL of `POST /{waba-id}/message_templates/{archive|unarchive}`. With the credential's Base
 * URL left at Meta's Graph host, the request goes to ARCHIVE_HOST; a Base URL of its own (a proxy,
 * the sandbox) is taken as the user's choice for every request, this one too. No version segment:
 * the one known client sends none, and whether that host accepts one is unknown.
 */
export function archiveUrl(
	config: Pick<GraphConfig, 'baseUrl'>,
	waba: string,
	action: 'archive' | 'unarchive',
): string {
	const base = config.baseUrl === DEFAULT_GRAPH_BASE_URL ? ARCHIVE_HOST : config.baseUrl;
	return `${base}/${waba}/message_templates/${action}`;
}

/**
 * Template IDs from one field: a list from an expression, or text with the IDs separated by
 * commas, spaces or new lines. Each is checked as a template ID (it goes into a request); repeats
 * are dropped, keeping the first.
 */
export function readTemplateIds(
	fns: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
): string[] {
	const raw = fns.getNodeParameter(name, itemIndex, '') as unknown;
	const parts: unknown[] = Array.isArray(raw)
		? raw
		: typeof raw === 'number' || typeof raw === 'bigint'
			? [raw]
			: typeof raw === 'string'
				? raw.split(/[\s,;]+/).filter(Boolean)
				: raw === undefined || raw === null
					? []
					: [raw];
	const ids: string[] = [];
	for (const part of parts) {
		const id = graphId(fns.getNode(), part, label, 'template', itemIndex);
		if (!ids.includes(id)) ids.push(id);
	}
	if (!ids.length)
		throw itemError(
			fns,
			itemIndex,
			`${label} is empty; it needs one or more template IDs`,
			'Give template IDs separated by commas or new lines, or an expression with a list (the id of Template > Get Many).',
		);
	return ids;
}

/** `list` in pieces of at most `size`, in order. */
export function chunks<T>(list: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let k = 0; k < list.length; k += size) out.push(list.slice(k, k + size));
	return out;
}
