import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { GraphRequestError } from '../../src/errors.js';
import { SendApiClient } from '../../src/graph/sendApi.js';
import { BUSINESS, IGSID, TOKEN, failure } from './graphMock.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Real sockets on 127.0.0.1, for what a MockAgent cannot do: break a connection before or after the reply began. */
describe('SendApiClient over a loopback server', () => {
  let server: Server;
  let agent: Agent;
  let handlers: Handler[];
  let requests: number;
  let graphUrl: string;

  before(async () => {
    server = createServer((req, res) => {
      const handler = handlers[Math.min(requests, handlers.length - 1)]!;
      requests++;
      // Read the whole request first, as Graph does, so a reset is not a half-sent body.
      req.resume();
      req.on('end', () => handler(req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    graphUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    requests = 0;
    agent = new Agent();
  });

  afterEach(async () => {
    await agent.destroy();
    server.closeAllConnections();
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const client = () => new SendApiClient({ accessToken: TOKEN, graphUrl, dispatcher: agent, sendRetryDelayMs: 0, sendTimeoutMs: 5_000 });
  const body = { recipient: { id: IGSID }, message: { text: 'hi' } };
  const accept: Handler = (_req, res) => {
    // Not chained: restify, loaded by other tests, patches writeHead to return nothing.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ recipient_id: IGSID, message_id: 'mid.1' }));
  };

  it('should send again when the connection closed before any reply arrived', async () => {
    handlers = [(req) => req.socket.destroy(), accept];
    expect(await client().send(BUSINESS, body)).to.deep.equal({ recipientId: IGSID, messageId: 'mid.1' });
    expect(requests).to.equal(2);
  });

  it('should not send again when the connection broke after the reply began: Meta may have sent the message', async () => {
    handlers = [
      (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
        res.write('{"recipient_id":"', () => req.socket.destroy());
      },
      accept,
    ];
    const error = await failure(client().send(BUSINESS, body));
    expect(error).to.be.instanceOf(GraphRequestError).and.include({ code: 'GRAPH_NETWORK_ERROR' });
    expect(requests).to.equal(1);
  });
});
