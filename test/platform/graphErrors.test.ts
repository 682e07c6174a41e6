import { expect } from 'chai';
import {
  AccessTokenError,
  ConsentRequiredError,
  GraphApiError,
  type GraphErrorBody,
  PermissionError,
  ProfileNotFoundError,
  RateLimitError,
} from '../../src/errors.js';
import { graphErrorFrom, isTransientGraphError, readErrorEnvelope, retryClassOf } from '../../src/platform/graphErrors.js';

type ErrorClass = abstract new (...args: never[]) => GraphApiError;
const body = (code: number, extra: Partial<GraphErrorBody> = {}): GraphErrorBody => ({ message: `m${code}`, code, ...extra });

/** [code, subcode, message, class, transient as HTTP 400, transient as HTTP 500] */
const CLASSIFICATION: Array<[number, number | undefined, string | undefined, ErrorClass, boolean, boolean]> = [
  [230, undefined, undefined, ConsentRequiredError, false, false],
  [9010, undefined, undefined, ProfileNotFoundError, false, false],
  [100, 33, undefined, ProfileNotFoundError, false, true],
  [100, 2534014, undefined, ProfileNotFoundError, false, true],
  [190, 458, undefined, AccessTokenError, false, false],
  [190, 463, undefined, AccessTokenError, false, false],
  [190, 467, undefined, AccessTokenError, false, false],
  [102, undefined, undefined, AccessTokenError, false, false],
  [3, undefined, undefined, PermissionError, false, true],
  [10, undefined, undefined, PermissionError, false, true],
  [10, 2534077, undefined, PermissionError, false, true],
  [200, undefined, undefined, PermissionError, false, true],
  [200, 2534041, undefined, PermissionError, false, true],
  [299, undefined, undefined, PermissionError, false, true],
  [100, 2534013, undefined, PermissionError, false, true],
  [100, undefined, 'Invalid appsecret_proof provided in the API argument', PermissionError, false, true],
  [100, undefined, 'The appsecret_proof is required', PermissionError, false, true],
  [4, undefined, undefined, RateLimitError, false, false],
  [17, undefined, undefined, RateLimitError, false, false],
  [32, undefined, undefined, RateLimitError, false, false],
  [613, undefined, undefined, RateLimitError, false, false],
  [613, 1996, undefined, RateLimitError, false, false],
  [613, 2534040, undefined, RateLimitError, false, false],
  [80001, undefined, undefined, RateLimitError, false, false],
  [80002, undefined, undefined, RateLimitError, false, false],
  [80006, undefined, undefined, RateLimitError, false, false],
  [1, undefined, undefined, GraphApiError, true, true],
  [2, undefined, undefined, GraphApiError, true, true],
  [341, undefined, undefined, GraphApiError, true, true],
  [368, undefined, undefined, GraphApiError, true, true],
  [1200, undefined, undefined, GraphApiError, true, true],
  [551, undefined, undefined, GraphApiError, false, true],
  [10, 2018278, undefined, PermissionError, false, true],
  [100, 2018001, undefined, GraphApiError, false, true],
  [100, undefined, 'Invalid parameter', GraphApiError, false, true],
  [199, undefined, undefined, GraphApiError, false, true],
  [300, undefined, undefined, GraphApiError, false, true],
];

