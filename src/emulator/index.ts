// The class is exported as a type: emulators come from `startEmulator` (its constructor is internal).
export { startEmulator } from './emulator.js';
export type { Emulator } from './emulator.js';
export type { AppCallbackKind, AppCallbackOptions, AppCallbackReply } from './appCallbacks.js';
export type { EmulatedLogin, EmulatorOptions, IceBreaker, MenuItem } from './options.js';
export { DEFAULT_ICEBREAKERS, DEFAULT_PERSISTENT_MENU } from './options.js';
export type { Persona } from './persona.js';
export type { PersonaActions, PersonaEvents } from './persona.js';
export type { CustomerAttachmentType } from './actions.js';
export { DEFAULT_PERSONAS } from './personas.js';
export type { PersonaSpec } from './personas.js';
export type { FaultKind, FaultRule } from './faults.js';
export type { RateLimitSettings } from './rateLimit.js';
export type { RouteName } from './stats.js';
export type { Delivery, PersonaEvent, WebhookEvent } from './webhooks.js';
export type { SentMessage } from './world.js';
