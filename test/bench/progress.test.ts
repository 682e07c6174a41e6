import { expect } from 'chai';
import sinon from 'sinon';
import { clock, Progress } from '../../bench/method/progress.js';

describe('the benchmark method: progress lines', () => {
  let timers: sinon.SinonFakeTimers;
  beforeEach(() => (timers = sinon.useFakeTimers({ now: 0 })));
  afterEach(() => timers.restore());

  it('should print minutes and seconds', () => {
    expect(clock(0)).to.equal('0:00');
    expect(clock(125.4)).to.equal('2:05');
  });

  it('should print a line per stage and one per 5 % of the planned work, with elapsed and left', () => {
    const lines: string[] = [];
    const progress = new Progress(100, (line) => lines.push(line));
    progress.stage('hot path', 10);
    expect(lines).to.deep.equal(['[0:00] hot path: 10 processes, ~1:40 left in the run']);
    timers.tick(10_000);
    progress.processDone('hot path ours', 10, 100);
    // 10 s planned took 10 s: 90 s left at the same pace.
    expect(lines[1]).to.equal('[0:10] 10 % (hot path ours), ~1:30 left');
    timers.tick(1_000);
    progress.processDone('hot path noop', 1, 100);
    expect(lines).to.have.length(2); // 11 %: still within the same 5 % step
  });

  it('should scale what is left by how far the run is from its plan', () => {
    const lines: string[] = [];
    const progress = new Progress(100, (line) => lines.push(line));
    timers.tick(40_000);
    progress.processDone('slow', 20, 100);
    // 20 planned seconds took 40: the 80 left should take 160.
    expect(lines[0]).to.equal('[0:40] 20 % (slow), ~2:40 left');
  });
});
