import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { GraphConfig, GraphRequest } from '../../shared/transport';
import { graphJson } from '../../shared/transport';
import { newReport, type RunReport, type Throttle } from './throttle';

/** What an operation gets besides `this`: the credential's Graph settings and the paced client. */
export class OperationContext {
	constructor(
		private readonly fns: IExecuteFunctions,
		readonly config: GraphConfig,
		readonly throttle: Throttle,
	) {}

	/** What the calls of each item did (attempts, uncertain failures), for the router's report. */
	private readonly reports = new Map<number, RunReport>();

	get node() {
		return this.fns.getNode();
	}

	reportFor(itemIndex: number): RunReport {
		let report = this.reports.get(itemIndex);
		if (!report) this.reports.set(itemIndex, (report = newReport()));
		return report;
	}

	/** Forgets an item's report once the router has read it. */
	forget(itemIndex: number): void {
		this.reports.delete(itemIndex);
	}

	/**
	 * A message send: paced by the sender's rate, retried on throttling, transient errors and (for
	 * that recipient only) the pair rate limit.
	 */
	async send<T = IDataObject>(
		request: GraphRequest,
		itemIndex: number,
		key: { sender: string; recipient?: string },
	): Promise<T> {
		return await this.throttle.run(
			async () =>
				await graphJson.call<IExecuteFunctions, [GraphConfig, GraphRequest, number], Promise<T>>(
					this.fns,
					this.config,
					request,
					itemIndex,
				),
			{
				sender: `${this.config.baseUrl}|${key.sender}`,
				recipient: key.recipient,
				order: itemIndex,
				report: this.reportFor(itemIndex),
			},
		);
	}

	/** All items of a Graph list, following Meta's `after` cursors, up to `limit`. */
	async pages<T>(request: GraphRequest, itemIndex: number, limit = Infinity): Promise<T[]> {
		const items: T[] = [];
		let after: string | undefined;
		do {
			const page = await this.call<GraphPage<T>>(
				{
					...request,
					qs: {
						...request.qs,
						limit: Math.min(100, limit - items.length),
						...(after ? { after } : {}),
					},
				},
				itemIndex,
			);
			items.push(...(page.data ?? []));
			after = page.paging?.next ? page.paging.cursors?.after : undefined;
		} while (after && items.length < limit);
		return items.slice(0, limit);
	}

	/**
	 * Any other Graph call: not paced, but retried on throttling and transient errors. Pass a
	 * function to build the request anew for each attempt (a streamed body can be sent only once).
	 */
	async call<T = IDataObject>(
		request: GraphRequest | (() => Promise<GraphRequest>),
		itemIndex: number,
	): Promise<T> {
		return await this.throttle.run(
			async () => {
				const built = typeof request === 'function' ? await request() : request;
				return await graphJson.call<
					IExecuteFunctions,
					[GraphConfig, GraphRequest, number],
					Promise<T>
				>(this.fns, this.config, built, itemIndex);
			},
			{ order: itemIndex, report: this.reportFor(itemIndex) },
		);
	}
}

/** A page of a Graph list: the items and Meta's cursors. */
export type GraphPage<T> = { data?: T[]; paging?: { cursors?: { after?: string }; next?: string } };
