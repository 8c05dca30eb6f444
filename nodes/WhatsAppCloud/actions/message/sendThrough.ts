/**
 * Which API carries a template send: the Cloud API (`/messages`) or the Marketing Messages API
 * (`/marketing_messages`, marketing templates only), chosen per item before anything is sent, and
 * the one fallback to the other API when Meta refused the message before sending it.
 *
 * Exactly once: a fallback follows only an answer that proves nothing was sent (Meta's refusal with
 * one of the codes below, from an attempt that was the item's only one or whose earlier attempts
 * were refused as clearly), and an item falls back at most once. A 5xx of any other code, a broken
 * connection or an answer without a message ID never leads to a second send.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { GRAPH_CODE } from '../../../shared/errors';
import { GraphApiError } from '../../../shared/transport';
import type { OperationContext } from '../../transport/context';
import type { TemplateDefinition } from '../template/definition';
import { type Envelope, messageOutput, type SendResponse, sendMessage } from './send';

export type SendThrough = 'cloudApi' | 'marketingMessagesApi' | 'automatic';
/** The API that carried a message, as the output's `sentThrough` says. */
export type SentThrough = 'cloudApi' | 'marketingMessagesApi';
export type ProductPolicy = 'CLOUD_API_FALLBACK' | 'STRICT';

const SEND_THROUGH: Record<SendThrough, string> = {
	cloudApi: 'Cloud API',
	marketingMessagesApi: 'Marketing Messages API',
	automatic: 'Automatic',
};
const PRODUCT_POLICIES: Record<ProductPolicy, string> = {
	CLOUD_API_FALLBACK: 'Cloud API Fallback',
	STRICT: 'Strict',
};

/** The onboarding status with which the Marketing Messages API sends. */
const ONBOARDED = 'ONBOARDED';

/**
 * Codes with which the Marketing Messages API refuses a template before sending anything, and
 * after which the Cloud API may carry it: the template is not marketing as Meta sees it (131055;
 * 134100 from v23.0 on), or not available on that API (134102).
 */
const REFUSED_FOR_CLOUD_API = new Set<number>([
	GRAPH_CODE.marketingNotOnCloudApi,
	GRAPH_CODE.marketingNotEligible,
	GRAPH_CODE.marketingTemplateUnavailable,
]);

/**
 * 134102 comes with HTTP 500, which otherwise means Meta may have taken the request. Its meaning
 * (the template is unavailable on this API) is decided before any message exists, and Meta's action
 * for it is to send through the Cloud API instead; so on this endpoint it is a refusal, neither
 * retried nor counted as a possible send. Any other 5xx stays uncertain.
 */
const REFUSALS_ON_5XX = [GRAPH_CODE.marketingTemplateUnavailable];

/** The fields Send Template adds to its Options. */
export const marketingOptions: INodeProperties[] = [
	{
		displayName: 'Send Through',
		name: 'sendThrough',
		type: 'options',
		default: 'cloudApi',
		options: [
			{
				name: 'Automatic',
				value: 'automatic',
				description:
					'Marketing templates through the Marketing Messages API when the account is onboarded to it, everything else through the Cloud API',
			},
			{
				name: 'Cloud API',
				value: 'cloudApi',
				description: 'Every template through the Cloud API',
			},
			{
				name: 'Marketing Messages API',
				value: 'marketingMessagesApi',
				description:
					'Marketing templates only. Meta may optimise their delivery and creatives; other categories fail before sending.',
			},
		],
		description:
			"Which API carries the message. The output's sentThrough says which did, and fallbackReason why, when the other one refused it. A marketing template's time-to-live (12 hours to 30 days, a setting of the template) is honoured only by the Marketing Messages API.",
	},
	{
		displayName: 'Product Policy',
		name: 'productPolicy',
		type: 'options',
		default: 'CLOUD_API_FALLBACK',
		options: [
			{
				name: 'Cloud API Fallback',
				value: 'CLOUD_API_FALLBACK',
				description:
					'When the Marketing Messages API cannot send it, the Cloud API does: Meta itself for an account that is not onboarded, and this node when Meta refuses the template before sending (131055, 134100, 134102)',
			},
			{
				name: 'Strict',
				value: 'STRICT',
				description:
					'Only the Marketing Messages API; when it cannot send the message, the item fails',
			},
		],
		description:
			'For messages through the Marketing Messages API: whether the Cloud API may carry them when that API cannot',
	},
	{
		displayName: 'Message Activity Sharing',
		name: 'messageActivitySharing',
		type: 'boolean',
		default: false,
		description:
			"Whether Meta may use this message's activity (such as its being read) to optimise marketing messages. For messages through the Marketing Messages API; leave the option out to keep the account's setting.",
	},
];

