/**
 * Meta Graph error codes -> plain-language hints, and how the throttle should treat each code.
 * The codes and meanings follow Meta's Cloud API error reference; the retry kinds are ours.
 */

export type RetryKind =
	/** Throughput or API-call limit: back off and retry. */
	| 'throttle'
	/** Too many messages to one recipient (131056): back off that recipient only. */
	| 'pair'
	/** Temporary failure on Meta's side, or no connection could be made: retry a few times. */
	| 'transient'
	/**
	 * The connection broke after the request may have reached Meta (reset, timeout): retried once
	 * at most, since the message may already have been taken.
	 */
	| 'uncertain'
	/** A problem with the request, the account or the recipient: retrying cannot help. */
	| 'none';

/**
 * The Graph error codes the nodes act on by name (beyond their hint below): each is written once,
 * here, beside its hint.
 */
export const GRAPH_CODE = {
	/** The number's throughput (messages per second) is full. */
	throughputReached: 130429,
	/** More than 24 hours since the customer wrote: only a template gets through. */
	outsideWindow: 131047,
	/** Too many messages to one recipient in a short time. */
	pairRateLimit: 131056,
	/** A parameter is missing or does not match the template. */
	invalidParameter: 131009,
	/** The template is not available on the Cloud API for this message. */
	marketingNotOnCloudApi: 131055,
	/** Marketing templates are disabled for the Cloud API on this account. */
	marketingDisabledOnCloudApi: 131063,
	/** The Marketing Messages API refused the template or the account. */
	marketingNotEligible: 134100,
	/** The template is not available on the Marketing Messages API (answered with HTTP 500). */
	marketingTemplateUnavailable: 134102,
} as const;

type CodeInfo = { hint: string; retry?: RetryKind };

const TOKEN_FIX =
	'Create a permanent system-user token (Business Settings > Users > System users > Generate new token, expiry "Never") and put it in the credential.';

