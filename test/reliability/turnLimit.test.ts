import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { InstagramAdapter } from '../../src/adapter/index.js';

const SECRET = 'turn-limit-secret';

function delivery(mid: string) {
  const raw = JSON.stringify({ object: 'instagram', entry: [{ id: '17841400000000001', time: Date.now(), messaging: [{ sender: { id: '1001' }, recipient: { id: '17841400000000001' }, timestamp: Date.now(), message: { mid, text: mid } }] }] });
  return { method: 'POST', url: '/', headers: { 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}` }, rawBody: Buffer.from(raw) };
}
const response = () => ({ statusCode: 0, headersSent: false, setHeader: () => undefined, end: () => undefined });

describe('the turn time limit', () => {
  it("should let a customer's next turn run when an earlier turn never settles", async () => {
    const adapter = new InstagramAdapter({ appSecret: SECRET, verifyToken: 'v', accessToken: 't', graphUrl: 'http://127.0.0.1:9', turnTimeoutMs: 50 });
    const ran: string[] = [];
    const logic = async (context: { activity: { text?: string } }) => {
      ran.push(context.activity.text ?? '');
      // The first turn hangs forever, as Botkit's bot.reply does after a failed send.
      if (context.activity.text === 'first') await new Promise(() => undefined);
    };
    await adapter.process(delivery('first'), response(), logic as never);
    await adapter.process(delivery('second'), response(), logic as never);
    await adapter.drain();
    expect(ran).to.deep.equal(['first', 'second']);
  });

  it('should refuse a turnTimeoutMs that is not a positive integer', () => {
    expect(() => new InstagramAdapter({ appSecret: SECRET, verifyToken: 'v', accessToken: 't', turnTimeoutMs: 0 })).to.throw(RangeError, /turnTimeoutMs/);
  });
});

describe('the de-duplication window', () => {
  it('should run no turn for a delivery older than the window, and run a fresh one', async () => {
    let now = Date.UTC(2026, 10, 24);
    const adapter = new InstagramAdapter({ appSecret: SECRET, verifyToken: 'v', accessToken: 't', graphUrl: 'http://127.0.0.1:9', dedupe: { ttlMs: 60_000 }, now: () => now });
    const ran: string[] = [];
    const at = (mid: string, timestamp: number) => {
      const raw = JSON.stringify({ object: 'instagram', entry: [{ id: '17841400000000001', time: timestamp, messaging: [{ sender: { id: '1001' }, recipient: { id: '17841400000000001' }, timestamp, message: { mid, text: mid } }] }] });
      return { method: 'POST', url: '/', headers: { 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}` }, rawBody: Buffer.from(raw) };
    };
    const logic = async (context: { activity: { text?: string } }) => void ran.push(context.activity.text ?? '');
    await adapter.process(at('replayed-after-the-window', now - 60_001), response(), logic as never);
    await adapter.process(at('fresh', now - 1_000), response(), logic as never);
    now += 61_000;
    await adapter.process(at('fresh', now - 62_000), response(), logic as never);
    await adapter.drain();
    expect(ran).to.deep.equal(['fresh']);
  });
});
