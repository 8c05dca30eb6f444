import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { LIMIT } from '../../helpers/limits';
import type { OperationContext } from '../../transport/context';
import type { Operation } from '../types';
import { archiveUrl, chunks, readTemplateIds } from './lifecycle';

/**
 * Template > Archive and Unarchive: one field of template IDs, sent to Meta in requests of at
 * most LIMIT.archiveBatch IDs, and one output item per template saying what Meta did with it.
 * Meta answers each request with the IDs it archived (or unarchived) and a reason for each it did
 * not; an ID in neither list is reported as unconfirmed, never as done.
 */

type Action = 'archive' | 'unarchive';

type ArchiveAnswer = {
	archived_templates?: unknown[];
	unarchived_templates?: unknown[];
	failed_templates?: Record<string, unknown>;
};

const WORDS = {
	archive: { done: 'archived', list: 'archived_templates' },
	unarchive: { done: 'unarchived', list: 'unarchived_templates' },
} as const;

/** Meta's reason as text: a string as it is, anything else as JSON. */
const reasonText = (reason: unknown) =>
	typeof reason === 'string' ? reason : (JSON.stringify(reason) ?? String(reason));

/**
 * The templates of a request that failed after earlier ones were answered (`batches[0]`), and of
 * those not sent after it: unconfirmed when Meta may have acted on the failed request, failed
 * otherwise; not sent for the rest.
 */
function unfinished(batches: string[][], error: unknown): Array<{ json: IDataObject }> {
	const message = error instanceof Error ? error.message : String(error);
	const mayHaveArrived = (error as { mayHaveArrived?: boolean }).mayHaveArrived === true;
	return batches.flatMap((batch, k) =>
		batch.map((id) => ({
			json:
				k === 0
					? { templateId: id, result: mayHaveArrived ? 'unconfirmed' : 'failed', reason: message }
					: {
							templateId: id,
							result: 'notSent',
							reason: 'Not sent: the request before it failed',
						},
		})),
	);
}

/** The Archive or Unarchive operation (archive.operation.ts, unarchive.operation.ts). */
export function archivingOperation(action: Action): Operation {
	const { done, list } = WORDS[action];
	const displayOptions = { show: { resource: ['template'], operation: [action] } };
	const properties: INodeProperties[] = [
		{
			displayName: 'Template IDs',
			name: 'templateIds',
			type: 'string',
			default: '',
			required: true,
			placeholder: '1387372356726668, 1304694804498707',
			hint: `One or more IDs, separated by commas or new lines, or an expression giving a list. Sent ${LIMIT.archiveBatch} per request.`,
			description:
				action === 'archive'
					? 'The templates to archive (the id of Template > Get Many). An archived template cannot be sent until it is unarchived; Meta also archives templates unused for 12 months by itself and deletes them 28 days later.'
					: 'The archived templates to bring back (the id of Template > Get Many, filtered by status Archived)',
		},
	];
	const description = updateDisplayOptions(displayOptions, properties);

	async function prepare(this: IExecuteFunctions, i: number, ctx: OperationContext) {
		const ids = readTemplateIds(this, 'templateIds', i, 'Template IDs');
		const url = archiveUrl(ctx.config, ctx.waba(i), action);
		return async () => {
			const out: Array<{ json: IDataObject }> = [];
			const batches = chunks(ids, LIMIT.archiveBatch);
			for (const [n, batch] of batches.entries()) {
				const outcome = await ctx
					.call<ArchiveAnswer>({ method: 'POST', path: url, body: { hsm_ids: batch.join(',') } }, i)
					.then(
						(answer) => ({ answer }),
						(error: unknown) => ({ error }),
					);
				if ('error' in outcome) {
					// nothing done yet: the item fails as any other call; after a first batch, the
					// templates already answered for keep their result, and the rest say what happened
					if (n === 0) throw outcome.error;
					out.push(...unfinished(batches.slice(n), outcome.error));
					break;
				}
				const { answer } = outcome;
				const succeeded = new Set((answer[list] ?? []).map(String));
				const failed = answer.failed_templates ?? {};
				for (const id of batch) {
					if (succeeded.has(id)) out.push({ json: { templateId: id, result: done } });
					else if (id in failed)
						out.push({
							json: { templateId: id, result: 'failed', reason: reasonText(failed[id]) },
						});
					else
						out.push({
							json: {
								templateId: id,
								result: 'unconfirmed',
								reason: `Meta's answer named this template neither ${done} nor failed`,
							},
						});
				}
			}
			return out;
		};
	}

	return { description, paced: false, prepare };
}