/** How one item is sent, decided before any request. */
export type Route = {
	sendThrough: SendThrough;
	/** The API tried first. */
	first: SentThrough;
	productPolicy: ProductPolicy;
	activitySharing?: boolean;
	template: { name: string; language: string; category: string };
	/** The account's onboarding status, when it was read. */
	onboarding?: string;
};

const fail = (fns: IExecuteFunctions, i: number, message: string, description: string) =>
	new NodeOperationError(fns.getNode(), `${message} [item ${i}]`, {
		itemIndex: i,
		description: `${description} Nothing was sent for item ${i}.`,
	});

/** The account's Marketing Messages API onboarding status, read once per execution and account. */
async function onboardingStatus(ctx: OperationContext, i: number): Promise<string | undefined> {
	const waba = ctx.waba(i);
	return await ctx.once(`onboarding:${waba}`, async () => {
		const answer = await ctx.call<{ marketing_messages_onboarding_status?: unknown }>(
			{ method: 'GET', path: `/${waba}`, qs: { fields: 'marketing_messages_onboarding_status' } },
			i,
		);
		return typeof answer.marketing_messages_onboarding_status === 'string'
			? answer.marketing_messages_onboarding_status
			: undefined;
	});
}

/**
 * Reads the send options of item `i` and decides the API for `template`. Refuses, before anything
 * is sent, what cannot go: a template that is not marketing on the Marketing Messages API, and
 * options of that API on a send pinned to the Cloud API.
 */
