import { createServer, type Server, Socket } from 'node:net';

/** A loopback TCP proxy in front of Redis: cut it (a partition), heal it, or slow every reply. */
export interface RedisProxy {
  readonly port: number;
  /** Drops every connection and refuses new ones until healed. */
  cut(): void;
  heal(): void;
  /** Delay added to each chunk in either direction, in ms. */
  latencyMs: number;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number): Promise<RedisProxy> {
  const sockets = new Set<Socket>();
  let refusing = false;
  const server: Server = createServer((client) => {
    if (refusing) return void client.destroy();
    const upstream = new Socket();
    upstream.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    const forward = (to: Socket) => (chunk: Buffer) => {
      if (proxy.latencyMs > 0) setTimeout(() => to.writable && to.write(chunk), proxy.latencyMs);
      else if (to.writable) to.write(chunk);
    };
    client.on('data', forward(upstream));
    upstream.on('data', forward(client));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const proxy: RedisProxy = {
    port: typeof address === 'object' && address ? address.port : 0,
    latencyMs: 0,
    cut() {
      refusing = true;
      for (const socket of sockets) socket.destroy();
    },
    heal() {
      refusing = false;
    },
    async close() {
      proxy.cut();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return proxy;
}
