import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDeauthorizeHandler, createDeletionHandler, parseSignedRequest } from '../../src/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

describe("the emulator's app callbacks (data deletion, deauthorize)", () => {
  let emulator: Emulator;
  let server: Server;
  let base: string;
  const purged: string[] = [];
  const profiles = { forgetBusiness: async (businessId: string) => void purged.push(businessId) };

  before(async () => {
    emulator = await startEmulator({ now: () => Date.UTC(2026, 10, 25) });
    const deletion = createDeletionHandler({ appSecret: emulator.appSecret, profiles, statusUrl: 'https://bot.example/deletion-status' });
    const deauthorize = createDeauthorizeHandler({ appSecret: emulator.appSecret, profiles });
    server = createServer((req, res) => void (req.url?.startsWith('/deletion') ? deletion(req, res) : deauthorize(req, res)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.close();
    await emulator.close();
  });

  beforeEach(() => void (purged.length = 0));

  it("should post a deletion callback signed with the app secret, naming the business, and return the bot's confirmation", async () => {
    const reply = await emulator.sendDeletionCallback(`${base}/deletion`);
    expect(reply.status).to.equal(200);
    const body = reply.body as { url: string; confirmation_code: string };
    expect(body.confirmation_code).to.match(/^[0-9a-f]{32}$/);
    expect(body.url).to.equal(`https://bot.example/deletion-status?code=${body.confirmation_code}`);
    expect(purged).to.deep.equal([emulator.businessId]);
  });

  it('should post a deauthorize callback for another user id when asked', async () => {
    const reply = await emulator.sendDeauthorizeCallback(`${base}/deauthorize`, { userId: '17841499999999999' });
    expect(reply.status).to.equal(200);
    expect(purged).to.deep.equal(['17841499999999999']);
  });

  it('should sign what parseSignedRequest accepts, with issued_at in seconds', async () => {
    let seen: unknown;
    const capture = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        seen = parseSignedRequest(new URLSearchParams(text).get('signed_request'), emulator.appSecret);
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
    await emulator.sendDeletionCallback(`http://127.0.0.1:${(capture.address() as AddressInfo).port}/`);
    capture.close();
    expect(seen).to.deep.include({ ok: true });
    expect((seen as { payload: { userId: string; issuedAt: number } }).payload).to.include({ userId: emulator.businessId, issuedAt: Date.UTC(2026, 10, 25) / 1000 });
  });
});
