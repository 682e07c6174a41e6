import type { Dispatcher } from 'undici';
import { resolveAccessToken, resolveDispatcher, resolveGraphUrl } from '../graph/options.js';
import { describe, objectOrFalse, optionalInteger } from '../internal/validate.js';
import { LATEST_API_VERSION, parseApiVersion } from '../platform/versions.js';
import type { AccessTokenProvider } from '../types.js';

export interface DedupeOptions {
  /** How many delivery keys to remember. Default 10 000. */
  max?: number;
  /** How long to remember one, in ms. Default 36 h (Meta retries failed deliveries for up to 36 h). */
  ttlMs?: number;
}

export interface InstagramAdapterOptions {
  /** The Meta app secret: webhook bodies are signed with it (`X-Hub-Signature-256`); Send API calls carry `appsecret_proof`. Required. */
  appSecret: string;
  /** The verify token you typed in the app's webhook settings; answers the GET handshake. Required. */
  verifyToken: string;
  /** Page (or Instagram user) access token for the Send API, or a function of the business account id returning one. Required. */
  accessToken: AccessTokenProvider;
  /** Graph API version of Send API calls. Default `LATEST_API_VERSION` (v26.0). */
  apiVersion?: string;
  /** `https://graph.facebook.com` (default), `https://graph.instagram.com`, or the emulator's URL. Also the activities' `serviceUrl`. */
  graphUrl?: string;
  /** The undici Dispatcher for Send API calls (a MockAgent in tests). Default: undici's global dispatcher. */
  dispatcher?: Dispatcher;
  /** Largest webhook body accepted, in bytes; larger → 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Time allowed to receive a webhook body, in ms; slower → 408. Default 10 000. */
  bodyTimeoutMs?: number;
  /** Deadline of one Send API call, in ms. Default 10 000. */
  sendTimeoutMs?: number;
  /**
   * How long one turn may hold back the next turns of the same customer, in ms. A turn that
   * never settles (e.g. Botkit's `bot.reply` after a failed send) then stops blocking the
   * queue; it is not cancelled. Default 120 000.
   */
  turnTimeoutMs?: number;
  /** Drop repeated deliveries (same `mid`) within a bounded window, or `false` to run every delivery. Default `{ max: 10_000, ttlMs: 36 h }`. */
  dedupe?: DedupeOptions | false;
  /** Clock in ms since the epoch (for `appsecret_time`). Default `Date.now`. */
  now?: () => number;
}

export interface ResolvedAdapterOptions {
  appSecret: string;
  verifyToken: string;
  accessToken: AccessTokenProvider;
  apiVersion: string;
  graphUrl: string;
  dispatcher: Dispatcher | undefined;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  sendTimeoutMs: number;
  turnTimeoutMs: number;
  dedupe: Required<DedupeOptions> | false;
  now: () => number;
}

const MIB = 1024 * 1024;
const HOURS_36 = 36 * 3_600_000;

/** Every default of the adapter, resolved and checked in one place. */
export function resolveAdapterOptions(options: InstagramAdapterOptions): ResolvedAdapterOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('InstagramAdapter needs an options object');
  return {
    appSecret: requiredSecret('appSecret', options.appSecret),
    verifyToken: requiredSecret('verifyToken', options.verifyToken),
    accessToken: resolveAccessToken(options.accessToken),
    apiVersion: resolveApiVersion(options.apiVersion),
    graphUrl: resolveGraphUrl(options.graphUrl),
    dispatcher: resolveDispatcher(options.dispatcher),
    maxBodyBytes: optionalInteger('maxBodyBytes', options.maxBodyBytes, MIB, 1_024, 64 * MIB),
    bodyTimeoutMs: optionalInteger('bodyTimeoutMs', options.bodyTimeoutMs, 10_000, 1, 600_000),
    sendTimeoutMs: optionalInteger('sendTimeoutMs', options.sendTimeoutMs, 10_000, 1, 600_000),
    turnTimeoutMs: optionalInteger('turnTimeoutMs', options.turnTimeoutMs, 120_000, 1, 3_600_000),
    dedupe: resolveDedupe(options.dedupe),
    now: resolveNow(options.now),
  };
}

function requiredSecret(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`Option "${name}" must be a non-empty string, got ${describe(value)}`);
  return value;
}

function resolveApiVersion(value: unknown): string {
  if (value === undefined) return LATEST_API_VERSION;
  if (parseApiVersion(value) === undefined) throw new RangeError(`Option "apiVersion" must look like "v26.0", got ${describe(value)}`);
  return value as string;
}

function resolveDedupe(value: unknown): Required<DedupeOptions> | false {
  const dedupe = objectOrFalse<DedupeOptions>('dedupe', value);
  if (!dedupe) return false;
  return {
    max: optionalInteger('dedupe.max', dedupe.max, 10_000, 1, 10_000_000),
    ttlMs: optionalInteger('dedupe.ttlMs', dedupe.ttlMs, HOURS_36, 1, 30 * 24 * 3_600_000),
  };
}

function resolveNow(value: unknown): () => number {
  if (value === undefined) return Date.now;
  if (typeof value !== 'function') throw new TypeError(`Option "now" must be a function, got ${describe(value)}`);
  return value as () => number;
}
