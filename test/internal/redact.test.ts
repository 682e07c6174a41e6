import { expect } from 'chai';
import { inspect } from 'node:util';
import { createRedactor, redactError } from '../../src/internal/redact.js';

const TOKEN = 'EAAtoken123';
const SECRET = 'app-secret-xyz';

describe('internal/redact', () => {
  describe('createRedactor', () => {
    const redact = createRedactor([TOKEN, SECRET, undefined]);

    it('should replace every occurrence of every secret', () => {
      expect(redact(`a ${TOKEN} b ${SECRET} c ${TOKEN}`)).to.equal('a [redacted] b [redacted] c [redacted]');
    });

    it('should replace the URL-encoded form of a secret', () => {
      const odd = 'IGQV/a+b=c|d';
      expect(createRedactor([odd])(`?access_token=${encodeURIComponent(odd)}&x=${odd}`)).to.equal('?access_token=[redacted]&x=[redacted]');
    });

    it('should replace the form encoding URLSearchParams gives a secret (space as +, !\'()~ escaped)', () => {
      const odd = "tok en!'()~*";
      const form = new URLSearchParams({ access_token: odd }).toString();
      expect(form).not.to.include(encodeURIComponent(odd)); // a form of its own, so the test can fail
      expect(createRedactor([odd])(`POST /me/messages?${form}`)).to.equal('POST /me/messages?access_token=[redacted]');
    });

    it('should remove a secret that contains another one whole', () => {
      expect(createRedactor(['abcd', 'abcdefgh'])('x abcdefgh y abcd')).to.equal('x [redacted] y [redacted]');
    });

    it('should leave text without secrets unchanged', () => {
      expect(redact('nothing to see')).to.equal('nothing to see');
    });

    it('should ignore secrets shorter than 4 characters, which would shred ordinary text', () => {
      expect(createRedactor(['ab', '', undefined])('ab cab')).to.equal('ab cab');
    });

    it('should be the identity without secrets', () => {
      expect(createRedactor([])(`${TOKEN}`)).to.equal(TOKEN);
    });
  });

  describe('redactError', () => {
    const redact = createRedactor([TOKEN, SECRET]);

    it('should return an error that holds no secret as it is', () => {
      const error = Object.assign(new Error('clean', { cause: new Error('also clean') }), { code: 'ECONNRESET', socket: { remote: '127.0.0.1' } });
      expect(redactError(error, redact)).to.equal(error);
    });

    it('should return non-errors without secrets as they are, and redact strings', () => {
      expect(redactError(42, redact)).to.equal(42);
      expect(redactError(undefined, redact)).to.equal(undefined);
      expect(redactError(`x ${TOKEN}`, redact)).to.equal('x [redacted]');
    });

    it('should copy an error whose message holds a secret, keeping name, code and numbers', () => {
      const error = Object.assign(new TypeError(`bad ${TOKEN}`), { code: 'E_TOKEN', errno: -104, fatal: true });
      const copy = redactError(error, redact) as Error & { code: string; errno: number; fatal: boolean };
      expect(copy).not.to.equal(error);
      expect(copy).to.include({ name: 'TypeError', message: 'bad [redacted]', code: 'E_TOKEN', errno: -104, fatal: true });
      expect(copy.stack).to.include('bad [redacted]').and.not.include(TOKEN);
    });

    it('should copy an error whose only secret is in a cause, a property or a symbol-keyed property', () => {
      const inCause = new Error('clean', { cause: new Error(`deep ${SECRET}`) });
      const inProperty = Object.assign(new Error('clean'), { url: `https://x/?access_token=${TOKEN}` });
      const inSymbol = Object.assign(new Error('clean'), { [Symbol('request')]: { path: `/?t=${TOKEN}` } });
      for (const error of [inCause, inProperty, inSymbol]) {
        const copy = redactError(error, redact);
        expect(copy).not.to.equal(error);
        const printed = inspect(copy, { depth: 10, showHidden: true });
        expect(printed).not.to.include(TOKEN).and.not.include(SECRET);
      }
      expect(((redactError(inCause, redact) as Error).cause as Error).message).to.equal('deep [redacted]');
      expect(redactError(inProperty, redact)).to.include({ url: 'https://x/?access_token=[redacted]' });
    });

    it('should drop object properties of a copied error, which may hold anything', () => {
      const error = Object.assign(new Error(`bad ${TOKEN}`), { request: { headers: { authorization: TOKEN } } });
      expect(redactError(error, redact)).not.to.have.property('request');
    });

    it('should replace a non-error cause holding a secret', () => {
      const error = new Error('clean', { cause: { token: TOKEN } });
      expect((redactError(error, redact) as Error).cause).to.equal('[redacted]');
    });

    it('should survive a cycle of causes and keep the copy finite', () => {
      const a = new Error(`a ${TOKEN}`);
      const b = new Error('b', { cause: a });
      a.cause = b;
      const printed = inspect(redactError(a, redact), { depth: 20, showHidden: true });
      expect(printed).not.to.include(TOKEN);
    });

    it('should copy an error whose property getter throws, rather than trust it', () => {
      const error = new Error('clean');
      Object.defineProperty(error, 'detail', { get: () => { throw new Error('nope'); }, enumerable: true });
      const copy = redactError(error, redact);
      expect(copy).not.to.equal(error);
      expect(copy).to.include({ message: 'clean' });
    });
  });
});
