import { expect } from 'chai';
import { activitiesFromEntries } from '../../src/webhook/toActivities.js';
import { BUSINESS, CUSTOMER, messaging } from '../adapter/helpers.js';

const SERVICE_URL = 'https://graph.facebook.com';
const ENTRY = { id: BUSINESS, time: 1_752_834_911_539 };

function one(item: Record<string, unknown>, key: 'messaging' | 'standby' = 'messaging') {
  const turns = activitiesFromEntries([{ ...ENTRY, [key]: [item] }], SERVICE_URL);
  expect(turns).to.have.length(1);
  return turns[0]!;
}

describe('activitiesFromEntries (webhook → Activity)', () => {
  it('should map a text message with the customer as from, the business as recipient and the IGSID as conversation', () => {
    const item = messaging(CUSTOMER, { message: { mid: 'aWdfMID1', text: 'hello' } }, BUSINESS, 1_752_834_910_447);
    const { activity, queueKey } = one(item);
    expect(activity).to.deep.include({
      type: 'message',
      id: 'aWdfMID1',
      text: 'hello',
      channelId: 'instagram',
      serviceUrl: SERVICE_URL,
      from: { id: CUSTOMER, role: 'user' },
      recipient: { id: BUSINESS, role: 'bot' },
      conversation: { id: CUSTOMER },
    });
    expect(activity.timestamp?.getTime()).to.equal(1_752_834_910_447);
    expect(activity.channelData).to.deep.equal({ ...item, object: 'instagram', entry: ENTRY });
    expect(queueKey).to.equal(`${BUSINESS}/${CUSTOMER}`);
  });

  it('should put a quick reply payload in value and keep its text', () => {
    const { activity } = one(messaging(CUSTOMER, { message: { mid: 'm', text: 'Yes', quick_reply: { payload: 'YES_PLEASE' } } }));
    expect(activity).to.include({ type: 'message', text: 'Yes', value: 'YES_PLEASE' });
  });

  it('should map a postback (ice breaker or menu tap) to a message whose text is the title and value the payload', () => {
    const { activity, dedupeKey } = one(messaging(CUSTOMER, { postback: { mid: 'aWdfPB', title: 'Opening hours?', payload: 'HOURS' } }));
    expect(activity).to.include({ type: 'message', id: 'aWdfPB', text: 'Opening hours?', value: 'HOURS' });
    expect(dedupeKey).to.contain('aWdfPB');
  });

  it('should map attachments to contentUrl and a content type by kind', () => {
    const { activity } = one(
      messaging(CUSTOMER, {
        message: {
          mid: 'm',
          attachments: [
            { type: 'image', payload: { url: 'https://cdn.example/i.jpg' } },
            { type: 'file', payload: { url: 'https://cdn.example/f.pdf' } },
            { type: 'ig_reel', payload: { url: 'https://cdn.example/r', reel_video_id: '1' } },
          ],
        },
      }),
    );
    expect(activity.attachments?.map((a) => [a.contentType, a.contentUrl])).to.deep.equal([
      ['image/*', 'https://cdn.example/i.jpg'],
      ['application/octet-stream', 'https://cdn.example/f.pdf'],
      ['application/vnd.instagram.ig_reel', 'https://cdn.example/r'],
    ]);
    expect(activity.attachments?.[2]?.content).to.deep.equal({ url: 'https://cdn.example/r', reel_video_id: '1' });
  });

  it('should map an echo to an instagram/echo event whose from is still the customer', () => {
    const item = { sender: { id: BUSINESS }, recipient: { id: CUSTOMER }, timestamp: 1, message: { mid: 'aWdfE', text: 'our reply', is_echo: true } };
    const { activity } = one(item);
    expect(activity).to.deep.include({ type: 'event', name: 'instagram/echo', from: { id: CUSTOMER, role: 'user' }, recipient: { id: BUSINESS, role: 'bot' } });
    expect(activity.value).to.deep.equal(item.message);
  });

  it('should map react and unreact to messageReaction with reactionsAdded or reactionsRemoved', () => {
    const added = one(messaging(CUSTOMER, { reaction: { mid: 'aWdfR', action: 'react', reaction: 'love', emoji: '❤️' } }));
    const removed = one(messaging(CUSTOMER, { reaction: { mid: 'aWdfR', action: 'unreact', reaction: 'love' } }));
    expect(added.activity).to.deep.include({ type: 'messageReaction', replyToId: 'aWdfR', reactionsAdded: [{ type: '❤️' }] });
    expect(removed.activity).to.deep.include({ type: 'messageReaction', reactionsRemoved: [{ type: 'love' }] });
    expect(added.dedupeKey).to.not.equal(removed.dedupeKey);
  });

  it('should map an edit to messageUpdate carrying the new text', () => {
    const { activity } = one(messaging(CUSTOMER, { message_edit: { mid: 'aWdfM', text: 'fixed', num_edit: 1 } }));
    expect(activity).to.include({ type: 'messageUpdate', id: 'aWdfM', text: 'fixed' });
  });

  it('should map a deleted message to messageDelete without deduplicating it against the original', () => {
    const original = one(messaging(CUSTOMER, { message: { mid: 'aWdfD', text: 'oops' } }));
    const deleted = one(messaging(CUSTOMER, { message: { mid: 'aWdfD', is_deleted: true } }));
    expect(deleted.activity).to.include({ type: 'messageDelete', id: 'aWdfD' });
    expect(deleted.dedupeKey).to.not.equal(original.dedupeKey);
  });

  it('should map reads and referrals to named events', () => {
    expect(one(messaging(CUSTOMER, { read: { mid: 'aWdfX' } })).activity).to.include({ type: 'event', name: 'instagram/read' });
    const referral = one(messaging(CUSTOMER, { referral: { ref: 'summer', source: 'ADS', type: 'OPEN_THREAD' } }));
    expect(referral.activity).to.deep.include({ type: 'event', name: 'instagram/referral', value: { ref: 'summer', source: 'ADS', type: 'OPEN_THREAD' } });
  });

  it('should name unknown messaging items after their payload key', () => {
    expect(one(messaging(CUSTOMER, { optin: { ref: 'x' } })).activity).to.include({ type: 'event', name: 'instagram/optin' });
  });

  it('should map a comment change to an instagram/comment event from the commenter', () => {
    const value = { id: '17865799348089039', from: { id: CUSTOMER, username: 'ada' }, text: 'Love it', media: { id: '1790' } };
    const turns = activitiesFromEntries([{ ...ENTRY, changes: [{ field: 'comments', value }] }], SERVICE_URL);
    expect(turns).to.have.length(1);
    expect(turns[0]!.activity).to.deep.include({
      type: 'event',
      name: 'instagram/comment',
      id: '17865799348089039',
      text: 'Love it',
      from: { id: CUSTOMER, name: 'ada', role: 'user' },
      recipient: { id: BUSINESS, role: 'bot' },
      conversation: { id: CUSTOMER },
      channelData: { object: 'instagram', entry: ENTRY, field: 'comments', value },
    });
  });

  it('should mark standby items and keep entries, standby and changes in order', () => {
    const turns = activitiesFromEntries(
      [
        { ...ENTRY, messaging: [messaging(CUSTOMER, { message: { mid: 'a', text: '1' } })], standby: [messaging(CUSTOMER, { message: { mid: 'b', text: '2' } })] },
        { ...ENTRY, changes: [{ field: 'comments', value: { id: 'c', from: { id: CUSTOMER }, text: '3' } }] },
      ],
      SERVICE_URL,
    );
    expect(turns.map((t) => t.activity.text)).to.deep.equal(['1', '2', '3']);
    expect((turns[1]!.activity.channelData as { standby?: boolean }).standby).to.equal(true);
    expect(turns[0]!.activity.channelData).to.not.have.property('standby');
  });

  it('should skip malformed entries and items instead of failing the delivery', () => {
    const turns = activitiesFromEntries(
      [null, 'x', { id: BUSINESS, messaging: [null, 5, { recipient: { id: BUSINESS } }, messaging(CUSTOMER, { message: { mid: 'ok', text: 'fine' } })], changes: [{ value: {} }] }],
      SERVICE_URL,
    );
    expect(turns.map((t) => t.activity.text)).to.deep.equal(['fine']);
  });
});
