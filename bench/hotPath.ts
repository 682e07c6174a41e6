import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import { getInstagramProfile, InstagramProfileMiddleware, type InstagramProfile } from 'botbuilder-instagram-profile';
import { figure, interleave, nsPerOp, realisticProfile, type Figure, type Mode } from './lib.js';

const BUSINESS = '17841400000000001';

/** A botbuilder adapter that only runs the middleware pipeline: what every real adapter does per turn. */
class PipelineAdapter extends BotAdapter {
  async sendActivities(_c: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    return activities.map(() => ({ id: '1' }));
  }
  async updateActivity(): Promise<void> {}
  async deleteActivity(): Promise<void> {}
  async continueConversation(_r: Partial<ConversationReference>, _l: (c: TurnContext) => Promise<void>): Promise<void> {}
  turn(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return this.runMiddleware(new TurnContext(this, activity), logic);
  }
}

function activityFrom(profile: InstagramProfile): Partial<Activity> {
  return {
    type: 'message',
    channelId: 'instagram',
    text: 'hi',
    from: { id: profile.id, name: '' },
    recipient: { id: BUSINESS, name: '' },
    conversation: { id: profile.id, isGroup: false, conversationType: '', name: '' },
    channelData: { sender: { id: profile.id }, recipient: { id: BUSINESS }, timestamp: 1, message: { mid: 'm', text: 'hi' }, object: 'instagram', entry: { id: BUSINESS, time: 1 } },
  };
}

function middleware() {
  return new InstagramProfileMiddleware({ accessToken: 'bench-token', graphUrl: 'http://127.0.0.1:9' });
}

/** 1. Turns/s through a botbuilder pipeline whose handler never asks for the profile, with and without the middleware. */
export async function hotPath(mode: Mode): Promise<Figure> {
  const turns = mode === 'full' ? 200_000 : mode === 'quick' ? 30_000 : 2_000;
  const rounds = mode === 'full' ? 9 : 3;
  const activity = activityFrom(realisticProfile(1));
  const handler = async (context: TurnContext) => {
    if (context.activity.text === undefined) throw new Error('unreachable');
  };
  const bare = new PipelineAdapter();
  const withMiddleware = new PipelineAdapter().use(middleware());
  // Warm up both paths (JIT) before measuring.
  for (const adapter of [bare, withMiddleware]) await nsPerOp(turns / 4, () => adapter.turn(activity, handler));
  const ns = await interleave(rounds, {
    bare: () => nsPerOp(turns, () => bare.turn(activity, handler)),
    ours: () => nsPerOp(turns, () => withMiddleware.turn(activity, handler)),
  });
  const oursPerS = 1e9 / ns.ours;
  const barePerS = 1e9 / ns.bare;
  return figure({ id: 'hot-path', figure: 'Hot path: turns/s, handler never asks', unit: 'turns/s', ours: oursPerS, baseline: barePerS, baselineName: 'same pipeline without the middleware', target: 'ratio ≥ 0.95', better: 'higher', limit: 0.95 });
}

/** 2. `await getInstagramProfile(context)` on a cached profile vs `await lru.get(key)` on the same data. */
export async function warmLookup(mode: Mode): Promise<Figure> {
  const lookups = mode === 'full' ? 200_000 : mode === 'quick' ? 30_000 : 2_000;
  const rounds = mode === 'full' ? 9 : 3;
  const profile = realisticProfile(1);
  const mw = middleware();
  mw.cache.set(BUSINESS, profile);
  const floor = new LRUCache<string, InstagramProfile>({ max: 10_000, ttl: 3_600_000 });
  floor.set(`${BUSINESS}:${profile.id}`, profile);
  const key = `${BUSINESS}:${profile.id}`;
  const activity = activityFrom(profile);
  // Turns whose middleware ran but whose handler has not asked yet: each ask is the first of its turn.
  // A pool of 1 000 live turns, renewed between timed batches, as a busy server holds.
  const POOL = 1_000;
  const contexts = Array.from({ length: POOL }, () => ({ activity, turnState: new Map<unknown, unknown>() }));
  const begin = () => Promise.all(contexts.map((c) => mw.onTurn(c, async () => undefined)));
  await begin();
  const check = await getInstagramProfile(contexts[0]);
  if (check?.id !== profile.id) throw new Error('the warm lookup did not hit the cache');
  const ns = await interleave(rounds, {
    floor: () => nsPerOp(lookups, () => floor.get(key)),
    ours: async () => {
      let total = 0;
      for (let done = 0; done < lookups; done += POOL) {
        await begin();
        total += (await nsPerOp(POOL, (i) => getInstagramProfile(contexts[i]))) * POOL;
      }
      return total / Math.ceil(lookups / POOL) / POOL;
    },
  });
  return figure({ id: 'warm-lookup', figure: 'Warm lookup: ns per first ask of a turn', unit: 'ns', ours: ns.ours, baseline: ns.floor, baselineName: 'await lruCache.get(key)', target: '≤ 2× the floor', better: 'lower', limit: 2 });
}
