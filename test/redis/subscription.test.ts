import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import type { RedisSubscriberLike } from '../../src/redis/clients.js';
import { BusSubscription } from '../../src/redis/subscription.js';

const CHANNEL = 'igp:bus';

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** SUBSCRIBE calls whose replies the test hands out one by one, as Redis would answer them. */
class ControlledReplies {
  readonly sent: { channel: string; answer: () => void; fail: () => void }[] = [];

  /** Redis answers the `index`-th SUBSCRIBE; resolves once the bus has reacted. */
  async answer(index: number): Promise<void> {
    this.sent[index]!.answer();
    await settle();
  }

  /** The `index`-th SUBSCRIBE fails, its connection gone; resolves once the bus has reacted. */
  async fail(index: number): Promise<void> {
    this.sent[index]!.fail();
    await settle();
  }

  subscribe(channel: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.sent.push({ channel, answer: () => resolve(1), fail: () => reject(new Error('Connection is closed.')) });
    });
  }
}

/** An ioredis-shaped subscriber: `call` marks the style, and `ready` comes before its re-SUBSCRIBE is answered. */
function ioredisLike() {
  const replies = new ControlledReplies();
  const client = Object.assign(new EventEmitter(), { status: 'ready', call: () => undefined, subscribe: (channel: string) => replies.subscribe(channel) });
  return { client, replies };
}

/** A node-redis-shaped subscriber: `ready` comes only after its own re-SUBSCRIBE is answered. */
function nodeRedisLike() {
  const replies = new ControlledReplies();
  const client = Object.assign(new EventEmitter(), { isOpen: true, subscribe: (channel: string) => replies.subscribe(channel) });
  return { client, replies };
}

function watch(client: EventEmitter) {
  const seen = { gaps: 0, changes: [] as string[] };
  const bus = new BusSubscription(client as unknown as RedisSubscriberLike, false, CHANNEL, {
    onText: () => undefined,
    onGap: () => (seen.gaps += 1),
    onChange: (why) => seen.changes.push(why),
  });
  return { bus, seen };
}

/** A bus whose first SUBSCRIBE Redis has answered. */
async function subscribed(make: () => { client: EventEmitter; replies: ControlledReplies }) {
  const { client, replies } = make();
  const { bus, seen } = watch(client);
  await settle();
  await replies.answer(0);
  return { client, replies, bus, seen };
}

/** The client says `ready` (ioredis: before its re-SUBSCRIBE is answered); resolves once the bus has reacted. */
async function ready(client: EventEmitter) {
  client.emit('ready');
  await settle();
}

/** The connection drops and comes back. */
async function reconnect(client: EventEmitter) {
  client.emit('close');
  await ready(client);
}

describe('BusSubscription (the bus connection)', () => {
  it('should be up only once Redis has answered the first SUBSCRIBE', async () => {
    const { client, replies } = ioredisLike();
    const { bus, seen } = watch(client);
    await settle();
    expect(replies.sent.map((call) => call.channel)).to.deep.equal([CHANNEL]);
    expect(bus.up).to.equal(false);
    await replies.answer(0);
    expect(bus.up).to.equal(true);
    expect(seen.gaps, 'a first subscription is not a gap').to.equal(0);
    await bus.close();
  });

  it('should report a gap with ioredis only after its re-subscription is acknowledged, not at its ready', async () => {
    const { client, replies, bus, seen } = await subscribed(ioredisLike);
    client.emit('close');
    client.emit('reconnecting');
    expect(bus.up).to.equal(false);
    await ready(client);
    // A message published now would not reach this instance yet: the bus must not say it is up.
    expect(bus.up, 'ready alone').to.equal(false);
    expect(seen.gaps).to.equal(0);
    expect(replies.sent).to.have.length(2);
    await replies.answer(1);
    expect(bus.up).to.equal(true);
    expect(seen.gaps).to.equal(1);
    await bus.close();
  });

  it('should not take an acknowledgement from a connection lost since as up, and report the gap once', async () => {
    const { client, replies, bus, seen } = await subscribed(ioredisLike);
    await reconnect(client);
    client.emit('close');
    // ioredis resends an unanswered command on the next connection, and answers it there.
    await replies.answer(1);
    expect(bus.up, 'an answer that belongs to the connection before').to.equal(false);
    await ready(client);
    await replies.answer(2);
    expect(bus.up).to.equal(true);
    expect(seen.gaps).to.equal(1);
    await bus.close();
  });

  it('should stay down and try again at the next ready when the re-SUBSCRIBE fails', async () => {
    const { client, replies, bus, seen } = await subscribed(ioredisLike);
    await reconnect(client);
    await replies.fail(1);
    expect(bus.up).to.equal(false);
    await ready(client);
    await replies.answer(2);
    expect([bus.up, seen.gaps]).to.deep.equal([true, 1]);
    await bus.close();
  });

  it('should take node-redis’s ready as up, since it comes after its own re-SUBSCRIBE is answered', async () => {
    const { client, replies, bus, seen } = await subscribed(nodeRedisLike);
    client.emit('end');
    expect(bus.up).to.equal(false);
    await ready(client);
    expect([bus.up, seen.gaps, replies.sent.length]).to.deep.equal([true, 1, 1]);
    await bus.close();
  });

  it('should ignore a ready after close', async () => {
    const { client, replies, bus, seen } = await subscribed(ioredisLike);
    client.emit('close');
    await bus.close();
    await ready(client);
    expect([bus.up, seen.gaps, replies.sent.length]).to.deep.equal([false, 0, 1]);
  });
});
