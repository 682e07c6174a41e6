import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A consumer project with only our package and its runtime dependencies: no botbuilder, no botkit. */
function makeConsumer(): string {
  const dir = mkdtempSync(join(tmpdir(), 'igp-consumer-'));
  const installed = join(dir, 'node_modules', 'botbuilder-instagram-profile');
  mkdirSync(installed, { recursive: true });
  cpSync(join(root, 'package.json'), join(installed, 'package.json'));
  cpSync(join(root, 'dist'), join(installed, 'dist'), { recursive: true });
  for (const dependency of ['undici', 'lru-cache', 'debug', 'ms']) {
    const source = join(root, 'node_modules', dependency);
    symlinkSync(source, join(dir, 'node_modules', dependency), 'dir');
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  return dir;
}

function run(dir: string, args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
}

describe('the published package', function () {
  this.timeout(120_000);
  let consumer: string;

  before(function () {
    if (!existsSync(join(root, 'dist', 'cjs', 'index.js')) || !existsSync(join(root, 'dist', 'esm', 'index.js'))) {
      execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'ignore' });
    }
    consumer = makeConsumer();
  });

  after(() => consumer && rmSync(consumer, { recursive: true, force: true }));

  it('should be in a consumer that cannot resolve botbuilder or botkit', () => {
    const out = run(consumer, ['-e', "for (const m of ['botbuilder', 'botkit', '@microsoft/agents-hosting']) { try { require.resolve(m); console.log('found ' + m) } catch { console.log('missing ' + m) } }"]);
    expect(out.trim().split('\n')).to.deep.equal(['missing botbuilder', 'missing botkit', 'missing @microsoft/agents-hosting']);
  });

  it('should load the root entry with require', () => {
    const out = run(consumer, ['-e', "const p = require('botbuilder-instagram-profile'); console.log(JSON.stringify(Object.keys(p).sort()))"]);
    const names: string[] = JSON.parse(out);
    expect(names).to.include.members(['InstagramProfileMiddleware', 'getInstagramProfile', 'getInstagramEvent', 'GraphProfileClient', 'ProfileCache', 'personalize', 'displayName', 'firstName', 'followStatus', 'audienceTier', 'InstagramProfileError', 'GraphApiError', 'ConsentRequiredError', 'RateLimitError', 'GraphRequestError']);
  });

  it('should load the root entry with import', () => {
    const out = run(consumer, ['--input-type=module', '-e', "import * as p from 'botbuilder-instagram-profile'; import { InstagramProfileMiddleware } from 'botbuilder-instagram-profile'; console.log(typeof InstagramProfileMiddleware, Object.keys(p).length > 10)"]);
    expect(out.trim()).to.equal('function true');
  });

  it('should load the emulator entry with require and import', () => {
    const cjs = run(consumer, ['-e', "console.log(typeof require('botbuilder-instagram-profile/emulator').startEmulator)"]);
    const esm = run(consumer, ['--input-type=module', '-e', "import { startEmulator } from 'botbuilder-instagram-profile/emulator'; console.log(typeof startEmulator)"]);
    expect([cjs.trim(), esm.trim()]).to.deep.equal(['function', 'function']);
  });

  it('should load the redis entry with require and import, with no Redis client installed', () => {
    const missing = run(consumer, ['-e', "for (const m of ['ioredis', 'redis', 'iovalkey']) { try { require.resolve(m); console.log('found ' + m) } catch { console.log('missing ' + m) } }"]);
    expect(missing.trim().split('\n')).to.deep.equal(['missing ioredis', 'missing redis', 'missing iovalkey']);
    const cjs = run(consumer, ['-e', "console.log(typeof require('botbuilder-instagram-profile/redis').RedisProfileStore)"]);
    const esm = run(consumer, ['--input-type=module', '-e', "import { RedisProfileStore } from 'botbuilder-instagram-profile/redis'; console.log(typeof RedisProfileStore)"]);
    expect([cjs.trim(), esm.trim()]).to.deep.equal(['function', 'function']);
  });

  it('should load the agents entry with require and import where the Agents SDK is installed', () => {
    const sdk = join(consumer, 'node_modules', '@microsoft');
    mkdirSync(sdk, { recursive: true });
    for (const name of ['agents-hosting', 'agents-activity']) if (!existsSync(join(sdk, name))) symlinkSync(join(root, 'node_modules', '@microsoft', name), join(sdk, name), 'dir');
    try {
      const cjs = run(consumer, ['-e', "console.log(typeof require('botbuilder-instagram-profile/agents').InstagramAgentsAdapter)"]);
      const esm = run(consumer, ['--input-type=module', '-e', "import { InstagramAgentsAdapter } from 'botbuilder-instagram-profile/agents'; console.log(typeof InstagramAgentsAdapter)"]);
      expect([cjs.trim(), esm.trim()]).to.deep.equal(['function', 'function']);
    } finally {
      rmSync(sdk, { recursive: true, force: true });
    }
  });

  it('should share the turn handle between an ESM copy and a CommonJS copy in one process', () => {
    const script = `
      import { createRequire } from 'node:module';
      import { getInstagramProfile } from 'botbuilder-instagram-profile';
      const cjs = createRequire(import.meta.url)('botbuilder-instagram-profile');
      const profile = { id: '1001', name: 'Ada', profilePic: null };
      const mw = new cjs.InstagramProfileMiddleware({ accessToken: 'token-for-test' });
      mw.cache.set('2002', profile);
      const context = { activity: { channelId: 'instagram', channelData: { sender: { id: '1001' }, recipient: { id: '2002' }, message: { mid: 'm1', text: 'hi' } } }, turnState: new Map() };
      await mw.onTurn(context, async () => {
        console.log(JSON.stringify(await getInstagramProfile(context)));
      });`;
    const out = run(consumer, ['--input-type=module', '-e', script]);
    expect(JSON.parse(out)).to.deep.equal({ id: '1001', name: 'Ada', profilePic: null });
  });
});
