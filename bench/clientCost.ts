import axios from 'axios';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { GraphProfileClient } from 'botbuilder-instagram-profile';
import { cpuMicros, interleave, type Figure, type Mode } from './lib.js';

const FIELDS = 'name,username,profile_pic,follower_count,is_verified_user,is_user_follow_business,is_business_follow_user';

interface Server {
  url: string;
  accessToken: string;
  businessId: string;
  igsids: string[];
  stop(): void;
}

async function startServer(personas: number): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/emulatorProcess.ts', String(personas)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the emulator process exited (${code})`)));
  });
  return { ...JSON.parse(line), stop: () => child.kill('SIGTERM') };
}

/** Runs `total` calls with `concurrency` in flight, spreading them over the IGSIDs. */
async function drive(total: number, concurrency: number, igsids: string[], call: (igsid: string) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const result = (await call(igsids[i % igsids.length]!)) as { id?: string; name?: unknown };
      if (result?.id !== igsids[i % igsids.length]) throw new Error('wrong profile');
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** 3. Client-side CPU per profile request at concurrency 64, ours vs a bare undici loop, fetch and axios. */
export async function clientCost(mode: Mode): Promise<Figure[]> {
  const personas = mode === 'tiny' ? 200 : 10_000;
  const perRound = mode === 'full' ? 10_000 : mode === 'quick' ? 2_000 : 300;
  const rounds = mode === 'full' ? 5 : 3;
  const server = await startServer(personas);
  const dispatcher = new Agent({ connections: 64, pipelining: 1 });
  try {
    const ours = new GraphProfileClient({ accessToken: server.accessToken, graphUrl: server.url, dispatcher, retries: 0, timeout: 30_000, circuitBreaker: false });
    const url = (igsid: string) => `${server.url}/v26.0/${igsid}?fields=${FIELDS}&access_token=${server.accessToken}`;
    const variants = {
      ours: (igsid: string) => ours.fetchProfile(igsid, { businessId: server.businessId }),
      undici: async (igsid: string) => {
        const { body } = await request(url(igsid), { dispatcher });
        return body.json();
      },
      fetch: async (igsid: string) => (await fetch(url(igsid))).json(),
      axios: async (igsid: string) => (await axios.get(url(igsid))).data,
    };
    const measure = (call: (igsid: string) => Promise<unknown>) => async () => (await cpuMicros(() => drive(perRound, 64, server.igsids, call))) / perRound;
    for (const call of Object.values(variants)) await drive(Math.min(perRound, 1_000), 64, server.igsids, call);
    const micros = await interleave(rounds, { ours: measure(variants.ours), undici: measure(variants.undici), fetch: measure(variants.fetch), axios: measure(variants.axios) });
    const row = (baseline: 'undici' | 'fetch' | 'axios', name: string, target: string, limit: number): Figure => ({
      id: `client-cpu-vs-${baseline}`,
      figure: `Client CPU per Graph call (c=64) vs ${baseline}`,
      unit: 'µs CPU/call',
      ours: micros.ours,
      baseline: micros[baseline],
      baselineName: name,
      ratio: micros.ours / micros[baseline],
      target,
      met: micros.ours / micros[baseline] <= limit,
    });
    return [
      row('undici', 'bare undici request() loop (the floor)', '≤ 1.25× the floor', 1.25),
      row('fetch', "Node's global fetch", 'below fetch', 1),
      row('axios', 'axios (popular Messenger API clients)', 'below axios', 1),
    ];
  } finally {
    await dispatcher.close();
    server.stop();
  }
}
