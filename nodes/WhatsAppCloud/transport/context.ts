import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { GraphConfig, GraphFunctions, GraphPage, GraphRequest } from '../../shared/transport';
import { GraphApiError, graphCall } from '../../shared/transport';
import { credentialId, graphId } from '../../shared/ids';
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

	/**
	 * The business phone number of item `i`: the one chosen in the node's phone number locator
	 * (`sender`), or the credential's.
	 */
	sender(itemIndex: number, label = 'Sender Phone Number'): string {
		const chosen = this.fns.getNodeParameter('sender', itemIndex, '', { extractValue: true });
		// empty (or only white space): the credential's number
		if (String(chosen ?? '').trim() !== '')
			return graphId(this.node, chosen, label, 'phoneNumber', itemIndex);
		const sender = credentialId(this.node, this.config, 'phoneNumberId', itemIndex);
		if (!sender) {
			throw new NodeOperationError(this.node, `No phone number ID [item ${itemIndex}]`, {
				itemIndex,
				description: `Fill "Phone Number ID" in the WhatsApp Cloud API credential, or choose a ${label}.`,
			});
		}
		return sender;
	}

	/** The WhatsApp Business Account of the credential, which templates and number lists need. */
	waba(itemIndex?: number): string {
		return requireWaba(this.fns, this.config, itemIndex);
	}

	/** Reads made once per execution, by key; see `once`. */
	private readonly reads = new Map<string, Promise<unknown>>();

	/** What items of this execution have counted, by name; see `tally`. */
	private readonly tallies = new Map<string, Map<string, number>>();

	/**
	 * A read that an operation's checks need (a template's definition, a number's or an account's
	 * settings), made once per execution and `key`, whatever its outcome: the items that need it
	 * share one request and its answer, or its error. `key` names what is read and of which object,
	 * e.g. `currency:<waba-id>`.
	 */
	async once<T>(key: string, read: () => Promise<T>): Promise<T> {
		let pending = this.reads.get(key) as Promise<T> | undefined;
		if (!pending) this.reads.set(key, (pending = read()));
		return await pending;
	}

	/**
	 * Counts kept across the items of this execution under `name` (e.g. the free places of a group
	 * that earlier items already take), for checks that depend on what earlier items do.
	 */
	tally(name: string): Map<string, number> {
		let counts = this.tallies.get(name);
		if (!counts) this.tallies.set(name, (counts = new Map()));
		return counts;
	}

	/** Forgets an item's report once the router has read it. */
	forget(itemIndex: number): void {
		this.reports.delete(itemIndex);
	}

	/**
	 * A message send: paced by the sender's rate, retried on throttling, transient errors and (for
	 * that recipient only) the pair rate limit. `refusals`: Graph codes that this endpoint answers
	 * only when it refused the message before anything was sent, even with HTTP 5xx; such an answer
	 * is neither retried nor counted as a possible send.
	 */
	async send<T = IDataObject>(
		request: GraphRequest,
		itemIndex: number,
		key: { sender: string; recipient?: string },
		refusals: readonly number[] = [],
	): Promise<T> {
		return await this.throttle.run(
			async () => {
				let failure: unknown;
				try {
					return await graphCall<T>(this.fns, this.config, request, itemIndex);
				} catch (error) {
					failure = error;
				}
				if (
					failure instanceof GraphApiError &&
					failure.graphCode !== undefined &&
					refusals.includes(failure.graphCode)
				) {
					failure.mayHaveArrived = false;
					failure.retry = 'none';
				}
				throw failure;
			},
			{
				sender: `${this.config.baseUrl}|${key.sender}`,
				recipient: key.recipient,
				order: itemIndex,
				report: this.reportFor(itemIndex),
			},
		);
	}

	/**
	 * All items of a Graph list, following Meta's `after` cursors, up to `limit`. `pageSize`: the
	 * most one page may ask for (some lists, such as QR codes, take fewer than 100).
	 */
	async pages<T>(
		request: GraphRequest,
		itemIndex: number,
		limit = Infinity,
		pageSize = 100,
	): Promise<T[]> {
		const items: T[] = [];
		let after: string | undefined;
		do {
			const page = await this.call<GraphPage<T>>(
				{
					...request,
					qs: {
						...request.qs,
						limit: Math.min(pageSize, limit - items.length),
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
				return await graphCall<T>(this.fns, this.config, built, itemIndex);
			},
			{ order: itemIndex, report: this.reportFor(itemIndex) },
		);
	}
}

/** The credential's WhatsApp Business Account ID, or an error that says where to find it. */
export function requireWaba(fns: GraphFunctions, config: GraphConfig, itemIndex?: number): string {
	const waba = credentialId(fns.getNode(), config, 'businessAccountId', itemIndex);
	if (!waba) {
		throw new NodeOperationError(
			fns.getNode(),
			'Add the WhatsApp Business Account ID to the credential',
			{
				description:
					'Templates and phone number lists belong to a WhatsApp Business Account (app dashboard > WhatsApp > API Setup).',
			},
		);
	}
	return waba;
}
