import { expect } from 'chai';
import { request } from 'undici';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { appSecretProof } from '../../src/platform/signatures.js';
import { startReceiver } from './receiver.js';

describe('Emulator access tokens: query parameter or Authorization header', () => {
  let emulator: Emulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let igsid: string;

  beforeEach(async () => {
    receiver = await startReceiver();
    emulator = await startEmulator({ webhookUrl: receiver.url, accessTokens: { OLD: { expired: true } } });
    const persona = emulator.persona('follower');
    igsid = persona.igsid;
    await persona.sends('hi');
  });

  afterEach(async () => {
    await emulator.close();
    await receiver.close();
  });

  async function profile({ query = {}, authorization }: { query?: Record<string, string>; authorization?: string } = {}) {
    const params = new URLSearchParams({ fields: 'name', ...query });
    const response = await request(`${emulator.url}/v26.0/${igsid}?${params}`, { headers: authorization ? { authorization } : {} });
    return { status: response.statusCode, json: (await response.body.json()) as any };
  }

  async function send({ query = {}, authorization }: { query?: Record<string, string>; authorization?: string } = {}) {
    const response = await request(`${emulator.url}/v26.0/me/messages?${new URLSearchParams(query)}`, {
      method: 'POST',
      body: JSON.stringify({ recipient: { id: igsid }, message: { text: 'Hello' } }),
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    });
    return { status: response.statusCode, json: (await response.body.json()) as any };
  }

  for (const [route, call] of [['profile', profile], ['Send API', send]] as const) {
    describe(route, () => {
      it('should accept the token as the access_token query parameter', async () => {
        expect((await call({ query: { access_token: emulator.accessToken } })).status).to.equal(200);
      });

      it('should accept the token in an Authorization: Bearer header, and as OAuth', async () => {
        expect((await call({ authorization: `Bearer ${emulator.accessToken}` })).status).to.equal(200);
        expect((await call({ authorization: `OAuth ${emulator.accessToken}` })).status).to.equal(200);
      });

      it('should answer 190 for a wrong token in either place, and 190/463 for an expired one in the header', async () => {
        const inQuery = await call({ query: { access_token: 'WRONG' } });
        const inHeader = await call({ authorization: 'Bearer WRONG' });
        const expired = await call({ authorization: 'Bearer OLD' });
        expect([inQuery.status, inHeader.status]).to.deep.equal([400, 400]);
        expect(inQuery.json.error).to.include({ code: 190 });
        expect(inHeader.json.error).to.include({ code: 190 });
        expect(expired.json.error).to.include({ code: 190, error_subcode: 463 });
      });

      it('should answer 104 when neither carries a token, and ignore other schemes', async () => {
        expect((await call()).json.error).to.include({ code: 104 });
        expect((await call({ authorization: `Basic ${emulator.accessToken}` })).json.error).to.include({ code: 104 });
      });
    });
  }

  it('should check appsecret_proof against the token from the header', async () => {
    await emulator.close();
    emulator = await startEmulator({ requireProof: true, webhookUrl: receiver.url });
    await emulator.persona('follower').sends('hi');
    const time = Math.floor(Date.now() / 1000);
    const good = await profile({ authorization: `Bearer ${emulator.accessToken}`, query: { appsecret_proof: appSecretProof(emulator.accessToken, emulator.appSecret, time), appsecret_time: String(time) } });
    const forOther = await profile({ authorization: `Bearer ${emulator.accessToken}`, query: { appsecret_proof: appSecretProof('OTHER', emulator.appSecret, time), appsecret_time: String(time) } });
    expect(good.status).to.equal(200);
    expect(forOther.json.error).to.include({ code: 100 });
  });
});
