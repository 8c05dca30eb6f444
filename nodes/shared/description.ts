/**
 * One description for both nodes: n8n's node creator joins a node and its trigger into one entry
 * and shows the trigger's description there, so the text has to fit the pair.
 */
export const NODE_DESCRIPTION =
	"Send and receive WhatsApp Business messages through Meta's Cloud API: templates, Flows, media, approvals, and a signed webhook trigger (community node)";
