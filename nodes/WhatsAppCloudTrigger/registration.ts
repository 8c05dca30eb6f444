import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { credentialText } from '../../credentials/WhatsAppCloudApi.credentials';
import { credentialId, graphId } from '../shared/ids';
import {
	getGraphConfig,
	graphCall,
	type GraphConfig,
	type GraphRequest,
} from '../shared/transport';
import { SUBSCRIBED_FIELDS } from './events';

/**
 * How the trigger tells Meta where to send events, on activation and deactivation.
 * - manual: nothing to do; the user pastes the URL and verify token in Meta's console.
 * - businessAccount: a callback override on the WABA's app subscription (`subscribed_apps`).
 * - phoneNumber: a callback override on one phone number (`webhook_configuration`).
 * - app: the app-wide callback (`/{app-id}/subscriptions`), one per Meta app.
 * Overrides are what let several workflows share one Meta app. Removal only touches a
 * registration that still points at this trigger's URL, so it never undoes another trigger's.
 * An override receives only the fields Meta lets it redirect (events.ts, `callback`); an app-wide
 * registration subscribes to every field the trigger has an Events option for.
 */
export type RegistrationMode = 'manual' | 'businessAccount' | 'phoneNumber' | 'app';

type Methods = {
	/**
	 * Where Meta sends the messages this registration would receive, now: its own slot, or the
	 * callback Meta falls back to (a phone number's override, then the account's, then the app's).
	 */
	current: (this: IHookFunctions) => Promise<string | undefined>;
	exists: (this: IHookFunctions) => Promise<boolean>;
	create: (this: IHookFunctions) => Promise<boolean>;
	remove: (this: IHookFunctions) => Promise<boolean>;
};

async function call<T = IDataObject>(
	fns: IHookFunctions,
	config: GraphConfig,
	request: GraphRequest,
): Promise<T> {
	return await graphCall<T>(fns, config, request);
}

function url(fns: IHookFunctions): string {
	return fns.getNodeWebhookUrl('default') as string;
}

function verifyToken(fns: IHookFunctions): string {
	const token = String(fns.getNodeParameter('verifyToken', '') ?? '');
	if (!token) {
		throw new NodeOperationError(fns.getNode(), 'Set a Verify Token before activating', {
			description: 'Meta checks the callback URL with this token when the trigger registers it.',
		});
	}
	return token;
}

async function businessAccountId(fns: IHookFunctions, config: GraphConfig): Promise<string> {
	// a picked or typed account, or (saved before it was a picker) a plain text ID
	const chosen = fns.getNodeParameter('businessAccountId', '', { extractValue: true });
	const id =
		String(chosen ?? '').trim() !== ''
			? graphId(fns.getNode(), chosen, 'WhatsApp Business Account', 'businessAccount')
			: credentialId(fns.getNode(), config, 'businessAccountId');
	if (!id) {
		throw new NodeOperationError(fns.getNode(), 'No WhatsApp Business Account ID', {
			description: 'Fill it in the node or in the WhatsApp Cloud API credential.',
		});
	}
	return id;
}

function phoneNumberId(fns: IHookFunctions, config: GraphConfig): string {
	const chosen = fns.getNodeParameter('phoneNumberId', '', { extractValue: true });
	const id =
		String(chosen ?? '').trim() !== ''
			? graphId(fns.getNode(), chosen, 'Phone Number', 'phoneNumber')
			: credentialId(fns.getNode(), config, 'phoneNumberId');
	if (!id) {
		throw new NodeOperationError(fns.getNode(), 'No Phone Number ID', {
			description: 'Fill it in the node or in the WhatsApp Cloud API credential.',
		});
	}
	return id;
}

/** An app access token (`app-id|app-secret`), needed by `/{app-id}/subscriptions`. */
async function appAuth(fns: IHookFunctions): Promise<{ appId: string; headers: IDataObject }> {
	const credentials = await fns.getCredentials('whatsAppCloudApi');
	const appId = credentialId(
		fns.getNode(),
		{ appId: credentialText(credentials, 'appId') },
		'appId',
	);
	const appSecret = credentialText(credentials, 'appSecret');
	if (!appId || !appSecret) {
		throw new NodeOperationError(
			fns.getNode(),
			'App-wide registration needs the App ID and App Secret',
			{
				description:
					'Fill both in the WhatsApp Cloud API credential (App dashboard > App settings > Basic), or choose another registration.',
			},
		);
	}
	return { appId, headers: { Authorization: `Bearer ${appId}|${appSecret}` } };
}

type SubscribedApps = {
	data?: Array<{ override_callback_uri?: string; whatsapp_business_api_data?: IDataObject }>;
};
type WebhookConfiguration = {
	webhook_configuration?: {
		phone_number?: string;
		whatsapp_business_account?: string;
		application?: string;
	};
};
type AppSubscriptions = {
	data?: Array<{ object?: string; callback_url?: string; active?: boolean }>;
};

