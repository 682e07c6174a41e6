import { expect } from 'chai';
import { parseAppUsage, parseBusinessUseCaseUsage, peakUsage, regainAccessMs } from '../../src/platform/usage.js';

const BIZ = '17841400000000001';

describe('platform/usage', () => {
  describe('parseAppUsage', () => {
    it('should read the three percentages', () => {
      expect(parseAppUsage('{"call_count":28,"total_time":25,"total_cputime":91}')).to.deep.equal({ callCount: 28, totalTime: 25, totalCpuTime: 91 });
    });

    it('should read missing or invalid percentages as 0', () => {
      expect(parseAppUsage('{"call_count":"28","total_time":-5,"total_cputime":null}')).to.deep.equal({ callCount: 0, totalTime: 0, totalCpuTime: 0 });
      expect(parseAppUsage('{"call_count":1e400}')).to.deep.equal({ callCount: 0, totalTime: 0, totalCpuTime: 0 });
    });

    for (const header of [undefined, '', '{', 'null', '[1,2]', '"x"', '42', ['{"call_count":1}'], `{"call_count":1,"pad":"${'x'.repeat(16_400)}"}`]) {
      it(`should answer undefined for ${Array.isArray(header) ? 'a repeated header' : JSON.stringify(header)?.slice(0, 20) ?? 'no header'}`, () => {
        expect(parseAppUsage(header)).to.equal(undefined);
      });
    }
  });

  describe('parseBusinessUseCaseUsage', () => {
    it('should flatten every entry of every business, minutes to regain access included', () => {
      const header = JSON.stringify({
        [BIZ]: [
          { type: 'instagram', call_count: 100, total_cputime: 20, total_time: 30, estimated_time_to_regain_access: 19 },
          { type: 'messenger', call_count: 5 },
        ],
        '2': [{ call_count: 1 }],
      });
      // Object key order puts index-like ids first: the order of businesses is not promised.
      expect(parseBusinessUseCaseUsage(header)).to.have.deep.members([
        { businessId: BIZ, type: 'instagram', callCount: 100, totalTime: 30, totalCpuTime: 20, estimatedTimeToRegainAccessMinutes: 19 },
        { businessId: BIZ, type: 'messenger', callCount: 5, totalTime: 0, totalCpuTime: 0, estimatedTimeToRegainAccessMinutes: 0 },
        { businessId: '2', type: undefined, callCount: 1, totalTime: 0, totalCpuTime: 0, estimatedTimeToRegainAccessMinutes: 0 },
      ]);
    });

    it('should skip malformed parts and keep the rest', () => {
      const header = JSON.stringify({ a: 'x', b: null, c: [null, 3, 'y', { call_count: 7, type: 5, estimated_time_to_regain_access: '9' }], d: {} });
      expect(parseBusinessUseCaseUsage(header)).to.deep.equal([
        { businessId: 'c', type: undefined, callCount: 7, totalTime: 0, totalCpuTime: 0, estimatedTimeToRegainAccessMinutes: 0 },
      ]);
    });

    for (const header of [undefined, '', 'not json', '[]', 'null', '{"a":[{"call_count":1}]']) {
      it(`should answer no entries for ${JSON.stringify(header) ?? 'no header'}`, () => {
        expect(parseBusinessUseCaseUsage(header)).to.deep.equal([]);
      });
    }
  });

  describe('peakUsage', () => {
    it('should answer the highest percentage of the app and of every business', () => {
      const business = parseBusinessUseCaseUsage(JSON.stringify({ [BIZ]: [{ call_count: 10, total_time: 85, total_cputime: 3 }] }));
      expect(peakUsage({ callCount: 28, totalTime: 25, totalCpuTime: 40 }, business)).to.equal(85);
      expect(peakUsage({ callCount: 28, totalTime: 25, totalCpuTime: 99 }, business)).to.equal(99);
      expect(peakUsage(undefined, [])).to.equal(0);
    });
  });

  describe('regainAccessMs', () => {
    const PAGE = '101112131415';
    const usages = (entries: Record<string, number[]>) =>
      parseBusinessUseCaseUsage(JSON.stringify(Object.fromEntries(Object.entries(entries).map(([id, minutes]) => [id, minutes.map((m) => ({ type: 'instagram', estimated_time_to_regain_access: m }))]))));

    it("should answer the business's own estimate when the header names it, not a longer one of another key", () => {
      expect(regainAccessMs(usages({ [BIZ]: [2], [PAGE]: [30] }), BIZ)).to.equal(2 * 60_000);
    });

    it('should answer the longest of its own entries', () => {
      expect(regainAccessMs(usages({ [BIZ]: [3, 7], [PAGE]: [30] }), BIZ)).to.equal(7 * 60_000);
    });

    it('should fall back to the longest estimate when the header keys another id (the Page, with Facebook Login)', () => {
      expect(regainAccessMs(usages({ [PAGE]: [5], '999': [1] }), BIZ)).to.equal(5 * 60_000);
    });

    it('should answer the longest estimate for a call made without a business id', () => {
      expect(regainAccessMs(usages({ [PAGE]: [5], [BIZ]: [9] }), undefined)).to.equal(9 * 60_000);
    });

    it('should answer 0 without any estimate', () => {
      expect(regainAccessMs([], BIZ)).to.equal(0);
      expect(regainAccessMs(usages({ [BIZ]: [0] }), BIZ)).to.equal(0);
    });
  });
});