export async function routeOf(
	fns: IExecuteFunctions,
	ctx: OperationContext,
	i: number,
	template: TemplateDefinition,
	/** A send to a WhatsApp group: the Marketing Messages API has no group recipient. */
	toGroup = false,
): Promise<Route> {
	const options = fns.getNodeParameter('options', i, {}) as IDataObject;
	const sendThrough = options.sendThrough ?? 'cloudApi';
	if (typeof sendThrough !== 'string' || !(sendThrough in SEND_THROUGH)) {
		throw fail(
			fns,
			i,
			`Send Through is ${JSON.stringify(sendThrough)}, which is not a way to send`,
			'Field: Send Through (in Options). Choose Cloud API (cloudApi), Marketing Messages API (marketingMessagesApi) or Automatic (automatic).',
		);
	}
	const productPolicy = options.productPolicy;
	if (
		productPolicy !== undefined &&
		(typeof productPolicy !== 'string' || !(productPolicy in PRODUCT_POLICIES))
	) {
		throw fail(
			fns,
			i,
			`Product Policy is ${JSON.stringify(productPolicy)}, which is not a product policy`,
			'Field: Product Policy (in Options). Choose Cloud API Fallback (CLOUD_API_FALLBACK) or Strict (STRICT).',
		);
	}
	let activitySharing = options.messageActivitySharing;
	if (typeof activitySharing === 'string' && /^(true|false)$/i.test(activitySharing.trim()))
		activitySharing = activitySharing.trim().toLowerCase() === 'true';
	if (activitySharing !== undefined && typeof activitySharing !== 'boolean') {
		throw fail(
			fns,
			i,
			`Message Activity Sharing is ${JSON.stringify(activitySharing)}, which is neither on nor off`,
			'Field: Message Activity Sharing (in Options). Its expression must give true or false; leave the option out to keep the account setting.',
		);
	}
	const through = sendThrough as SendThrough;
	if (through === 'cloudApi' && (productPolicy !== undefined || activitySharing !== undefined)) {
		const label = productPolicy !== undefined ? 'Product Policy' : 'Message Activity Sharing';
		throw fail(
			fns,
			i,
			`${label} applies only to the Marketing Messages API, but Send Through is Cloud API`,
			`Field: ${label} (in Options). Set Send Through to Marketing Messages API or Automatic, or remove ${label}.`,
		);
	}
	const category = String(template.category ?? '').toUpperCase();
	const route: Route = {
		sendThrough: through,
		first: 'cloudApi',
		productPolicy: (productPolicy as ProductPolicy | undefined) ?? 'CLOUD_API_FALLBACK',
		...(activitySharing !== undefined ? { activitySharing } : {}),
		template: { name: template.name, language: template.language, category },
	};
	if (through === 'marketingMessagesApi') {
		if (category !== 'MARKETING') {
			throw fail(
				fns,
				i,
				`Send Through is Marketing Messages API, but template "${template.name}" (${template.language}) is ${category ? `a ${category.toLowerCase()}` : 'not a marketing'} template, and that API sends only marketing templates`,
				'Field: Send Through (in Options). Choose Cloud API, or Automatic (which sends marketing templates through the Marketing Messages API when the account is onboarded, and others through the Cloud API), or choose a marketing template.',
			);
		}
		route.first = 'marketingMessagesApi';
	} else if (through === 'automatic' && category === 'MARKETING' && !toGroup) {
		try {
			route.onboarding = await onboardingStatus(ctx, i);
		} catch (error) {
			throw fail(
				fns,
				i,
				'Could not read whether the WhatsApp Business Account is onboarded to the Marketing Messages API',
				`${(error as Error).message}. Send Through: Automatic reads it (GET /{waba-id}?fields=marketing_messages_onboarding_status, which needs whatsapp_business_management) to choose the API for marketing templates. Give the token that permission, or choose Cloud API or Marketing Messages API in Send Through.`,
			);
		}
		if (route.onboarding === ONBOARDED) route.first = 'marketingMessagesApi';
	}
	return route;
}

/** A Graph refusal after which nothing of item `i` can have been sent, by any of its attempts. */
function refusedBeforeSending(
	ctx: OperationContext,
	i: number,
	error: unknown,
): error is GraphApiError & { graphCode: number } {
	return (
		error instanceof GraphApiError &&
		error.graphCode !== undefined &&
		!error.mayHaveArrived &&
		ctx.reportFor(i).uncertain === 0
	);
}

/** Meta's message of a Graph error, without our "WhatsApp Cloud API error <code>: " prefix. */
const said = (error: GraphApiError) => error.message.replace(/^WhatsApp Cloud API error \d+: /, '');

/** The failure, with `addition` (if any) added to its description. */
function explain(error: unknown, addition: string): unknown {
	if (addition && error instanceof GraphApiError)
		error.description = [error.description, addition].filter(Boolean).join('\n');
	return error;
}

async function sendThroughMarketingApi(
	ctx: OperationContext,
	i: number,
	envelope: Envelope,
	route: Route,
): Promise<IDataObject> {
	const body: IDataObject = {
		...envelope.body,
		product_policy: route.productPolicy,
		...(route.activitySharing !== undefined
			? { message_activity_sharing: route.activitySharing }
			: {}),
	};
	const response = await ctx.send<SendResponse>(
		{ method: 'POST', path: `/${envelope.sender}/marketing_messages`, body },
		i,
		{ sender: envelope.sender, recipient: envelope.recipient.id },
		REFUSALS_ON_5XX,
	);
	return {
		...messageOutput(ctx, i, envelope, body, response),
		sentThrough: 'marketingMessagesApi',
	};
}

async function sendThroughCloudApi(
	ctx: OperationContext,
	i: number,
	envelope: Envelope,
): Promise<IDataObject> {
	return { ...(await sendMessage(ctx, i, envelope)), sentThrough: 'cloudApi' };
}

/** Runs a send and hands back its output, or its failure to look at. */
async function attempt(
	send: () => Promise<IDataObject>,
): Promise<{ output: IDataObject } | { failure: unknown }> {
	try {
		return { output: await send() };
	} catch (failure) {
		return { failure };
	}
}

