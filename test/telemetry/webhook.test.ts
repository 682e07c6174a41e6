import { expect } from 'chai';
import sinon from 'sinon';
import { webhookSignature } from '../../src/platform/signatures.js';
import { WebhookCore, type RunTurn } from '../../src/webhook/core.js';
import type { DeliveryLedger } from '../../src/webhook/dedupe.js';
import type { InstagramWebhookOptions } from '../../src/webhook/options.js';
import { ATTR, METRIC } from '../../src/telemetry/names.js';
import { ACCESS_TOKEN, APP_SECRET, BUSINESS, CUSTOMER, OTHER_CUSTOMER, VERIFY_TOKEN, deferred, delivery, textItem } from '../adapter/helpers.js';
import { everythingExported, installSdk, sumWhere, type TestSdk } from './sdk.js';

function core(overrides: Partial<InstagramWebhookOptions> = {}) {
  return new WebhookCore({ appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, accessToken: ACCESS_TOKEN, graphUrl: 'http://127.0.0.1:9', ...overrides });
}

function signed(body: unknown, secret = APP_SECRET) {
  const raw = JSON.stringify(body);
  return { method: 'POST', url: '/', headers: { 'x-hub-signature-256': webhookSignature(raw, secret) }, rawBody: Buffer.from(raw) };
}

function response() {
  const res = { statusCode: 0, body: '', headers: {} as Record<string, string>, setHeader: (n: string, v: string) => void (res.headers[n] = v), end: (b?: string) => void (res.body = b ?? '') };
  return res;
}

async function post(webhook: WebhookCore, body: unknown, runTurn: RunTurn = async () => undefined, secret = APP_SECRET) {
  const res = response();
  await webhook.handle(signed(body, secret), res, runTurn);
  return res.statusCode;
}

