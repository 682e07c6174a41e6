import { isIgsid } from '../platform/igsid.js';
import { isFieldAvailable, isProfileField, type ProfileField } from '../platform/versions.js';
import { errors, type MetaError } from './metaErrors.js';
import { pictureSignature } from './options.js';
import type { PersonaState, World } from './world.js';

export type Flavor = 'facebook' | 'instagram';

/** Pictures are signed for about four days, like fbcdn links. */
const PICTURE_LIFETIME_S = 4 * 86_400;

export type GraphAnswer = { status: number; body: unknown } | MetaError;

/** A persona's picture URL, served by the emulator itself so it loads offline, with a real `oe=` expiry. */
export function pictureUrl(baseUrl: string, persona: PersonaState, now: number): string | null {
  if (!persona.hasPicture) return null;
  const oe = (Math.floor(now / 1000) + PICTURE_LIFETIME_S).toString(16);
  return `${baseUrl}/_emulator/pictures/${persona.igsid}.svg?stp=dst-jpg_s206x206&_nc_cat=1&ccb=1-7&_nc_sid=bd6c3f&oh=${pictureSignature()}&oe=${oe}`;
}

function profileField(field: ProfileField, persona: PersonaState, baseUrl: string, now: number): unknown {
  switch (field) {
    case 'name':
      return persona.name;
    case 'username':
      return persona.username;
    case 'profile_pic':
      return pictureUrl(baseUrl, persona, now);
    case 'follower_count':
      return persona.followerCount;
    case 'is_verified_user':
      return persona.isVerifiedUser;
    case 'is_user_follow_business':
      return persona.followsBusiness;
    case 'is_business_follow_user':
      return persona.followedByBusiness;
  }
}

/** `GET /<version>/<IGSID>?fields=...`, after authentication: fields, consent, blocks, as Meta answers. */
export function answerProfile(world: World, flavor: Flavor, version: string, id: string, fieldsParam: string | null, baseUrl: string): GraphAnswer {
  const requested = fieldsParam === null ? ['name'] : fieldsParam.split(',').map((f) => f.trim()).filter(Boolean);
  for (const field of requested) {
    if (field === 'id') continue;
    if (!isProfileField(field) || !isFieldAvailable(field, version)) return errors.nonexistingField(field.slice(0, 64));
  }
  const persona = isIgsid(id) ? world.find(id) : undefined;
  if (!persona || persona.blocksBusiness) return flavor === 'instagram' && isIgsid(id) ? errors.noMatchingUser() : errors.unsupportedGet(id.slice(0, 64));
  if (!persona.consented) return errors.consentRequired(flavor === 'instagram' ? 500 : 400);
  const body: Record<string, unknown> = {};
  const now = world.options.now();
  for (const field of requested) if (field !== 'id') body[field] = profileField(field as ProfileField, persona, baseUrl, now);
  body.id = persona.igsid;
  return { status: 200, body };
}
