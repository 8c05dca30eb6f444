import type { IDataObject } from 'n8n-workflow';

import {
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_TOKEN,
	type GraphSandbox,
} from '../../../../dev/sandbox/server';
import { head } from '../send';

/**
 * Posts an `interactive` object straight to the sandbox's messages endpoint, past the node: how
 * the sandbox answers a payload the node would never send tells whether it refuses what Meta does.
 */
export async function postInteractive(sandbox: GraphSandbox, interactive: IDataObject) {
	const response = await fetch(`${sandbox.url}/v25.0/${SANDBOX_PHONE_NUMBER_ID}/messages`, {
		method: 'POST',
		headers: { authorization: `Bearer ${SANDBOX_TOKEN}`, 'content-type': 'application/json' },
		body: JSON.stringify({ ...head, type: 'interactive', interactive }),
	});
	const json = (await response.json()) as { error?: IDataObject };
	return { status: response.status, error: json.error };
}
