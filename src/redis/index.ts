export { RedisProfileStore } from './redisProfileStore.js';
export type { RedisProfileStoreOptions } from './options.js';
export type { RedisInbox } from './inbox.js';
export type { RedisDeletionStatusStore } from './deletionStatuses.js';
export type { DurableInbox, InboxSettings, InboxStore } from '../webhook/inbox.js';
export type { ArrayCommandRedisClient, CallingRedisClient, RedisClientLike, RedisSubscriberLike } from './clients.js';
export type {
  DeliveryVerdict,
  ForgetResult,
  Invalidation,
  InvalidationBus,
  LeaseOutcome,
  ProfileLease,
  RedisStoreStatus,
  SharedDeliveryLedger,
  SharedProfileEntry,
  SharedProfileTier,
  SharedProfileWrite,
  SharedThrottles,
  ThrottleNotice,
  ThrottleReason,
  ThrottleScope,
} from './types.js';
