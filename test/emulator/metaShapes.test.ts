import { expect } from 'chai';
import { startEmulator, type Emulator, type Persona, type PersonaEvent } from '../../src/emulator/index.js';
import { loadMetaFixtures, metaFixture } from '../fixtures/meta/index.js';
import { startReceiver } from './receiver.js';

/**
 * Each key path of a JSON value with the type of its leaf: `entry[].messaging[].sender.id:
 * string`. Array elements share one path, so two attachments of one shape count once.
 */
function shape(value: unknown, path = ''): Set<string> {
  const paths = new Set<string>();
  if (Array.isArray(value)) for (const element of value) for (const p of shape(element, `${path}[]`)) paths.add(p);
  else if (value !== null && typeof value === 'object') for (const [key, child] of Object.entries(value)) for (const p of shape(child, path ? `${path}.${key}` : key)) paths.add(p);
  else paths.add(`${path}: ${typeof value}`);
  return paths;
}

const unitOf = (value: unknown) => (typeof value === 'number' ? (value < 1e11 ? 's' : 'ms') : 'none');

/** What the emulator does for each fixture; one line per kind it emulates. */
const EMULATED: Record<string, (p: Persona) => PersonaEvent> = {
  'message-text': (p) => p.event.sends('hi'),
  'message-attachment-image': (p) => p.event.sendsAttachment('image'),
  'message-attachment-video': (p) => p.event.sendsAttachment('video'),
  'message-attachment-audio': (p) => p.event.sendsAttachment('audio'),
  'message-attachment-file': (p) => p.event.sendsAttachment('file'),
  'message-attachment-story-mention': (p) => p.event.sendsAttachment('story_mention'),
  'message-attachment-ig-reel': (p) => p.event.sendsAttachment('ig_reel'),
  'message-attachment-ig-post': (p) => p.event.sendsAttachment('ig_post'),
  'message-attachment-share': (p) => p.event.sendsAttachment('share'),
  'message-reply-to-mid': (p) => p.event.repliesTo('aWdfMID', 'yes, that one'),
  'message-reply-to-story': (p) => p.event.repliesToStory('17900000000000001', 'love this'),
  'message-quick-reply': (p) => p.event.tapsQuickReply('YES', 'Yes'),
  'message-deleted': (p) => p.event.unsends('aWdfMID'),
  'message-edit': (p) => p.event.edits('aWdfMID'),
  'postback-icebreaker': (p) => p.event.tapsIcebreaker('HOURS'),
  'postback-menu': (p) => p.event.tapsMenu('MENU_HUMAN'),
  'reaction-react': (p) => p.event.reacts('aWdfMID'),
  'reaction-unreact': (p) => p.event.unreacts('aWdfMID'),
  read: (p) => p.event.reads('aWdfMID'),
  referral: (p) => p.event.refers('SUMMER'),
  standby: (p) => p.event.sends('hi', { standby: true }),
  comments: (p) => p.event.comments('Nice', { parentId: '17900000000000002' }),
  'mentions-comment': (p) => p.event.mentions('@shop look'),
};

/** Kinds a customer cannot trigger through a persona: the business's own echo, insights, … */
const NOT_EMULATED = ['echo', 'live-comments', 'mentions-caption', 'message-attachment-unsupported-type', 'message-unsupported', 'story-insights'];

describe('Emulator webhooks against Meta fixtures', () => {
  let emulator: Emulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  before(async () => {
    receiver = await startReceiver();
    emulator = await startEmulator({ webhookUrl: receiver.url });
  });

  after(async () => {
    await emulator.close();
    await receiver.close();
  });

  async function delivered(emulatorUnderTest: Emulator, event: PersonaEvent) {
    const delivery = await emulatorUnderTest.deliverBatch([event]);
    return JSON.parse(delivery.rawBody) as { object: string; entry: Array<Record<string, any>> };
  }

  it('should decide, for every fixture, whether the emulator produces that kind', () => {
    const decided = [...Object.keys(EMULATED), ...NOT_EMULATED].sort();
    expect(decided).to.deep.equal(loadMetaFixtures().map((f) => f.name));
  });

  for (const [name, act] of Object.entries(EMULATED)) {
    it(`should send ${name} with Meta's keys, value types and time units`, async () => {
      const fixture = metaFixture(name);
      const body = await delivered(emulator, act(emulator.persona('follower')));
      expect([...shape(body)].sort()).to.deep.equal([...shape(fixture.delivery)].sort());
      const [entry] = body.entry;
      expect(unitOf(entry!.time)).to.equal(fixture.expect.timeUnit);
      const item = (entry!.messaging ?? entry!.standby)?.[0];
      if (item) expect(unitOf(item.timestamp)).to.equal('ms');
    });
  }

  it('should stamp a comment with the delivery time in seconds and a message with it in milliseconds', async () => {
    await emulator.close();
    const now = Date.UTC(2026, 7, 21, 12, 28, 0, 456);
    emulator = await startEmulator({ webhookUrl: receiver.url, now: () => now });
    const persona = emulator.persona('commenter');
    const comment = await delivered(emulator, persona.event.comments('Love it'));
    const message = await delivered(emulator, persona.event.sends('hi'));
    expect(comment.entry[0]!.time).to.equal(Math.floor(now / 1000));
    expect(message.entry[0]!.time).to.equal(now);
    expect(message.entry[0]!.messaging[0].timestamp).to.equal(now);
  });

  it('should deliver @mentions as Meta does per login: a mentions change with Facebook Login, a comment with Instagram Login', async () => {
    const instagram = await startEmulator({ webhookUrl: receiver.url, login: 'instagram' });
    try {
      const viaFacebook = await delivered(emulator, emulator.persona('commenter').event.mentions('@shop look'));
      const viaInstagram = await delivered(instagram, instagram.persona('commenter').event.mentions('@shop look'));
      expect(viaFacebook.entry[0]!.changes[0].field).to.equal('mentions');
      expect(viaFacebook.entry[0]!.changes[0].value).to.have.keys('comment_id', 'media_id');
      expect(viaInstagram.entry[0]!.changes[0].field).to.equal('comments');
      expect([...shape(viaInstagram)].sort()).to.deep.equal([...shape(metaFixture('comments').delivery)].filter((p) => !p.includes('parent_id')).sort());
      expect(viaInstagram.entry[0]!.changes[0].value).to.deep.include({ text: '@shop look', from: { id: instagram.persona('commenter').igsid, username: 'carl.comments' } });
    } finally {
      await instagram.close();
    }
  });
});
