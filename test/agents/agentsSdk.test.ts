import { expect } from 'chai';
import { Activity } from '@microsoft/agents-activity';
import { AgentApplication, BaseAdapter, MemoryStorage, TurnContext } from '@microsoft/agents-hosting';
import type { MockAgent } from 'undici';
import { getInstagramProfile, InstagramProfileMiddleware } from '../../src/index.js';
import { activities } from '../support/activities.js';
import { interceptProfile, mockGraph } from '../support/graphMock.js';

const ADA = '1001';
const ADA_REPLY = { id: ADA, name: 'Ada Lovelace', username: 'ada', profile_pic: null };

/** The smallest Agents SDK adapter: runs one activity through the middleware and records replies. */
class RecordingAgentsAdapter extends BaseAdapter {
  readonly replies: string[] = [];

  turn(activity: object, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return this.runMiddleware(new TurnContext(this, Activity.fromObject(activity)), logic);
  }

  async sendActivities(_context: TurnContext, outgoing: Activity[]) {
    this.replies.push(...outgoing.map((activity) => activity.text ?? ''));
    return outgoing.map((_, i) => ({ id: `reply-${i}` }));
  }

  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}
  async continueConversation(): Promise<void> {}
  async uploadAttachment(): Promise<never> {
    throw new Error('not used in this test');
  }
  async getAttachmentInfo(): Promise<never> {
    throw new Error('not used in this test');
  }
  async getAttachment(): Promise<never> {
    throw new Error('not used in this test');
  }
}

describe('InstagramProfileMiddleware in the Microsoft 365 Agents SDK', () => {
  let agent: MockAgent;
  let adapter: RecordingAgentsAdapter;
  let app: AgentApplication<never>;

  beforeEach(() => {
    agent = mockGraph();
    adapter = new RecordingAgentsAdapter();
    adapter.use(new InstagramProfileMiddleware({ accessToken: 'agents-page-token', dispatcher: agent, retries: 0 }));
    app = new AgentApplication({ storage: new MemoryStorage() });
  });

  afterEach(async () => {
    await agent.close();
  });

  it('should give an AgentApplication handler the profile with one Graph call, shared within the turn and cached across turns', async () => {
    const calls = interceptProfile(agent, ADA, ADA_REPLY);
    app.onActivity('message', async (context) => {
      const [first, second] = await Promise.all([getInstagramProfile(context), getInstagramProfile(context)]);
      expect(second).to.equal(first);
      await context.sendActivity(`Hi ${first?.name ?? 'there'}!`);
    });
    await adapter.turn(activities.message(ADA, 'hello'), (context) => app.run(context));
    await adapter.turn(activities.message(ADA, 'again'), (context) => app.run(context));
    expect(adapter.replies).to.deep.equal(['Hi Ada Lovelace!', 'Hi Ada Lovelace!']);
    expect(calls.count).to.equal(1);
  });

  it('should make no Graph call when the handler never asks', async () => {
    const calls = interceptProfile(agent, ADA, ADA_REPLY);
    app.onActivity('message', async (context) => {
      await context.sendActivity('no profile needed');
    });
    await adapter.turn(activities.message(ADA), (context) => app.run(context));
    expect(adapter.replies).to.deep.equal(['no profile needed']);
    expect(calls.count).to.equal(0);
  });

  it('should answer undefined, without a Graph call, for an activity that is not from Instagram', async () => {
    const calls = interceptProfile(agent, ADA, ADA_REPLY);
    let profile: unknown = 'not set';
    await adapter.turn(
      { type: 'message', text: 'hi', channelId: 'msteams', from: { id: ADA }, recipient: { id: 'bot' }, conversation: { id: 'c' } },
      async (context) => {
        profile = await getInstagramProfile(context);
      },
    );
    expect(profile).to.equal(undefined);
    expect(calls.count).to.equal(0);
  });
});
