import { ConsentRequiredError, type InstagramProfile, type ProfileLookup, ProfileNotFoundError } from '../../src/index.js';

export const BIZ = '17841400000000001';
export const OTHER = '17841400000000002';
export const T0 = Date.UTC(2026, 10, 24, 12);
export const HOUR = 3_600_000;

export const profile = (id: string, extra: Partial<InstagramProfile> = {}): InstagramProfile => ({ id, name: `Person ${id}`, profilePic: null, ...extra });
const graphFields = { status: 400, graphCode: 230, subcode: undefined, type: 'IGApiException', fbtraceId: 'x', isTransient: false };
export const noConsent = () => new ConsentRequiredError('230', graphFields);
export const notFound = () => new ProfileNotFoundError('9010', { ...graphFields, graphCode: 9010 });
/** A picture URL whose signed link dies at `at` (ms). */
export const pictureUntil = (at: number) => `https://scontent.cdninstagram.com/v/p.jpg?oh=00_abc&oe=${Math.floor(at / 1000).toString(16).toUpperCase()}`;
export const nameOf = (lookup: ProfileLookup | undefined) => (lookup?.status === 'ok' ? lookup.profile.name : undefined);
export const codeOf = (lookup: ProfileLookup | undefined) => (lookup && lookup.status !== 'ok' ? lookup.error?.code : undefined);
export const settle = () => new Promise((resolve) => setImmediate(resolve));

export interface GatedCall {
  signal: AbortSignal;
  resolve: (p: InstagramProfile) => void;
  reject: (e: unknown) => void;
}

/** A loader whose calls wait until released, recording each call's signal. */
export function gatedLoader() {
  const calls: GatedCall[] = [];
  const load = (signal: AbortSignal) => new Promise<InstagramProfile>((resolve, reject) => void calls.push({ signal, resolve, reject }));
  return { load, calls };
}
