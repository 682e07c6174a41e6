// A bot process for the graceful-shutdown test: an InstagramAdapter on Node http whose turns
// run until the test writes a line to stdin, so the test decides what happens while a turn
// is running, however slow the machine. Prints its URL, then one line per finished turn; on
// SIGTERM prints "draining", closes the adapter, then the server, prints the close result and
// exits.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { InstagramAdapter } from '../../../src/adapter/index.js';

const released = new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
const adapter = new InstagramAdapter({ appSecret: 'shutdown-secret', verifyToken: 'v', accessToken: 't', graphUrl: 'http://127.0.0.1:9' });
const server = createServer((req, res) => {
  void adapter.process(req, res, async (context) => {
    await released;
    process.stdout.write(`turn-done ${context.activity.id}\n`);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}\n`));
process.once('SIGTERM', async () => {
  process.stdout.write('draining\n');
  const result = await adapter.close({ timeoutMs: 5_000 });
  server.close();
  process.stdout.write(`closed ${JSON.stringify(result)}\n`);
  process.exit(0);
});
