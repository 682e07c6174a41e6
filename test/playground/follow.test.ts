import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { DESKTOP, playgroundForSuite, screenshot } from './browser.js';

const THANKS = /^Thanks for the follow, /;

/** The bot bubbles of the open thread that thank for a follow. */
const thanksIn = async (page: Page) => (await page.locator('.bubble.bot').allTextContents()).filter((text) => THANKS.test(text));

/** Seconds since midnight of an hh:mm:ss clock. */
const seconds = (clock: string) => clock.split(':').reduce((sum, part) => sum * 60 + Number(part), 0);

// Follow flags older than 1 ms are re-read on every message: the test never waits for them to age.
for (const bot of ['botbuilder', 'agents'] as const) {
  describe(`the playground in a real browser: "Follows the business" (${bot} greeter)`, function () {
    this.timeout(60_000);
    const open = playgroundForSuite(DESKTOP, { bot, refreshFollowStatusAfter: 1 });
    const { thread } = open;

    it('should thank a persona who starts following exactly once, and show them as a follower', async () => {
      await thread.choose('non-follower');
      expect(await open.page.isChecked('#follows-business')).to.equal(false);
      expect(await open.page.locator('.persona[data-key="non-follower"] .badge.follows').count()).to.equal(0);
      await thread.send('hi');
      expect(await thread.lastBotText()).to.equal('Hi Grace! Follow us to hear about new drops first. How can we help?');

      await thread.setFollows(true);
      expect(await open.page.locator('.persona[data-key="non-follower"] .badge.follows').textContent()).to.equal('follows you');
      expect(await thread.text('#thread-username')).to.equal('@amazing_grace · Now follows the business');
      await thread.send('hello again');
      expect(await thread.lastBotText()).to.equal('Thanks for the follow, Grace! Welcome aboard. How can we help?');
      expect(await thread.text('#calls-explained')).to.equal('Last action: 1 Graph call: the cached follow flags were older than 1 ms, so the bot read the profile again, and found a new follow.');
      await screenshot(open.page, `desktop-follow-thanks-${bot}`);
      // The panel scrolls on a laptop-sized window: show the explanation of the call too.
      await open.page.locator('#calls-explained').scrollIntoViewIfNeeded();
      await screenshot(open.page, `desktop-follow-thanks-${bot}-explained`);

      await thread.send('and again');
      expect(await thread.lastBotText()).to.equal('Hi Grace! Thanks for following us. How can we help?');
      expect(await thread.text('#calls-explained')).to.equal('Last action: 1 Graph call: the cached follow flags were older than 1 ms, so the bot read the profile again; they had not changed.');
      expect(await thread.botTexts()).to.have.length(3);
      expect(await thanksIn(open.page)).to.have.length(1);
    });

    it('should not thank again for an unfollow and a follow that happened between two messages', async () => {
      await thread.choose('no-picture');
      await thread.send('hi');
      await thread.setFollows(true);
      await thread.send('followed you');
      expect(await thread.lastBotText()).to.match(THANKS);

      // The bot reads flags only when the person writes: it never saw Linus leave.
      await thread.setFollows(false);
      await thread.setFollows(true);
      expect(await thread.text('#thread-username')).to.equal('@linus_p · Now follows the business');
      await thread.send('still here');
      expect(await thread.lastBotText()).to.equal('Hi Linus! Thanks for following us. How can we help?');
      expect(await thanksIn(open.page)).to.have.length(1);
    });

    it('should thank again for a new follow once the bot has seen the unfollow', async () => {
      await thread.choose('no-picture');
      await thread.setFollows(false);
      expect(await open.page.locator('.persona[data-key="no-picture"] .badge.follows').count()).to.equal(0);
      expect(await thread.text('#thread-username')).to.equal('@linus_p · No profile picture');
      await thread.send('unfollowed');
      expect(await thread.lastBotText()).to.equal('Hi Linus! Follow us to hear about new drops first. How can we help?');
      expect(await thread.text('#calls-explained')).to.match(/and found that this person no longer follows the business\.$/);

      await thread.setFollows(true);
      await thread.send('back again');
      expect(await thread.lastBotText()).to.equal('Thanks for the follow, Linus! Welcome aboard. How can we help?');
      expect(await thanksIn(open.page)).to.have.length(2);
    });
  });
}

describe('the playground in a real browser: "Follows the business" at its own setting', function () {
  this.timeout(60_000);
  const open = playgroundForSuite();
  const { thread } = open;

  it("should explain in the switch's hint how the bot learns of a follow", async () => {
    expect(open.running.bot.settings.refreshFollowStatusAfterMs).to.equal(10_000);
    expect(await thread.text('#follow-hint')).to.equal('Instagram sends no webhook for a follow: the bot re-reads follow flags older than 10 s when this person next writes, and thanks them once.');
  });

  it('should say when the bot will next re-read the follow flags, and not re-read them sooner', async () => {
    await thread.choose('rtl');
    await thread.send('hi');
    const cached = await thread.text('#cache-text');
    const [, readAt, rereadAfter] = /^Profile cached at (\S+) for 1 h \(until about \S+\): later messages make no Graph call, except the first one after (\S+), which re-reads the follow flags\.$/.exec(cached ?? '') ?? [];
    expect(readAt, cached ?? '').to.be.a('string');
    expect((seconds(rereadAfter!) - seconds(readAt!) + 86_400) % 86_400).to.equal(10);

    await thread.setFollows(true);
    await thread.send('just followed');
    expect(await thanksIn(open.page)).to.deep.equal([]);
    expect(await thread.text('#calls-explained')).to.equal("Last action: No Graph call: the profile came from the bot's cache, read less than 10 s earlier, so its follow flags were not re-read.");
    await screenshot(open.page, 'desktop-follow-not-yet');
  });

  it('should not let a persona who blocked the business follow it', async () => {
    await thread.choose('blocked');
    expect(await open.page.isDisabled('#follows-business')).to.equal(true);
    await thread.choose('follower');
    expect(await open.page.isDisabled('#follows-business')).to.equal(false);
    expect(await open.page.isChecked('#follows-business')).to.equal(true);
  });
});
