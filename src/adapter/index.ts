export { InstagramAdapter } from './instagramAdapter.js';
export type { BotLogic, BotLogicOrHandler, InstagramAdapterOptions } from './instagramAdapter.js';
export type { DedupeOptions, InstagramWebhookOptions } from '../webhook/options.js';
export type { DeliveryLedger, DeliveryVerdict } from '../webhook/dedupe.js';
export { keepRawBody } from '../webhook/http.js';
export type { RawBodyRequest, WebhookRequest, WebhookResponse } from '../webhook/http.js';
export { MAX_QUICK_REPLIES, MAX_QUICK_REPLY_TITLE } from '../webhook/toSendApi.js';
export { MAX_DELAY_MS } from '../webhook/core.js';
export type { SendApiBody, SendApiReply } from '../graph/sendApi.js';
