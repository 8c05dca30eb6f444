/* eslint-disable @n8n/community-nodes/no-restricted-globals */
// n8n-core logs every node error to the console; tests assert on errors themselves.
process.env.N8N_LOG_LEVEL = 'silent';
