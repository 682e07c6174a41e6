// How much it costs to make an Agents SDK `Activity` of a webhook event, three ways:
// `node --import tsx test/agents/activityCost.ts` prints µs per event (not part of the test run).
import { Activity } from '@microsoft/agents-activity';
import { performance } from 'node:perf_hooks';
import { readWebhookItems } from '../../src/platform/webhookItem.js';
import { turnOf } from '../../src/webhook/toActivities.js';
import type { InboundActivity } from '../../src/webhook/activity.js';
import { toSdkActivity } from '../../src/agents/activity.js';

const EVENTS = 20_000;
const ROUNDS = 9;

function inboundActivities(): InboundActivity[] {
  const now = Date.now();
  const entry = {
    id: '17841400000000001',
    time: now,
    messaging: Array.from({ length: EVENTS }, (_, i) => ({
      sender: { id: String(1000 + (i % 50)) },
      recipient: { id: '17841400000000001' },
      timestamp: now,
      message: { mid: `aWdf-mid-${i}`, text: `message ${i}` },
    })),
  };
  const made: InboundActivity[] = [];
  readWebhookItems([entry], (item) => made.push(turnOf(item, 'https://graph.facebook.com', Date.now).activity));
  return made;
}

const ways: Record<string, (inbound: InboundActivity) => Activity> = {
  'Activity.fromObject': (inbound) => Activity.fromObject(inbound),
  'Object.assign(new Activity(type), inbound)': toSdkActivity,
  // Cheapest, but `channelId` stays an own data property over the class's accessor: `channelIdChannel` reads undefined.
  'Object.setPrototypeOf(inbound, Activity.prototype)': (inbound) => Object.setPrototypeOf(inbound, Activity.prototype) as Activity,
};

for (const [name, make] of Object.entries(ways)) {
  const times: number[] = [];
  // Round 0 warms the JIT up and is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    const inbound = inboundActivities();
    const start = performance.now();
    let last: Activity | undefined;
    for (const activity of inbound) last = make(activity);
    if (round > 0) times.push(((performance.now() - start) * 1000) / EVENTS);
    if (typeof last?.getConversationReference !== 'function' || last.channelId !== 'instagram') throw new Error(`${name} made no real Activity`);
  }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(52)} median ${times[ROUNDS >> 1]!.toFixed(2)} µs/event (best ${times[0]!.toFixed(2)})`);
}
