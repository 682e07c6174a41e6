export { displayName, firstName, MAX_NAME_GRAPHEMES } from './names.js';
export { personalize } from './personalize.js';
export { audienceTier, DEFAULT_AUDIENCE_TIERS, followStatus } from './audience.js';
export type { AudienceTier, AudienceTiers, FollowStatus } from './audience.js';
