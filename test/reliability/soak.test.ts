import { expect } from 'chai';
import { runSoak } from '../../bench/soak.js';

/** The short soak of `npm test` (the long one: `npm run soak`). */
describe('soak', function () {
  this.timeout(240_000);

  it('should run 10 000 turns from distinct senders with 5 % faults: flat heap, no rejection, no warning, at most 0.1 % of replies lost', async () => {
    const report = await runSoak({ turns: 10_000, samples: 10 });
    expect(report.unhandledRejections).to.equal(0);
    expect(report.warnings).to.deep.equal([]);
    expect(report.lookups.ok).to.be.greaterThan(9_000);
    expect(report.lostReplyRate).to.be.at.most(0.001);
    // After warm-up (the first 40 %), the heap after a GC stays within 25 % of its warm level.
    const heaps = report.samples.map(([, heap]) => heap);
    const warm = Math.max(...heaps.slice(3, 5));
    expect(Math.max(...heaps.slice(5))).to.be.at.most(warm * 1.25);
  });
});
