/**
 * The shapes of Instagram webhook deliveries (`object: "instagram"`). Everything is
 * optional because deliveries are untrusted input until checked.
 */

export interface WebhookParty {
  id?: string;
  username?: string;
}

export interface WebhookAttachment {
  type?: string;
  payload?: { url?: string; [key: string]: unknown };
}

export interface WebhookMessage {
  mid?: string;
  text?: string;
  is_echo?: boolean;
  is_deleted?: boolean;
  is_unsupported?: boolean;
  quick_reply?: { payload?: string };
  attachments?: WebhookAttachment[];
  reply_to?: { mid?: string; story?: { url?: string; id?: string } };
}

/** One item of `entry[].messaging[]` or `entry[].standby[]`. */
export interface MessagingEvent {
  sender?: WebhookParty;
  recipient?: WebhookParty;
  timestamp?: number;
  message?: WebhookMessage;
  postback?: { mid?: string; title?: string; payload?: string };
  reaction?: { mid?: string; action?: 'react' | 'unreact' | string; reaction?: string; emoji?: string };
  read?: { mid?: string };
  message_edit?: { mid?: string; text?: string; num_edit?: number };
  referral?: { ref?: string; source?: string; type?: string; [key: string]: unknown };
}

/** The `value` of a `changes[]` item with `field: "comments"`. */
export interface CommentValue {
  id?: string;
  comment_id?: string;
  from?: WebhookParty;
  text?: string;
  media?: { id?: string; media_product_type?: string };
  parent_id?: string;
}

export interface WebhookChange {
  field?: string;
  value?: CommentValue & Record<string, unknown>;
}

export interface WebhookEntry {
  id?: string;
  time?: number;
  messaging?: MessagingEvent[];
  standby?: MessagingEvent[];
  changes?: WebhookChange[];
}

export interface WebhookBody {
  object?: string;
  entry?: WebhookEntry[];
}
