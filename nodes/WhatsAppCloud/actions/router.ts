import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	DEFAULT_MAX_CONCURRENT,
	DEFAULT_MAX_RETRIES,
	DEFAULT_MESSAGES_PER_SECOND,
	Throttle,
} from '../../shared/throttle';
import { GraphApiError, getGraphConfig } from '../../shared/transport';
import { operations } from './operations';
import { OperationContext, type PreparedItem } from './types';

/** Management calls (templates, media, phone numbers) run a few at a time, unpaced. */
const MANAGEMENT_CONCURRENCY = 4;

type Outcome = { ok: true; data: IDataObject | INodeExecutionData[] } | { ok: false; error: Error };

/**
 * The one loop over items. Each item is first prepared (parameters read and validated, no
 * request), then run through the throttle with bounded concurrency.
 * - Without continue-on-fail, every item is prepared before any is sent: a bad row stops the run
 *   before anything goes out. A failed send stops new sends; those in flight finish.
 * - With continue-on-fail, a bad or failed row only fails itself and the rest are sent.
 * Outputs keep the input order and `pairedItem`.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not supported`);
	}
	const continueOnFail = this.continueOnFail();

	const bulk = operation.paced
		? (this.getNodeParameter('options', 0, {}) as IDataObject)
		: ({} as IDataObject);
	const maxConcurrent = operation.paced
		? positive(bulk.maxConcurrent, DEFAULT_MAX_CONCURRENT)
		: MANAGEMENT_CONCURRENCY;
	const throttle = new Throttle({
		ratePerSecond: operation.paced ? positive(bulk.messagesPerSecond, DEFAULT_MESSAGES_PER_SECOND) : Infinity,
		maxConcurrent,
		maxRetries: nonNegative(bulk.maxRetries, DEFAULT_MAX_RETRIES),
	});
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
			outcomes[i] = { ok: false, error: error as Error };
			return undefined;
		}
	};

	// Items waiting in a backoff hold a worker but no request slot, so keep more workers than slots.
	const workers = Math.min(items.length, operation.paced ? maxConcurrent * 4 : maxConcurrent);
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < items.length) {
			const i = next++;
			const run = await take(i);
			prepared[i] = undefined;
			if (!run) continue;
			try {
				outcomes[i] = { ok: true, data: await run() };
			} catch (error) {
				outcomes[i] = { ok: false, error: error as Error };
				if (!continueOnFail) stopped = true;
			}
		}
	};
	await Promise.all(Array.from({ length: workers }, worker));

	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const outcome = outcomes[i];
		if (!outcome) continue;
		if (!outcome.ok) {
			if (!continueOnFail) throw asNodeError(this, outcome.error, i);
			out.push({ json: errorJson(outcome.error), pairedItem: { item: i } });
			continue;
		}
		const data = outcome.data;
		if (Array.isArray(data)) {
			for (const entry of data) out.push({ ...entry, pairedItem: { item: i } });
		} else {
			out.push({ json: data, pairedItem: { item: i } });
		}
	}
	return [out];
}

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

function errorJson(error: Error): IDataObject {
	if (error instanceof GraphApiError) {
		return { error: error.message, errorDetails: error.toItemError() };
	}
	const description = (error as NodeOperationError).description;
	return description ? { error: error.message, errorDetails: { description } } : { error: error.message };
}