/**
 * Sends a built template message the way `route` says, falling back once to the other API when
 * Meta refused it before sending: Marketing Messages API to Cloud API under Cloud API Fallback;
 * Cloud API to Marketing Messages API (131063) under Automatic, when the account is onboarded.
 */
export async function sendRouted(
	ctx: OperationContext,
	i: number,
	envelope: Envelope,
	route: Route,
): Promise<IDataObject> {
	if (route.first === 'marketingMessagesApi') {
		const first = await attempt(async () => await sendThroughMarketingApi(ctx, i, envelope, route));
		if ('output' in first) return first.output;
		const error = first.failure;
		if (!refusedBeforeSending(ctx, i, error) || !REFUSED_FOR_CLOUD_API.has(error.graphCode))
			throw explainMarketingFailure(error, route);
		if (route.productPolicy === 'STRICT') {
			throw explain(
				error,
				'Product Policy is Strict, so the message was not sent through the Cloud API instead.',
			);
		}
		const refused = `The Marketing Messages API refused the template before sending it (${error.graphCode}: ${said(error)})`;
		const fallback = await attempt(async () => await sendThroughCloudApi(ctx, i, envelope));
		if ('failure' in fallback)
			throw explain(
				fallback.failure,
				`${refused}; this is the Cloud API's answer to the fallback.`,
			);
		return {
			...fallback.output,
			fallbackReason: `${refused}, and Product Policy is Cloud API Fallback, so the Cloud API sent it.`,
		};
	}
	const first = await attempt(async () => await sendThroughCloudApi(ctx, i, envelope));
	if ('output' in first) return first.output;
	const error = first.failure;
	if (
		!refusedBeforeSending(ctx, i, error) ||
		error.graphCode !== GRAPH_CODE.marketingDisabledOnCloudApi
	)
		throw error;
	if (route.sendThrough !== 'automatic') {
		throw explain(
			error,
			'Set Options > Send Through to Automatic (or Marketing Messages API) to send marketing templates through the Marketing Messages API.',
		);
	}
	const status = await (
		route.onboarding !== undefined ? Promise.resolve(route.onboarding) : onboardingStatus(ctx, i)
	).then(
		(value) => ({ value }),
		(failure: unknown) => ({ failure }),
	);
	if ('failure' in status) {
		throw explain(
			error,
			`Could not read whether the account is onboarded to the Marketing Messages API, so the message was not sent there either: ${(status.failure as Error).message}`,
		);
	}
	if (status.value !== ONBOARDED) {
		throw explain(
			error,
			`The account is not onboarded to the Marketing Messages API (status ${status.value ?? 'unknown'}), so the message could not go there either. Onboard it in WhatsApp Manager, then run again.`,
		);
	}
	const fallback = await attempt(
		async () => await sendThroughMarketingApi(ctx, i, envelope, route),
	);
	if ('failure' in fallback) throw explainMarketingFailure(fallback.failure, route);
	return {
		...fallback.output,
		fallbackReason: `The Cloud API refused the template before sending it (${error.graphCode}: ${said(error)}), and the account is onboarded to the Marketing Messages API, so that API sent it.`,
	};
}

/** Adds to a failure on the Marketing Messages API what to do about it there. */
function explainMarketingFailure(error: unknown, route: Route): unknown {
	if (!(error instanceof GraphApiError)) return error;
	if (error.graphCode === GRAPH_CODE.invalidParameter) {
		return explain(
			error,
			"On the Marketing Messages API this also means that the template's sync with the account's ad account is incomplete: if the parameters are right, wait 10 minutes and run again once.",
		);
	}
	if (error.graphCode === GRAPH_CODE.marketingDisabledOnCloudApi) {
		return explain(
			error,
			`The account is not onboarded to the Marketing Messages API${route.productPolicy === 'CLOUD_API_FALLBACK' ? ', and its fallback to the Cloud API is refused as well' : ''}. Onboard it in WhatsApp Manager, or allow marketing templates on the Cloud API again.`,
		);
	}
	return error;
}
