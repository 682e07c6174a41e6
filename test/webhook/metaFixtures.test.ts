import { expect } from 'chai';
import { createEventRecognizer } from '../../src/events/index.js';
import { webhookSignature } from '../../src/platform/signatures.js';
import type { InboundActivity } from '../../src/webhook/activity.js';
import { WebhookCore } from '../../src/webhook/core.js';
import { loadMetaFixtures, type MetaFixture } from '../fixtures/meta/index.js';

const SECRET = 'meta-fixture-secret';

/** What Meta's delivery should become: every item one activity, at Meta's time, about the customer it names. */
function timeOf(fixture: MetaFixture): number {
  const time = fixture.delivery.entry[0]!.time as number;
  return fixture.expect.timeUnit === 's' ? time * 1000 : time;
}

async function activitiesOf(fixture: MetaFixture): Promise<{ status: number; ran: InboundActivity[] }> {
  // The clock a second after Meta sent it: old example times are not "older than the window" then.
  const webhook = new WebhookCore({ appSecret: SECRET, verifyToken: 'v', accessToken: 't', now: () => timeOf(fixture) + 1_000 });
  const raw = JSON.stringify(fixture.delivery);
  const res = { statusCode: 0, setHeader: () => undefined, end: () => undefined };
  const ran: InboundActivity[] = [];
  await webhook.handle({ method: 'POST', headers: { 'x-hub-signature-256': webhookSignature(raw, SECRET) }, rawBody: Buffer.from(raw) }, res, async (activity) => void ran.push(activity));
  await webhook.drain();
  return { status: res.statusCode, ran };
}

const CONSENT_KINDS = new Set(['message', 'quick_reply', 'icebreaker', 'persistent_menu', 'postback']);

describe("Meta's documented webhook deliveries (test/fixtures/meta)", () => {
  const recognize = createEventRecognizer({ icebreakerPayloads: ['HOURS', 'SHIPPING', 'TALK_TO_HUMAN'], persistentMenuPayloads: ['MENU_HOURS', 'MENU_ORDER', 'MENU_HUMAN'] });
  const fixtures = loadMetaFixtures();

  it('should have a fixture for every item kind the adapter handles', () => {
    const kinds = new Set(fixtures.map((f) => (f.expect.itemKind === 'change' ? `change:${f.expect.field}` : f.expect.itemKind)));
    for (const kind of ['message', 'postback', 'reaction', 'read', 'edit', 'referral', 'echo', 'change:comments', 'change:live_comments', 'change:mentions']) {
      expect(kinds, kind).to.include(kind);
    }
    for (const fixture of fixtures) expect(fixture.source, fixture.name).to.be.an('array').that.is.not.empty;
  });

  for (const fixture of fixtures) {
    describe(fixture.name, () => {
      it('should run one turn per item, at the time Meta sent, about the customer it names', async () => {
        const { status, ran } = await activitiesOf(fixture);
        expect(status).to.equal(200);
        expect(ran).to.have.length(1);
        const activity = ran[0]!;
        expect(activity.channelId).to.equal('instagram');
        expect(activity.timestamp.getTime()).to.be.within(timeOf(fixture) - 60_000, timeOf(fixture));
        expect(activity.from.id).to.equal(fixture.expect.customerId ?? fixture.expect.businessId);
        expect(activity.recipient.id).to.equal(fixture.expect.businessId);
        expect(activity.conversation.id).to.equal(activity.from.id);
      });

      it('should be recognised the same from the adapter’s activity and from its JSON, granting consent only for messages and taps', async () => {
        const { ran } = await activitiesOf(fixture);
        const activity = ran[0]!;
        const event = recognize(activity);
        // Serialised and back: the recogniser reads the raw item itself, and must agree.
        const again = recognize(JSON.parse(JSON.stringify(activity)));
        expect(again).to.deep.equal(event);
        expect(event, 'recognised').to.not.equal(undefined);
        expect(event!.igsid).to.equal(activity.from.id);
        expect(event!.grantsConsent).to.equal(CONSENT_KINDS.has(event!.kind));
        if (fixture.expect.itemKind === 'postback') expect(event!.kind).to.be.oneOf(['icebreaker', 'persistent_menu']);
        if (fixture.expect.field === 'comments' || fixture.expect.field === 'live_comments') expect(event!.kind).to.equal('comment');
        if (fixture.expect.itemKind === 'echo') expect(event!.grantsConsent).to.equal(false);
      });
    });
  }
});
