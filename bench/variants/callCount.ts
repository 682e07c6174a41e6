// Graph calls for realistic traffic on one instance: waves of concurrent turns from a Zipf
// population, some a sender's album of 10 deliveries at once. The minimum is one per distinct sender.
import type { InstagramProfile } from '../../src/index.js';
import { realisticProfile, seeded, sizes, zipf } from '../lib.js';
import type { Variant } from '../method/types.js';
import { loadRoot } from '../pkg.js';
import { BUSINESS } from './botServer.js';

const BASE = 6_938_000_000_000_000;

/** A Graph profile read that takes a macrotask, like a network round trip, and is counted. */
function countingLoader() {
  const counter = {
    calls: 0,
    fetch: (igsid: string): Promise<InstagramProfile> => {
      counter.calls++;
      return new Promise((resolve) => setImmediate(() => resolve(realisticProfile(Number(igsid) - BASE))));
    },
  };
  return counter;
}

/** The traffic: waves of 64 concurrent turns; 2 % of picks are one sender's album of 10 at once. */
function traffic(turns: number, senders: number): string[][] {
  const random = seeded(42);
  const pick = zipf(senders, 1.1, random);
  const waves: string[][] = [];
  let made = 0;
  while (made < turns) {
    const wave: string[] = [];
    while (wave.length < 64 && made < turns) {
      const igsid = String(BASE + pick());
      const copies = random() < 0.02 ? Math.min(10, turns - made) : 1;
      for (let i = 0; i < copies; i++) wave.push(igsid);
      made += copies;
    }
    waves.push(wave);
  }
  return waves;
}

const contextFor = (igsid: string) => ({
  activity: { channelId: 'instagram', channelData: { sender: { id: igsid }, recipient: { id: BUSINESS }, message: { mid: 'm', text: 'hi' } } },
  turnState: new Map<unknown, unknown>(),
});

const ours: Variant = async ({ mode }) => {
  const { GraphProfileClient, InstagramProfileMiddleware } = await loadRoot();
  const turns = sizes(mode, { full: 100_000, quick: 20_000, tiny: 2_000 });
  const waves = traffic(turns, mode === 'tiny' ? 500 : 10_000);
  const graph = countingLoader();
  const client = new GraphProfileClient({ accessToken: 'bench-token', graphUrl: 'http://127.0.0.1:9' });
  client.fetchProfile = (igsid: string) => graph.fetch(igsid);
  const middleware = new InstagramProfileMiddleware({ client });
  for (const wave of waves) await Promise.all(wave.map((igsid) => middleware.load(contextFor(igsid))));

  // Meta's sample app: look in a Map, call on a miss, store the answer. Nothing shares a call in flight.
  const naive = countingLoader();
  const map = new Map<string, InstagramProfile>();
  for (const wave of waves) {
    await Promise.all(
      wave.map(async (igsid) => {
        if (!map.has(igsid)) map.set(igsid, await naive.fetch(igsid));
      }),
    );
  }
  return { calls: graph.calls, distinct: new Set(waves.flat()).size, turns, naiveCalls: naive.calls };
};

export const variants: Record<string, Variant> = { ours };
