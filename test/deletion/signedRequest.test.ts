import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { InstagramProfileError } from '../../src/errors.js';
import { createSignedRequest, MAX_SIGNED_REQUEST_LENGTH, parseSignedRequest, SignedRequestError } from '../../src/deletion/index.js';
import { APP_SECRET, USER } from './helpers.js';

/** Meta's documented example payload, signed by hand (the way PHP's sample does), not by our own helper. */
function signedByHand(payload: object, secret = APP_SECRET, { padded = false } = {}): string {
  const encodedPayload = Buffer.from(JSON.stringify(payload)).toString('base64url');
  let signature = createHmac('sha256', secret).update(encodedPayload).digest('base64url');
  if (padded) signature += '=';
  return `${signature}.${encodedPayload}`;
}

function codeOf(value: unknown, secret = APP_SECRET): string | undefined {
  const result = parseSignedRequest(value, secret);
  return result.ok ? undefined : result.error.code;
}

describe('parseSignedRequest', () => {
  it("should accept Meta's documented payload and return its user id, time and algorithm", () => {
    const raw = { algorithm: 'HMAC-SHA256', expires: 1291840400, issued_at: 1291836800, user_id: '218471' };
    const result = parseSignedRequest(signedByHand(raw), APP_SECRET);
    expect(result).to.deep.equal({ ok: true, payload: { userId: '218471', issuedAt: 1291836800, algorithm: 'HMAC-SHA256', raw } });
  });

  it('should accept a signature that keeps its base64 padding, as Meta sometimes sends it', () => {
    expect(parseSignedRequest(signedByHand({ algorithm: 'HMAC-SHA256', user_id: USER }, APP_SECRET, { padded: true }), APP_SECRET).ok).to.equal(true);
  });

  it('should accept the algorithm in any case and a numeric user_id', () => {
    const result = parseSignedRequest(signedByHand({ algorithm: 'hmac-sha256', user_id: 218471 }), APP_SECRET);
    expect(result.ok && result.payload).to.deep.include({ userId: '218471', algorithm: 'hmac-sha256', issuedAt: undefined });
  });

  it('should agree with createSignedRequest, which the tests and the emulator use', () => {
    const result = parseSignedRequest(createSignedRequest({ user_id: USER, issued_at: 1_700_000_000 }, APP_SECRET), APP_SECRET);
    expect(result.ok && result.payload.userId).to.equal(USER);
    expect(parseSignedRequest(createSignedRequest({ user_id: USER }, 'another secret'), APP_SECRET).ok).to.equal(false);
  });

  it('should refuse a request signed with another secret as SIGNED_REQUEST_BAD_SIGNATURE', () => {
    expect(codeOf(signedByHand({ algorithm: 'HMAC-SHA256', user_id: USER }, 'not-the-secret'))).to.equal('SIGNED_REQUEST_BAD_SIGNATURE');
  });

  it('should refuse a forged payload under a genuine signature', () => {
    const genuine = signedByHand({ algorithm: 'HMAC-SHA256', user_id: USER });
    const forgedPayload = Buffer.from(JSON.stringify({ algorithm: 'HMAC-SHA256', user_id: '999' })).toString('base64url');
    expect(codeOf(`${genuine.split('.')[0]}.${forgedPayload}`)).to.equal('SIGNED_REQUEST_BAD_SIGNATURE');
  });

  it('should refuse a signature that differs in its first or its last byte', () => {
    const [signature, payload] = signedByHand({ algorithm: 'HMAC-SHA256', user_id: USER }).split('.') as [string, string];
    const bytes = Buffer.from(signature, 'base64url');
    for (const index of [0, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[index]! ^= 1;
      expect(codeOf(`${altered.toString('base64url')}.${payload}`), `byte ${index}`).to.equal('SIGNED_REQUEST_BAD_SIGNATURE');
    }
  });

  it('should refuse signatures of another length without comparing (timingSafeEqual would throw)', () => {
    const [signature, payload] = signedByHand({ algorithm: 'HMAC-SHA256', user_id: USER }).split('.') as [string, string];
    const bytes = Buffer.from(signature, 'base64url');
    const lengths = { truncated: bytes.subarray(0, 31), extended: Buffer.concat([bytes, Buffer.from([0])]), sha512Sized: Buffer.concat([bytes, bytes]), oneByte: bytes.subarray(0, 1) };
    for (const [name, wrong] of Object.entries(lengths)) {
      expect(() => parseSignedRequest(`${wrong.toString('base64url')}.${payload}`, APP_SECRET), name).not.to.throw();
      expect(codeOf(`${wrong.toString('base64url')}.${payload}`), name).to.equal('SIGNED_REQUEST_BAD_SIGNATURE');
    }
  });

  it('should refuse truncated and malformed values as SIGNED_REQUEST_INVALID', () => {
    const good = signedByHand({ algorithm: 'HMAC-SHA256', user_id: USER });
    const [signature, payload] = good.split('.') as [string, string];
    const cases: Record<string, unknown> = {
      'no dot': signature,
      'empty payload': `${signature}.`,
      'empty signature': `.${payload}`,
      'three parts': `${good}.${payload}`,
      'standard base64 alphabet': `${signature}.${payload}+/`,
      'spaces': `${signature}. ${payload}`,
      'empty string': '',
      'not a string': 42,
      'undefined': undefined,
    };
    for (const [name, value] of Object.entries(cases)) expect(codeOf(value), name).to.equal('SIGNED_REQUEST_INVALID');
  });

  it('should refuse a truncated payload, whose signature then no longer matches', () => {
    const good = signedByHand({ algorithm: 'HMAC-SHA256', user_id: USER });
    expect(codeOf(good.slice(0, -4))).to.equal('SIGNED_REQUEST_BAD_SIGNATURE');
  });

  it('should refuse a signed payload that is not a JSON object, or names no valid user', () => {
    const cases = {
      'not JSON': Buffer.from('not json').toString('base64url'),
      'an array': Buffer.from('[1]').toString('base64url'),
    };
    for (const [name, encoded] of Object.entries(cases)) {
      const signature = createHmac('sha256', APP_SECRET).update(encoded).digest('base64url');
      expect(codeOf(`${signature}.${encoded}`), name).to.equal('SIGNED_REQUEST_INVALID');
    }
    for (const userId of [undefined, '', '12a', '../1', -5, 1.5, '1'.repeat(40)]) {
      expect(codeOf(signedByHand({ algorithm: 'HMAC-SHA256', user_id: userId })), String(userId)).to.equal('SIGNED_REQUEST_INVALID');
    }
  });

  it('should refuse another or a missing algorithm as SIGNED_REQUEST_UNSUPPORTED_ALGORITHM, even when signed', () => {
    for (const algorithm of ['HMAC-SHA1', 'none', '', undefined, 256]) {
      expect(codeOf(signedByHand({ algorithm, user_id: USER })), String(algorithm)).to.equal('SIGNED_REQUEST_UNSUPPORTED_ALGORITHM');
    }
  });

  it('should refuse a value over 8 KiB as SIGNED_REQUEST_TOO_LARGE, and accept one just under', () => {
    const huge = signedByHand({ algorithm: 'HMAC-SHA256', user_id: USER, padding: 'x'.repeat(MAX_SIGNED_REQUEST_LENGTH) });
    expect(huge.length).to.be.greaterThan(MAX_SIGNED_REQUEST_LENGTH);
    expect(codeOf(huge)).to.equal('SIGNED_REQUEST_TOO_LARGE');
    const justFits = signedByHand({ algorithm: 'HMAC-SHA256', user_id: USER, padding: 'x'.repeat(6_000) });
    expect(justFits.length).to.be.at.most(MAX_SIGNED_REQUEST_LENGTH);
    expect(parseSignedRequest(justFits, APP_SECRET).ok).to.equal(true);
  });

  it('should give a typed error of the package, whose message holds neither the value nor the secret', () => {
    const value = signedByHand({ algorithm: 'HMAC-SHA256', user_id: USER }, 'wrong-secret');
    const result = parseSignedRequest(value, APP_SECRET);
    expect(result.ok).to.equal(false);
    const { error } = result as { ok: false; error: SignedRequestError };
    expect(error).to.be.instanceOf(SignedRequestError).and.instanceOf(InstagramProfileError);
    expect(error.name).to.equal('SignedRequestError');
    const printed = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
    for (const secret of [APP_SECRET, value, value.split('.')[0]!, value.split('.')[1]!]) expect(printed).not.to.include(secret);
  });
});
