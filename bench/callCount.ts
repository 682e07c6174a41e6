import { GraphProfileClient, InstagramProfileMiddleware, type InstagramProfile } from 'botbuilder-instagram-profile';
import { realisticProfile, seeded, zipf, type Figure, type Mode } from './lib.js';

const BUSINESS = '17841400000000001';

/** A Graph client that counts calls and answers after a macrotask, like a network round trip. */
class CountingClient extends GraphProfileClient {
  calls = 0;
  constructor() {
    super({ accessToken: 'bench-token', graphUrl: 'http://127.0.0.1:9' });
  }
  override fetchProfile(igsid: string): Promise<InstagramProfile> {
    this.calls++;
    return new Promise((resolve) => setImmediate(() => resolve(realisticProfile(Number(igsid) - 6_938_000_000_000_000))));
  }
}

/** The traffic: waves of concurrent turns; some are one sender's album, 10 deliveries at once. */
function traffic(turns: number, senders: number): string[][] {
  const random = seeded(42);
  const pick = zipf(senders, 1.1, random);
  const waves: string[][] = [];
  let made = 0;
  while (made < turns) {
    const wave: string[] = [];
    while (wave.length < 64 && made < turns) {
      const igsid = String(6_938_000_000_000_000 + pick());
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

/** 4. Graph calls for realistic traffic: ours vs no cache vs an unbounded Map without in-flight sharing. */
export async function callCount(mode: Mode): Promise<Figure[]> {
  const turns = mode === 'full' ? 100_000 : mode === 'quick' ? 20_000 : 2_000;
  const senders = mode === 'tiny' ? 500 : 10_000;
  const waves = traffic(turns, senders);
  const distinct = new Set(waves.flat()).size;

  const ours = new CountingClient();
  const mw = new InstagramProfileMiddleware({ client: ours });
  for (const wave of waves) await Promise.all(wave.map((igsid) => mw.load(contextFor(igsid))));

  const bare = new CountingClient();
  for (const wave of waves) await Promise.all(wave.map((igsid) => bare.fetchProfile(igsid)));

  // Meta's sample app: look in a Map, call on a miss, store the answer. Nothing shares a call in flight.
  const naive = new CountingClient();
  const map = new Map<string, InstagramProfile>();
  for (const wave of waves) {
    await Promise.all(
      wave.map(async (igsid) => {
        if (map.has(igsid)) return;
        map.set(igsid, await naive.fetchProfile(igsid));
      }),
    );
  }

  const note = `${turns.toLocaleString('en')} turns from ${distinct.toLocaleString('en')} distinct senders (Zipf s=1.1 over ${senders.toLocaleString('en')}), waves of 64, 2 % albums of 10; minimum possible = ${distinct.toLocaleString('en')}`;
  const row = (id: string, name: string, baseline: number): Figure => ({
    id,
    figure: `Graph calls for realistic traffic vs ${id.replace('calls-vs-', '')}`,
    unit: 'calls',
    ours: ours.calls,
    baseline,
    baselineName: name,
    ratio: ours.calls / baseline,
    target: `exactly ${distinct} (one per sender)`,
    met: ours.calls === distinct,
    note,
  });
  return [row('calls-vs-no-cache', 'no cache', bare.calls), row('calls-vs-map', 'unbounded Map, no in-flight sharing', naive.calls)];
}
