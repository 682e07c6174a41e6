import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { parseJson, readBodyText } from '../../src/graph/readBody.js';

type Body = Parameters<typeof readBodyText>[0];
const bodyOf = (...chunks: Buffer[]) => {
  const stream = new PassThrough();
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  return stream;
};

describe('graph/readBody', () => {
  describe('readBodyText', () => {
    it('should read every chunk as UTF-8, characters split across chunks included', async () => {
      const bytes = Buffer.from('{"name":"Zoë 😀"}');
      const split = bytes.indexOf(0xf0) + 2; // inside the emoji
      expect(await readBodyText(bodyOf(bytes.subarray(0, split), bytes.subarray(split)) as unknown as Body, 1_024)).to.equal('{"name":"Zoë 😀"}');
    });

    it('should read an empty body as an empty string', async () => {
      expect(await readBodyText(bodyOf() as unknown as Body, 1_024)).to.equal('');
    });

    it('should read a body of exactly the limit', async () => {
      expect(await readBodyText(bodyOf(Buffer.alloc(10, 'a')) as unknown as Body, 10)).to.equal('a'.repeat(10));
    });

    it('should answer undefined past the limit and destroy the body instead of buffering it', async () => {
      const body = new PassThrough();
      const reading = readBodyText(body as unknown as Body, 10);
      body.write(Buffer.alloc(6));
      body.write(Buffer.alloc(6));
      expect(await reading).to.equal(undefined);
      expect(body.destroyed).to.equal(true);
    });

    it('should reject when the body fails', async () => {
      const body = new PassThrough();
      const reading = readBodyText(body as unknown as Body, 10);
      const failure = new Error('other side closed');
      body.destroy(failure);
      try {
        await reading;
        expect.fail('should have rejected');
      } catch (error) {
        expect(error).to.equal(failure);
      }
    });
  });

  describe('parseJson', () => {
    it('should parse JSON and answer undefined for anything else', () => {
      expect(parseJson('{"a":[1]}')).to.deep.equal({ a: [1] });
      expect(parseJson('null')).to.equal(null);
      for (const text of ['', '{', '<html>', 'undefined', "{'a':1}"]) expect(parseJson(text), text).to.equal(undefined);
    });
  });
});
