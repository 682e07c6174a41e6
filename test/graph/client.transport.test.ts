import { expect } from 'chai';
import sinon from 'sinon';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, type Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { GraphProfileClient, GraphRequestError } from '../../src/index.js';
import { IGSID, TOKEN, adaReply, failure } from './graphMock.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Real sockets on 127.0.0.1, for what a MockAgent cannot do: stall or break a body half way. */
describe('GraphProfileClient over a loopback server', () => {
  let server: Server;
  let agent: Agent;
  let handler: Handler;
  let requests: number;
  let graphUrl: string;

  before(async () => {
    server = createServer((req, res) => {
      requests++;
      handler(req, res);
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

  const client = (options = {}) => new GraphProfileClient({ accessToken: TOKEN, graphUrl, dispatcher: agent, retryDelay: 0, ...options });
  const halfBody = JSON.stringify(adaReply).slice(0, 20);

  const answerAda: Handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(adaReply));
  };

  it("should send through undici's global dispatcher when none is given", async () => {
    handler = answerAda;
    const previous = getGlobalDispatcher();
    const dispatched = sinon.spy(agent, 'dispatch');
    setGlobalDispatcher(agent);
    try {
      expect((await new GraphProfileClient({ accessToken: TOKEN, graphUrl }).fetchProfile(IGSID)).name).to.equal('Ada Lovelace');
    } finally {
      setGlobalDispatcher(previous);
    }
    expect(dispatched.callCount).to.equal(1);
  });

  it('should send through a dispatcher that has only dispatch (another copy of undici)', async () => {
    handler = answerAda;
    const dispatchOnly = { dispatch: (options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) => agent.dispatch(options, handler) };
    const c = new GraphProfileClient({ accessToken: TOKEN, graphUrl, dispatcher: dispatchOnly as unknown as Dispatcher });
    expect((await c.fetchProfile(IGSID)).name).to.equal('Ada Lovelace');
    expect(requests).to.equal(1);
  });

  it('should read a profile over a real connection', async () => {
    handler = (_req, res) => {
      // Not chained: restify, loaded by other tests, patches writeHead to return nothing.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(adaReply));
    };
    expect((await client().fetchProfile(IGSID)).name).to.equal('Ada Lovelace');
  });

  it('should read a body whose characters are split across chunks as UTF-8', async () => {
    const bytes = Buffer.from(JSON.stringify({ ...adaReply, name: 'Zoë 😀' }));
    const split = bytes.indexOf(0xf0) + 2; // inside the emoji
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(bytes.subarray(0, split), () => setImmediate(() => res.end(bytes.subarray(split))));
    };
    expect((await client().fetchProfile(IGSID)).name).to.equal('Zoë 😀');
  });

  it('should time out a reply whose body stalls half way, with GRAPH_TIMEOUT', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(halfBody);
    };
    const startedAt = performance.now();
    const error = await failure(client({ timeout: 50, retries: 0 }).fetchProfile(IGSID));
    expect(error).to.be.instanceOf(GraphRequestError).and.include({ code: 'GRAPH_TIMEOUT' });
    expect(performance.now() - startedAt).to.be.lessThan(1_000);
  });

  it('should retry a connection broken half way through the body, as GRAPH_NETWORK_ERROR', async () => {
    handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write(halfBody, () => req.socket.destroy());
    };
    const error = await failure(client({ retries: 1 }).fetchProfile(IGSID));
    expect(error).to.be.instanceOf(GraphRequestError).and.include({ code: 'GRAPH_NETWORK_ERROR', isTransient: true });
    expect(requests).to.equal(2);
  });

  it('should stop reading a body over maxResponseBytes and drop the connection', async () => {
    let closed!: Promise<void>;
    handler = (req, res) => {
      closed = new Promise((resolve) => req.socket.once('close', () => resolve()));
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(16_384);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    };
    const error = await failure(client({ maxResponseBytes: 2_048 }).fetchProfile(IGSID));
    expect(error).to.include({ code: 'GRAPH_BAD_RESPONSE', status: 200 });
    await closed; // the endless body did not keep the socket
  });
});
