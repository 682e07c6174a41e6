import { expect } from 'chai';
import { startPlayground } from '../../playground/start.js';

describe('the playground server', function () {
  this.timeout(20_000);
  let running: Awaited<ReturnType<typeof startPlayground>>;
  const post = (path: string, body: unknown) => fetch(new URL(path, running.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  before(async () => {
    running = await startPlayground({ port: 0 });
  });
  after(() => running?.close());

  it('should list the personas and name the bot', async () => {
    const state = (await (await fetch(new URL('/api/state', running.url))).json()) as { bot: string; personas: Array<{ key: string; blocked: boolean }> };
    expect(state.bot).to.equal('botbuilder greeter');
    expect(state.personas.map((p) => p.key)).to.include.members(['follower', 'blocked', 'commenter']);
    expect(state.personas.every((p) => p.blocked === false)).to.equal(true);
  });

  it('should answer two actions sent at once for one persona in order, each with its own reply', async () => {
    const [first, second] = await Promise.all([post('/api/act/mutual', { kind: 'message', text: 'one' }), post('/api/act/mutual', { kind: 'message', text: 'two' })]);
    expect([first.status, second.status]).to.deep.equal([200, 200]);
    const thread = (await second.json()) as { lines: Array<{ from: string; text: string; pending?: boolean }>; calls: { persona: number } };
    expect(thread.lines.map((l) => `${l.from}:${l.text.slice(0, 7)}`)).to.deep.equal(['user:one', 'bot:Hi Alan', 'user:two', 'bot:Hi Alan']);
    expect(thread.lines.filter((l) => l.pending)).to.deep.equal([]);
    expect(thread.calls.persona).to.equal(1);
  });

  it('should make a persona follow or unfollow the business, as the persona list shows', async () => {
    const unfollowed = (await (await post('/api/follow/emoji', { follows: false })).json()) as { follows: boolean; followNote: string | null };
    expect(unfollowed).to.include({ follows: false, followNote: 'No longer follows the business' });
    expect(running.emulator.persona('emoji').followsBusiness).to.equal(false);
    const listed = async () => ((await (await fetch(new URL('/api/state', running.url))).json()) as { personas: Array<{ key: string; followsBusiness: boolean }> }).personas.find((p) => p.key === 'emoji');
    expect((await listed())?.followsBusiness).to.equal(false);
    const followed = (await (await post('/api/follow/emoji', { follows: true })).json()) as { follows: boolean; followNote: string | null };
    expect(followed).to.include({ follows: true, followNote: null });
    expect((await listed())?.followsBusiness).to.equal(true);
    expect((await post('/api/follow/nobody', { follows: true })).status).to.equal(404);
  });

  it('should forget what the bot cached for a persona', async () => {
    await post('/api/act/follower', { kind: 'message', text: 'hi' });
    expect(running.bot.profiles.cache.peek(running.emulator.businessId, running.emulator.persona('follower').igsid)?.status).to.equal('ok');
    const thread = (await (await post('/api/forget/follower', {})).json()) as { cache: { state: string } };
    expect(thread.cache.state).to.equal('empty');
    expect(running.bot.profiles.cache.peek(running.emulator.businessId, running.emulator.persona('follower').igsid)).to.equal(undefined);
  });

  it('should refuse an unknown persona, action or Graph mode, and a body that is not a JSON object', async () => {
    const answers = await Promise.all([
      post('/api/act/nobody', { kind: 'message', text: 'hi' }),
      post('/api/act/follower', { kind: 'dance' }),
      post('/api/graph', { mode: 'sideways' }),
      post('/api/block/follower', 'not json'),
      post('/api/block/follower', '[]'),
      fetch(new URL('/api/nothing', running.url)),
    ]);
    expect(answers.map((a) => a.status)).to.deep.equal([404, 400, 400, 400, 400, 404]);
    expect(((await answers[0]!.json()) as { error: string }).error).to.equal('no persona "nobody"');
  });

  it('should refuse a body larger than 64 KiB', async () => {
    const response = await post('/api/act/follower', { kind: 'message', text: 'x'.repeat(70_000) });
    expect(response.status).to.equal(413);
  });

  it('should serve only the flat files of playground/public', async () => {
    const page = await fetch(new URL('/', running.url));
    expect(page.headers.get('content-type')).to.equal('text/html; charset=utf-8');
    expect(await page.text()).to.contain('<link rel="icon" href="favicon.svg"');
    const refused = await Promise.all(['/package.json', '/%2e%2e/start.ts', '/public/app.js', '/bot.ts'].map((path) => fetch(new URL(path, running.url))));
    expect(refused.map((r) => r.status)).to.deep.equal([404, 404, 404, 404]);
  });
});
