export { displayName, firstName, MAX_NAME_CODE_UNITS, MAX_NAME_GRAPHEMES } from './names.js';
export { personalize } from './personalize.js';
export { audienceTier, followStatus } from './audience.js';
export type { AudienceTier, AudienceTiers, FollowStatus } from './audience.js';
