import { expect } from 'chai';
import { isIgsid } from '../../src/platform/igsid.js';

describe('platform/igsid', () => {
  it('should accept 1 to 32 ASCII digits', () => {
    for (const value of ['1', '0', '1234567890123456', '9'.repeat(32)]) expect(isIgsid(value), value).to.equal(true);
  });

  const rejected: unknown[] = ['', '9'.repeat(33), '../me', '1?x=1', '1#', '1&fields=x', ' 1', '1 ', '1\n', '\n1', '１２３', '١٢٣', '-1', '+1', '1.0', '1e3', '0x1', '%31', '1/2', 1, 1n, null, undefined, ['1'], { toString: () => '1' }];
  for (const value of rejected) {
    it(`should refuse ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`, () => {
      expect(isIgsid(value)).to.equal(false);
    });
  }
});