const CODES: Record<number, CodeInfo> = {
	0: {
		hint: `Meta could not authenticate the access token (expired, revoked or invalidated). ${TOKEN_FIX}`,
	},
	1: {
		hint: 'Meta reported an unknown API error. Check the request; if it repeats, Meta may be having problems.',
		retry: 'transient',
	},
	2: {
		hint: "Meta's API is temporarily down or overloaded. It was retried; try again later.",
		retry: 'transient',
	},
	3: {
		hint: "The app lacks the capability or permission for this call. Check the app's WhatsApp product setup and the token's permissions.",
	},
	4: {
		hint: 'The app reached its API call rate limit. Slow down (lower "Messages per Second") or wait before running again.',
		retry: 'throttle',
	},
	10: {
		hint: 'Permission denied. Give the token whatsapp_business_messaging and whatsapp_business_management, and assign the system user to this WhatsApp account and phone number.',
	},
	33: {
		hint: 'The business phone number was deleted or the ID is wrong. Check the Phone Number ID.',
	},
	100: {
		hint: "Invalid parameter: a field is unsupported, misspelled or has a bad value, or an ID does not exist or is not visible to this token. Meta's details say which.",
	},
	803: {
		hint: 'Something the request names does not exist, or this token cannot see it: check the phone number ID, and for a QR code its code (QR Code > Get Many lists them; a deleted code is gone for good).',
	},
	190: { hint: `The access token has expired or is invalid. ${TOKEN_FIX}` },
	368: {
		hint: 'The WhatsApp Business Account is temporarily blocked for policy violations. Check Business Support Home / WhatsApp Manager for the restriction.',
	},
	613: { hint: 'Call rate limit exceeded. Wait before trying again.', retry: 'throttle' },
	80007: {
		hint: 'The WhatsApp Business Account reached its management API rate limit (200 or 5,000 calls per hour). Wait before running again.',
		retry: 'throttle',
	},
	[GRAPH_CODE.throughputReached]: {
		hint: 'The phone number\'s throughput limit was reached (80 messages/s by default, counting incoming messages too). Lower "Messages per Second".',
		retry: 'throttle',
	},
	130472: {
		hint: 'The recipient is part of a Meta marketing experiment and did not receive this marketing message. Nothing to fix.',
	},
	130497: { hint: "This business may not message users in the recipient's country." },
	131000: {
		hint: 'Meta reported an unknown error while sending. It was retried; if it persists, try again later.',
		retry: 'transient',
	},
	131005: {
		hint: "Access denied. Check that the token has whatsapp_business_messaging and is assigned to this phone number's account.",
	},
	131008: { hint: "A required parameter is missing. Meta's details name it." },
	[GRAPH_CODE.invalidParameter]: {
		hint: "A parameter value is not valid (for a reaction: the message is older than 30 days, deleted, or not in this chat; for a product, catalog or carousel message: check that the catalog is connected to this WhatsApp account and has every product ID). Meta's details say which.",
	},
	131014: {
		hint: 'Meta could not fetch the media link. Make sure the URL is public HTTPS and returns the file.',
	},
	131016: {
		hint: 'A Meta service is temporarily unavailable. It was retried; try again later.',
		retry: 'transient',
	},
	131021: { hint: 'The recipient is the sending phone number itself. Send to another number.' },
	131026: {
		hint: 'The message could not be delivered: the recipient is not on WhatsApp, uses an old app version, or has not accepted the latest terms.',
	},
	131030: {
		hint: "The recipient is not in the test number's allowed list. Add it in API Setup (test numbers can message at most 5 recipients) or send from a registered number (Phone Number > Register).",
	},
	131031: {
		hint: 'The business account is locked (policy violation, or a wrong two-step verification PIN). Check WhatsApp Manager.',
	},
	131037: {
		hint: 'The phone number needs an approved display name before it can send. Check WhatsApp Manager > Phone numbers.',
	},
	131042: {
		hint: 'Business eligibility payment issue: add or fix the payment method of the WhatsApp Business Account.',
	},
	131045: {
		hint: 'Phone number registration error (incorrect certificate). Register the number again (Phone Number > Register).',
	},
	[GRAPH_CODE.outsideWindow]: {
		hint: 'More than 24 hours have passed since the customer last wrote, so only an approved template can be sent. Send a template (or use the fallback template option).',
	},
	131048: {
		hint: 'Spam rate limit hit: too many recipients blocked or reported this number. Reduce volume and improve message quality.',
	},
	131049: {
		hint: 'Meta did not deliver this marketing message to keep engagement healthy (per-user marketing limit). Do not resend for at least 24 hours.',
	},
	131050: { hint: 'The recipient has stopped marketing messages from this business.' },
	131051: { hint: 'Unsupported message type.' },
	131052: {
		hint: "Meta could not download the customer's media (for example larger than 100 MB). Ask the customer to send it again.",
	},
	131053: {
		hint: 'Media upload error, usually a MIME type that does not match the file. Check the file type.',
	},
	[GRAPH_CODE.marketingNotOnCloudApi]: {
		hint: 'The Marketing Messages API sends only marketing templates, and Meta does not count this one as marketing. Send it through the Cloud API (Options > Send Through).',
	},
	132018: {
		hint: "A template parameter breaks Meta's rules: text parameters may not contain new lines or tabs, nor more than 4 spaces in a row; a button's value must go to a button of its kind (Meta's details name the index). Refresh the template's variables in the node if the template changed.",
	},
	[GRAPH_CODE.pairRateLimit]: {
		hint: 'Too many messages to this recipient in a short time (pair rate limit: about one message every 6 seconds). Space out messages to the same number.',
		retry: 'pair',
	},
	131057: {
		hint: 'The account is in maintenance mode (for example during a throughput upgrade). Try again in a few minutes.',
	},
	131062: {
		hint: "This message cannot be sent to a business-scoped user ID (BSUID): authentication templates (copy code, one tap, zero tap) need the customer's phone number, and so does a Fallback Template that is one. Send it to the phone number, or choose a utility or marketing template.",
	},
	[GRAPH_CODE.marketingDisabledOnCloudApi]: {
		hint: 'Marketing templates are disabled for the Cloud API on this account; use the Marketing Messages API.',
	},
	131064: { hint: 'Messaging limit reached because of template classification violations.' },
	// groups (Group > …, and sends to a group)
	131020: {
		hint: 'The group has only one member: WhatsApp needs at least one participant besides the business for this. Share the invite link first.',
	},
	131041: {
		hint: 'The group does not exist, was deleted, or the business is no longer in it. Check the Group ID (Group > Get Many lists the active groups).',
	},
	131059: {
		hint: 'The paging cursor is not valid (it may have expired). Run the list again from the start.',
	},
	131201: {
		hint: "Only part of the request succeeded: Meta's answer lists what failed and why.",
	},
	131202: { hint: 'A participant is listed twice. Give each one once.' },
	131204: {
		hint: 'The group has reached its limit of 8 participants (the business aside). Remove participants before approving more.',
	},
	131207: {
		hint: 'WhatsApp has suspended this group; it cannot be changed or messaged until the suspension is cleared (the trigger reports group_suspend_cleared).',
	},
	131208: {
		hint: 'Too many group operations in a short time. Wait before trying again.',
		retry: 'throttle',
	},
	131209: { hint: 'The group picture is not square. Crop it to a square JPEG.' },
	131210: {
		hint: 'The group picture is too small: it must be at least 192×192 pixels.',
	},
	131211: {
		hint: 'The number has reached its limit of 10,000 active groups. Delete groups it no longer needs.',
	},
	131212: {
		hint: 'That person is not a participant of the group (or has already left or been removed).',
	},
	131213: {
		hint: 'The join request does not exist any more: it was approved, rejected or withdrawn. List the open ones with Group > Get Many Join Requests.',
	},
	131214: {
		hint: 'Group creation is paused for this number for 7 days (after marketing messages in the customer-service window). Try again later.',
	},
	131215: {
		hint: 'This number cannot use groups: they are only for Official Business Accounts, and not for coexistence or Multi-solution numbers.',
	},
	132000: {
		hint: "The number of template variables sent does not match the template (or one of its carousel cards). Fill every variable of the template, and no more; refresh the template's variables in the node if the template changed.",
	},
	132001: {
		hint: 'The template does not exist in this language, or is not approved yet. Check its name, language and status in WhatsApp Manager.',
	},
	132005: {
		hint: 'The template text with the variables filled in is too long. Shorten the variable values.',
	},
	132007: {
		hint: 'A variable value breaks the template formatting policy (for example new lines, tabs or more than 4 spaces in a row).',
	},
	132008: { hint: 'A template variable value is not valid for its type.' },
	132012: {
		hint: "A template variable has the wrong format (for example text where the header expects an image), or a carousel was sent with another number of cards than it was approved with. Refresh the template's variables in the node and fill every card.",
	},
	132015: {
		hint: 'The template is paused because of low quality. Edit it or wait for it to be unpaused.',
	},
	132016: {
		hint: 'The template was disabled after being paused too many times. Create a new template.',
	},
	132068: {
		hint: "The Flow is blocked, so it cannot be sent. Check the Flow's status and its endpoint's health in WhatsApp Manager > Flows.",
	},
	132069: {
		hint: "The Flow is throttled: while Meta throttles it (usually because its endpoint is slow or failing) it can be sent only 10 times an hour, and that many were sent. Try again later, and check the endpoint's health in WhatsApp Manager > Flows.",
	},
	// registration (Phone Number > Register, Deregister, Set Two-Step PIN, Request Code, Verify Code)
	133000: {
		hint: 'A previous deregistration of this number did not complete. Deregister it again (Phone Number > Deregister), then register it.',
	},
	133004: {
		hint: "Meta's server is temporarily unavailable. It was retried; try again later.",
		retry: 'transient',
	},
	133005: {
		hint: "The two-step verification PIN is wrong: Register needs the number's current PIN when two-step verification is on. Give that PIN (a registered number gets a new one with Phone Number > Set Two-Step PIN).",
	},
	133006: {
		hint: 'The phone number must be verified again before it can be registered. Request a code (Phone Number > Request Code), give it to Phone Number > Verify Code, then register.',
	},
	133008: {
		hint: 'Too many wrong two-step verification PINs for this number. Wait before trying again, with the right PIN.',
	},
	133009: {
		hint: 'Two-step verification PINs were tried too fast. Wait before trying again.',
	},
	133010: {
		hint: 'The phone number is not registered on the Cloud API. Register it first (Phone Number > Register, with its two-step verification PIN).',
	},
	133015: {
		hint: 'The phone number was deleted recently. Wait 5 minutes before registering it again.',
	},
	133016: {
		hint: "Too many registrations and deregistrations of this number: Meta allows 10 in a moving 72 hours and blocks the number's registration for 72 hours after that. Wait 72 hours, then register once; do not run Register or Deregister in a loop or on every execution.",
	},
	[GRAPH_CODE.marketingNotEligible]: {
		hint: 'The Marketing Messages API sends only marketing templates, and Meta does not count this one as marketing. Send it through the Cloud API (Options > Send Through).',
	},
	134101: {
		hint: 'The template is still syncing with the Marketing Messages API: a new marketing template, or one unused for more than 7 days, takes up to 10 minutes. Nothing was sent: run again in about 10 minutes, or send it through the Cloud API (Options > Send Through).',
	},
	[GRAPH_CODE.marketingTemplateUnavailable]: {
		// Meta answers this with HTTP 500, but it is a refusal of the template, decided before any
		// message exists: not retried (a retry gets the same answer)
		hint: 'The template is not available for use on the Marketing Messages API: the account may not be onboarded (WhatsApp Manager shows its status), or Meta does not offer the template there. Meta refused it before sending anything. Send it through the Cloud API (Options > Send Through, or Product Policy: Cloud API Fallback).',
	},
	135000: { hint: "Generic user error. Meta's details say more." },
	137000: {
		hint: "The recipient's identity key changed (identity check failed). Verify the customer again.",
	},
	139000: {
		hint: 'Meta found an integrity issue with the account and does not let it create or publish Flows. Check Business Support Home.',
	},
	139001: {
		hint: 'The Flow could not be updated: a published Flow cannot be changed (create a copy with Create > Clone From Flow ID and change that), Meta could not process the Flow JSON, or an Endpoint URI was given for a Flow JSON version below 3.0.',
	},
	139002: {
		hint: "The Flow could not be published. Only a draft without validation errors can be (Get the Flow to see them); a Flow with data exchange also needs an Endpoint URI, and the account a phone number. Meta's message says which.",
	},
	139003: {
		hint: 'The Flow could not be deprecated: only a published Flow can be, and only once.',
	},
	139004: {
		hint: 'The Flow could not be deleted: only a draft Flow can be. Deprecate a published Flow instead.',
	},
	147001: {
		hint: 'WhatsApp usernames are not available for this business phone number yet. Try again later.',
	},
	147002: {
		hint: 'This business phone number is not eligible for a username: it needs a higher messaging limit first.',
	},
	147003: {
		hint: 'This business is not eligible for a username: link a Facebook Page to the business portfolio first.',
	},
	147004: {
		hint: 'This business is not eligible for a username: link an Instagram account to the business portfolio first.',
	},
	1752041: {
		hint: 'An onboarding request to the Marketing Messages API is already pending or done for this business. Nothing to do.',
	},
	2388019: {
		hint: 'The WhatsApp Business Account has reached its template limit. Delete unused templates.',
	},
	2388040: { hint: 'A template field is longer than Meta allows.' },
	2388047: { hint: 'The template header or body format is not valid.' },
	2388073: { hint: 'The template footer format is not valid.' },
	2388077: {
		hint: 'Analytics: inbound group messages (product type 103) cannot be combined with other product types. Ask for them in a request of their own.',
	},
	2388293: {
		hint: 'Too many variables for the length of the text. Add more words around the variables.',
	},
	2388299: { hint: 'A variable may not stand at the very start or end of the text.' },
	2494100: {
		hint: 'The business phone number is in maintenance mode. Try again in a few minutes.',
	},
};

