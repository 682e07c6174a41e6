import { randomBytes } from 'node:crypto';
import type { Dispatcher } from 'undici';
import {
  apiVersionOption,
  baseUrlOption,
  describe,
  dispatcherOption,
  functionOption,
  optionalBoolean,
  optionalInteger,
  optionalString,
} from '../internal/validate.js';
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

/** Which login the emulated app uses: it changes what some webhooks look like (see `login`). */
export type EmulatedLogin = 'facebook' | 'instagram';

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
  /** Where persona actions are posted as signed webhooks (no query string). Settable later with `setWebhookUrl`. */
  webhookUrl?: string;
  /** The token of the GET verification handshake. Default 'emulator-verify-token'. */
  verifyToken?: string;
  icebreakers?: IceBreaker[];
  persistentMenu?: MenuItem[];
  /** Graph API version the emulator reports as current (fields are gated by each request's version). */
  apiVersion?: string;
  /**
   * The app's login, where Meta documents a difference in webhooks. 'facebook' (default):
   * @mentions arrive as `mentions` changes. 'instagram': they arrive as `comments` changes
   * (Instagram Login has no `mentions` field).
   */
  login?: EmulatedLogin;
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

const DEFAULT_BUSINESS_ID = '17841400000000001';

/** Every default in one place: port 0, loopback, 1 MiB bodies, Facebook Login, the built-in personas and menus. */
export function resolveEmulatorOptions(options: EmulatorOptions = {}): ResolvedEmulatorOptions {
  const businessId = options.businessId ?? DEFAULT_BUSINESS_ID;
  if (!isIgsid(businessId)) throw new TypeError('Option "businessId" must be digits only');
  const login = options.login ?? 'facebook';
  if (login !== 'facebook' && login !== 'instagram') throw new TypeError(`Option "login" must be 'facebook' or 'instagram', got ${describe(login)}`);
  return {
    port: optionalInteger('port', options.port, 0, 0, 65_535),
    host: optionalString('host', options.host) ?? '127.0.0.1',
    appSecret: optionalString('appSecret', options.appSecret) ?? 'emulator-app-secret',
    requireProof: optionalBoolean('requireProof', options.requireProof, false),
    accessToken: optionalString('accessToken', options.accessToken) ?? 'EMULATOR_PAGE_ACCESS_TOKEN',
    accessTokens: options.accessTokens ?? {},
    businessId,
    personas: loadPersonas(options.personas),
    webhookUrl: webhookUrlOption(options.webhookUrl),
    verifyToken: optionalString('verifyToken', options.verifyToken) ?? 'emulator-verify-token',
    icebreakers: [...(options.icebreakers ?? DEFAULT_ICEBREAKERS)],
    persistentMenu: [...(options.persistentMenu ?? DEFAULT_PERSISTENT_MENU)],
    apiVersion: apiVersionOption(options.apiVersion, LATEST_API_VERSION),
    login,
    maxBodyBytes: optionalInteger('maxBodyBytes', options.maxBodyBytes, 1_048_576, 1),
    autoPersonas: optionalBoolean('autoPersonas', options.autoPersonas, false),
    now: functionOption('now', options.now, Date.now),
    random: functionOption('random', options.random, Math.random),
    dispatcher: dispatcherOption<Dispatcher>(options.dispatcher),
  };
}

/** The bot's webhook URL, checked by the package's one URL validator; kept as given (a trailing slash may matter to the bot). */
export function webhookUrlOption(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  baseUrlOption('webhookUrl', value, '');
  return value as string;
}

/** A value that looks like a random hex signature, for picture URLs' `oh=`. */
export function pictureSignature(): string {
  return `00_${randomBytes(16).toString('base64url')}`;
}
