// Client CPU per Graph profile read at 64 in flight over 10 000 IGSIDs: GraphProfileClient with
// its defaults (deadline, usage headers, reply checks, metrics hooks) vs a bare undici dispatcher.request() loop.
import { Agent } from 'undici';
import { cpuMicros, repeatMedian, sizes } from '../lib.js';
import type { Variant } from '../method/types.js';
import { loadRoot } from '../pkg.js';
import { igsidOf } from '../platform/profiles.js';
import { ACCESS_TOKEN, BUSINESS } from './botServer.js';

const FIELDS = 'name,username,profile_pic,follower_count,is_verified_user,is_user_follow_business,is_business_follow_user';
const IGSIDS = Array.from({ length: 10_000 }, (_, i) => igsidOf(i));

/** Runs `total` calls with `concurrency` in flight, spreading them over the IGSIDs, checking each answer. */
async function drive(total: number, concurrency: number, call: (igsid: string) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const igsid = IGSIDS[next++ % IGSIDS.length]!;
      const result = (await call(igsid)) as { id?: string };
      if (result?.id !== igsid) throw new Error('wrong profile');
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function measure(make: (server: string, dispatcher: Agent) => Promise<(igsid: string) => Promise<unknown>>): Variant {
  return async ({ mode, server }) => {
    if (!server) throw new Error('the client rows need the platform server');
    const calls = sizes(mode, { full: 10_000, quick: 3_000, tiny: 300 });
    const dispatcher = new Agent({ connections: 64, pipelining: 1 });
    const call = await make(server, dispatcher);
    const round = async () => (await cpuMicros(() => drive(calls, 64, call))) / calls;
    await round(); // warm-up, not measured
    return { cpuMicrosPerCall: await repeatMedian(3, round) };
  };
}

export const variants: Record<string, Variant> = {
  ours: measure(async (server, dispatcher) => {
    const { GraphProfileClient } = await loadRoot();
    const client = new GraphProfileClient({ accessToken: ACCESS_TOKEN, graphUrl: server, dispatcher });
    return (igsid) => client.fetchProfile(igsid, { businessId: BUSINESS });
  }),
  // The dispatcher's own request({ origin, path }), as ours calls it: the top-level request(url)
  // parses a URL and copies its options per call, about 10–25 µs more, which would flatter ours.
  undici: measure(async (server, dispatcher) => {
    const origin = new URL(server).origin;
    return async (igsid) => {
      const { body } = await dispatcher.request({ origin, path: `/v26.0/${igsid}?fields=${FIELDS}&access_token=${ACCESS_TOKEN}`, method: 'GET' });
      return body.json();
    };
  }),
};
