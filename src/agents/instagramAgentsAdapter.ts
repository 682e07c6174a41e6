import createDebug from 'debug';
import { Activity, type ConversationReference } from '@microsoft/agents-activity';
import { BaseAdapter, TurnContext, type AttachmentData, type AttachmentInfo, type ResourceResponse } from '@microsoft/agents-hosting';
import { InstagramProfileError } from '../errors.js';
import type { InboundActivity } from '../webhook/activity.js';
import { type CloseResult, WebhookCore } from '../webhook/core.js';
import { turnLogicOf, type TurnLogicOrBot } from '../webhook/botLogic.js';
import type { WebhookRequest, WebhookResponse } from '../webhook/http.js';
import type { InstagramWebhookOptions } from '../webhook/options.js';
import { CHANNEL_ID } from '../webhook/toActivities.js';
import { toSdkActivity } from './activity.js';

const log = createDebug('instagram-profile:agents');

/** The agent's turn: a function of the context, or anything with `run(context)` (an `AgentApplication`, an `ActivityHandler`). */
export type AgentLogic = (context: TurnContext) => Promise<void>;
export type AgentLogicOrApp = TurnLogicOrBot<TurnContext>;

/** Options of `InstagramAgentsAdapter`: the same as `InstagramAdapter`'s. */
export type InstagramAgentsAdapterOptions = InstagramWebhookOptions;

/** Who runs a proactive turn in the SDK's signature; Instagram has no Bot Connector identity, so it is not used. */
type AgentIdentity = Parameters<BaseAdapter['continueConversation']>[0];

/**
 * A Microsoft 365 Agents SDK adapter for Instagram messaging webhooks and the Send API.
 * Behaves exactly as `InstagramAdapter` (botbuilder): both wrap the framework-neutral
 * `WebhookCore`; this class only makes Agents SDK turns of it, with the SDK's own `Activity`
 * objects so that `AgentApplication.run` routes them natively.
 *
 * `AgentApplication` builds its own `CloudAdapter`, and `app.onError` belongs to that one:
 * errors of the turns this adapter runs go to this adapter's `onTurnError`. Its default
 * rethrows (nothing is said to the customer): a webhook turn's error then goes to the
 * `instagram-profile:agents` debug log, a `continueConversation` caller gets the rejection.
 */
export class InstagramAgentsAdapter extends BaseAdapter {
  readonly #core: WebhookCore;

  constructor(options: InstagramAgentsAdapterOptions) {
    super();
    this.#core = new WebhookCore(options, 'InstagramAgentsAdapter');
    // The SDK's default would DM the customer "The agent encountered an error or bug."
    this.onTurnError = rethrow;
  }

  /**
   * Handles one webhook request: GET handshake, or a signed POST whose events become turns.
   * Resolves once the response is sent; turns go on afterwards (see `drain()`).
   */
  async process(req: WebhookRequest, res: WebhookResponse, agent: AgentLogicOrApp): Promise<void> {
    const logic = turnLogicOf(agent, res, 'InstagramAgentsAdapter.process needs the agent: process(req, res, (context) => app.run(context)) or an AgentApplication');
    await this.#core.handle(req, res, (activity) => this.#runTurn(activity, logic));
  }

  /**
   * With a durable inbox (`inbox` option), starts running its events before any webhook
   * arrives, so an instance that starts after a crash or a deploy works through the backlog.
   */
  consume(agent: AgentLogicOrApp): void {
    const logic = turnLogicOf(agent, undefined, 'InstagramAgentsAdapter.consume needs the agent: consume((context) => app.run(context)) or an AgentApplication');
    this.#core.consume((activity) => this.#runTurn(activity, logic));
  }

  /** Resolves when every turn scheduled so far has finished (for tests and graceful shutdown). */
  drain(): Promise<void> {
    return this.#core.drain();
  }

  /**
   * Graceful shutdown (wire it to SIGTERM): new deliveries get `503`, which Meta retries, and
   * acknowledged turns finish within `timeoutMs` (default 10 000). Stop your HTTP server after it.
   */
  close(options?: { timeoutMs?: number }): Promise<CloseResult> {
    return this.#core.close(options);
  }

  async sendActivities(context: TurnContext, activities: Activity[]): Promise<ResourceResponse[]> {
    return this.#core.send(activities, context.activity);
  }

  /**
   * Runs `logic` with a context for a saved conversation reference (`context.activity.getConversationReference()`),
   * e.g. to message a customer later: Meta accepts it within 24 h of the customer's last message.
   * `agentAppIdOrIdentity` is accepted for the SDK's signature and not used.
   */
  continueConversation(reference: Partial<ConversationReference>, logic: AgentLogic): Promise<void>;
  continueConversation(agentAppIdOrIdentity: AgentIdentity, reference: Partial<ConversationReference>, logic: AgentLogic): Promise<void>;
  async continueConversation(...args: [Partial<ConversationReference>, AgentLogic] | [AgentIdentity, Partial<ConversationReference>, AgentLogic]): Promise<void> {
    const [reference, logic] = args.length === 2 ? args : [args[1], args[2]];
    if (typeof logic !== 'function') throw new TypeError('InstagramAgentsAdapter.continueConversation needs the logic: continueConversation(reference, async (context) => { ... })');
    const continuation = Activity.getContinuationActivity({
      ...reference,
      channelId: reference.channelId ?? CHANNEL_ID,
      serviceUrl: reference.serviceUrl ?? this.#core.options.graphUrl,
    } as ConversationReference);
    await this.runMiddleware(new TurnContext(this, continuation), logic);
  }

  async updateActivity(_context: TurnContext, _activity: Activity): Promise<void> {
    throw unsupported('updateActivity', 'Instagram cannot edit a sent message');
  }

  async deleteActivity(_context: TurnContext, _reference: Partial<ConversationReference>): Promise<void> {
    throw unsupported('deleteActivity', 'Instagram bots cannot delete a sent message');
  }

  async uploadAttachment(_context: TurnContext, _conversationId: string, _attachmentData: AttachmentData): Promise<ResourceResponse> {
    throw unsupported('uploadAttachment', 'Instagram takes attachments by http(s) contentUrl in the message');
  }

  async getAttachmentInfo(_context: TurnContext, _attachmentId: string): Promise<AttachmentInfo> {
    throw unsupported('getAttachmentInfo', 'Instagram has no attachment store: read contentUrl of the incoming attachment');
  }

  async getAttachment(_context: TurnContext, _attachmentId: string, _viewId: string): Promise<NodeJS.ReadableStream> {
    throw unsupported('getAttachment', 'Instagram has no attachment store: fetch contentUrl of the incoming attachment');
  }

  async #runTurn(activity: InboundActivity, logic: AgentLogic): Promise<void> {
    try {
      await this.runMiddleware(new TurnContext(this, toSdkActivity(activity)), logic);
    } catch (error) {
      // The webhook was answered long ago, so only the log can tell.
      log('turn %s (%s) failed: %O', activity.id ?? '-', activity.type, error);
    }
  }
}

async function rethrow(_context: TurnContext, error: Error): Promise<void> {
  throw error;
}

function unsupported(method: string, why: string): InstagramProfileError {
  return new InstagramProfileError(`${why}: ${method} is not supported`, 'SEND_UNSUPPORTED');
}
