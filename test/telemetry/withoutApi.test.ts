import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);

/**
 * The sources compiled as the build compiles them (ES modules, and CommonJS where `import()`
 * becomes `require`), per file and without type checking: quick, and dist/ is left alone.
 */
function compile(outDir: string): void {
  const targets = [
    { dir: 'esm', type: 'module', module: ts.ModuleKind.ESNext },
    { dir: 'cjs', type: 'commonjs', module: ts.ModuleKind.CommonJS },
  ];
  const sources = (readdirSync(join(root, 'src'), { recursive: true }) as string[]).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
  for (const { dir, type, module } of targets) {
    for (const file of sources) {
      const source = readFileSync(join(root, 'src', file), 'utf8');
      const { outputText } = ts.transpileModule(source, { fileName: file, compilerOptions: { module, target: ts.ScriptTarget.ES2022, esModuleInterop: true, verbatimModuleSyntax: false } });
      const out = join(outDir, 'dist', dir, file.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, outputText);
    }
    writeFileSync(join(outDir, 'dist', dir, 'package.json'), JSON.stringify({ type }));
  }
  writeFileSync(join(outDir, 'package.json'), readFileSync(join(root, 'package.json')));
}

/** A project with our package and only the named packages of ours linked in. */
function consumer(packageDir: string, dependencies: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'igp-otel-consumer-'));
  mkdirSync(join(dir, 'node_modules', '@opentelemetry'), { recursive: true });
  // Copied, not linked: Node resolves a linked package's imports from where it really lies.
  cpSync(packageDir, join(dir, 'node_modules', 'botbuilder-instagram-profile'), { recursive: true });
  for (const dependency of dependencies) symlinkSync(join(root, 'node_modules', dependency), join(dir, 'node_modules', dependency), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  return dir;
}

const RUNTIME = ['undici', 'lru-cache', 'debug', 'ms'];
const OTEL = ['@opentelemetry/api', '@opentelemetry/sdk-trace-base', '@opentelemetry/core', '@opentelemetry/resources', '@opentelemetry/semantic-conventions'];

/**
 * One bot's worth of work: a profile read through the transport (MockAgent), a cached lookup
 * through the middleware, and a signed delivery through the webhook core. Prints what happened.
 * `load(name)` is `require` or `import`; `core` is the webhook core's file (not an entry point).
 */
const SCRIPT = (load: string, core: string, withSdk: boolean) => `
  const { MockAgent } = await ${load}('undici');
  const { createHmac } = await ${load}('node:crypto');
  const p = await ${load}('botbuilder-instagram-profile');
  const { WebhookCore } = await ${load}(${JSON.stringify(core)});
  let exporter;
  if (${withSdk}) {
    const { trace } = await ${load}('@opentelemetry/api');
    const sdk = await ${load}('@opentelemetry/sdk-trace-base');
    exporter = new sdk.InMemorySpanExporter();
    trace.setGlobalTracerProvider(new sdk.BasicTracerProvider({ spanProcessors: [new sdk.SimpleSpanProcessor(exporter)] }));
  }
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent.get('https://graph.facebook.com').intercept({ path: () => true, method: 'GET' }).reply(200, { id: '1001', name: 'Ada' }, { headers: { 'content-type': 'application/json' } });
  const client = new p.GraphProfileClient({ accessToken: 'token-x', dispatcher: agent });
  await new Promise((resolve) => setTimeout(resolve, 20)); // the lazy import settles (or fails) meanwhile
  const profile = await client.fetchProfile('1001');
  const mw = new p.InstagramProfileMiddleware({ accessToken: 'token-x', dispatcher: agent });
  mw.cache.set('2002', { id: '1001', name: 'Ada', profilePic: null });
  const context = { activity: { channelId: 'instagram', channelData: { sender: { id: '1001' }, recipient: { id: '2002' }, message: { mid: 'm1', text: 'hi' } } }, turnState: new Map() };
  let cached;
  await mw.onTurn(context, async () => { cached = await p.getInstagramProfile(context); });
  const core = new WebhookCore({ appSecret: 'secret-x', verifyToken: 'v', accessToken: 'token-x', graphUrl: 'http://127.0.0.1:9' });
  const raw = JSON.stringify({ object: 'instagram', entry: [{ id: '2002', time: Date.now(), messaging: [{ sender: { id: '1001' }, recipient: { id: '2002' }, timestamp: Date.now(), message: { mid: 'm2', text: 'hi' } }] }] });
  const res = { statusCode: 0, setHeader() {}, end() {} };
  let turns = 0;
  await core.handle({ method: 'POST', headers: { 'x-hub-signature-256': 'sha256=' + createHmac('sha256', 'secret-x').update(raw).digest('hex') }, rawBody: Buffer.from(raw) }, res, async () => void turns++);
  await core.drain();
  console.log(JSON.stringify({ profile: profile.name, cached: cached?.name, status: res.statusCode, turns, spans: exporter ? exporter.getFinishedSpans().map((s) => s.name) : null }));
`;

