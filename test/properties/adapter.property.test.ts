import { expect } from 'chai';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { InstagramAdapter } from '../../src/adapter/index.js';
import { InstagramAgentsAdapter } from '../../src/agents/index.js';
import { RUNS } from './runs.js';

const SECRET = 'fuzz-app-secret';
const sign = (body: Buffer) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

function response() {
  const res = { statusCode: 0, headersSent: false, setHeader: () => undefined, end: () => void (res.headersSent = true) };
  return res;
}

/** Webhook-like JSON, often nearly right, and arbitrary bytes. */
const body = fc.oneof(
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
  fc
    .record({ object: fc.oneof(fc.constant('instagram'), fc.string()), entry: fc.oneof(fc.array(fc.anything()), fc.anything()) }, { requiredKeys: [] })
    .map((v) => Buffer.from(JSON.stringify(v))),
  fc.uint8Array({ maxLength: 1_500 }).map((a) => Buffer.from(a)),
);
const headers = fc.dictionary(fc.constantFrom('x-hub-signature-256', 'content-type', 'content-length', 'x-hub-signature'), fc.string(), { maxKeys: 4 });

const adapters = {
  botbuilder: (options: ConstructorParameters<typeof InstagramAdapter>[0]) => new InstagramAdapter(options),
  agents: (options: ConstructorParameters<typeof InstagramAgentsAdapter>[0]) => new InstagramAgentsAdapter(options),
};

for (const [name, make] of Object.entries(adapters)) describe(`webhook adapter, ${name} (property)`, function () {
  this.timeout(600_000);

  it('should answer only 200, 400, 401, 403 or 413, and run no turn without a valid signature', async () => {
    const adapter = make({ appSecret: SECRET, verifyToken: 'verify', accessToken: 'token', graphUrl: 'http://127.0.0.1:9', maxBodyBytes: 1_024 });
    let turns = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST'), body, headers, fc.boolean(), fc.string(), async (method, bytes, extra, signed, query) => {
        const before = turns;
        const res = response();
        const req = { method, url: `/webhook?${query}`, headers: { ...extra, ...(signed ? { 'x-hub-signature-256': sign(bytes) } : {}) }, rawBody: bytes };
        await adapter.process(req, res, async () => void turns++);
        await adapter.drain();
        expect([200, 400, 401, 403, 413]).to.include(res.statusCode);
        if (!signed || method === 'GET') expect(turns).to.equal(before);
        return true;
      }),
      { numRuns: RUNS },
    );
  });
});
