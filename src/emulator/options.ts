import { randomBytes } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { isIgsid } from '../platform/igsid.js';
import { LATEST_API_VERSION } from '../platform/versions.js';
import { loadPersonas, type PersonaSpec } from './personas.js';

export interface IceBreaker {
  question: string;
  payload: string;
}

export interface MenuItem {
  title: string;
  payload: string;
}

export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Address to listen on. Default '127.0.0.1' (loopback only). */
  host?: string;
  /** Signs webhooks; checks `appsecret_proof` when sent (always) or required. Default 'emulator-app-secret'. */
  appSecret?: string;
  /** Meta's "Require App Secret" switch: profile and Send API calls need a valid proof. Default false. */
  requireProof?: boolean;
  /** The valid Page access token. Default 'EMULATOR_PAGE_ACCESS_TOKEN'. */
  accessToken?: string;
  /** More tokens: `{ expired: true }` answers 190/463, `{ invalid: true }` 190/467. */
  accessTokens?: Record<string, { expired?: boolean; invalid?: boolean }>;
  /** The Instagram business account id. Default '17841400000000001'. */
  businessId?: string;
  /** Custom personas, or the path of a JSON file with them. Default: the built-in set. */
  personas?: readonly PersonaSpec[] | string;
  /** Where persona actions are posted as signed webhooks. Settable later with `setWebhookUrl`. */
  webhookUrl?: string;
  /** The token of the GET verification handshake. Default 'emulator-verify-token'. */
  verifyToken?: string;
  icebreakers?: IceBreaker[];
  persistentMenu?: MenuItem[];
  /** Graph API version the emulator reports as current (fields are gated by each request's version). */
  apiVersion?: string;
  /** Treat any unknown digits-only IGSID as a generated persona that has messaged (for load tests). Default false. */
  autoPersonas?: boolean;
  /** Largest request body accepted, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Clock in ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Randomness in [0, 1) for fault rates. Default `Math.random`. */
  random?: () => number;
  /** undici Dispatcher for webhook deliveries (default: undici's global one). */
  dispatcher?: Dispatcher;
}

export const DEFAULT_ICEBREAKERS: readonly IceBreaker[] = Object.freeze([
  { question: 'What are your opening hours?', payload: 'HOURS' },
  { question: 'How much is shipping?', payload: 'SHIPPING' },
  { question: 'Can I talk to a person?', payload: 'TALK_TO_HUMAN' },
]);

export const DEFAULT_PERSISTENT_MENU: readonly MenuItem[] = Object.freeze([
  { title: 'Opening hours', payload: 'MENU_HOURS' },
  { title: 'Track my order', payload: 'MENU_ORDER' },
  { title: 'Talk to a human', payload: 'MENU_HUMAN' },
]);

export type ResolvedEmulatorOptions = Required<Omit<EmulatorOptions, 'webhookUrl' | 'dispatcher' | 'personas'>> & {
  webhookUrl: string | undefined;
  dispatcher: Dispatcher | undefined;
  personas: PersonaSpec[];
};

export function resolveEmulatorOptions(options: EmulatorOptions = {}): ResolvedEmulatorOptions {
  const businessId = options.businessId ?? '17841400000000001';
  if (!isIgsid(businessId)) throw new TypeError('Option "businessId" must be digits only');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError('Option "port" must be an integer from 0 to 65535');
  if (options.webhookUrl !== undefined) assertHttpUrl('webhookUrl', options.webhookUrl);
  return {
    port,
    host: options.host ?? '127.0.0.1',
    appSecret: options.appSecret ?? 'emulator-app-secret',
    requireProof: options.requireProof ?? false,
    accessToken: options.accessToken ?? 'EMULATOR_PAGE_ACCESS_TOKEN',
    accessTokens: options.accessTokens ?? {},
    businessId,
    personas: loadPersonas(options.personas),
    webhookUrl: options.webhookUrl,
    verifyToken: options.verifyToken ?? 'emulator-verify-token',
    icebreakers: [...(options.icebreakers ?? DEFAULT_ICEBREAKERS)],
    persistentMenu: [...(options.persistentMenu ?? DEFAULT_PERSISTENT_MENU)],
    apiVersion: options.apiVersion ?? LATEST_API_VERSION,
    maxBodyBytes: options.maxBodyBytes ?? 1_048_576,
    autoPersonas: options.autoPersonas ?? false,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    dispatcher: options.dispatcher,
  };
}

export function assertHttpUrl(name: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`Option "${name}" must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`Option "${name}" must be an http(s) URL`);
}

/** A value that looks like a random hex signature, for picture URLs' `oh=`. */
export function pictureSignature(): string {
  return `00_${randomBytes(16).toString('base64url')}`;
}
