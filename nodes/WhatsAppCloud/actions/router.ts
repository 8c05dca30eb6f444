import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	DEFAULT_MAX_CONCURRENT,
	DEFAULT_MAX_RETRIES,
	DEFAULT_MESSAGES_PER_SECOND,
	NotSentError,
	Throttle,
} from '../transport/throttle';
import { GraphApiError, getGraphConfig } from '../../shared/transport';
import { operations } from './operations';
import { type PreparedItem } from './types';
import { OperationContext } from '../transport/context';

/** Management calls (templates, media, phone numbers) run a few at a time, unpaced. */
const MANAGEMENT_CONCURRENCY = 4;

/**
 * What happened to one item. `uncertain`: an attempt failed in a way after which Meta may still have
 * taken the request (a 5xx, a connection broken mid-call), so the item may have been sent.
 */
type Outcome =
	| { state: 'done'; data: IDataObject | INodeExecutionData[]; uncertain: boolean }
	| { state: 'failed'; error: Error; uncertain: boolean }
	| { state: 'notSent'; uncertain: boolean };

/**
 * The one loop over items. Each item is first prepared (parameters read and validated, no
 * request), then run through the throttle with bounded concurrency.
 * - Without continue-on-fail, every item is prepared before any is sent: a bad row stops the run
 *   before anything goes out. The first failed item halts the throttle: no request leaves after
 *   that (checked when a request would leave), the items still waiting end as not sent, and the
 *   thrown error lists which items were sent (with their message IDs) and which were not.
 * - With continue-on-fail, a bad or failed row only fails itself and the rest are sent.
 * Outputs keep the input order and `pairedItem`.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of "${resource}" is not supported`,
		);
	}
	const continueOnFail = this.continueOnFail();

	const bulk = operation.paced
		? (this.getNodeParameter('options', 0, {}) as IDataObject)
		: ({} as IDataObject);
	const maxConcurrent = operation.paced
		? positive(bulk.maxConcurrent, DEFAULT_MAX_CONCURRENT)
		: MANAGEMENT_CONCURRENCY;
	const throttle = new Throttle({
		ratePerSecond: operation.paced
			? positive(bulk.messagesPerSecond, DEFAULT_MESSAGES_PER_SECOND)
			: Infinity,
		maxConcurrent,
		maxRetries: nonNegative(bulk.maxRetries, DEFAULT_MAX_RETRIES),
	});
	try {
		const ctx = new OperationContext(this, await getGraphConfig.call(this), throttle);

		const outcomes: Array<Outcome | undefined> = new Array(items.length);
		const prepared: Array<PreparedItem | undefined> = new Array(items.length);
		if (!continueOnFail) {
			// A bad row must not leave a half-sent batch: validate every item before sending any.
			for (let i = 0; i < items.length; i++) {
				try {
					prepared[i] = await operation.prepare.call(this, i, ctx);
				} catch (error) {
					throw asNodeError(this, error, i);
				}
			}
		}
		// With continue-on-fail a bad row only fails itself, so each worker prepares the item it takes
		// and preparation overlaps the network waits of the others.
		const take = async (i: number): Promise<PreparedItem | undefined> => {
			if (!continueOnFail) return prepared[i];
			try {
				return await operation.prepare.call(this, i, ctx);
			} catch (error) {
				outcomes[i] = { state: 'failed', error: error as Error, uncertain: false };
				return undefined;
			}
		};

		// Items waiting in a backoff hold a worker but no request slot, so keep more workers than slots.
		const workers = Math.min(items.length, operation.paced ? maxConcurrent * 4 : maxConcurrent);
		let next = 0;
		let failedFirst: number | undefined;
		const worker = async () => {
			while (!throttle.halted && next < items.length) {
				const i = next++;
				const run = await take(i);
				prepared[i] = undefined;
				if (!run) continue;
				try {
					const data = await run();
					outcomes[i] = { state: 'done', data, uncertain: ctx.reportFor(i).uncertain > 0 };
				} catch (error) {
					const uncertain =
						ctx.reportFor(i).uncertain > 0 ||
						(error as { mayHaveArrived?: boolean }).mayHaveArrived === true;
					if (error instanceof NotSentError) {
						outcomes[i] = { state: 'notSent', uncertain };
					} else {
						outcomes[i] = { state: 'failed', error: error as Error, uncertain };
						if (!continueOnFail && failedFirst === undefined) {
							failedFirst = i;
							throttle.halt();
						}
					}
				}
				ctx.forget(i);
			}
		};
		await Promise.all(Array.from({ length: workers }, worker));

		if (failedFirst !== undefined) {
			const failure = outcomes[failedFirst] as Extract<Outcome, { state: 'failed' }>;
			throw stoppedRunError(this, failure.error, failedFirst, outcomes, operation.paced);
		}
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const outcome = outcomes[i];
			if (!outcome || outcome.state === 'notSent') continue;
			if (outcome.state === 'failed') {
				out.push({ json: errorJson(outcome.error, outcome.uncertain), pairedItem: { item: i } });
				continue;
			}
			const data = outcome.data;
			if (Array.isArray(data)) {
				for (const entry of data) out.push({ ...entry, pairedItem: { item: i } });
			} else {
				out.push({
					json: outcome.uncertain ? { ...data, possibleDuplicate: true } : data,
					pairedItem: { item: i },
				});
			}
		}
		return [out];
	} finally {
		throttle.close();
	}
}

/** "0-3, 7, 9-12" for sorted item indexes. */
function ranges(indexes: number[]): string {
	const parts: string[] = [];
	for (let k = 0; k < indexes.length; k++) {
		const start = indexes[k];
		while (k + 1 < indexes.length && indexes[k + 1] === indexes[k] + 1) k++;
		parts.push(start === indexes[k] ? String(start) : `${start}-${indexes[k]}`);
	}
	return parts.join(', ');
}

