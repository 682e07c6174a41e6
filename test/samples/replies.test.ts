import { expect } from 'chai';
import type { InstagramEvent, ProfileLookup } from '../../src/index.js';
import { replyTo } from '../../samples/shared/replies.js';

const ada: ProfileLookup = { status: 'ok', source: 'graph', profile: { id: '1001', name: 'Ada Lovelace', profilePic: null, isUserFollowBusiness: true, isBusinessFollowUser: false } };
const message: InstagramEvent = { kind: 'message', igsid: '1001', businessId: '17841400000000001', grantsConsent: true };
const icebreaker: InstagramEvent = { ...message, kind: 'icebreaker', payload: 'HOURS' };
const reaction: InstagramEvent = { ...message, kind: 'reaction', grantsConsent: false };

describe('the greeters thank a new follower (samples/shared/replies.ts)', () => {
  it('should thank a person who just followed, with the usual offer', () => {
    const reply = replyTo(message, ada, { followed: true });
    expect(reply?.text).to.equal('Thanks for the follow, Ada! Welcome aboard. How can we help?');
    expect(reply?.quickReplies?.map(([, payload]) => payload)).to.deep.equal(['HOURS', 'SHIPPING']);
  });

  it('should greet as before when nothing changed or the person did not just follow', () => {
    const usual = replyTo(message, ada)?.text;
    expect(usual).to.equal('Hi Ada! Thanks for following us. How can we help?');
    expect(replyTo(message, ada, { followed: false })?.text).to.equal(usual);
  });

  it('should put the thanks before the answer to a tap', () => {
    expect(replyTo(icebreaker, ada, { followed: true })?.text).to.match(/^Thanks for the follow, Ada! We're open/);
    expect(replyTo(icebreaker, ada)?.text).to.match(/^Hi Ada! We're open/);
  });

  it('should stay silent for an event that grants no consent, even after a follow', () => {
    expect(replyTo(reaction, ada, { followed: true })).to.equal(undefined);
  });
});
