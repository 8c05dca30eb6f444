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
 * The one loop over items. Two phases:
 * 1. every item's parameters are read and validated (no request yet), so a bad row fails before
 *    anything is sent and, unless the node continues on fail, before any other row is sent;
 * 2. the prepared items run through the throttle with bounded concurrency.
 * Outputs keep the input order and `pairedItem`; a failure stays on its own item.
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
	for (let i = 0; i < items.length; i++) {
		try {
			prepared[i] = await operation.prepare.call(this, i, ctx);
		} catch (error) {
			if (!continueOnFail) throw asNodeError(this, error, i);
			outcomes[i] = { ok: false, error: error as Error };
		}
	}

	// Items waiting in a backoff hold a worker but no request slot, so keep more workers than slots.
	const workers = Math.min(items.length, operation.paced ? maxConcurrent * 4 : maxConcurrent);
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < items.length) {
			const i = next++;
			const run = prepared[i];
			if (!run) continue;
			prepared[i] = undefined;
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
