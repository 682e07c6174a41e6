import { expect } from 'chai';
import { crosses, meets, median, pairValue, pendingRow, summarise } from '../../bench/method/summarise.js';
import type { Metrics, RowSpec, Target } from '../../bench/method/types.js';

const higher: Target = { compare: 'ratio', better: 'higher', limit: 0.98, text: '≥ 0.98' };
const row = (target?: Target): RowSpec => ({ id: 'r', title: 'R', unit: 'u', ours: ['a', 'x'], baseline: ['b', 'x'], baselineName: 'B', meaning: 'm', ...(target ? { target } : {}) });
const pair = (a: number, b: number) => new Map<string, Metrics>([['a', { x: a }], ['b', { x: b }]]);

describe('the benchmark method: summarising pairs', () => {
  it('should take the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).to.equal(2);
    expect(median([4, 1, 3, 2])).to.equal(2.5);
    expect(() => median([])).to.throw(RangeError);
  });

  it('should meet a target on the side it names, and equality only exactly', () => {
    expect(meets(0.98, higher)).to.equal(true);
    expect(meets(0.979, higher)).to.equal(false);
    expect(meets(2.1, { compare: 'ratio', better: 'lower', limit: 2, text: '' })).to.equal(false);
    expect(meets(1, { compare: 'ratio', better: 'equal', limit: 1, text: '' })).to.equal(true);
    expect(meets(1.001, { compare: 'ratio', better: 'equal', limit: 1, text: '' })).to.equal(false);
  });

  it('should compute each pair as a ratio, or as a difference when the target says so', () => {
    expect(pairValue(row(higher), pair(3, 4))).to.equal(0.75);
    expect(pairValue(row({ compare: 'difference', better: 'lower', limit: 5, text: '' }), pair(310, 302))).to.equal(8);
    expect(pairValue(row(higher), new Map([['a', { x: 1 }]]))).to.equal(undefined);
  });

  it('should report the median ratio with its min and max, and meet on the median alone', () => {
    const result = summarise('g', row(higher), [pair(0.97, 1), pair(1.2, 1), pair(0.99, 1)]);
    expect(result.median).to.be.closeTo(0.99, 1e-12);
    expect(result.min).to.be.closeTo(0.97, 1e-12);
    expect(result.max).to.be.closeTo(1.2, 1e-12);
    expect(result.pairs).to.equal(3);
    expect(result.met).to.equal(true);
    expect(result.spreadCrossesTarget).to.equal(true);
    expect(result.ours).to.be.closeTo(0.99, 1e-12);
    expect(result.baseline).to.equal(1);
  });

  it('should not flag the spread when every pair is on the same side of the target', () => {
    const result = summarise('g', row(higher), [pair(0.9, 1), pair(0.95, 1), pair(0.8, 1)]);
    expect(result.met).to.equal(false);
    expect(result.spreadCrossesTarget).to.equal(false);
    expect(crosses([0.9, 0.99], higher)).to.equal(true);
  });

  it('should leave met null for a row that only reports', () => {
    const result = summarise('g', row(), [pair(1, 2)]);
    expect(result.met).to.equal(null);
    expect(result.target).to.equal(null);
    expect(result.median).to.equal(0.5);
  });

  it('should mark a row pending, unmet, with its reason, when no pair measured it', () => {
    expect(summarise('g', row(higher), [new Map()])).to.include({ status: 'pending', met: false, pairs: 0 });
    expect(pendingRow('g', row(higher), 'pending: src/telemetry')).to.include({ status: 'pending', pending: 'pending: src/telemetry', median: null });
  });
});
