import { expect } from 'chai';
import { describe as describeValue, objectOrFalse, optionalBoolean, optionalInteger, optionalString } from '../../src/internal/validate.js';

describe('internal/validate', () => {
  describe('optionalInteger', () => {
    it('should answer the fallback for undefined and the value within bounds', () => {
      expect(optionalInteger('n', undefined, 7, 0, 10)).to.equal(7);
      expect([optionalInteger('n', 0, 7, 0, 10), optionalInteger('n', 10, 7, 0, 10)]).to.deep.equal([0, 10]);
    });

    for (const value of [1.5, '3', null, Number.NaN, Number.POSITIVE_INFINITY, 3n, [3]]) {
      it(`should refuse ${typeof value === 'bigint' ? '3n' : JSON.stringify(value) ?? String(value)} with a TypeError naming the option`, () => {
        expect(() => optionalInteger('cache.max', value, 1, 0)).to.throw(TypeError, /^Option "cache\.max" must be an integer/);
      });
    }

    it('should refuse values out of bounds with a RangeError naming the option and the bounds', () => {
      expect(() => optionalInteger('retries', -1, 2, 0, 10)).to.throw(RangeError, 'Option "retries" must be between 0 and 10, got -1');
      expect(() => optionalInteger('retries', 11, 2, 0, 10)).to.throw(RangeError, /"retries".*got 11/);
    });
  });

  describe('optionalBoolean', () => {
    it('should answer the fallback or the boolean, and refuse anything else', () => {
      expect([optionalBoolean('b', undefined, true), optionalBoolean('b', false, true)]).to.deep.equal([true, false]);
      expect(() => optionalBoolean('prefetch', 'yes', false)).to.throw(TypeError, /"prefetch"/);
      expect(() => optionalBoolean('prefetch', 1, false)).to.throw(TypeError, /"prefetch"/);
    });
  });

  describe('optionalString', () => {
    it('should answer undefined or a non-empty string, and refuse anything else', () => {
      expect([optionalString('s', undefined), optionalString('s', 'x')]).to.deep.equal([undefined, 'x']);
      for (const value of ['', 5, null, {}]) expect(() => optionalString('appSecret', value)).to.throw(TypeError, /"appSecret"/);
    });
  });

  describe('objectOrFalse', () => {
    it('should answer false, the object, or {} for undefined', () => {
      const options = { threshold: 3 };
      expect(objectOrFalse('group', false)).to.equal(false);
      expect(objectOrFalse('group', options)).to.equal(options);
      expect(objectOrFalse('group', undefined)).to.deep.equal({});
    });

    for (const value of [true, null, 'on', 3]) {
      it(`should refuse ${JSON.stringify(value)} with a TypeError naming the option`, () => {
        expect(() => objectOrFalse('circuitBreaker', value)).to.throw(TypeError, /"circuitBreaker" must be an object or false/);
      });
    }
  });

  describe('describe', () => {
    it('should name the type of a value without ever printing a string, which may be a secret', () => {
      expect(describeValue('EAAsecret')).to.equal('a value of type string').and.not.include('EAAsecret');
      expect(describeValue({ token: 'EAAsecret' })).to.equal('a value of type object');
      expect([describeValue(null), describeValue([1]), describeValue(3), describeValue(false), describeValue(undefined)]).to.deep.equal([
        'null',
        'an array',
        '3',
        'false',
        'a value of type undefined',
      ]);
    });
  });
});
