import { expect } from 'chai';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import type { Activity } from 'botbuilder';
import { InstagramAdapter } from '../../src/adapter/index.js';
import { ACCESS_TOKEN, APP_SECRET, close, CUSTOMER, delivery, get, post, textItem, VERIFY_TOKEN } from './helpers.js';

type RawRequest = express.Request & { rawBody?: Buffer };

function newAdapter() {
  return new InstagramAdapter({ appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, accessToken: ACCESS_TOKEN });
}

async function listenExpress(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/instagram` };
}

describe('InstagramAdapter with Express and Restify', () => {
  let server: Server | undefined;
  let adapter: InstagramAdapter;
  let seen: Partial<Activity>[];
  const logic = async (context: { activity: Partial<Activity> }) => {
    seen.push(context.activity);
  };

  beforeEach(() => {
    adapter = newAdapter();
    seen = [];
  });

  afterEach(async () => {
    await adapter.drain();
    await close(server);
    server = undefined;
  });

  async function expressWith(...middlewares: express.RequestHandler[]) {
    const app = express();
    for (const middleware of middlewares) app.use(middleware);
    app.all('/api/instagram', (req, res) => adapter.process(req, res, logic));
    const started = await listenExpress(app);
    server = started.server;
    return started.url;
  }

  it('should work on Express mounted before any body parser (handshake and message)', async () => {
    const url = await expressWith();
    expect(await get(`${url}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=42`)).to.deep.equal({ status: 200, text: '42' });
    expect((await post(url, delivery([textItem(CUSTOMER, 'hello express')]))).status).to.equal(200);
    await adapter.drain();
    expect(seen.map((a) => a.text)).to.deep.equal(['hello express']);
  });

  it('should work after express.json() when it keeps the raw bytes in req.rawBody', async () => {
    const url = await expressWith(express.json({ verify: (req, _res, buf) => void ((req as RawRequest).rawBody = buf) }));
    // Non-ASCII escaped the way Meta sends it: re-serialising the parsed body would not match the signature.
    const raw = JSON.stringify(delivery([textItem(CUSTOMER, 'caf\u00e9')])).replace('café', 'caf\\u00e9');
    expect((await post(url, raw)).status).to.equal(200);
    await adapter.drain();
    expect(seen.map((a) => a.text)).to.deep.equal(['café']);
  });

  it('should work after express.raw() which leaves a Buffer body', async () => {
    const url = await expressWith(express.raw({ type: '*/*' }));
    expect((await post(url, delivery([textItem(CUSTOMER, 'raw')]))).status).to.equal(200);
    await adapter.drain();
    expect(seen).to.have.length(1);
  });

  it('should answer 401 after express.json() without rawBody, since the signed bytes are gone', async () => {
    const url = await expressWith(express.json());
    expect((await post(url, delivery([textItem(CUSTOMER, 'lost bytes')]))).status).to.equal(401);
    await adapter.drain();
    expect(seen).to.have.length(0);
  });

  it('should work on Restify with and without its body parser', async () => {
    for (const withParser of [false, true]) {
      const app = restify.createServer();
      if (withParser) app.use(restify.plugins.bodyParser());
      // Restify wants async handlers of exactly (req, res).
      const handler = async (req: restify.Request, res: restify.Response) => adapter.process(req, res, logic);
      app.post('/api/instagram', handler);
      app.get('/api/instagram', handler);
      await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', () => resolve()));
      server = app.server;
      const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}/api/instagram`;
      expect(await get(`${url}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=7`)).to.deep.equal({ status: 200, text: '7' });
      expect((await post(url, delivery([textItem(CUSTOMER, `restify ${withParser}`)]))).status).to.equal(200);
      expect((await post(url, delivery([textItem(CUSTOMER, 'forged')]), { secret: 'wrong-secret' })).status).to.equal(401);
      await adapter.drain();
      await close(server);
    }
    expect(seen.map((a) => a.text)).to.deep.equal(['restify false', 'restify true']);
  });
});
