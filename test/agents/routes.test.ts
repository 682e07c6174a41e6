import { expect } from 'chai';
import type { TurnContext } from '@microsoft/agents-hosting';
import { instagramEvent, instagramPayload } from '../../src/agents/index.js';
import { activities } from '../support/activities.js';

const ADA = '1001';
const contextOf = (activity: object) => ({ activity, turnState: new Map() }) as unknown as TurnContext;

describe('Agents SDK route selectors', () => {
  describe('instagramPayload', () => {
    it('should match postbacks and quick replies by payload, and nothing else', async () => {
      const hours = instagramPayload('HOURS');
      expect(await hours(contextOf(activities.postback(ADA, 'HOURS')))).to.equal(true);
      expect(await hours(contextOf(activities.quickReply(ADA, 'HOURS')))).to.equal(true);
      expect(await hours(contextOf(activities.postback(ADA, 'SHIPPING')))).to.equal(false);
      expect(await hours(contextOf(activities.message(ADA, 'HOURS')))).to.equal(false);
      expect(await hours(contextOf({ type: 'message', channelId: 'msteams', value: 'HOURS', text: 'HOURS' }))).to.equal(false);
    });

    it('should match any of several payloads', async () => {
      const either = instagramPayload(['HOURS', 'MENU_HOURS']);
      expect(await either(contextOf(activities.postback(ADA, 'MENU_HOURS')))).to.equal(true);
      expect(await either(contextOf(activities.postback(ADA, 'MENU_ORDER')))).to.equal(false);
    });

    it('should match a global RegExp every time, not every other time', async () => {
      const menu = instagramPayload(/^MENU_/g);
      const tap = contextOf(activities.postback(ADA, 'MENU_ORDER'));
      expect([await menu(tap), await menu(tap), await menu(tap)]).to.deep.equal([true, true, true]);
    });

    it('should throw a TypeError for a pattern that is not a string, an array of strings or a RegExp', () => {
      expect(() => instagramPayload(42 as never)).to.throw(TypeError, /instagramPayload/);
      expect(() => instagramPayload(['HOURS', 1] as never)).to.throw(TypeError, /instagramPayload/);
    });
  });

  describe('instagramEvent', () => {
    it('should match Instagram events by kind', async () => {
      const commentsOrReads = instagramEvent(['comment', 'read']);
      expect(await commentsOrReads(contextOf(activities.comment(ADA)))).to.equal(true);
      expect(await commentsOrReads(contextOf(activities.read(ADA)))).to.equal(true);
      expect(await commentsOrReads(contextOf(activities.reaction(ADA)))).to.equal(false);
      expect(await instagramEvent('reaction')(contextOf(activities.reaction(ADA)))).to.equal(true);
    });
  });
});
