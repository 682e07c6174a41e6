import { expect } from 'chai';
import { playgroundForSuite } from './browser.js';

describe('the playground in a real browser: a conversation', function () {
  this.timeout(60_000);
  const open = playgroundForSuite();
  const { thread } = open;

  it('should greet the follower by first name after "hi", loading the profile from Graph', async () => {
    await thread.choose('follower');
    await thread.send('hi');
    expect(await thread.lastBotText()).to.equal('Hi Ada! Thanks for following us. How can we help?');
    expect(await thread.text('#lookup-status')).to.equal('profile from the Graph API');
    expect(await thread.text('#calls-persona')).to.equal('1');
    expect(await thread.text('#calls-explained')).to.equal('Last action: 1 Graph call: the profile was read, and is now cached.');
    expect(await thread.text('#cache-text')).to.match(/^Profile cached at \d\d:\d\d:\d\d for 1 h \(until about \d\d:\d\d:\d\d\): later messages make no Graph call, except the first one after \d\d:\d\d:\d\d, which re-reads the follow flags\.$/);
  });

  it('should answer an ice breaker tap from another persona, by payload', async () => {
    await thread.choose('emoji');
    await open.page.click('#icebreakers .chip:has-text("What are your opening hours?")');
    await thread.settled();
    expect(await thread.botTexts()).to.deep.equal(["Hi Mei! We're open Monday to Saturday, 9:00–18:00."]);
  });

  it('should take the other branch for a non-follower, and keep one Graph call per persona', async () => {
    await thread.choose('non-follower');
    await thread.send('hello');
    expect(await thread.lastBotText()).to.equal('Hi Grace! Follow us to hear about new drops first. How can we help?');
    await thread.send('are you there?');
    expect(await thread.botTexts()).to.have.length(2);
    expect(await thread.text('#lookup-status')).to.equal('profile from the cache');
    expect(await thread.text('#calls-persona')).to.equal('1');
    expect(await thread.text('#calls-total')).to.equal('3');
    expect(await thread.text('#calls-explained')).to.equal("Last action: No Graph call: the profile came from the bot's cache, read less than 10 s earlier, so its follow flags were not re-read.");
  });

  it('should say that Instagram delivered nothing from a persona who blocked the business', async () => {
    await thread.choose('blocked');
    await thread.send('hi');
    expect(await open.page.locator('.system.bad').textContent()).to.equal('Instagram delivered nothing: this person has blocked the business.');
    expect(await thread.botTexts()).to.deep.equal([]);
    expect(await open.page.locator('#notice').isHidden()).to.equal(true);
  });

  it('should show a comment as a comment, with no DM and no Graph call', async () => {
    await thread.choose('commenter');
    await open.page.fill('#comment-input', 'Nice post!');
    await open.page.press('#comment-input', 'Enter');
    await thread.settled();
    expect(await open.page.locator('.system').first().textContent()).to.equal('💬 commented on a post: “Nice post!” (comments grant no consent: no DM)');
    expect(await thread.botTexts()).to.deep.equal([]);
    expect(await thread.text('#calls-persona')).to.equal('0');
  });
});
