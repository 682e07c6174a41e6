#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from './emulator.js';
import { packageVersion } from './version.js';

const USAGE = `Usage: instagram-emulator [options]

A local Instagram Platform (User Profile API, Send API, signed webhooks) for bots.

  --port <n>          port to listen on (default 8787; 0 picks a free one)
  --host <address>    address to listen on (default 127.0.0.1)
  --webhook <url>     the bot's webhook URL, where persona actions are posted
  --app-secret <s>    app secret that signs webhooks (default emulator-app-secret)
  --access-token <t>  the valid Page access token (default EMULATOR_PAGE_ACCESS_TOKEN)
  --verify-token <t>  the webhook verification token (default emulator-verify-token)
  --personas <file>   JSON file with custom personas
  --login <l>         facebook (default) or instagram: the app's login, where webhooks differ
  --require-proof     require appsecret_proof on Graph calls
  -v, --version       print the package version
  -h, --help          show this help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      webhook: { type: 'string' },
      'app-secret': { type: 'string' },
      'access-token': { type: 'string' },
      'verify-token': { type: 'string' },
      personas: { type: 'string' },
      login: { type: 'string' },
      'require-proof': { type: 'boolean', default: false },
      version: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.version) {
    // The script actually run (the bin link resolved), so this works from dist/cjs, dist/esm and src.
    console.log(packageVersion(dirname(realpathSync(process.argv[1] ?? '.'))) ?? 'unknown');
    return;
  }
  const emulator = await startEmulator({
    port: Number(values.port),
    host: values.host,
    webhookUrl: values.webhook,
    appSecret: values['app-secret'],
    accessToken: values['access-token'],
    verifyToken: values['verify-token'],
    personas: values.personas,
    requireProof: values['require-proof'],
    login: values.login as 'facebook' | 'instagram' | undefined,
  });
  console.log(`Instagram Platform emulator listening on ${emulator.url}`);
  console.log(`  graphUrl (graph.facebook.com behaviour):  ${emulator.url}`);
  console.log(`  graphUrl (graph.instagram.com behaviour): ${emulator.instagramGraphUrl}`);
  console.log(`  access token: ${emulator.accessToken}   app secret: ${emulator.appSecret}   verify token: ${emulator.verifyToken}`);
  console.log(`  business account id: ${emulator.businessId}`);
  console.log(`  webhook: ${emulator.webhookUrl ?? '(none: POST {"url": ...} to /_emulator/webhook-url)'}`);
  console.log('  personas:');
  for (const persona of emulator.personas) console.log(`    ${persona.key.padEnd(14)} ${persona.igsid}  ${persona.description}`);
  console.log(`  control API: ${emulator.url}/_emulator/state   (Ctrl-C to stop)`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  console.error(code === 'EADDRINUSE' ? 'The port is in use: choose another with --port <n> (0 picks a free one).' : `instagram-emulator: ${(error as Error).message}`);
  process.exit(1);
});