describe('platform/graphErrors', () => {
  describe('classification table', () => {
    for (const [code, subcode, message, type, transient400, transient500] of CLASSIFICATION) {
      const label = `${code}${subcode === undefined ? '' : `/${subcode}`}${message ? ` "${message}"` : ''}`;
      it(`should classify ${label} as ${type.name}, transient ${transient400} as HTTP 400 and ${transient500} as HTTP 500`, () => {
        const envelope = body(code, { error_subcode: subcode, ...(message ? { message } : {}) });
        const error = graphErrorFrom(400, envelope);
        expect(error.constructor).to.equal(type);
        expect(error).to.include({ status: 400, graphCode: code, subcode, isTransient: transient400 });
        expect(graphErrorFrom(500, envelope)).to.include({ status: 500, isTransient: transient500 });
        expect(isTransientGraphError(400, envelope)).to.equal(transient400);
      });
    }

    it('should never call 230, 9010, token or rate-limit errors transient, even when Graph says is_transient', () => {
      for (const code of [230, 9010, 190, 102, 4, 17, 32, 613, 80001, 80002, 80006]) {
        expect(isTransientGraphError(500, body(code, { is_transient: true })), String(code)).to.equal(false);
      }
    });

    it('should call any other error transient when Graph says is_transient', () => {
      expect(isTransientGraphError(400, body(12345, { is_transient: true }))).to.equal(true);
      expect(isTransientGraphError(400, body(10, { is_transient: true }))).to.equal(true);
    });

    it('should classify by code and subcode, never by the message text', () => {
      expect(graphErrorFrom(400, body(2, { message: 'User consent is required to access user profile' }))).to.be.instanceOf(GraphApiError).and.not.be.instanceOf(ConsentRequiredError);
      expect(graphErrorFrom(400, body(230, { message: 'something else entirely' }))).to.be.instanceOf(ConsentRequiredError);
    });
  });

  describe('retryClassOf', () => {
    /** [label, status, envelope, class] — the Send API's retry rules (failure 9). */
    const RETRY: Array<[string, number, GraphErrorBody, 'transient' | 'throttled' | 'permanent']> = [
      ['1200 temporary send failure', 400, body(1200), 'transient'],
      ['1 unknown error', 400, body(1), 'transient'],
      ['2 service unavailable', 503, body(2), 'transient'],
      ['an unknown code marked is_transient', 400, body(12345, { is_transient: true }), 'transient'],
      ['an unknown code as HTTP 500', 500, body(12345), 'transient'],
      ['an unknown code as HTTP 400', 400, body(12345), 'permanent'],
      ['100 invalid parameter', 400, body(100), 'permanent'],
      ['10/2018278 outside the window', 400, body(10, { error_subcode: 2018278 }), 'permanent'],
      ['100/2018001 no matching user', 400, body(100, { error_subcode: 2018001 }), 'permanent'],
      ['551 person unavailable', 400, body(551), 'permanent'],
      ['190 as HTTP 500', 500, body(190), 'permanent'],
      ['230 as HTTP 500 marked is_transient', 500, body(230, { is_transient: true }), 'permanent'],
      ['9010 as HTTP 500', 500, body(9010), 'permanent'],
      ['4 app limit', 400, body(4), 'throttled'],
      ['613 as HTTP 500 marked is_transient', 500, body(613, { is_transient: true }), 'throttled'],
      ['80002 Instagram limit', 400, body(80002), 'throttled'],
      ['80006 Messenger limit', 400, body(80006), 'throttled'],
    ];
    for (const [label, status, envelope, expected] of RETRY) {
      it(`should call ${label} ${expected}`, () => {
        expect(retryClassOf(status, envelope)).to.equal(expected);
        expect(graphErrorFrom(status, envelope).isTransient).to.equal(expected === 'transient');
        expect(graphErrorFrom(status, envelope) instanceof RateLimitError).to.equal(expected === 'throttled');
      });
    }

    it('should ignore the message text', () => {
      expect(retryClassOf(400, body(100, { message: 'Temporary send message failure. Please try again later' }))).to.equal('permanent');
    });
  });

  describe('graphErrorFrom', () => {
    it("should keep Graph's fields and say code, subcode and status in the message", () => {
      const error = graphErrorFrom(403, { message: 'No access', type: 'OAuthException', code: 200, error_subcode: 2534041, fbtrace_id: 'AbC', error_user_msg: 'Allow access' });
      expect(error).to.include({ code: 'PERMISSION_DENIED', status: 403, graphCode: 200, subcode: 2534041, type: 'OAuthException', fbtraceId: 'AbC', userMessage: 'Allow access', isTransient: false });
      expect(error.message).to.equal('Graph API error 200/2534041 (HTTP 403): No access');
    });

    it('should describe an error without code or message', () => {
      expect(graphErrorFrom(500, {}).message).to.equal('Graph API error without code (HTTP 500): Graph API error');
    });

    it('should carry retryAfterMs on rate limits, 0 when not given', () => {
      expect(graphErrorFrom(400, body(80002), { retryAfterMs: 120_000 })).to.include({ retryAfterMs: 120_000, code: 'RATE_LIMITED' });
      expect(graphErrorFrom(400, body(17))).to.include({ retryAfterMs: 0 });
    });

    it('should pass every text Graph sent through redact', () => {
      const redact = (text: string) => text.replaceAll('TOKEN', '[redacted]');
      const error = graphErrorFrom(400, { code: 190, message: 'bad TOKEN', error_user_msg: 'TOKEN expired', type: 'TOKEN', fbtrace_id: 'TOKEN' }, { redact });
      expect(error).to.include({ message: 'Graph API error 190 (HTTP 400): bad [redacted]', userMessage: '[redacted] expired', type: '[redacted]', fbtraceId: '[redacted]' });
    });

    it('should still classify appsecret_proof messages after redaction removed text', () => {
      const error = graphErrorFrom(400, body(100, { message: 'Invalid appsecret_proof for TOKEN' }), { redact: () => '[redacted]' });
      expect(error).to.be.instanceOf(PermissionError);
    });
  });

  describe('readErrorEnvelope', () => {
    it('should read the documented envelope', () => {
      const envelope = readErrorEnvelope({ error: { message: 'm', type: 'IGApiException', code: 230, error_subcode: 1, is_transient: false, error_user_title: 't', error_user_msg: 'u', fbtrace_id: 'f' } });
      expect(envelope).to.deep.equal({ message: 'm', type: 'IGApiException', code: 230, error_subcode: 1, is_transient: false, error_user_title: 't', error_user_msg: 'u', fbtrace_id: 'f' });
    });

    it('should drop fields of the wrong type', () => {
      const envelope = readErrorEnvelope({ error: { message: 5, type: {}, code: '230', error_subcode: 1.5, is_transient: 'true', fbtrace_id: 7 } });
      expect(envelope).to.equal(undefined); // neither a numeric code nor a string message is left
      expect(readErrorEnvelope({ error: { code: 2, is_transient: 'true', error_subcode: 1.5, fbtrace_id: 7 } })).to.deep.include({
        code: 2,
        is_transient: false,
        error_subcode: undefined,
        fbtrace_id: undefined,
      });
    });

    for (const value of [null, undefined, 'error', 42, [], {}, { error: null }, { error: 'boom' }, { error: [1] }, { error: {} }, { error: { type: 'OAuthException' } }]) {
      it(`should answer undefined for ${JSON.stringify(value) ?? 'undefined'}`, () => {
        expect(readErrorEnvelope(value)).to.equal(undefined);
      });
    }

    it('should accept an envelope with only a message or only a code', () => {
      expect(readErrorEnvelope({ error: { message: 'm' } })).to.deep.include({ message: 'm', code: undefined });
      expect(readErrorEnvelope({ error: { code: 1 } })).to.deep.include({ code: 1, message: undefined });
    });
  });
});
