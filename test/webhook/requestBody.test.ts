import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import sinon from 'sinon';
import { readRawBody } from '../../src/webhook/requestBody.js';

function streamRequest(headers: Record<string, string> = {}) {
  return Object.assign(new PassThrough(), { headers, method: 'POST', url: '/' });
}

describe('readRawBody', () => {
  afterEach(() => sinon.restore());

  it('should prefer req.rawBody, then a Buffer or string req.body, over the stream', async () => {
    expect(await readRawBody({ headers: {}, rawBody: Buffer.from('{"a":1}'), body: { a: 1 } }, 100, 10)).to.deep.equal({ ok: true, bytes: Buffer.from('{"a":1}') });
    expect(await readRawBody({ headers: {}, rawBody: '{"b":2}' }, 100, 10)).to.deep.equal({ ok: true, bytes: Buffer.from('{"b":2}') });
    expect(await readRawBody({ headers: {}, body: Buffer.from('xyz') }, 100, 10)).to.deep.equal({ ok: true, bytes: Buffer.from('xyz') });
  });

  it('should refuse with 401 when only a parsed object is left', async () => {
    const result = await readRawBody({ headers: {}, body: { object: 'instagram' }, readableEnded: true }, 100, 10);
    expect(result).to.include({ ok: false, status: 401 });
    expect((result as { reason: string }).reason).to.match(/before body parsers|rawBody/);
  });

  it('should refuse with 413 as soon as a chunked body passes the limit', async () => {
    const req = streamRequest();
    const pending = readRawBody(req, 10, 1_000);
    req.write('0123456789');
    req.write('abc');
    expect(await pending).to.include({ ok: false, status: 413 });
  });

  it('should refuse with 413 from Content-Length alone, before reading', async () => {
    const read = sinon.spy();
    const req = Object.assign(streamRequest({ 'content-length': '5000' }), {});
    req.on('data', read);
    expect(await readRawBody(req, 1_024, 1_000)).to.include({ ok: false, status: 413 });
    expect(read.called).to.equal(false);
  });

  it('should refuse with 408 when the body does not arrive in time', async () => {
    const clock = sinon.useFakeTimers();
    const req = streamRequest();
    const pending = readRawBody(req, 1_024, 10_000);
    req.write('{"partial":');
    await clock.tickAsync(10_000);
    expect(await pending).to.include({ ok: false, status: 408 });
  });

  it('should return the exact bytes of a streamed body', async () => {
    const req = streamRequest();
    const pending = readRawBody(req, 1_024, 1_000);
    req.end(Buffer.from('{"x":"\\u00e9"}'));
    expect(await pending).to.deep.equal({ ok: true, bytes: Buffer.from('{"x":"\\u00e9"}') });
  });
});
