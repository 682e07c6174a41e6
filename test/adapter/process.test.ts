import { expect } from 'chai';
import type { Server } from 'node:http';
import sinon from 'sinon';
import type { Activity, TurnContext } from 'botbuilder';
import { InstagramAdapter } from '../../src/adapter/index.js';
import {
  ACCESS_TOKEN,
  APP_SECRET,
  BUSINESS,
  close,
  CUSTOMER,
  deferred,
  delivery,
  get,
  listen,
  messaging,
  nextMid,
  OTHER_CUSTOMER,
  post,
  textItem,
  VERIFY_TOKEN,
} from './helpers.js';

describe('InstagramAdapter.process over Node http', () => {
  let server: Server | undefined;
  let url: string;
  let adapter: InstagramAdapter;
  let seen: Partial<Activity>[];
  let logic: (context: TurnContext) => Promise<void>;

  beforeEach(async () => {
    adapter = new InstagramAdapter({ appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, accessToken: ACCESS_TOKEN });
    seen = [];
    logic = async (context) => {
      seen.push(context.activity);
    };
    ({ server, url } = await listen((req, res) => void adapter.process(req, res, (context) => logic(context))));
  });

  afterEach(async () => {
    await adapter.drain();
    await close(server);
  });

  it('should answer the handshake with the bare challenge when the verify token matches', async () => {
    const reply = await get(`${url}/?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(reply).to.deep.equal({ status: 200, text: '1158201444' });
  });

  it('should refuse the handshake with 403 when the verify token is wrong or missing', async () => {
    expect((await get(`${url}/?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`)).status).to.equal(403);
    expect((await get(`${url}/?hub.mode=subscribe&hub.challenge=1`)).status).to.equal(403);
    expect((await get(`${url}/?hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`)).status).to.equal(403);
  });

  it('should run a turn for a signed message after answering 200', async () => {
    const reply = await post(url, delivery([textItem(CUSTOMER, 'hi')]));
    await adapter.drain();
    expect(reply.status).to.equal(200);
    expect(seen).to.have.length(1);
    expect(seen[0]).to.include({ type: 'message', text: 'hi', channelId: 'instagram' });
  });

  it('should answer 401 and run no turn when the signature is missing, malformed or wrong', async () => {
    const body = delivery([textItem(CUSTOMER, 'hi')]);
    const replies = [
      await post(url, body, { signature: null }),
      await post(url, body, { signature: 'sha1=abc' }),
      await post(url, body, { secret: 'another-secret' }),
    ];
    await adapter.drain();
    expect(replies.map((r) => r.status)).to.deep.equal([401, 401, 401]);
    expect(seen).to.have.length(0);
  });

  it('should answer 400 to a body that is not JSON or has no entry array', async () => {
    expect((await post(url, 'not json{')).status).to.equal(400);
    expect((await post(url, '[1,2]')).status).to.equal(400);
    expect((await post(url, { object: 'instagram' })).status).to.equal(400);
  });

  it('should answer 200 and ignore a delivery whose object is not instagram', async () => {
    const reply = await post(url, { ...delivery([textItem(CUSTOMER, 'hi')]), object: 'page' });
    await adapter.drain();
    expect(reply.status).to.equal(200);
    expect(seen).to.have.length(0);
  });

  it('should answer 413 to a body over maxBodyBytes without running a turn', async () => {
    await adapter.drain();
    await close(server);
    adapter = new InstagramAdapter({ appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, accessToken: ACCESS_TOKEN, maxBodyBytes: 1_024 });
    ({ server, url } = await listen((req, res) => void adapter.process(req, res, logic)));
    const reply = await post(url, delivery([textItem(CUSTOMER, 'x'.repeat(2_000))]));
    expect(reply.status).to.equal(413);
    expect(seen).to.have.length(0);
  });

  it('should answer 405 to other methods', async () => {
    const { request } = await import('undici');
    const reply = await request(url, { method: 'PUT', body: '{}' });
    await reply.body.dump();
    expect(reply.statusCode).to.equal(405);
  });

  it('should acknowledge the webhook before a slow turn finishes', async () => {
    const release = deferred();
    const finished = sinon.spy();
    logic = async () => {
      await release.promise;
      finished();
    };
    const reply = await post(url, delivery([textItem(CUSTOMER, 'slow')]));
    expect(reply.status).to.equal(200);
    expect(finished.called).to.equal(false);
    release.resolve();
    await adapter.drain();
    expect(finished.calledOnce).to.equal(true);
  });

  it('should run one customer’s turns in delivery order and other customers’ turns concurrently', async () => {
    const release = deferred();
    const order: string[] = [];
    logic = async (context) => {
      order.push(`start ${context.activity.text}`);
      if (context.activity.text === 'a1') await release.promise;
      order.push(`end ${context.activity.text}`);
    };
    await post(url, delivery([textItem(CUSTOMER, 'a1'), textItem(CUSTOMER, 'a2'), textItem(OTHER_CUSTOMER, 'b1')]));
    await new Promise((resolve) => setImmediate(resolve));
    // b1 ran to the end while a1 is held; a2 waits for a1.
    expect(order).to.deep.equal(['start a1', 'start b1', 'end b1']);
    release.resolve();
    await adapter.drain();
    expect(order).to.deep.equal(['start a1', 'start b1', 'end b1', 'end a1', 'start a2', 'end a2']);
  });

  it('should run a repeated delivery of one mid once', async () => {
    const body = delivery([textItem(CUSTOMER, 'once', nextMid())]);
    const replies = [await post(url, body), await post(url, body)];
    await adapter.drain();
    expect(replies.map((r) => r.status)).to.deep.equal([200, 200]);
    expect(seen).to.have.length(1);
  });

  it('should run a repeated read receipt once but two different reads twice', async () => {
    const read = messaging(CUSTOMER, { read: { mid: 'aWdfREAD1' } });
    await post(url, delivery([read]));
    await post(url, delivery([read]));
    await post(url, delivery([messaging(CUSTOMER, { read: { mid: 'aWdfREAD2' } })]));
    await adapter.drain();
    expect(seen.map((a) => a.name)).to.deep.equal(['instagram/read', 'instagram/read']);
  });

  it('should run every delivery when dedupe is false', async () => {
    await adapter.drain();
    await close(server);
    adapter = new InstagramAdapter({ appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, accessToken: ACCESS_TOKEN, dedupe: false });
    ({ server, url } = await listen((req, res) => void adapter.process(req, res, logic)));
    const body = delivery([textItem(CUSTOMER, 'twice')]);
    await post(url, body);
    await post(url, body);
    await adapter.drain();
    expect(seen).to.have.length(2);
  });

  it('should hand a turn error to onTurnError and never to the HTTP response', async () => {
    const onTurnError = sinon.spy(async (_context: TurnContext, _error: Error) => undefined);
    adapter.onTurnError = onTurnError;
    logic = async () => {
      throw new Error('handler broke');
    };
    const reply = await post(url, delivery([textItem(CUSTOMER, 'boom')]));
    await adapter.drain();
    expect(reply.status).to.equal(200);
    expect(onTurnError.calledOnce).to.equal(true);
    expect(onTurnError.firstCall.args[1].message).to.equal('handler broke');
  });

  it('should not leave an unhandled rejection when a turn fails without onTurnError', async () => {
    const unhandled = sinon.spy();
    process.on('unhandledRejection', unhandled);
    try {
      logic = async () => {
        throw new Error('nobody catches me');
      };
      const reply = await post(url, delivery([textItem(CUSTOMER, 'boom')]));
      await adapter.drain();
      await new Promise((resolve) => setImmediate(resolve));
      expect(reply.status).to.equal(200);
      expect(unhandled.called).to.equal(false);
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('should run a turn for each of 50 events of one delivery, in order per sender', async () => {
    const items = Array.from({ length: 50 }, (_, i) => textItem(i % 2 ? CUSTOMER : OTHER_CUSTOMER, `m${i}`));
    await post(url, delivery(items));
    await adapter.drain();
    expect(seen).to.have.length(50);
    const texts = (sender: string) => seen.filter((a) => a.from?.id === sender).map((a) => a.text);
    expect(texts(CUSTOMER)).to.deep.equal(items.filter((_, i) => i % 2).map((_, j) => `m${j * 2 + 1}`));
    expect(texts(OTHER_CUSTOMER)).to.deep.equal(items.filter((_, i) => i % 2 === 0).map((_, j) => `m${j * 2}`));
  });

  it('should run turns for standby-only entries, marked standby in channelData', async () => {
    const body = { object: 'instagram', entry: [{ id: BUSINESS, time: 1, standby: [textItem(CUSTOMER, 'held by another app')] }] };
    const reply = await post(url, body);
    await adapter.drain();
    expect(reply.status).to.equal(200);
    expect(seen).to.have.length(1);
    expect(seen[0]?.channelData).to.include({ standby: true, object: 'instagram' });
  });
});
