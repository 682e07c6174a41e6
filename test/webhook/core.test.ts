import { expect } from 'chai';
import sinon from 'sinon';
import { webhookSignature } from '../../src/platform/signatures.js';
import type { InboundActivity } from '../../src/webhook/activity.js';
import { WebhookCore, MAX_DELAY_MS } from '../../src/webhook/core.js';
import { deliveryDigest, LocalDeliveryLedger, type DeliveryLedger } from '../../src/webhook/dedupe.js';
import type { InstagramWebhookOptions } from '../../src/webhook/options.js';
import { ACCESS_TOKEN, APP_SECRET, BUSINESS, CUSTOMER, deferred, delivery, messaging, textItem, VERIFY_TOKEN } from '../adapter/helpers.js';

function core(overrides: Partial<InstagramWebhookOptions> = {}) {
  return new WebhookCore({ appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, accessToken: ACCESS_TOKEN, graphUrl: 'http://127.0.0.1:9', ...overrides });
}

function signed(body: unknown) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return { method: 'POST', url: '/', headers: { 'x-hub-signature-256': webhookSignature(raw, APP_SECRET) }, rawBody: Buffer.from(raw) };
}

function response() {
  const res = { statusCode: 0, body: '', headersSent: false, headers: {} as Record<string, string>, setHeader: (n: string, v: string) => void (res.headers[n] = v), end: (b?: string) => void (res.body = b ?? '') };
  return res;
}

/** Delivers `body` and returns the status and the activities of the turns that ran. */
async function deliver(webhook: WebhookCore, body: unknown, ran: InboundActivity[] = []) {
  const res = response();
  await webhook.handle(signed(body), res, async (activity) => void ran.push(activity));
  await webhook.drain();
  return { status: res.statusCode, ran, res };
}

