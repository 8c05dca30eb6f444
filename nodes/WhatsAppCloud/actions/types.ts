import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { OperationContext } from '../transport/context';

/** The work for one item, decided and validated before any request is made. */
export type PreparedItem = () => Promise<IDataObject | INodeExecutionData[]>;

export type Operation = {
	description: INodeProperties[];
	/** Message sends are paced by "Messages per Second" and run with bounded concurrency. */
	paced: boolean;
	/**
	 * Reads and validates the parameters of one item and returns the work to do, so that a bad
	 * input fails here, naming the item and the field, before anything is sent. It sends and changes
	 * nothing. The only requests it may make are reads that its checks need, through the context
	 * (retried like every call, once per execution): a template's definition (and whether it was
	 * created with a Max Price), a number's Official Business Account status, a group's participant
	 * count.
	 */
	prepare(this: IExecuteFunctions, itemIndex: number, ctx: OperationContext): Promise<PreparedItem>;
};