function info(code: number | undefined): CodeInfo | undefined {
	if (code === undefined) return undefined;
	if (CODES[code]) return CODES[code];
	if (code >= 200 && code <= 299) {
		return {
			hint: 'An API permission is missing or was removed. Regenerate the token with whatsapp_business_messaging and whatsapp_business_management.',
		};
	}
	return undefined;
}

/**
 * Refusals that Meta words, not numbers: its analytics answer these with a generic code (100),
 * and only the message tells them apart. Matched on Meta's message, before the code's hint.
 */
const MESSAGE_HINTS: Array<{ pattern: RegExp; hint: string }> = [
	{
		pattern: /cost not available/i,
		hint: "Meta gives no cost for a WhatsApp Business Account on a Solution Partner's credit line: the partner bills it. Ask for the volume only (Metrics: Volume), or read the cost from the partner's invoice.",
	},
	{
		pattern: /template analytics.*not enabled|is_enabled_for_insights/i,
		hint: "Template analytics are off for this account. Turn them on once, for good: in WhatsApp Manager's template insights, or with POST /{waba-id}?is_enabled_for_insights=true (this also turns on link tracking of template buttons). Meta counts from then on.",
	},
];

/** Subcodes from here up are numbers of their own; lower ones mean other things than codes. */
const FIRST_OWN_SUBCODE = 1_000_000;

