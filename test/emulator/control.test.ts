import { expect } from 'chai';
import { request } from 'undici';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { refuseControl } from '../../src/emulator/controlGuard.js';
import { startReceiver } from './receiver.js';

const JSON_TYPE = { 'content-type': 'application/json' };

describe('Emulator control API', () => {
  let emulator: Emulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeEach(async () => {
    receiver = await startReceiver();
    emulator = await startEmulator({ webhookUrl: receiver.url });
  });

  afterEach(async () => {
    await emulator.close();
    await receiver.close();
  });

  async function control(path: string, { method = 'POST', body, headers = JSON_TYPE }: { method?: 'GET' | 'POST' | 'DELETE'; body?: unknown; headers?: Record<string, string> } = {}) {
    const response = await request(`${emulator.url}/_emulator/${path}`, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
    return { status: response.statusCode, json: (await response.body.json()) as any };
  }

  describe('who may call it', () => {
    it('should refuse a cross-site "simple" text/plain POST, so no web page can re-point the webhook', async () => {
      const attack = await control('webhook-url', { body: '{"url":"http://attacker.example/hook"}', headers: { 'content-type': 'text/plain' } });
      expect(attack.status).to.equal(415);
      expect(emulator.webhookUrl).to.equal(receiver.url);
    });

    it('should refuse a POST from another origin even with a JSON body', async () => {
      const attack = await control('webhook-url', { body: { url: 'http://attacker.example/hook' }, headers: { ...JSON_TYPE, origin: 'http://attacker.example' } });
      expect(attack.status).to.equal(403);
      expect(attack.json.error).to.include('origin');
      expect(emulator.webhookUrl).to.equal(receiver.url);
    });

    it('should refuse a request whose Host is a foreign name (DNS rebinding)', async () => {
      const port = new URL(emulator.url).port;
      const rebound = await control('state', { method: 'GET', headers: { host: `rebind.attacker.example:${port}` } });
      const persona = await control('personas/follower/sends', { body: { text: 'x' }, headers: { ...JSON_TYPE, host: `rebind.attacker.example:${port}` } });
      expect([rebound.status, persona.status]).to.deep.equal([403, 403]);
      expect(receiver.received).to.have.length(0);
    });

    it("should accept JSON from the emulator's own origin, under a loopback name, and without an Origin", async () => {
      const port = new URL(emulator.url).port;
      const own = await control('webhook-url', { body: { url: receiver.url }, headers: { ...JSON_TYPE, origin: emulator.url } });
      const alias = await control('webhook-url', { body: { url: receiver.url }, headers: { ...JSON_TYPE, host: `localhost:${port}`, origin: `http://localhost:${port}` } });
      const charset = await control('webhook-url', { body: { url: receiver.url }, headers: { 'content-type': 'application/json; charset=utf-8' } });
      expect([own.status, alias.status, charset.status]).to.deep.equal([200, 200, 200]);
    });

    it('should let body-less POSTs and DELETEs through without a content type', async () => {
      emulator.faults.inject({ kind: 'transient' });
      const reset = await control('stats/reset', { headers: {} });
      const cleared = await control('faults', { method: 'DELETE', headers: {} });
      expect([reset.status, cleared.status]).to.deep.equal([200, 200]);
      expect(emulator.faults.list()).to.have.length(0);
    });

    it('should check Host, Origin and content type as a pure rule too', () => {
      const own = 'http://127.0.0.1:8787';
      expect(refuseControl('GET', { host: '127.0.0.1:8787' }, own)).to.equal(undefined);
      expect(refuseControl('GET', { host: '[::1]:8787' }, own)).to.equal(undefined);
      expect(refuseControl('GET', {}, own)?.status).to.equal(403);
      expect(refuseControl('GET', { host: '127.0.0.1:9999' }, own)?.status).to.equal(403);
      expect(refuseControl('GET', { host: '127.0.0.1:8787', origin: 'null' }, own)?.status).to.equal(403);
      expect(refuseControl('GET', { host: '127.0.0.1:8787', origin: 'https://127.0.0.1:8787' }, own)?.status).to.equal(403);
      expect(refuseControl('PUT', { host: '127.0.0.1:8787', 'transfer-encoding': 'chunked' }, own)?.status).to.equal(415);
      expect(refuseControl('POST', { host: '127.0.0.1:8787', 'content-length': '0' }, own)).to.equal(undefined);
    });
  });

  describe('routes', () => {
    it('should make the same webhook through a control route as through the persona method', async () => {
      const viaControl = await control('personas/follower/taps-icebreaker', { body: { payload: 'HOURS' } });
      const viaMethod = await emulator.persona('follower').tapsIcebreaker('HOURS');
      expect(viaControl.status).to.equal(200);
      expect(viaControl.json.mids).to.have.length(1).and.not.include(viaMethod.mids[0]);
      expect(viaControl.json).to.include({ delivered: true, status: 200 });
      const [first, second] = receiver.received.map((r) => JSON.parse(r.body.toString()).entry[0].messaging[0].postback);
      expect({ ...first, mid: 'x' }).to.deep.equal({ ...second, mid: 'x' });
    });

    it('should reach every action of the table by its kebab-case name', async () => {
      const bodies: Record<string, unknown> = {
        sends: { text: 'hi' },
        'sends-attachment': { type: 'image' },
        'replies-to': { mid: 'aWdf1', text: 'yes' },
        'replies-to-story': { storyId: '1790', text: 'nice' },
        'taps-icebreaker': { payload: 'SHIPPING' },
        'taps-menu': { payload: 'MENU_ORDER' },
        postback: { title: 'Buy', payload: 'BUY' },
        'taps-quick-reply': { payload: 'YES' },
        reacts: { mid: 'aWdf1', emoji: '😂', reaction: 'laugh' },
        unreacts: { mid: 'aWdf1' },
        reads: { mid: 'aWdf1' },
        edits: { mid: 'aWdf1', text: 'fixed' },
        unsends: { mid: 'aWdf1' },
        refers: { ref: 'SUMMER' },
        comments: { text: 'Nice', mediaId: '18000000000000009' },
        mentions: { text: '@shop' },
      };
      for (const [route, body] of Object.entries(bodies)) {
        const reply = await control(`personas/non-follower/${route}`, { body });
        expect(reply.status, route).to.equal(200);
      }
      expect(receiver.received).to.have.length(Object.keys(bodies).length);
      const last = (i: number) => JSON.parse(receiver.received[i]!.body.toString()).entry[0];
      expect(last(8).messaging[0].reaction).to.deep.equal({ mid: 'aWdf1', action: 'react', reaction: 'laugh', emoji: '😂' });
      expect(last(14).changes[0].value.media.id).to.equal('18000000000000009');
    });

    it('should answer 400 naming the field for a bad body, and 404 for an unknown action', async () => {
      const missing = await control('personas/follower/sends', { body: { text: 42 } });
      const badType = await control('personas/follower/sends-attachment', { body: { type: 'hologram' } });
      const notJson = await control('personas/follower/sends', { body: '{"text":' });
      const unknown = await control('personas/follower/dances', { body: {} });
      expect([missing.status, badType.status, notJson.status, unknown.status]).to.deep.equal([400, 400, 400, 404]);
      expect(missing.json.error).to.include('"text"');
      expect(badType.json.error).to.include('hologram');
      expect(receiver.received).to.have.length(0);
    });

    it('should block and unblock a persona, and show it in the state', async () => {
      await control('personas/follower/block', { headers: {} });
      expect(emulator.persona('follower').isBlockingBusiness).to.equal(true);
      const blocked = await control('personas/follower/sends', { body: { text: 'hi' } });
      expect(blocked.status).to.equal(400);
      await control('personas/follower/unblock', { headers: {} });
      const state = await control('state', { method: 'GET' });
      expect(state.json.personas.find((p: any) => p.key === 'follower').blocksBusiness).to.equal(false);
      expect(state.json).to.include({ login: 'facebook', webhookUrl: receiver.url });
    });

    it('should re-point the webhook, refusing a URL that is not http(s)', async () => {
      const bad = await control('webhook-url', { body: { url: 'ftp://x' } });
      const missing = await control('webhook-url', { body: {} });
      const good = await control('webhook-url', { body: { url: 'http://127.0.0.1:1/elsewhere/' } });
      expect([bad.status, missing.status, good.status]).to.deep.equal([400, 400, 200]);
      expect(emulator.webhookUrl).to.equal('http://127.0.0.1:1/elsewhere/');
    });

    it('should set faults, rate limits and read what the bot sent', async () => {
      expect((await control('faults', { body: { kind: 'transient', times: 1 } })).json).to.deep.equal([{ kind: 'transient', times: 1 }]);
      expect((await control('rate-limit', { body: { budgetPerHour: 10 } })).json).to.include({ budgetPerHour: 10 });
      expect((await control('sent?igsid=1', { method: 'GET' })).json).to.deep.equal([]);
      expect((await control('stats', { method: 'GET' })).json).to.have.keys('routes', 'profiles');
    });
  });
});
