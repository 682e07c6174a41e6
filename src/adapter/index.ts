export { InstagramAdapter } from './instagramAdapter.js';
export type { BotLogic } from './instagramAdapter.js';
export type { DedupeOptions, InstagramAdapterOptions } from './options.js';
export type { WebhookRequest, WebhookResponse } from './http.js';
export { MAX_QUICK_REPLIES, MAX_QUICK_REPLY_TITLE } from './toSendApi.js';
export type { SendApiBody, SendApiReply } from './sendApi.js';
