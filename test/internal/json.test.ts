import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { arrayOf, finiteNumber, isRecord, nonEmptyString, parseJson } from '../../src/internal/json.js';
import { readBounded } from '../../src/internal/readBounded.js';

describe('internal JSON guards', () => {
  it('should tell plain objects from null, arrays and other values', () => {
    expect([{}, { a: 1 }].map(isRecord)).to.deep.equal([true, true]);
    expect([null, [], 'x', 1, undefined].map(isRecord)).to.deep.equal([false, false, false, false, false]);
  });

  it('should parse text and UTF-8 bytes, and give undefined for anything that is not JSON', () => {
    expect(parseJson('{"a":1}')).to.deep.equal({ a: 1 });
    expect(parseJson(Buffer.from('["é"]'))).to.deep.equal(['é']);
    expect(parseJson(new Uint8Array(Buffer.from('true')).subarray(0, 4))).to.equal(true);
    expect(parseJson('{"a":')).to.equal(undefined);
    expect(parseJson('')).to.equal(undefined);
  });

  it('should keep only non-empty strings, finite numbers and arrays', () => {
    expect([nonEmptyString('x'), nonEmptyString(''), nonEmptyString(1)]).to.deep.equal(['x', undefined, undefined]);
    expect([finiteNumber(1.5), finiteNumber(Number.NaN), finiteNumber(Infinity), finiteNumber('1')]).to.deep.equal([1.5, undefined, undefined, undefined]);
    expect([arrayOf([1]), arrayOf({ length: 1 }), arrayOf(undefined)]).to.deep.equal([[1], [], []]);
  });
});

describe('readBounded', () => {
  it('should read a body in chunks, strings included, up to the limit', async () => {
    const stream = new PassThrough();
    const reading = readBounded(stream, { maxBytes: 10 });
    stream.write('01234');
    stream.end(Buffer.from('56789'));
    expect(await reading).to.deep.equal({ ok: true, bytes: Buffer.from('0123456789') });
  });

  it('should stop listening as soon as the limit is passed, leaving the stream to its caller', async () => {
    const stream = new PassThrough();
    const reading = readBounded(stream, { maxBytes: 4 });
    stream.write('01234');
    expect(await reading).to.deep.equal({ ok: false, reason: 'too-large' });
    expect(stream.listenerCount('data')).to.equal(0);
    stream.destroy();
  });

  it('should say timeout when the body does not arrive in time, and error when the stream fails', async () => {
    const slow = new PassThrough();
    expect(await readBounded(slow, { maxBytes: 10, timeoutMs: 5 })).to.deep.equal({ ok: false, reason: 'timeout' });
    const broken = new PassThrough();
    const reading = readBounded(broken, { maxBytes: 10 });
    broken.destroy(new Error('reset'));
    const result = await reading;
    expect(result).to.include({ ok: false, reason: 'error' });
  });
});
