import { expect } from 'chai';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Botkit, type BotkitMessage, type BotWorker } from 'botkit';
import type { MockAgent } from 'undici';
import { InstagramAdapter } from '../../src/adapter/index.js';
import { getInstagramEvent, getInstagramProfile, instagramProfilePlugin } from '../../src/botkit/index.js';
import { InstagramProfileMiddleware } from '../../src/middleware/instagramProfileMiddleware.js';
import type { InstagramProfile } from '../../src/types.js';
import { close, delivery, get, messaging, post } from '../adapter/helpers.js';
import { GRAPH, interceptProfile, mockGraph } from '../support/graphMock.js';
import { FacebookShapedAdapter } from './facebookShapedAdapter.js';

const BUSINESS = '17841400000000001';
const MESSENGER_PAGE = '100000000000001';
const ADA = '1001';
const ADA_REPLY = { id: ADA, name: 'Ada Lovelace', username: 'ada', profile_pic: null };
const APP_SECRET = 'botkit-app-secret';
const PAGE_TOKEN = 'botkit-page-token';

function middlewareOptions(agent: MockAgent) {
  return { accessToken: PAGE_TOKEN, dispatcher: agent, retries: 0, icebreakerPayloads: ['HOURS'], instagramAccountIds: [BUSINESS] };
}

function acceptSends(agent: MockAgent, sent: unknown[]) {
  agent
    .get(GRAPH)
    .intercept({ path: (path) => path.startsWith('/v26.0/me/messages?'), method: 'POST' })
    .reply(200, (options) => {
      sent.push(JSON.parse(String(options.body)));
      return { recipient_id: ADA, message_id: `aWdfOUT${sent.length}` };
    })
    .persist();
}

