import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { delivery, post, textItem } from '../adapter/helpers.js';
import { childEnv } from '../support/childEnv.js';

describe('graceful shutdown of a bot process (SIGTERM)', function () {
  this.timeout(20_000);

  it('should finish acknowledged turns, answer 503 to deliveries that come meanwhile, and exit 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/webhook/processes/shutdownBot.ts'], { env: childEnv(), stdio: ['pipe', 'pipe', 'inherit'] });
    const lines: string[] = [];
    const waiters: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      for (const waiter of waiters.splice(0)) (waiter.match(line) ? waiter.resolve(line) : waiters.push(waiter));
    });
    const next = (prefix: string) => {
      const found = lines.find((line) => line.startsWith(prefix));
      return found ? Promise.resolve(found) : new Promise<string>((resolve) => waiters.push({ match: (line) => line.startsWith(prefix), resolve }));
    };
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = (await next('listening ')).slice('listening '.length);
      const secret = { secret: 'shutdown-secret' };
      const accepted = await post(url, delivery([textItem('1001', 'before', 'mid-before')]), secret);
      child.kill('SIGTERM');
      // The process is draining, its first turn still running: the server still answers, and refuses new work with 503.
      await next('draining');
      const refused = await post(url, delivery([textItem('1002', 'during', 'mid-during')]), secret);
      child.stdin!.end('finish the turn\n');
      const closed = await next('closed ');
      expect(accepted.status).to.equal(200);
      expect(refused.status).to.equal(503);
      expect(lines).to.include('turn-done mid-before');
      expect(lines).to.not.include('turn-done mid-during');
      expect(JSON.parse(closed.slice('closed '.length))).to.deep.equal({ drained: true, unfinishedTurns: 0 });
      expect(await exited).to.equal(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