export const registration: Record<RegistrationMode, Methods> = {
	manual: {
		async current() {
			return undefined;
		},
		async exists() {
			return true;
		},
		async create() {
			return true;
		},
		async remove() {
			return true;
		},
	},
	businessAccount: {
		async current(this: IHookFunctions) {
			const config = await getGraphConfig.call(this);
			const waba = await businessAccountId(this, config);
			const apps = await call<SubscribedApps>(this, config, {
				method: 'GET',
				path: `/${waba}/subscribed_apps`,
			});
			const override = (apps.data ?? []).find(
				(a) => a.override_callback_uri,
			)?.override_callback_uri;
			if (override) return override;
			// without an override the account's events go to the app-wide callback, which the
			// credential's phone number reports
			try {
				// checked like every ID: a malformed one is refused here, and tells nothing
				const phoneId = credentialId(this.getNode(), config, 'phoneNumberId');
				if (!phoneId) return undefined;
				const phone = await call<WebhookConfiguration>(this, config, {
					method: 'GET',
					path: `/${phoneId}`,
					qs: { fields: 'webhook_configuration' },
				});
				return phone.webhook_configuration?.application || undefined;
			} catch {
				return undefined;
			}
		},
		async exists(this: IHookFunctions) {
			const config = await getGraphConfig.call(this);
			const waba = await businessAccountId(this, config);
			const apps = await call<SubscribedApps>(this, config, {
				method: 'GET',
				path: `/${waba}/subscribed_apps`,
			});
			return (apps.data ?? []).some((a) => a.override_callback_uri === url(this));
		},
		async create(this: IHookFunctions) {
			const config = await getGraphConfig.call(this);
			const waba = await businessAccountId(this, config);
			await call(this, config, {
				method: 'POST',
				path: `/${waba}/subscribed_apps`,
				body: { override_callback_uri: url(this), verify_token: verifyToken(this) },
			});
			return true;
		},
		async remove(this: IHookFunctions) {
			const config = await getGraphConfig.call(this);
			const waba = await businessAccountId(this, config);
			const apps = await call<SubscribedApps>(this, config, {
				method: 'GET',
				path: `/${waba}/subscribed_apps`,
			});
			if ((apps.data ?? []).some((a) => a.override_callback_uri === url(this))) {
				// subscribing again without a body drops the override; the app stays subscribed
				await call(this, config, { method: 'POST', path: `/${waba}/subscribed_apps` });
			}
			return true;
		},
	},
	phoneNumber: {
		async current(this: IHookFunctions) {
			const config = await getGraphConfig.call(this);
			const id = phoneNumberId(this, config);
			const phone = await call<WebhookConfiguration>(this, config, {
				method: 'GET',
				path: `/${id}`,
				qs: { fields: 'webhook_configuration' },
			});
			const route = phone.webhook_configuration ?? {};
			return (
				route.phone_number || route.whatsapp_business_account || route.application || undefined
			);
		},
		async exists(this: IHookFunctions) {
			const config = await getGraphConfig.call(this);
			const id = phoneNumberId(this, config);
			const phone = await call<WebhookConfiguration>(this, config, {
				method: 'GET',
				path: `/${id}`,
				qs: { fields: 'webhook_configuration' },
			});
			return phone.webhook_configuration?.phone_number === url(this);
		},
		async create(this: IHookFunctions) {
			const config = await getGraphConfig.call(this);
			const id = phoneNumberId(this, config);
			await call(this, config, {
				method: 'POST',
				path: `/${id}`,
				body: {
					webhook_configuration: {
						override_callback_uri: url(this),
						verify_token: verifyToken(this),
					},
				},
			});
			return true;
		},
		async remove(this: IHookFunctions) {
			const config = await getGraphConfig.call(this);
			const id = phoneNumberId(this, config);
			const phone = await call<WebhookConfiguration>(this, config, {
				method: 'GET',
				path: `/${id}`,
				qs: { fields: 'webhook_configuration' },
			});
			if (phone.webhook_configuration?.phone_number === url(this)) {
				await call(this, config, {
					method: 'POST',
					path: `/${id}`,
					body: { webhook_configuration: { override_callback_uri: '' } },
				});
			}
			return true;
		},
	},
	app: {
		async current(this: IHookFunctions) {
			const config = await getGraphConfig.call(this);
			const { appId, headers } = await appAuth(this);
			const subscriptions = await call<AppSubscriptions>(this, config, {
				method: 'GET',
				path: `/${appId}/subscriptions`,
				headers,
			});
			return (subscriptions.data ?? []).find(
				(s) => s.object === 'whatsapp_business_account' && s.active !== false && s.callback_url,
			)?.callback_url;
		},
		async exists(this: IHookFunctions) {
			return (await registration.app.current.call(this)) === url(this);
		},
		async create(this: IHookFunctions) {
			const config = await getGraphConfig.call(this);
			const { appId, headers } = await appAuth(this);
			await call(this, config, {
				method: 'POST',
				path: `/${appId}/subscriptions`,
				headers,
				body: {
					object: 'whatsapp_business_account',
					callback_url: url(this),
					verify_token: verifyToken(this),
					fields: SUBSCRIBED_FIELDS.join(','),
					include_values: true,
				},
			});
			return true;
		},
		async remove(this: IHookFunctions) {
			const config = await getGraphConfig.call(this);
			const { appId, headers } = await appAuth(this);
			const subscriptions = await call<AppSubscriptions>(this, config, {
				method: 'GET',
				path: `/${appId}/subscriptions`,
				headers,
			});
			if (
				(subscriptions.data ?? []).some(
					(s) => s.object === 'whatsapp_business_account' && s.callback_url === url(this),
				)
			) {
				await call(this, config, {
					method: 'DELETE',
					path: `/${appId}/subscriptions`,
					headers,
					qs: { object: 'whatsapp_business_account' },
				});
			}
			return true;
		},
	},
};