describe('telemetry of webhooks', () => {
  let sdk: TestSdk;

  beforeEach(async () => {
    sdk = await installSdk();
  });

  afterEach(() => sdk.uninstall());

  it('should count an accepted delivery and each of its events, by status', async () => {
    const webhook = core();
    expect(await post(webhook, delivery([textItem(CUSTOMER, 'a'), textItem(OTHER_CUSTOMER, 'b')]))).to.equal(200);
    await webhook.drain();
    expect(sumWhere(await sdk.points(METRIC.deliveries), { [ATTR.statusCode]: 200, [ATTR.deliveryOutcome]: 'accepted' })).to.equal(1);
    expect(sumWhere(await sdk.points(METRIC.events), { [ATTR.statusCode]: 200, [ATTR.eventOutcome]: 'accepted' })).to.equal(2);
  });

  it('should count the events of a redelivery as duplicates, and an old event as expired', async () => {
    const webhook = core();
    const items = [textItem(CUSTOMER, 'a', 'mid-1'), textItem(CUSTOMER, 'b', 'mid-2')];
    await post(webhook, delivery(items));
    await post(webhook, delivery(items));
    await post(webhook, delivery([{ ...textItem(CUSTOMER, 'c'), timestamp: Date.now() - 40 * 3_600_000 }]));
    await webhook.drain();
    const events = await sdk.points(METRIC.events);
    expect(sumWhere(events, { [ATTR.eventOutcome]: 'accepted' })).to.equal(2);
    expect(sumWhere(events, { [ATTR.eventOutcome]: 'duplicate' })).to.equal(2);
    expect(sumWhere(events, { [ATTR.eventOutcome]: 'expired' })).to.equal(1);
  });

  it('should count a repeat the shared ledger caught as a duplicate, not as accepted', async () => {
    const ledger: DeliveryLedger = { received: () => 'duplicate', completed: () => undefined };
    const webhook = core({ dedupe: { store: ledger } });
    let ran = 0;
    await post(webhook, delivery([textItem(CUSTOMER, 'a')]), async () => void ran++);
    await webhook.drain();
    const events = await sdk.points(METRIC.events);
    expect(ran).to.equal(0);
    expect(sumWhere(events, { [ATTR.eventOutcome]: 'duplicate' })).to.equal(1);
    expect(sumWhere(events, { [ATTR.eventOutcome]: 'accepted' })).to.equal(0);
  });

  it('should count refused deliveries by status: bad signature, not JSON, busy, and ignored objects', async () => {
    const webhook = core({ maxConcurrentTurns: 1, maxQueuedTurns: 0 });
    expect(await post(webhook, delivery([textItem(CUSTOMER, 'a')]), undefined, 'wrong-secret')).to.equal(401);
    expect(await post(webhook, { entry: 'nope' })).to.equal(400);
    expect(await post(webhook, { object: 'page', entry: [] })).to.equal(200);
    const gate = deferred();
    expect(await post(webhook, delivery([textItem(CUSTOMER, 'a')]), () => gate.promise)).to.equal(200);
    expect(await post(webhook, delivery([textItem(OTHER_CUSTOMER, 'b'), textItem(OTHER_CUSTOMER, 'c')]))).to.equal(503);
    gate.resolve();
    await webhook.drain();
    const deliveries = await sdk.points(METRIC.deliveries);
    expect(sumWhere(deliveries, { [ATTR.statusCode]: 401, [ATTR.deliveryOutcome]: 'refused' })).to.equal(1);
    expect(sumWhere(deliveries, { [ATTR.statusCode]: 400, [ATTR.deliveryOutcome]: 'refused' })).to.equal(1);
    expect(sumWhere(deliveries, { [ATTR.statusCode]: 503, [ATTR.deliveryOutcome]: 'refused' })).to.equal(1);
    expect(sumWhere(deliveries, { [ATTR.statusCode]: 200, [ATTR.deliveryOutcome]: 'ignored' })).to.equal(1);
    expect(sumWhere(await sdk.points(METRIC.events), { [ATTR.statusCode]: 503, [ATTR.eventOutcome]: 'refused' })).to.equal(2);
  });

  it('should count deliveries refused while closing as 503', async () => {
    const webhook = core();
    await webhook.close({ timeoutMs: 10 });
    expect(await post(webhook, delivery([textItem(CUSTOMER, 'a')]))).to.equal(503);
    expect(sumWhere(await sdk.points(METRIC.deliveries), { [ATTR.statusCode]: 503, [ATTR.deliveryOutcome]: 'refused' })).to.equal(1);
  });

  it('should report running and queued turns while they wait, and none once drained', async () => {
    // Webhooks of other tests may still hold turns: this one's are the change it makes.
    const state = async (turnState: string) => sumWhere(await sdk.points(METRIC.turns), { [ATTR.turnState]: turnState });
    const before = { running: await state('running'), queued: await state('queued') };
    const webhook = core({ maxConcurrentTurns: 1 });
    const gate = deferred();
    await post(webhook, delivery([textItem(CUSTOMER, 'a'), textItem(CUSTOMER, 'b'), textItem(OTHER_CUSTOMER, 'c')]), () => gate.promise);
    expect((await state('running')) - before.running).to.equal(1);
    expect((await state('queued')) - before.queued).to.equal(2);
    gate.resolve();
    await webhook.drain();
    expect((await state('running')) - before.running).to.equal(0);
    expect((await state('queued')) - before.queued).to.equal(0);
  });

  it('should count a turn that outlives turnTimeoutMs', async () => {
    const before = sumWhere(await sdk.points(METRIC.turnTimeouts), {});
    const gate = deferred();
    // Faked only while the turn runs: the metric reader's flush needs real timers.
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const webhook = core({ turnTimeoutMs: 1_000 });
      await post(webhook, delivery([textItem(CUSTOMER, 'slow')]), () => gate.promise);
      await clock.tickAsync(1_001);
    } finally {
      clock.restore();
      gate.resolve();
    }
    expect(sumWhere(await sdk.points(METRIC.turnTimeouts), {}) - before).to.equal(1);
  });

  it('should export no IGSID, business id or message text from webhook telemetry', async () => {
    const webhook = core();
    await post(webhook, delivery([textItem(CUSTOMER, 'my secret words')]));
    await webhook.drain();
    // Business ids belong in the usage gauges only (the bot owner's accounts): not in webhook metrics.
    const exported = await everythingExported(sdk, 'instagram_profile.webhook.');
    expect(exported).to.include(METRIC.events);
    for (const personal of [CUSTOMER, BUSINESS, 'my secret words', APP_SECRET]) expect(exported).to.not.include(personal);
  });
});