describe('instagramProfilePlugin (Botkit)', () => {
  let agent: MockAgent;
  let server: Server | undefined;

  beforeEach(() => {
    agent = mockGraph();
  });

  afterEach(async () => {
    await close(server);
    server = undefined;
    await agent.close();
  });

  it('should install the middleware on the adapter and expose it, or reuse one it is given', () => {
    const installed: unknown[] = [];
    const plugin = instagramProfilePlugin(middlewareOptions(agent));
    plugin.init({ adapter: { use: (...mw: unknown[]) => installed.push(...mw) } });
    expect(plugin.name).to.equal('instagram-profile');
    expect(plugin.middleware).to.be.instanceOf(InstagramProfileMiddleware);
    expect(installed).to.deep.equal([plugin.middleware]);
    const shared = new InstagramProfileMiddleware(middlewareOptions(agent));
    expect(instagramProfilePlugin(shared).middleware).to.equal(shared);
    expect(() => plugin.init({})).to.throw(TypeError, /adapter/);
  });

  it('should take the same options as the middleware, an accessToken from process.env included, naming it when missing', () => {
    const unset: string | undefined = process.env.INSTAGRAM_PROFILE_TEST_NEVER_SET;
    expect(() => instagramProfilePlugin({ accessToken: unset, appSecret: unset })).to.throw(TypeError, /"accessToken" is missing.*environment variable/);
    const plugin = instagramProfilePlugin({ ...middlewareOptions(agent), appSecret: unset });
    expect(plugin.middleware).to.be.instanceOf(InstagramProfileMiddleware);
  });

  it('should give handlers load() and refresh() on the installed middleware, with a Botkit message', async () => {
    const calls = interceptProfile(agent, ADA, ADA_REPLY, 2);
    const adapter = new FacebookShapedAdapter();
    const controller = new Botkit({ adapter, disable_webserver: true, disable_console: true });
    const plugin = instagramProfilePlugin(middlewareOptions(agent));
    controller.usePlugin(plugin);
    const seen: unknown[] = [];
    controller.on('message', async (_bot: BotWorker, message: BotkitMessage) => {
      seen.push(await plugin.middleware.load(message), await plugin.middleware.refresh(message));
    });
    await adapter.deliver(messaging(ADA, { message: { mid: 'aWdfLR', text: 'hi' } }, BUSINESS), (context) => controller.handleTurn(context));
    expect(seen.map((lookup) => (lookup as { source?: string }).source)).to.deep.equal(['graph', 'graph']);
    expect(calls.count).to.equal(2);
  });

  it('should greet by name on Botkit with InstagramAdapter, over its webhook route', async () => {
    const calls = interceptProfile(agent, ADA, ADA_REPLY);
    const sent: unknown[] = [];
    acceptSends(agent, sent);
    const adapter = new InstagramAdapter({ appSecret: APP_SECRET, verifyToken: 'v', accessToken: PAGE_TOKEN, dispatcher: agent });
    const app = express();
    const controller = new Botkit({ adapter, webserver: app, webhook_uri: '/api/instagram', disable_console: true });
    controller.usePlugin(instagramProfilePlugin(middlewareOptions(agent)));
    controller.on('message', async (bot: BotWorker, message: BotkitMessage) => {
      const profile = await getInstagramProfile(message);
      await bot.reply(message, `Hi ${profile?.name ?? 'there'}!`);
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/instagram`;

    const handshake = await get(`${url}?hub.mode=subscribe&hub.verify_token=v&hub.challenge=99`);
    expect(handshake).to.deep.equal({ status: 200, text: '99' });
    const reply = await post(url, delivery([messaging(ADA, { message: { mid: 'aWdfBK1', text: 'hello' } })]), { secret: APP_SECRET });
    await adapter.drain();
    expect(reply.status).to.equal(200);
    expect(calls.count).to.equal(1);
    expect(sent).to.deep.equal([{ recipient: { id: ADA }, message: { text: 'Hi Ada Lovelace!' } }]);
  });

  it('should give handlers the profile with Botkit’s Facebook adapter for a configured Instagram account', async () => {
    const calls = interceptProfile(agent, ADA, ADA_REPLY);
    const adapter = new FacebookShapedAdapter();
    const controller = new Botkit({ adapter, disable_webserver: true, disable_console: true });
    const plugin = instagramProfilePlugin(middlewareOptions(agent));
    controller.usePlugin(plugin);
    const seen: { profile?: InstagramProfile; kind?: string; text?: string }[] = [];
    controller.on('message', async (_bot: BotWorker, message: BotkitMessage) => {
      const first = await getInstagramProfile(message);
      const again = await getInstagramProfile(message);
      expect(again).to.equal(first);
      seen.push({ profile: first, kind: getInstagramEvent(message)?.kind, text: message.text });
    });
    const turn = (item: Record<string, unknown>) => adapter.deliver(item, (context) => controller.handleTurn(context));

    await turn(messaging(ADA, { message: { mid: 'aWdfFB1', text: 'hi' } }, BUSINESS));
    await turn(messaging(ADA, { postback: { mid: 'aWdfFB2', title: 'Opening hours?', payload: 'HOURS' } }, BUSINESS));
    await turn(messaging('2002', { message: { mid: 'm.messenger', text: 'from Messenger' } }, MESSENGER_PAGE));

    expect(seen.map((s) => [s.profile?.name, s.kind, s.text])).to.deep.equal([
      ['Ada Lovelace', 'message', 'hi'],
      ['Ada Lovelace', 'icebreaker', 'HOURS'],
      [undefined, undefined, 'from Messenger'],
    ]);
    // One Graph call: the second turn was served from the cache, the Messenger one never asked Graph.
    expect(calls.count).to.equal(1);
  });

  it('should make no Graph call when no handler asks for the profile', async () => {
    const calls = interceptProfile(agent, ADA, ADA_REPLY);
    const adapter = new FacebookShapedAdapter();
    const controller = new Botkit({ adapter, disable_webserver: true, disable_console: true });
    controller.usePlugin(instagramProfilePlugin(middlewareOptions(agent)));
    let handled = 0;
    controller.on('message', async () => {
      handled++;
    });
    await adapter.deliver(messaging(ADA, { message: { mid: 'aWdfLZ', text: 'hi' } }, BUSINESS), (context) => controller.handleTurn(context));
    expect(handled).to.equal(1);
    expect(calls.count).to.equal(0);
    expect(agent.pendingInterceptors()).to.have.length(1);
  });
});
