import { expect } from 'chai';
import { request } from 'undici';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { parseAppUsage, parseBusinessUseCaseUsage } from '../../src/platform/usage.js';
import { appSecretProof, verifyWebhookSignature } from '../../src/platform/signatures.js';
import { startReceiver } from './receiver.js';

const ALL_FIELDS = 'name,username,profile_pic,follower_count,is_verified_user,is_user_follow_business,is_business_follow_user';

describe('Instagram Platform emulator', () => {
  let now: number;
  let emulator: Emulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeEach(async () => {
    now = Date.UTC(2026, 10, 24, 12);
    receiver = await startReceiver();
    emulator = await startEmulator({ webhookUrl: receiver.url, now: () => now });
  });

  afterEach(async () => {
    await emulator.close();
    await receiver.close();
  });

  async function get(path: string, query: Record<string, string> = {}, base = emulator.url) {
    const params = new URLSearchParams({ access_token: emulator.accessToken, ...query });
    const response = await request(`${base}${path}?${params}`);
    const text = await response.body.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: response.headers, text, json };
  }

  const profile = (igsid: string, query: Record<string, string> = {}, base?: string) => get(`/v26.0/${igsid}`, { fields: ALL_FIELDS, ...query }, base);

  async function send(body: unknown, path = '/v26.0/me/messages') {
    const response = await request(`${emulator.url}${path}?access_token=${emulator.accessToken}`, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    return { status: response.statusCode, json: (await response.body.json()) as any };
  }

  describe('User Profile API', () => {
    it('should answer 230 before consent: HTTP 400 as graph.facebook.com, 500 as graph.instagram.com', async () => {
      const igsid = emulator.persona('follower').igsid;
      const facebook = await profile(igsid);
      const instagram = await profile(igsid, {}, emulator.instagramGraphUrl);
      expect(facebook.status).to.equal(400);
      expect(instagram.status).to.equal(500);
      for (const reply of [facebook, instagram]) {
        expect(reply.json.error).to.include({ code: 230, type: 'IGApiException', message: 'User consent is required to access user profile' });
        expect(reply.json.error.fbtrace_id).to.be.a('string');
        expect(reply.json.error).not.to.have.property('error_subcode');
      }
    });

    for (const [action, grants] of [
      ['sends a message', true],
      ['taps an ice breaker', true],
      ['taps a persistent-menu item', true],
      ['taps a quick reply', true],
      ['comments on a post', false],
      ['reacts to a message', false],
      ['reads a message', false],
      ['sends a photo', true],
      ['replies to a story', true],
      ['unsends a message', false],
      ['removes a reaction', false],
      ['opens an ig.me link', false],
      ['mentions the business', false],
    ] as const) {
      it(`should ${grants ? '' : 'not '}grant consent when the persona ${action}`, async () => {
        const persona = emulator.persona('non-follower');
        const act = {
          'sends a message': () => persona.sends('hi'),
          'taps an ice breaker': () => persona.tapsIcebreaker('HOURS'),
          'taps a persistent-menu item': () => persona.tapsMenu('MENU_HUMAN'),
          'taps a quick reply': () => persona.tapsQuickReply('YES', 'Yes'),
          'comments on a post': () => persona.comments('Nice'),
          'reacts to a message': () => persona.reacts('aWdf1'),
          'reads a message': () => persona.reads('aWdf1'),
          'sends a photo': () => persona.sendsAttachment('image'),
          'replies to a story': () => persona.repliesToStory('17900000000000001', 'wow'),
          'unsends a message': () => persona.unsends('aWdf1'),
          'removes a reaction': () => persona.unreacts('aWdf1'),
          'opens an ig.me link': () => persona.refers('SUMMER'),
          'mentions the business': () => persona.mentions('@shop'),
        }[action];
        await act();
        const reply = await profile(persona.igsid);
        expect(reply.status).to.equal(grants ? 200 : 400);
        expect(persona.hasConsented).to.equal(grants);
      });
    }

    it('should answer only the requested fields plus id, with nulls where the persona has none', async () => {
      const noName = emulator.persona('no-name');
      const noPicture = emulator.persona('no-picture');
      await noName.sends('hi');
      await noPicture.sends('hi');
      expect((await profile(noName.igsid, { fields: 'name,username' })).json).to.deep.equal({ name: null, username: 'quiet.fox', id: noName.igsid });
      expect((await profile(noPicture.igsid, { fields: 'profile_pic' })).json).to.deep.equal({ profile_pic: null, id: noPicture.igsid });
    });

    it('should give picture URLs a realistic oe= expiry about four days ahead, and serve them until then', async () => {
      const persona = emulator.persona('follower');
      await persona.sends('hi');
      const url = new URL((await profile(persona.igsid)).json.profile_pic);
      const oe = Number.parseInt(url.searchParams.get('oe')!, 16) * 1000;
      expect(oe - now).to.be.within(3 * 86_400_000, 5 * 86_400_000);
      expect(url.searchParams.get('oh')).to.match(/^00_/);
      expect((await request(url)).statusCode).to.equal(200);
      now = oe + 1;
      const expired = await request(url);
      expect([expired.statusCode, await expired.body.text()]).to.deep.equal([403, 'URL signature expired']);
    });

    it('should gate fields by the request version', async () => {
      const persona = emulator.persona('follower');
      await persona.sends('hi');
      const v13 = await get(`/v13.0/${persona.igsid}`, { fields: 'name,username' });
      const v11 = await get(`/v11.0/${persona.igsid}`, { fields: 'follower_count' });
      const v14 = await get(`/v14.0/${persona.igsid}`, { fields: 'username' });
      expect(v13.status).to.equal(400);
      expect(v13.json.error).to.include({ code: 100 });
      expect(v13.json.error.message).to.include('(username)');
      expect(v11.json.error.message).to.include('(follower_count)');
      expect(v14.json).to.deep.equal({ username: 'ada.codes', id: persona.igsid });
    });

    it('should answer not-found for blocked personas and unknown IGSIDs, per host', async () => {
      const blocked = emulator.persona('blocked');
      expect((await profile(blocked.igsid)).json.error).to.include({ code: 100, error_subcode: 33 });
      expect((await profile('123456')).json.error).to.include({ code: 100, error_subcode: 33 });
      expect((await profile('123456', {}, emulator.instagramGraphUrl)).json.error).to.include({ code: 9010, message: 'No matching Instagram user' });
      expect((await profile('not-a-number')).json.error).to.include({ code: 100, error_subcode: 33 });
    });

    it('should check the token: missing 104, unknown 190, expired 190/463, invalid 190/467', async () => {
      await emulator.close();
      emulator = await startEmulator({ accessTokens: { OLD: { expired: true }, REVOKED: { invalid: true } }, now: () => now });
      const igsid = emulator.persona('follower').igsid;
      const missing = await request(`${emulator.url}/v26.0/${igsid}`);
      expect(((await missing.body.json()) as any).error.code).to.equal(104);
      expect((await profile(igsid, { access_token: 'nope' })).json.error).to.include({ code: 190 });
      expect((await profile(igsid, { access_token: 'OLD' })).json.error).to.include({ code: 190, error_subcode: 463 });
      expect((await profile(igsid, { access_token: 'REVOKED' })).json.error).to.include({ code: 190, error_subcode: 467 });
    });

    it('should check appsecret_proof: required, wrong, stale, good, and the older form', async () => {
      await emulator.close();
      emulator = await startEmulator({ requireProof: true, webhookUrl: receiver.url, now: () => now });
      const persona = emulator.persona('follower');
      await persona.sends('hi');
      const time = Math.floor(now / 1000);
      const proof = (t: number) => appSecretProof(emulator.accessToken, emulator.appSecret, t);
      expect((await profile(persona.igsid)).json.error.message).to.include('appsecret_proof');
      expect((await profile(persona.igsid, { appsecret_proof: 'a'.repeat(64), appsecret_time: String(time) })).json.error).to.include({ code: 100 });
      expect((await profile(persona.igsid, { appsecret_proof: proof(time - 301), appsecret_time: String(time - 301) })).json.error.message).to.include('expired');
      expect((await profile(persona.igsid, { appsecret_proof: proof(time), appsecret_time: String(time) })).status).to.equal(200);
      const { createHmac } = await import('node:crypto');
      const legacy = createHmac('sha256', emulator.appSecret).update(emulator.accessToken).digest('hex');
      expect((await profile(persona.igsid, { appsecret_proof: legacy })).status).to.equal(200);
    });

    it('should send both usage headers in the reference format', async () => {
      const reply = await profile(emulator.persona('follower').igsid);
      expect(parseAppUsage(reply.headers['x-app-usage'])).to.have.keys('callCount', 'totalTime', 'totalCpuTime');
      const [usage] = parseBusinessUseCaseUsage(reply.headers['x-business-use-case-usage']);
      expect(usage).to.include({ businessId: emulator.businessId, type: 'instagram', estimatedTimeToRegainAccessMinutes: 0 });
    });

    it('should throttle with 80002 (or 4) and a regain-access estimate once the budget is spent', async () => {
      const igsid = emulator.persona('follower').igsid;
      emulator.rateLimit.set({ budgetPerHour: 2 });
      await profile(igsid);
      await profile(igsid);
      const throttled = await profile(igsid);
      expect(throttled.json.error).to.include({ code: 80002 });
      expect(parseBusinessUseCaseUsage(throttled.headers['x-business-use-case-usage'])[0]?.estimatedTimeToRegainAccessMinutes).to.equal(60);
      emulator.rateLimit.set({ throttled: true, code: 4, regainAccessMinutes: 7 });
      const app = await profile(igsid);
      expect(app.json.error).to.include({ code: 4 });
      expect(parseBusinessUseCaseUsage(app.headers['x-business-use-case-usage'])[0]?.estimatedTimeToRegainAccessMinutes).to.equal(7);
      now += 3_600_001;
      emulator.rateLimit.set({ throttled: undefined });
      expect((await profile(igsid)).json.error.code).to.equal(230);
    });

    it('should count calls per route and per IGSID', async () => {
      const a = emulator.persona('follower').igsid;
      await profile(a);
      await profile(a);
      await profile('42');
      expect([emulator.stats.profileCalls(), emulator.stats.profileCalls(a), emulator.stats.profileCalls('42')]).to.deep.equal([3, 2, 1]);
      emulator.stats.reset();
      expect(emulator.stats.calls()).to.equal(0);
    });
  });

  describe('faults', () => {
    const igsid = () => emulator.persona('follower').igsid;

    it('should inject Graph errors by count, then answer normally', async () => {
      await emulator.persona('follower').sends('hi');
      emulator.faults.inject({ kind: 'transient', times: 2 });
      const first = await profile(igsid());
      expect(first.status).to.equal(500);
      expect(first.json.error).to.include({ code: 2, is_transient: true });
      await profile(igsid());
      expect((await profile(igsid())).status).to.equal(200);
    });

    it('should inject by rate with the injected randomness', async () => {
      await emulator.close();
      let n = 0;
      emulator = await startEmulator({ random: () => (n++ % 2 === 0 ? 0.1 : 0.9), now: () => now });
      emulator.faults.inject({ kind: 'status', status: 503, rate: 0.5 });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await profile(igsid())).status);
      expect(statuses).to.deep.equal([503, 400, 503, 400]);
    });

    it('should send HTML, truncated JSON, an error body with 200 and wrong types', async () => {
      for (const [kind, check] of [
        ['html', (r: any) => expect([r.status, r.text]).to.satisfy(([s, t]: [number, string]) => s === 502 && t.startsWith('<!DOCTYPE html>'))],
        ['truncated', (r: any) => expect([r.status, r.json]).to.deep.equal([200, undefined])],
        ['error-body-200', (r: any) => expect([r.status, r.json.error.code]).to.deep.equal([200, 2])],
        ['wrong-types', (r: any) => expect(r.json.follower_count).to.equal('many')],
      ] as const) {
        emulator.faults.inject({ kind, times: 1 });
        check(await profile(igsid()));
      }
    });

    it('should reset the connection, and hang until close', async () => {
      emulator.faults.inject({ kind: 'reset', times: 1 });
      const reset = await profile(igsid()).then(() => 'answered', (e: Error) => e.constructor.name);
      expect(reset).to.not.equal('answered');
      emulator.faults.inject({ kind: 'hang', times: 1 });
      const hung = profile(igsid()).then(() => 'answered', () => 'failed');
      const raced = await Promise.race([hung, new Promise((r) => setTimeout(() => r('still hanging'), 50))]);
      expect(raced).to.equal('still hanging');
      await emulator.close();
      expect(await hung).to.equal('failed');
      emulator = await startEmulator({ now: () => now });
    });

    it('should add latency before a normal answer, and inject a chosen Graph error', async () => {
      emulator.faults.inject({ kind: 'latency', latencyMs: 30, times: 1 });
      const started = performance.now();
      await profile(igsid());
      expect(performance.now() - started).to.be.greaterThan(25);
      emulator.faults.inject({ kind: 'graph-error', graphError: { code: 10, subcode: 2534041 }, igsid: igsid(), times: 1 });
      expect((await profile(igsid())).json.error).to.include({ code: 10, error_subcode: 2534041 });
    });
  });

  describe('webhooks', () => {
    it('should post the exact Instagram JSON, signed over the raw bytes with Meta-style escaping', async () => {
      const persona = emulator.persona('rtl');
      const delivery = await persona.sends('مرحبا / hi');
      const [posted] = receiver.received;
      expect(delivery.status).to.equal(200);
      expect(posted?.body.toString()).to.equal(delivery.rawBody);
      expect(delivery.rawBody).to.include('\\u0645').and.include('\\/');
      expect(verifyWebhookSignature(posted!.body, posted!.headers['x-hub-signature-256'], emulator.appSecret)).to.equal(true);
      expect(verifyWebhookSignature(Buffer.from(JSON.stringify(JSON.parse(delivery.rawBody))), posted!.headers['x-hub-signature-256'], emulator.appSecret)).to.equal(false);
      const body = JSON.parse(delivery.rawBody);
      expect(body.object).to.equal('instagram');
      expect(body.entry[0]).to.include({ id: emulator.businessId, time: now });
      expect(body.entry[0].messaging[0]).to.deep.include({ sender: { id: persona.igsid }, recipient: { id: emulator.businessId }, timestamp: now });
      expect(body.entry[0].messaging[0].message).to.deep.equal({ mid: delivery.mids[0], text: 'مرحبا / hi' });
    });

    it('should make ice-breaker and menu taps postbacks with the configured title and payload', async () => {
      const persona = emulator.persona('follower');
      const tap = await persona.tapsIcebreaker('HOURS');
      const menu = await persona.tapsMenu('MENU_HUMAN');
      expect(JSON.parse(tap.rawBody).entry[0].messaging[0].postback).to.deep.include({ title: 'What are your opening hours?', payload: 'HOURS' });
      expect(JSON.parse(menu.rawBody).entry[0].messaging[0].postback).to.deep.include({ title: 'Talk to a human', payload: 'MENU_HUMAN' });
      await persona.tapsIcebreaker('NOPE').then(() => expect.fail('should reject'), (e: Error) => expect(e.message).to.include('HOURS'));
    });

    it('should put comments in changes[] with no sender, and standby items in standby[]', async () => {
      const persona = emulator.persona('commenter');
      const comment = JSON.parse((await persona.comments('Love it')).rawBody).entry[0];
      expect(comment).not.to.have.property('messaging');
      expect(comment.changes[0]).to.deep.include({ field: 'comments' });
      expect(comment.changes[0].value).to.deep.include({ text: 'Love it', from: { id: persona.igsid, username: 'carl.comments' } });
      const standby = JSON.parse((await emulator.persona('follower').sends('hi', { standby: true })).rawBody).entry[0];
      expect(standby.standby[0].message.text).to.equal('hi');
    });

    it('should repeat a delivery byte for byte, and batch several events in one POST', async () => {
      const first = await emulator.persona('follower').sends('hi');
      await emulator.deliver(first);
      expect(receiver.received[1]?.body.toString()).to.equal(first.rawBody);
      expect(receiver.received[1]?.headers['x-hub-signature-256']).to.equal(receiver.received[0]?.headers['x-hub-signature-256']);
      const events = emulator.personas.slice(0, 3).map((p) => p.event.sends(`hello from ${p.key}`));
      const batch = await emulator.deliverBatch(events);
      expect(JSON.parse(batch.rawBody).entry).to.have.length(3);
      expect(batch.mids).to.have.length(3);
      expect(receiver.received).to.have.length(3);
    });

    it('should refuse to deliver for a persona that blocked the business', async () => {
      const blocked = emulator.persona('blocked');
      await blocked.sends('hi').then(() => expect.fail('should reject'), (e: Error) => expect(e.message).to.include('blocked'));
      expect(receiver.received).to.have.length(0);
      blocked.unblocksBusiness();
      await blocked.sends('hi');
      expect(receiver.received).to.have.length(1);
    });

    it('should run the verification handshake against the bot', async () => {
      await receiver.close();
      receiver = await startReceiver((r) => {
        const query = new URL(r.url, 'http://x').searchParams;
        const ok = query.get('hub.mode') === 'subscribe' && query.get('hub.verify_token') === 'emulator-verify-token';
        return ok ? { status: 200, body: query.get('hub.challenge')! } : { status: 403, body: 'no' };
      });
      emulator.setWebhookUrl(receiver.url);
      expect(await emulator.verifyWebhook()).to.include({ ok: true, status: 200 });
    });
  });

  describe('Send API', () => {
    it('should record messages per persona and answer recipient_id and message_id', async () => {
      const persona = emulator.persona('follower');
      await persona.sends('hi');
      const reply = await send({ recipient: { id: persona.igsid }, message: { text: 'Hello Ada', quick_replies: [{ content_type: 'text', title: 'Yes', payload: 'YES' }] } });
      expect(reply.status).to.equal(200);
      expect(reply.json).to.have.keys('recipient_id', 'message_id');
      await send({ recipient: { id: persona.igsid }, sender_action: 'typing_on' }, `/v26.0/${emulator.businessId}/messages`);
      expect(persona.received().map((m) => m.text)).to.deep.equal(['Hello Ada']);
      expect(persona.received({ includeActions: true })).to.have.length(2);
      expect(persona.received()[0]?.quickReplies).to.deep.equal([{ title: 'Yes', payload: 'YES' }]);
      expect(await emulator.waitForSent(persona.igsid)).to.have.length(1);
    });

    it('should validate bodies like Meta', async () => {
      const persona = emulator.persona('follower');
      await persona.sends('hi');
      const to = { id: persona.igsid };
      const cases: unknown[] = [
        'not json',
        {},
        { recipient: to },
        { recipient: to, message: {} },
        { recipient: to, message: { text: 'x'.repeat(1001) } },
        { recipient: to, message: { text: 'hi' }, sender_action: 'typing_on' },
        { recipient: to, sender_action: 'dance' },
        { recipient: to, message: { text: 'hi', quick_replies: Array.from({ length: 14 }, () => ({ content_type: 'text', title: 'a', payload: 'a' })) } },
        { recipient: to, message: { text: 'hi', quick_replies: [{ content_type: 'text', title: 'x'.repeat(21), payload: 'a' }] } },
        { recipient: to, message: { attachment: { type: 'image', payload: {} } } },
        { recipient: { id: '999' }, message: { text: 'hi' } },
      ];
      for (const body of cases) {
        const reply = await send(body);
        expect(reply.status, JSON.stringify(body)).to.equal(400);
        expect(reply.json.error.code).to.be.a('number');
      }
      expect(persona.received()).to.have.length(0);
    });

    it('should reject sends outside the 24-hour window', async () => {
      const persona = emulator.persona('follower');
      expect((await send({ recipient: { id: persona.igsid }, message: { text: 'cold' } })).json.error).to.include({ code: 10, error_subcode: 2018278 });
      await persona.sends('hi');
      now += 24 * 3_600_000 + 1;
      expect((await send({ recipient: { id: persona.igsid }, message: { text: 'late' } })).json.error).to.include({ code: 10, error_subcode: 2018278 });
    });
  });

  describe('robustness', () => {
    it('should answer unknown routes, bad JSON and huge bodies with Meta-shaped errors, and keep serving', async () => {
      const unknown = await get('/nothing/here');
      expect(unknown.status).to.equal(400);
      expect(unknown.json.error.code).to.equal(2500);
      const huge = await request(`${emulator.url}/v26.0/me/messages?access_token=${emulator.accessToken}`, { method: 'POST', body: 'x'.repeat(1_100_000) });
      expect(huge.statusCode).to.equal(413);
      await huge.body.dump();
      expect((await send('{"recipient":')).status).to.equal(400);
      expect((await get(`/v26.0/${'%00'.repeat(3)}`)).status).to.equal(400);
      expect((await profile(emulator.persona('follower').igsid)).json.error.code).to.equal(230);
    });

    it('should check options with the package validators, naming the option', async () => {
      const cases: Array<[Parameters<typeof startEmulator>[0], string, string]> = [
        [{ port: 70_000 }, 'RangeError', '"port"'],
        [{ port: 1.5 }, 'TypeError', '"port"'],
        [{ login: 'twitter' as never }, 'TypeError', '"login"'],
        [{ webhookUrl: 'http://127.0.0.1:3978/hook?key=1' }, 'TypeError', '"webhookUrl"'],
        [{ webhookUrl: 'ftp://x' }, 'TypeError', '"webhookUrl"'],
        [{ apiVersion: '26' }, 'RangeError', '"apiVersion"'],
        [{ maxBodyBytes: 0 }, 'RangeError', '"maxBodyBytes"'],
        [{ now: 5 as never }, 'TypeError', '"now"'],
        [{ dispatcher: {} as never }, 'TypeError', '"dispatcher"'],
        [{ appSecret: '' }, 'TypeError', '"appSecret"'],
      ];
      for (const [options, type, name] of cases) {
        await startEmulator(options).then(
          (e) => (e.close(), expect.fail(`should reject ${JSON.stringify(options)}`)),
          (e: Error) => expect([e.name, e.message.includes(name)], JSON.stringify(options)).to.deep.equal([type, true]),
        );
      }
    });

    it('should reject bad options and custom personas clearly', async () => {
      await startEmulator({ businessId: 'abc' }).then(() => expect.fail('should reject'), (e: Error) => expect(e.message).to.include('businessId'));
      await startEmulator({ personas: [{ key: 'x', igsid: 'abc', name: null, username: 'x', followerCount: 1 }] }).then(
        () => expect.fail('should reject'),
        (e: Error) => expect(e.message).to.include('igsid'),
      );
      const custom = await startEmulator({ personas: [{ key: 'zoe', igsid: '42', name: 'Zoë', username: 'zoe', followerCount: 7 }] });
      expect(custom.personas.map((p) => p.key)).to.deep.equal(['zoe']);
      await custom.close();
    });

    it('should make personas act through the control API', async () => {
      const json = { 'content-type': 'application/json' };
      const act = await request(`${emulator.url}/_emulator/personas/follower/sends`, { method: 'POST', body: JSON.stringify({ text: 'from afar' }), headers: json });
      expect(((await act.body.json()) as any).status).to.equal(200);
      const state = (await (await request(`${emulator.url}/_emulator/state`)).body.json()) as any;
      expect(state.personas.find((p: any) => p.key === 'follower').consented).to.equal(true);
      const bad = await request(`${emulator.url}/_emulator/personas/nobody/sends`, { method: 'POST', body: '{"text":"x"}', headers: json });
      expect(bad.statusCode).to.equal(400);
      await bad.body.dump();
    });
  });
});
