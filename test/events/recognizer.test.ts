import { expect } from 'chai';
import { createEventRecognizer, recognizeInstagramEvent } from '../../src/events/index.js';
import { activities, BUSINESS_ID } from '../support/activities.js';

const IGSID = '1001';
const recognize = createEventRecognizer({ icebreakerPayloads: ['HOURS'], persistentMenuPayloads: ['HUMAN'], instagramAccountIds: [BUSINESS_ID] });

/** An activity as Botkit's Facebook adapter makes it: channelId 'facebook', the raw item in channelData. */
function facebookActivity(item: Record<string, unknown>) {
  return { type: 'message', channelId: 'facebook', channelData: item, text: null };
}

describe('createEventRecognizer', () => {
  describe('with InstagramAdapter activities', () => {
    it('should recognise a text message as a consent-granting message', () => {
      const event = recognize(activities.message(IGSID, 'hello'));
      expect(event).to.deep.include({ kind: 'message', igsid: IGSID, businessId: BUSINESS_ID, grantsConsent: true, text: 'hello' });
      expect(event?.mid).to.be.a('string');
    });

    it('should recognise a quick reply with its payload', () => {
      expect(recognize(activities.quickReply(IGSID, 'YES'))).to.deep.include({ kind: 'quick_reply', payload: 'YES', text: 'Yes', grantsConsent: true });
    });

    it('should tell ice breakers, menu taps and other postbacks apart by payload', () => {
      expect(recognize(activities.postback(IGSID, 'HOURS', 'Hours?'))).to.deep.include({ kind: 'icebreaker', title: 'Hours?', payload: 'HOURS', grantsConsent: true });
      expect(recognize(activities.postback(IGSID, 'HUMAN'))).to.deep.include({ kind: 'persistent_menu', payload: 'HUMAN', grantsConsent: true });
      expect(recognize(activities.postback(IGSID, 'OTHER'))).to.deep.include({ kind: 'postback', payload: 'OTHER', grantsConsent: true });
    });

    it('should recognise reads, reactions and comments as granting no consent', () => {
      expect(recognize(activities.read(IGSID))).to.deep.include({ kind: 'read', igsid: IGSID, grantsConsent: false });
      expect(recognize(activities.reaction(IGSID))).to.deep.include({ kind: 'reaction', text: '❤️', grantsConsent: false });
      expect(recognize(activities.comment(IGSID, 'Nice'))).to.deep.include({ kind: 'comment', igsid: IGSID, businessId: BUSINESS_ID, text: 'Nice', mid: '18000000000000001', grantsConsent: false });
    });

    it('should take the customer from the recipient of an echo', () => {
      const echo = activities.message(IGSID, 'our reply');
      Object.assign(echo.channelData, { sender: { id: BUSINESS_ID }, recipient: { id: IGSID }, message: { mid: 'm-echo', text: 'our reply', is_echo: true } });
      expect(recognize(echo)).to.deep.include({ kind: 'echo', igsid: IGSID, businessId: BUSINESS_ID, grantsConsent: false });
    });

    it('should recognise edits, referrals and unknown items', () => {
      const make = (item: Record<string, unknown>) => ({ channelId: 'instagram', channelData: { sender: { id: IGSID }, recipient: { id: BUSINESS_ID }, ...item } });
      expect(recognize(make({ message_edit: { mid: 'm1', text: 'fixed', num_edit: 1 } }))).to.deep.include({ kind: 'edit', text: 'fixed', grantsConsent: false });
      expect(recognize(make({ referral: { ref: 'summer-ad', source: 'ADS', type: 'OPEN_THREAD' } }))).to.deep.include({ kind: 'referral', payload: 'summer-ad', grantsConsent: false });
      expect(recognize(make({ something_new: {} }))).to.deep.include({ kind: 'other', grantsConsent: false });
    });

    it('should keep a deleted message a message without text', () => {
      const event = recognize({ channelId: 'instagram', channelData: { sender: { id: IGSID }, recipient: { id: BUSINESS_ID }, message: { mid: 'm1', is_deleted: true } } });
      expect(event).to.deep.equal({ kind: 'message', igsid: IGSID, businessId: BUSINESS_ID, grantsConsent: true, mid: 'm1' });
    });
  });

  describe("with Botkit's Facebook adapter activities", () => {
    it('should recognise Instagram only when the recipient is a configured account', () => {
      const item = { sender: { id: IGSID }, recipient: { id: BUSINESS_ID }, message: { mid: 'm1', text: 'hi' } };
      expect(recognize(facebookActivity(item))).to.deep.include({ kind: 'message', igsid: IGSID, grantsConsent: true });
      expect(recognize(facebookActivity({ ...item, recipient: { id: '999' } }))).to.equal(undefined);
      expect(createEventRecognizer()(facebookActivity(item))).to.equal(undefined);
    });

    it('should recognise an echo by its sender being the configured account', () => {
      const echo = { sender: { id: BUSINESS_ID }, recipient: { id: IGSID }, message: { mid: 'm1', text: 'hi', is_echo: true } };
      expect(recognize(facebookActivity(echo))).to.deep.include({ kind: 'echo', igsid: IGSID });
    });

    it('should recognise a postback from channelData, whatever the activity text', () => {
      const tap = { sender: { id: IGSID }, recipient: { id: BUSINESS_ID }, postback: { mid: 'm2', title: 'Hours?', payload: 'HOURS' } };
      expect(recognize({ ...facebookActivity(tap), text: 'HOURS' })).to.deep.include({ kind: 'icebreaker', title: 'Hours?' });
    });
  });

  describe('with malformed input', () => {
    const hostile: Array<[string, unknown]> = [
      ['undefined', undefined],
      ['null', null],
      ['a number', 42],
      ['a string', 'instagram'],
      ['an array', [activities.message(IGSID)]],
      ['no channelData', { channelId: 'instagram' }],
      ['channelData a string', { channelId: 'instagram', channelData: '{"sender":{"id":"1"}}' }],
      ['a numeric sender id', { channelId: 'instagram', channelData: { sender: { id: 1001 }, message: {} } }],
      ['a path in the sender id', { channelId: 'instagram', channelData: { sender: { id: '../me' }, message: {} } }],
      ['a query in the sender id', { channelId: 'instagram', channelData: { sender: { id: '1?fields=x' }, message: {} } }],
      ['a newline in the sender id', { channelId: 'instagram', channelData: { sender: { id: '1001\n' }, message: {} } }],
      ['full-width digits', { channelId: 'instagram', channelData: { sender: { id: '１００１' }, message: {} } }],
      ['a 33-digit id', { channelId: 'instagram', channelData: { sender: { id: '1'.repeat(33) }, message: {} } }],
      ['an empty id', { channelId: 'instagram', channelData: { sender: { id: '' }, message: {} } }],
      ['a comment without from', { channelId: 'instagram', channelData: { field: 'comments', value: { text: 'x' } } }],
      ['another channel', { ...activities.message(IGSID), channelId: 'msteams' }],
    ];
    for (const [label, input] of hostile) {
      it(`should give undefined for ${label}`, () => {
        expect(recognize(input)).to.equal(undefined);
      });
    }

    it('should give undefined, not throw, for getters that throw and throwing proxies', () => {
      const trap = new Proxy({}, { get: () => { throw new Error('boom'); } });
      const getter = { channelId: 'instagram', get channelData(): unknown { throw new Error('boom'); } };
      expect(recognize(trap)).to.equal(undefined);
      expect(recognize(getter)).to.equal(undefined);
      expect(recognize({ channelId: 'instagram', channelData: trap })).to.equal(undefined);
    });

    it('should ignore values of the wrong type instead of copying them', () => {
      const event = recognize({ channelId: 'instagram', channelData: { sender: { id: IGSID }, recipient: { id: 'biz' }, message: { mid: 7, text: { evil: true } } } });
      expect(event).to.deep.equal({ kind: 'message', igsid: IGSID, grantsConsent: true });
    });

    it('should not be fooled by prototype keys', () => {
      const channelData = JSON.parse('{"__proto__":{"message":{"text":"x"}},"sender":{"id":"1001"}}');
      // An own "__proto__" key is data, not a message: the item is only 'other'.
      expect(recognize({ channelId: 'instagram', channelData })?.kind).to.equal('other');
      expect(({} as Record<string, unknown>).message).to.equal(undefined);
    });
  });

  describe('options', () => {
    it('should reject options that are not iterables of strings, naming them', () => {
      expect(() => createEventRecognizer({ icebreakerPayloads: 'HOURS' as never })).to.throw(TypeError, /icebreakerPayloads/);
      expect(() => createEventRecognizer({ persistentMenuPayloads: [1] as never })).to.throw(TypeError, /persistentMenuPayloads/);
      expect(() => createEventRecognizer({ instagramAccountIds: ['acct-1'] })).to.throw(TypeError, /instagramAccountIds/);
      expect(() => createEventRecognizer(null as never)).to.throw(TypeError);
    });

    it('should accept any iterable, such as a Set', () => {
      const fromSet = createEventRecognizer({ icebreakerPayloads: new Set(['HOURS']) });
      expect(fromSet(activities.postback(IGSID, 'HOURS'))?.kind).to.equal('icebreaker');
    });

    it('should recognise every postback as postback without options', () => {
      expect(recognizeInstagramEvent(activities.postback(IGSID, 'HOURS'))?.kind).to.equal('postback');
      expect(recognizeInstagramEvent(activities.postback(IGSID, 'HOURS'), { icebreakerPayloads: ['HOURS'] })?.kind).to.equal('icebreaker');
    });
  });
});
