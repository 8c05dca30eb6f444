/**
 * The rules of two interactive kinds, for Send and Wait: it asks its question with reply buttons
 * or a call-to-action link and checks them as Send Interactive does. Every kind's rules live with
 * the kind, in ./interactive.
 */
export { ctaUrlSchema } from './interactive/ctaUrl';
export { replyButtonsSchema } from './interactive/replyButtons';
