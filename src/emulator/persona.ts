import type { Emulator } from './emulator.js';
import { newMid, type Delivery, type WebhookEvent } from './webhooks.js';
import type { PersonaState, SentMessage } from './world.js';

/** A webhook event about to be delivered, with what it means for consent. */
export interface PersonaEvent {
  event: WebhookEvent;
  igsid: string;
  grantsConsent: boolean;
}

/**
 * Builds the exact webhook items a persona's actions produce (pure: nothing is sent).
 * `persona.event.sends('hi')` is what `persona.sends('hi')` delivers.
 */
export class PersonaEvents {
  constructor(
    private readonly state: PersonaState,
    private readonly businessId: string,
    private readonly now: () => number,
  ) {}

  #messaging(item: Record<string, unknown>, grantsConsent: boolean, mid: string | undefined, standby = false): PersonaEvent {
    const full = { sender: { id: this.state.igsid }, recipient: { id: this.businessId }, timestamp: this.now(), ...item };
    return { event: { where: standby ? 'standby' : 'messaging', item: full, ...(mid ? { mid } : {}) }, igsid: this.state.igsid, grantsConsent };
  }

  sends(text: string, { standby = false } = {}): PersonaEvent {
    const mid = newMid();
    return this.#messaging({ message: { mid, text } }, true, mid, standby);
  }

  /** An ice-breaker or persistent-menu tap: a postback, the same shape for both. */
  postback(title: string, payload: string): PersonaEvent {
    const mid = newMid();
    return this.#messaging({ postback: { mid, title, payload } }, true, mid);
  }

  tapsQuickReply(payload: string, title = payload.slice(0, 20)): PersonaEvent {
    const mid = newMid();
    return this.#messaging({ message: { mid, text: title, quick_reply: { payload } } }, true, mid);
  }

  reacts(mid: string, emoji = '❤️', action: 'react' | 'unreact' = 'react'): PersonaEvent {
    return this.#messaging({ reaction: { mid, action, reaction: 'love', emoji } }, false, undefined);
  }

  reads(mid: string): PersonaEvent {
    return this.#messaging({ read: { mid } }, false, undefined);
  }

  edits(mid: string, text: string): PersonaEvent {
    return this.#messaging({ message_edit: { mid, text, num_edit: 1 } }, false, undefined);
  }

  comments(text: string, { mediaId = '18000000000000001' } = {}): PersonaEvent {
    const id = `18${String(this.now()).padStart(15, '0').slice(-15)}`;
    const value = { from: { id: this.state.igsid, username: this.state.username }, media: { id: mediaId, media_product_type: 'FEED' }, id, text };
    return { event: { where: 'changes', item: { field: 'comments', value } }, igsid: this.state.igsid, grantsConsent: false };
  }
}

/** A persona of the emulator: its profile data, and the actions that post webhooks to the bot. */
export class Persona {
  readonly event: PersonaEvents;

  constructor(
    private readonly emulator: Emulator,
    private readonly state: PersonaState,
  ) {
    this.event = new PersonaEvents(state, emulator.businessId, () => emulator.now());
  }

  get key(): string {
    return this.state.key;
  }
  get igsid(): string {
    return this.state.igsid;
  }
  get name(): string | null {
    return this.state.name;
  }
  get username(): string {
    return this.state.username;
  }
  get followerCount(): number {
    return this.state.followerCount;
  }
  get isVerifiedUser(): boolean {
    return this.state.isVerifiedUser;
  }
  get followsBusiness(): boolean {
    return this.state.followsBusiness;
  }
  get followedByBusiness(): boolean {
    return this.state.followedByBusiness;
  }
  get description(): string {
    return this.state.description;
  }
  get hasConsented(): boolean {
    return this.state.consented;
  }
  get isBlockingBusiness(): boolean {
    return this.state.blocksBusiness;
  }

  blocksBusiness(): void {
    this.state.blocksBusiness = true;
  }

  unblocksBusiness(): void {
    this.state.blocksBusiness = false;
  }

  sends(text: string, options?: { standby?: boolean }): Promise<Delivery> {
    return this.emulator.deliverBatch([this.event.sends(text, options)]);
  }

  tapsIcebreaker(payload: string): Promise<Delivery> {
    const item = this.emulator.icebreakers.find((i) => i.payload === payload);
    if (!item) return Promise.reject(new Error(`No ice breaker has the payload "${payload}"; configured: ${this.emulator.icebreakers.map((i) => i.payload).join(', ')}`));
    return this.emulator.deliverBatch([this.event.postback(item.question, payload)]);
  }

  tapsMenu(payload: string): Promise<Delivery> {
    const item = this.emulator.persistentMenu.find((i) => i.payload === payload);
    if (!item) return Promise.reject(new Error(`No persistent-menu item has the payload "${payload}"; configured: ${this.emulator.persistentMenu.map((i) => i.payload).join(', ')}`));
    return this.emulator.deliverBatch([this.event.postback(item.title, payload)]);
  }

  tapsQuickReply(payload: string, title?: string): Promise<Delivery> {
    return this.emulator.deliverBatch([this.event.tapsQuickReply(payload, title)]);
  }

  reacts(mid: string, emoji?: string): Promise<Delivery> {
    return this.emulator.deliverBatch([this.event.reacts(mid, emoji)]);
  }

  reads(mid: string): Promise<Delivery> {
    return this.emulator.deliverBatch([this.event.reads(mid)]);
  }

  edits(mid: string, text: string): Promise<Delivery> {
    return this.emulator.deliverBatch([this.event.edits(mid, text)]);
  }

  comments(text: string, options?: { mediaId?: string }): Promise<Delivery> {
    return this.emulator.deliverBatch([this.event.comments(text, options)]);
  }

  /** What the bot sent this persona, in order (sender actions left out unless asked). */
  received(options?: { includeActions?: boolean }): SentMessage[] {
    return this.emulator.sent(this.igsid, options);
  }

  toJSON() {
    const { key, igsid, name, username, followerCount, isVerifiedUser, followsBusiness, followedByBusiness, hasPicture, blocksBusiness, description, consented } = this.state;
    return { key, igsid, name, username, followerCount, isVerifiedUser, followsBusiness, followedByBusiness, hasPicture, blocksBusiness, description, consented };
  }
}
