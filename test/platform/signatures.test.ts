import { expect } from 'chai';
import sinon from 'sinon';
import crypto, { createHmac } from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { appSecretProof, verifyWebhookSignature, webhookSignature } from '../../src/platform/signatures.js';

const SECRET = 'app-secret';
const BODY = Buffer.from('{"object":"instagram","entry":[{"id":"1","messaging":[{"message":{"text":"caf\\u00e9 \\ud83d\\ude00"}}]}]}');
const hex = createHmac('sha256', SECRET).update(BODY).digest('hex');

describe('platform/signatures', () => {
  describe('appSecretProof', () => {
    it('should be hex HMAC-SHA256 of token|time keyed by the app secret', () => {
      expect(appSecretProof('token', SECRET, 1_700_000_000)).to.equal(createHmac('sha256', SECRET).update('token|1700000000').digest('hex'));
    });

    it('should change with the time and with the token', () => {
      const proofs = new Set([appSecretProof('token', SECRET, 1), appSecretProof('token', SECRET, 2), appSecretProof('token2', SECRET, 1)]);
      expect(proofs.size).to.equal(3);
      expect(appSecretProof('token', SECRET, 1)).to.match(/^[0-9a-f]{64}$/);
    });
  });

  describe('webhookSignature', () => {
    it('should be sha256= and the hex HMAC of the raw bytes, for bytes or a string alike', () => {
      expect(webhookSignature(BODY, SECRET)).to.equal(`sha256=${hex}`);
      expect(webhookSignature(BODY.toString('utf8'), SECRET)).to.equal(`sha256=${hex}`);
    });
  });

  describe('verifyWebhookSignature', () => {
    afterEach(() => {
      sinon.restore();
      syncBuiltinESMExports();
    });

    it('should accept the signature Meta sends', () => {
      expect(verifyWebhookSignature(BODY, `sha256=${hex}`, SECRET)).to.equal(true);
      expect(verifyWebhookSignature(new Uint8Array(BODY), ` sha256=${hex}\n`, SECRET)).to.equal(true);
    });

    it('should accept hex digits in upper case, which are the same bytes', () => {
      expect(verifyWebhookSignature(BODY, `sha256=${hex.toUpperCase()}`, SECRET)).to.equal(true);
    });

    it('should refuse a signature of other bytes or with another secret', () => {
      expect(verifyWebhookSignature(Buffer.from(`${BODY.toString()} `), `sha256=${hex}`, SECRET)).to.equal(false);
      expect(verifyWebhookSignature(Buffer.from(JSON.stringify(JSON.parse(BODY.toString()))), `sha256=${hex}`, SECRET)).to.equal(false);
      expect(verifyWebhookSignature(BODY, `sha256=${hex}`, 'other-secret')).to.equal(false);
    });

    const flipped = `${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`;
    const malformed: Array<[string, unknown]> = [
      ['a last digit changed', `sha256=${flipped}`],
      ['one digit short', `sha256=${hex.slice(1)}`],
      ['one digit long', `sha256=${hex}0`],
      ['twice the length', `sha256=${hex}${hex}`],
      ['the prefix in upper case', `SHA256=${hex}`],
      ['the SHA-1 prefix', `sha1=${hex}`],
      ['no prefix', hex],
      ['an empty value', ''],
      ['a non-hex digit', `sha256=${hex.slice(0, -1)}g`],
      ['a space inside', `sha256= ${hex}`],
      ['two headers', [`sha256=${hex}`]],
      ['no header', undefined],
      ['a number', 42],
    ];
    for (const [label, header] of malformed) {
      it(`should refuse ${label}`, () => {
        expect(verifyWebhookSignature(BODY, header, SECRET)).to.equal(false);
      });
    }

    it('should compare in constant time, and refuse a malformed header without comparing', () => {
      const compare = sinon.spy(crypto, 'timingSafeEqual');
      syncBuiltinESMExports();
      verifyWebhookSignature(BODY, `sha256=${flipped}`, SECRET);
      expect(compare.callCount).to.equal(1);
      verifyWebhookSignature(BODY, `sha256=${hex.slice(2)}`, SECRET);
      verifyWebhookSignature(BODY, `SHA256=${hex}`, SECRET);
      expect(compare.callCount).to.equal(1);
    });
  });
});
