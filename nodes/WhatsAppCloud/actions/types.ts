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
	 * Reads and validates the parameters of one item and returns the work to do. It must not make
	 * any request: a bad input fails here, naming the item and the field.
	 */
	prepare(this: IExecuteFunctions, itemIndex: number, ctx: OperationContext): Promise<PreparedItem>;
};
