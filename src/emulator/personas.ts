import { readFileSync } from 'node:fs';
import { isIgsid } from '../platform/igsid.js';

/** A made-up Instagram customer the emulator plays. */
export interface PersonaSpec {
  /** Short name to address the persona by: `emulator.persona('follower')`. */
  key: string;
  igsid: string;
  name: string | null;
  username: string;
  followerCount: number;
  isVerifiedUser?: boolean;
  /** The person follows the business. */
  followsBusiness?: boolean;
  /** The business follows the person. */
  followedByBusiness?: boolean;
  /** False: `profile_pic` is null. Default true. */
  hasPicture?: boolean;
  /** Has blocked the business: no lookups, no deliveries. */
  blocksBusiness?: boolean;
  /** Messaged the business before the emulator started: consent given, reply window open. Default false. */
  hasMessaged?: boolean;
  /** One line for humans (CLI, playground). */
  description?: string;
}

/** The documented default personas, each one a real case a bot meets. */
export const DEFAULT_PERSONAS: readonly PersonaSpec[] = Object.freeze([
  { key: 'follower', igsid: '6938000000000101', name: 'Ada Lovelace', username: 'ada.codes', followerCount: 1_204, followsBusiness: true, description: 'Follows the business' },
  { key: 'non-follower', igsid: '6938000000000102', name: 'Grace Hopper', username: 'amazing_grace', followerCount: 310, description: 'Does not follow the business' },
  { key: 'mutual', igsid: '6938000000000103', name: 'Alan Turing', username: 'alan.t', followerCount: 5_820, followsBusiness: true, followedByBusiness: true, description: 'Follows and is followed by the business' },
  { key: 'verified', igsid: '6938000000000104', name: 'Nova Star', username: 'novastar', followerCount: 2_000_000, isVerifiedUser: true, followsBusiness: true, description: 'Verified account with 2 M followers' },
  { key: 'no-name', igsid: '6938000000000105', name: null, username: 'quiet.fox', followerCount: 87, description: 'No name set: username only' },
  { key: 'no-picture', igsid: '6938000000000106', name: 'Linus Pauling', username: 'linus_p', followerCount: 42, hasPicture: false, description: 'No profile picture' },
  { key: 'emoji', igsid: '6938000000000107', name: '🌸 Mei Lin ✨', username: 'meilin', followerCount: 15_300, followsBusiness: true, description: 'Emoji in the name' },
  { key: 'rtl', igsid: '6938000000000108', name: 'ليلى حداد', username: 'layla.haddad', followerCount: 960, description: 'Right-to-left name (Arabic)' },
  { key: 'blocked', igsid: '6938000000000109', name: 'Mallory Blocker', username: 'mallory', followerCount: 12, blocksBusiness: true, description: 'Has blocked the business' },
  { key: 'commenter', igsid: '6938000000000110', name: 'Carl Commenter', username: 'carl.comments', followerCount: 230, description: 'Comments on posts, never messaged' },
] satisfies PersonaSpec[]);

/** Checks custom personas (from options or a JSON file) and fills defaults. */
export function loadPersonas(source: readonly PersonaSpec[] | string | undefined): PersonaSpec[] {
  let specs: unknown = source ?? DEFAULT_PERSONAS;
  if (typeof specs === 'string') {
    try {
      specs = JSON.parse(readFileSync(specs, 'utf8'));
    } catch (error) {
      throw new TypeError(`Option "personas": cannot read a JSON array of personas from ${source} (${(error as Error).message})`);
    }
  }
  if (!Array.isArray(specs)) throw new TypeError('Option "personas" must be an array of personas or the path of a JSON file holding one');
  const keys = new Set<string>();
  const ids = new Set<string>();
  return specs.map((spec: unknown, index) => {
    const where = `Option "personas"[${index}]`;
    if (spec === null || typeof spec !== 'object') throw new TypeError(`${where} must be an object`);
    const p = spec as PersonaSpec;
    if (typeof p.key !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,40}$/i.test(p.key)) throw new TypeError(`${where}.key must be a short name of letters, digits, - and _`);
    if (!isIgsid(p.igsid)) throw new TypeError(`${where}.igsid must be digits only`);
    if (p.name !== null && typeof p.name !== 'string') throw new TypeError(`${where}.name must be a string or null`);
    if (typeof p.username !== 'string' || p.username.length === 0) throw new TypeError(`${where}.username must be a non-empty string`);
    if (!Number.isSafeInteger(p.followerCount) || p.followerCount < 0) throw new TypeError(`${where}.followerCount must be a non-negative integer`);
    for (const flag of ['isVerifiedUser', 'followsBusiness', 'followedByBusiness', 'hasPicture', 'blocksBusiness', 'hasMessaged'] as const) {
      if (p[flag] !== undefined && typeof p[flag] !== 'boolean') throw new TypeError(`${where}.${flag} must be a boolean`);
    }
    if (keys.has(p.key) || ids.has(p.igsid)) throw new TypeError(`${where} repeats the key "${p.key}" or the igsid ${p.igsid}`);
    keys.add(p.key);
    ids.add(p.igsid);
    return { isVerifiedUser: false, followsBusiness: false, followedByBusiness: false, hasPicture: true, blocksBusiness: false, hasMessaged: false, description: '', ...p };
  });
}