describe('telemetry when @opentelemetry/api is not installed', function () {
  this.timeout(60_000);
  let work: string;
  let bare: string;
  let traced: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'igp-otel-package-'));
    compile(work);
    bare = consumer(work, RUNTIME);
    traced = consumer(work, [...RUNTIME, ...OTEL]);
  });

  after(() => {
    for (const dir of [work, bare, traced]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function node(cwd: string, args: string[]) {
    const env = { ...process.env, NODE_OPTIONS: '', DEBUG: 'instagram-profile:telemetry' };
    return run(process.execPath, ['--unhandled-rejections=strict', ...args], { cwd, env });
  }

  /** The webhook core of the copy inside `consumerDir` (a file, not an entry point). */
  const coreFile = (consumerDir: string, format: 'cjs' | 'esm') => join(consumerDir, 'node_modules', 'botbuilder-instagram-profile', 'dist', format, 'webhook', 'core.js');

  it('should be a consumer that cannot resolve @opentelemetry/api', async () => {
    const { stdout } = await node(bare, ['-e', "try { require.resolve('@opentelemetry/api'); console.log('found') } catch { console.log('missing') }"]);
    expect(stdout.trim()).to.equal('missing');
  });

  it('should load the root entry with require and work, the API failing to load once and quietly', async () => {
    const script = `(async () => { ${SCRIPT('require', coreFile(bare, 'cjs'), false).replaceAll('await require', 'require')} })()`;
    const { stdout, stderr } = await node(bare, ['-e', script]);
    expect(JSON.parse(stdout)).to.deep.equal({ profile: 'Ada', cached: 'Ada', status: 200, turns: 1, spans: null });
    // The CommonJS build turned import() into require(): Node's CommonJS error code.
    expect(stderr.match(/no OpenTelemetry: @opentelemetry\/api cannot be loaded \(MODULE_NOT_FOUND\)/g)).to.have.length(1);
  });

  it('should load the root entry with import and work, the API failing to load once and quietly', async () => {
    const { stdout, stderr } = await node(bare, ['--input-type=module', '-e', SCRIPT('import', coreFile(bare, 'esm'), false)]);
    expect(JSON.parse(stdout)).to.deep.equal({ profile: 'Ada', cached: 'Ada', status: 200, turns: 1, spans: null });
    expect(stderr.match(/no OpenTelemetry: @opentelemetry\/api cannot be loaded \(ERR_MODULE_NOT_FOUND\)/g)).to.have.length(1);
  });

  it('should trace the same work from both builds once the API and an SDK are installed', async () => {
    const cjs = await node(traced, ['-e', `(async () => { ${SCRIPT('require', coreFile(traced, 'cjs'), true).replaceAll('await require', 'require')} })()`]);
    const esm = await node(traced, ['--input-type=module', '-e', SCRIPT('import', coreFile(traced, 'esm'), true)]);
    for (const { stdout, stderr } of [cjs, esm]) {
      expect(JSON.parse(stdout).spans).to.deep.equal(['GET /{version}/{igsid}']);
      expect(stderr).to.not.include('cannot be loaded');
    }
  });
});
