// What the greeter bots say: one place for both the botbuilder and the Botkit sample.
import { audienceTier, firstName, followStatus, type InstagramEvent, type InstagramProfile, type ProfileLookup } from 'botbuilder-instagram-profile';

export const ICEBREAKER_PAYLOADS = ['HOURS', 'SHIPPING', 'TALK_TO_HUMAN'];
export const MENU_PAYLOADS = ['MENU_HOURS', 'MENU_ORDER', 'MENU_HUMAN'];

export interface Reply {
  text: string;
  /** Quick replies offered with the text: [title, payload]. */
  quickReplies?: Array<[string, string]>;
}

const HOURS = "We're open Monday to Saturday, 9:00–18:00.";
const SHIPPING = 'Shipping is free over €50, otherwise €4.90, and takes 2–3 days.';
const HUMAN = 'A teammate will pick up this conversation here shortly.';
const OFFER: Array<[string, string]> = [
  ['Opening hours', 'HOURS'],
  ['Shipping', 'SHIPPING'],
];

/** Answers by payload for ice breakers, menu items and quick replies. */
const BY_PAYLOAD: Record<string, string> = {
  HOURS,
  MENU_HOURS: HOURS,
  SHIPPING,
  MENU_ORDER: 'Send me your order number and I will look it up.',
  TALK_TO_HUMAN: HUMAN,
  MENU_HUMAN: HUMAN,
};

/** The greeting: by first name (then @username, then a neutral "there"), branching on who follows whom. */
export function greeting(profile: InstagramProfile | undefined): Reply {
  const name = firstName(profile, 'there');
  const tier = audienceTier(profile);
  if (profile?.isVerifiedUser && (tier === 'mega' || tier === 'macro')) {
    return { text: `Hi ${name}, thanks for reaching out! Our partnerships team handles creator requests and will reply here personally.` };
  }
  switch (followStatus(profile)) {
    case 'mutual':
      return { text: `Hi ${name}! Always good to hear from a mutual follow. How can we help?`, quickReplies: OFFER };
    case 'follower':
      return { text: `Hi ${name}! Thanks for following us. How can we help?`, quickReplies: OFFER };
    case 'followed':
    case 'none':
      return { text: `Hi ${name}! Follow us to hear about new drops first. How can we help?`, quickReplies: OFFER };
    default:
      // No profile (no consent yet, blocked, Graph down): stay polite, never guess.
      return { text: `Hi ${name}! How can we help?`, quickReplies: OFFER };
  }
}

/** What the greeters read of `profiles.changes(context)`: only whether the person just followed. */
export interface FollowChange {
  followed: boolean;
}

/**
 * The reply to one Instagram event, or undefined when the bot should stay silent (comments,
 * reads, echoes…). `changes` is what the turn's lookup found changed: a new follower is
 * thanked, once, since only the turn that saw the change gets it.
 */
export function replyTo(event: InstagramEvent | undefined, lookup: ProfileLookup, changes?: FollowChange): Reply | undefined {
  if (!event || !event.grantsConsent) return undefined;
  const profile = lookup.status === 'ok' ? lookup.profile : undefined;
  const thanks = changes?.followed ? `Thanks for the follow, ${firstName(profile, 'there')}! ` : '';
  if (event.payload !== undefined && Object.hasOwn(BY_PAYLOAD, event.payload)) {
    const answer = BY_PAYLOAD[event.payload]!;
    return { text: thanks || event.kind !== 'icebreaker' ? `${thanks}${answer}` : `Hi ${firstName(profile, 'there')}! ${answer}` };
  }
  if (thanks) return { text: `${thanks}Welcome aboard. How can we help?`, quickReplies: OFFER };
  return greeting(profile);
}
