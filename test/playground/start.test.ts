import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { childEnv } from '../support/childEnv.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Resolves with the first match of `pattern` in what the child prints, or rejects when it exits first. */
function waitForOutput(child: ReturnType<typeof spawn>, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = pattern.exec(seen);
      if (match) resolve(match);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing ${pattern}: ${seen}`)));
  });
}

describe('npm start (playground/start.ts)', function () {
  this.timeout(30_000);

  it('should serve the playground, the emulator and the bot, and close them all on Ctrl-C', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'playground/start.ts'], { cwd: ROOT, env: childEnv({ PORT: '0' }), stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [, playground, emulator, webhook] = await waitForOutput(child, /playground: (http:\/\/\S+)[\s\S]*emulator (http:\/\/\S+) · .* (http:\/\/\S+)\n/);
      expect((await fetch(new URL('/api/state', playground))).status).to.equal(200);
      expect((await fetch(new URL('/health', webhook!))).status).to.equal(200);
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      const [code] = await exited;
      expect(code).to.equal(0);
      for (const url of [playground!, emulator!, webhook!]) {
        const error = await fetch(url).then(() => undefined, (failure: Error) => failure.cause as NodeJS.ErrnoException);
        expect(error?.code, url).to.equal('ECONNREFUSED');
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