describe('WebhookCore', () => {
  afterEach(() => sinon.restore());

  describe('time of events', () => {
    // Meta sends `entry.time` of changes[] deliveries in Unix seconds (a captured comment: 1755779280).
    const COMMENT_TIME_S = 1_755_779_280;
    const comment = {
      object: 'instagram',
      entry: [{ id: BUSINESS, time: COMMENT_TIME_S, changes: [{ field: 'comments', value: { from: { id: CUSTOMER, username: 'ada' }, media: { id: '1790', media_product_type: 'FEED' }, id: '17865799348089039', text: 'Love it' } }] }],
    };

    it('should run a comment whose entry.time is in seconds, stamped at that time in ms', async () => {
      const webhook = core({ now: () => COMMENT_TIME_S * 1000 + 2_000 });
      const { status, ran } = await deliver(webhook, comment);
      expect(status).to.equal(200);
      expect(ran).to.have.length(1);
      expect(ran[0]!.name).to.equal('instagram/comment');
      expect(ran[0]!.timestamp.getTime()).to.equal(COMMENT_TIME_S * 1000);
    });

    it('should still drop a comment older than the de-duplication window, judged in the same unit', async () => {
      const webhook = core({ now: () => COMMENT_TIME_S * 1000 + 36 * 3_600_000 + 1_000 });
      expect((await deliver(webhook, comment)).ran).to.have.length(0);
    });

    it('should read messaging timestamps in ms, and either unit wherever Meta puts it', async () => {
      const nowMs = 1_752_834_911_539;
      const webhook = core({ now: () => nowMs });
      const inSeconds = { object: 'instagram', entry: [{ id: BUSINESS, time: Math.floor(nowMs / 1000), messaging: [messaging(CUSTOMER, { message: { mid: 'm-s', text: 'a' } }, BUSINESS, Math.floor(nowMs / 1000))] }] };
      const inMs = { object: 'instagram', entry: [{ id: BUSINESS, time: nowMs, messaging: [messaging(CUSTOMER, { message: { mid: 'm-ms', text: 'b' } }, BUSINESS, nowMs - 5)] }] };
      const ran = [...(await deliver(webhook, inSeconds)).ran, ...(await deliver(webhook, inMs)).ran];
      expect(ran.map((a) => a.timestamp.getTime())).to.deep.equal([Math.floor(nowMs / 1000) * 1000, nowMs - 5]);
    });
  });

  describe('de-duplication', () => {
    it('should keep a fixed-size digest, whatever the length of the event id', () => {
      expect(deliveryDigest('message|' + 'x'.repeat(100_000))).to.have.length(22);
      expect(deliveryDigest('message|a')).to.not.equal(deliveryDigest('message|b'));
    });

    it('should drop a redelivery that comes after 11 000 other events (the old window forgot by count, after 10 000), well inside the 36 h window', async () => {
      const webhook = core();
      const first = await deliver(webhook, delivery([textItem(CUSTOMER, 'hello', 'the-one-mid')]));
      for (let batch = 0; batch < 11; batch++) {
        await deliver(webhook, delivery(Array.from({ length: 1_000 }, (_, i) => textItem(String(1_000_000 + i), 'x', `filler-${batch}-${i}`))));
      }
      const again = await deliver(webhook, delivery([textItem(CUSTOMER, 'hello', 'the-one-mid')]));
      expect(first.ran).to.have.length(1);
      expect(again.ran).to.have.length(0);
    });

    it('should let the oldest go when the byte bound fills before the window ends', () => {
      let now = 0;
      const ledger = new LocalDeliveryLedger(1_024, () => now);
      const window = 3_600_000;
      for (let i = 0; i < 13; i++) {
        expect(ledger.firstTime(`d${i}`, window)).to.equal(true);
        now += 1;
      }
      expect(ledger.size).to.equal(12);
      expect(ledger.firstTime('d12', window)).to.equal(false);
      expect(ledger.firstTime('d0', window)).to.equal(true);
    });

    it('should forget a delivery once its window has passed', () => {
      let now = 0;
      const ledger = new LocalDeliveryLedger(1_000_000, () => now);
      expect(ledger.firstTime('d', 60_000)).to.equal(true);
      now = 59_000;
      expect(ledger.firstTime('d', 60_000)).to.equal(false);
      now = 61_000;
      expect(ledger.firstTime('d', 60_000)).to.equal(true);
    });

    it('should ask a shared ledger, skip what another instance received, and mark each turn completed', async () => {
      const calls: string[] = [];
      const store: DeliveryLedger = {
        received: async (digest) => {
          calls.push(`received ${digest === deliveryDigest('message|seen-elsewhere') ? 'seen-elsewhere' : 'new'}`);
          return digest === deliveryDigest('message|seen-elsewhere') ? 'duplicate' : 'first';
        },
        completed: (digest) => void calls.push(`completed ${digest === deliveryDigest('message|new-one') ? 'new-one' : '?'}`),
      };
      const webhook = core({ dedupe: { store } });
      const { ran } = await deliver(webhook, delivery([textItem(CUSTOMER, 'a', 'seen-elsewhere'), textItem(CUSTOMER, 'b', 'new-one')]));
      expect(ran.map((a) => a.text)).to.deep.equal(['b']);
      expect(calls).to.deep.equal(['received seen-elsewhere', 'received new', 'completed new-one']);
    });

    it('should run the turn when the shared ledger fails or cannot tell', async () => {
      const store: DeliveryLedger = { received: () => Promise.reject(new Error('redis down')), completed: () => Promise.reject(new Error('redis down')) };
      const webhook = core({ dedupe: { store } });
      expect((await deliver(webhook, delivery([textItem(CUSTOMER, 'a')]))).ran).to.have.length(1);
      const unknown: DeliveryLedger = { received: () => 'unknown', completed: () => undefined };
      expect((await deliver(core({ dedupe: { store: unknown } }), delivery([textItem(CUSTOMER, 'b')]))).ran).to.have.length(1);
    });
  });

  describe('backpressure', () => {
    it('should answer 503 before acknowledging anything when a delivery would not fit, and run nothing of it', async () => {
      const webhook = core({ maxConcurrentTurns: 2, maxQueuedTurns: 3 });
      const refused = await deliver(webhook, delivery(Array.from({ length: 6 }, (_, i) => textItem(String(100 + i), 'x'))));
      expect(refused.status).to.equal(503);
      expect(refused.ran).to.have.length(0);
      const accepted = await deliver(webhook, delivery(Array.from({ length: 5 }, (_, i) => textItem(String(200 + i), 'x'))));
      expect(accepted.status).to.equal(200);
      expect(accepted.ran).to.have.length(5);
    });

    it('should count turns already waiting, and accept again once they ran', async () => {
      const webhook = core({ maxConcurrentTurns: 1, maxQueuedTurns: 1 });
      const hold = deferred();
      const ran: InboundActivity[] = [];
      const runTurn = async (activity: InboundActivity) => {
        ran.push(activity);
        await hold.promise;
      };
      const first = response();
      await webhook.handle(signed(delivery([textItem('1', 'a'), textItem('2', 'b')])), first, runTurn);
      const second = response();
      await webhook.handle(signed(delivery([textItem('3', 'c')])), second, runTurn);
      expect([first.statusCode, second.statusCode]).to.deep.equal([200, 503]);
      hold.resolve();
      await webhook.drain();
      expect(ran.map((a) => a.text)).to.deep.equal(['a', 'b']);
      expect((await deliver(webhook, delivery([textItem('3', 'c')]))).status).to.equal(200);
    });

    it('should refuse a 1 MiB delivery of 14 000 tiny events with 503 at once, building no activity', async () => {
      // As compact as Meta's items get: the most events one body of the default 1 MiB limit can carry.
      const item = (i: number) => `{"sender":{"id":"${i + 1}"},"recipient":{"id":"${BUSINESS}"},"read":{}}`;
      const body = `{"object":"instagram","entry":[{"id":"${BUSINESS}","messaging":[${Array.from({ length: 14_000 }, (_, i) => item(i)).join(',')}]}]}`;
      expect(body.length).to.be.below(1024 * 1024);
      const webhook = core();
      const request = signed(body);
      const res = response();
      let built = 0;
      const started = performance.now();
      await webhook.handle(request, res, async () => void built++);
      const elapsed = performance.now() - started;
      await webhook.drain();
      expect(res.statusCode).to.equal(503);
      expect(built).to.equal(0);
      // Verifying and parsing the body is the whole cost (about 50 ms here); 74 884 turns once took 1 s.
      expect(elapsed).to.be.below(1_000);
    });

    it('should schedule a large accepted batch in slices, letting other work run in between', async () => {
      const webhook = core();
      const items = Array.from({ length: 2_000 }, (_, i) => textItem(String(i + 1), 'x'));
      let ticks = 0;
      const interval = setInterval(() => ticks++, 0);
      const { ran } = await deliver(webhook, delivery(items));
      clearInterval(interval);
      expect(ran).to.have.length(2_000);
      expect(ticks).to.be.greaterThan(0);
    });
  });

  describe('close', () => {
    it('should refuse new deliveries with 503 and report turns that did not finish in time', async () => {
      const webhook = core();
      const res = response();
      await webhook.handle(signed(delivery([textItem(CUSTOMER, 'hangs')])), res, () => new Promise(() => undefined));
      const result = await webhook.close({ timeoutMs: 50 });
      expect(res.statusCode).to.equal(200);
      expect(result).to.deep.equal({ drained: false, unfinishedTurns: 1 });
      const late = response();
      await webhook.handle(signed(delivery([textItem(CUSTOMER, 'late')])), late, async () => undefined);
      expect(late.statusCode).to.equal(503);
      expect(await webhook.close()).to.equal(result);
    });

    it('should still answer the verification handshake while closing', async () => {
      const webhook = core();
      await webhook.close({ timeoutMs: 10 });
      const res = response();
      await webhook.handle({ method: 'GET', url: `/?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=42`, headers: {} }, res, async () => undefined);
      expect([res.statusCode, res.body]).to.deep.equal([200, '42']);
    });
  });

  describe('sending', () => {
    it('should cap a delay activity at the timer limit instead of letting it overflow and fire at once', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const webhook = core();
      let done = false;
      const sending = webhook.send([{ type: 'delay', value: 2 ** 40 }], undefined).then(() => (done = true));
      await clock.tickAsync(MAX_DELAY_MS - 1);
      expect(done).to.equal(false);
      await clock.tickAsync(1);
      await sending;
      expect(done).to.equal(true);
    });

    it('should treat a negative or NaN delay as none or the default', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const webhook = core();
      const none = webhook.send([{ type: 'delay', value: -5 }], undefined);
      await clock.tickAsync(0);
      expect(await none).to.deep.equal([{ id: '' }]);
      let done = false;
      const fallback = webhook.send([{ type: 'delay', value: Number.NaN }], undefined).then(() => (done = true));
      await clock.tickAsync(999);
      expect(done).to.equal(false);
      await clock.tickAsync(1);
      await fallback;
    });
  });
});