/**
 * Plain-language hint for a Graph error, or undefined when we have none. Template and onboarding
 * refusals come as code 100 with the telling number in `error_subcode` (2388040, 2388047,
 * 1752041...): such a subcode says more than the generic code. A small subcode such as 33 under
 * 100 ("object does not exist") is not code 33 (a deleted phone number), so only the large ones
 * are looked up. A `message` that one of Meta's worded refusals matches (MESSAGE_HINTS) comes next.
 */
export function hintForCode(
	code: number | undefined,
	subcode?: number,
	message?: string,
): string | undefined {
	const own = subcode !== undefined && subcode >= FIRST_OWN_SUBCODE ? CODES[subcode] : undefined;
	const worded = message ? MESSAGE_HINTS.find((m) => m.pattern.test(message)) : undefined;
	return own?.hint ?? worded?.hint ?? info(code)?.hint;
}

/** How the throttle should treat a failure with this Graph code and HTTP status. */
export function retryKind(code: number | undefined, httpStatus: number | undefined): RetryKind {
	const known = info(code)?.retry;
	if (known) return known;
	if (code === undefined && httpStatus === 429) return 'throttle';
	if (httpStatus !== undefined && httpStatus >= 500 && (code === undefined || !info(code))) {
		return 'transient';
	}
	return 'none';
}
