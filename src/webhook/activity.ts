/**
 * The activities the webhook core makes and sends, as plain structural types: both
 * botbuilder's and the Agents SDK's `Activity` fit them, so the core imports neither.
 */

export interface ChannelAccountLike {
  id: string;
  name?: string;
  role?: string;
}

export interface InboundAttachment {
  contentType: string;
  contentUrl: string | undefined;
  content: unknown;
}

export interface InboundActivity {
  type: string;
  id?: string | undefined;
  name?: string | undefined;
  text?: string | undefined;
  value?: unknown;
  replyToId?: string | undefined;
  attachments?: InboundAttachment[];
  reactionsAdded?: { type: string }[];
  reactionsRemoved?: { type: string }[];
  channelId: string;
  serviceUrl: string;
  timestamp: Date;
  from: ChannelAccountLike;
  recipient: ChannelAccountLike;
  conversation: { id: string };
  channelData: Record<string, unknown>;
}

/** What the core reads of an outgoing activity (a botbuilder or Agents SDK `Partial<Activity>`). */
export interface OutgoingActivity {
  type?: string;
  text?: string;
  value?: unknown;
  from?: { id?: string } | undefined;
  recipient?: { id?: string } | undefined;
  conversation?: { id?: string } | undefined;
  suggestedActions?: { actions?: unknown[] } | undefined;
  attachments?: { contentType?: string; contentUrl?: string }[] | undefined;
  channelData?: unknown;
}