/**
 * The error of a run stopped by a failed item: the item's own error, with what happened to every
 * other item added, so that nobody re-sends the batch blindly.
 */
function stoppedRunError(
	fns: IExecuteFunctions,
	error: Error,
	failedIndex: number,
	outcomes: Array<Outcome | undefined>,
	paced: boolean,
): Error {
	const nodeError = asNodeError(fns, error, failedIndex) as NodeApiError | NodeOperationError;
	const sent: Array<{ item: number; messageId?: string }> = [];
	const notSent: number[] = [];
	const unknown: number[] = [];
	const failed: Array<{ item: number; error: string }> = [];
	for (let i = 0; i < outcomes.length; i++) {
		const outcome = outcomes[i];
		if (outcome?.state === 'done') {
			const data = outcome.data as IDataObject;
			sent.push({
				item: i,
				...(typeof data.messageId === 'string' ? { messageId: data.messageId } : {}),
			});
		} else if (outcome?.uncertain) {
			unknown.push(i);
		} else if (outcome?.state === 'failed') {
			if (i !== failedIndex) failed.push({ item: i, error: outcome.error.message });
		} else {
			notSent.push(i);
		}
	}
	const done = paced ? 'sent' : 'done';
	nodeError.context = {
		...nodeError.context,
		itemIndex: failedIndex,
		batch: { sent, notSent, unknown, failed: failed.map((f) => f.item) },
	};
	if (outcomes.length === 1) {
		if (unknown.length) {
			nodeError.description = [nodeError.description, UNKNOWN_OUTCOME].filter(Boolean).join('\n\n');
		}
		return nodeError;
	}
	const lines = [
		`The run stopped at item ${failedIndex}: ${sent.length} of ${outcomes.length} items were ${done} before it stopped, ${notSent.length} were not ${done}${unknown.length ? `, and for ${unknown.length} the outcome is unknown` : ''}.`,
		sent.length
			? `${paced ? 'Sent' : 'Done'} (item: message ID): ${sent.map((s) => (s.messageId ? `${s.item}: ${s.messageId}` : String(s.item))).join(', ')}`
			: `Nothing was ${done}.`,
		notSent.length ? `Not ${done}: items ${ranges(notSent)}` : undefined,
		unknown.length ? `Outcome unknown: items ${ranges(unknown)}. ${UNKNOWN_OUTCOME}` : undefined,
		failed.length
			? `Failed: ${failed.map((f) => `item ${f.item} (${f.error})`).join('; ')}`
			: undefined,
		`To continue, run only the items that were not ${done} (see the README, "Resuming a stopped batch"), or turn on "On Error: Continue" so that every item gets its own outcome.`,
	].filter(Boolean);
	nodeError.description = [nodeError.description, lines.join('\n')].filter(Boolean).join('\n\n');
	nodeError.message = `${nodeError.message} (run stopped: ${sent.length} ${done}, ${notSent.length} not ${done}${unknown.length ? `, ${unknown.length} unknown` : ''})`;
	return nodeError;
}

const UNKNOWN_OUTCOME =
	"Meta failed or the connection broke after the request left, so the message may have been sent: check the customer's chat or the trigger's statuses before sending it again.";

function positive(value: unknown, fallback: number): number {
	const n = Number(value);
	return Number.isFinite(n) && n > 0 ? n : fallback;
}

function nonNegative(value: unknown, fallback: number): number {
	const n = Number(value);
	return Number.isFinite(n) && n >= 0 ? n : fallback;
}

function asNodeError(fns: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(fns.getNode(), error as Error, { itemIndex });
}

function errorJson(error: Error, uncertain: boolean): IDataObject {
	const json: IDataObject = { error: error.message };
	if (error instanceof GraphApiError) json.errorDetails = error.toItemError();
	else if ((error as NodeOperationError).description)
		json.errorDetails = { description: (error as NodeOperationError).description };
	// the item failed, but Meta may have taken one of its attempts: do not resend it blindly
	if (uncertain) json.mayHaveBeenSent = true;
	return json;
}
