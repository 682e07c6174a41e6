import { expect } from 'chai';
import { playgroundForSuite, screenshot } from './browser.js';

describe('the playground in a real browser: the switches', function () {
  this.timeout(60_000);
  const open = playgroundForSuite();
  const { thread } = open;
  afterEach(async () => {
    await thread.setGraph('normal');
    if (await open.page.isChecked('#block-business')) await thread.setBlocked(false);
  });

  describe('slow Graph', () => {
    it('should show a sent message at once as pending, with the bot typing, until the bot answers', async () => {
      await thread.choose('no-name');
      await thread.setGraph('slow');
      expect(await thread.text('#graph-hint')).to.equal("Profile reads take 2.5 s, past the bot's 2 s deadline: it answers without a name.");
      await thread.type('hi');
      const pending = open.page.locator('.bubble.user.pending');
      await pending.waitFor({ timeout: 1_000 });
      expect(await pending.locator('.text').textContent()).to.equal('hi');
      expect(await pending.getAttribute('data-status')).to.equal('Sending…');
      expect(await open.page.locator('.typing').isVisible()).to.equal(true);
      await screenshot(open.page, 'desktop-slow-pending');
      await thread.settled();
      expect(await open.page.locator('.bubble.user.pending').count()).to.equal(0);
      expect(await open.page.locator('.typing').count()).to.equal(0);
      expect(await thread.lastBotText()).to.equal('Hi there! How can we help?');
      expect(await thread.text('#calls-explained')).to.equal("Last action: 1 Graph call, abandoned at the bot's 2 s deadline: Graph was too slow, and no time was left to retry.");
    });

    it('should queue what is sent meanwhile, in order, and keep text typed but not sent', async () => {
      await thread.choose('rtl');
      await thread.setGraph('slow');
      await thread.type('first');
      await thread.type('second');
      await open.page.fill('#message-input', 'a draft');
      expect(await open.page.locator('.bubble.user.pending').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-status')))).to.deep.equal(['Sending…', 'Queued']);
      await thread.settled(20_000);
      expect(await open.page.locator('.bubble.user .text').allTextContents()).to.deep.equal(['first', 'second']);
      expect(await thread.botTexts()).to.have.length(2);
      expect(await open.page.inputValue('#message-input')).to.equal('a draft');
      const order = await open.page.locator('#messages > li').evaluateAll((nodes) => nodes.map((n) => n.className));
      expect(order).to.deep.equal(['bubble user', 'bubble bot', 'bubble user', 'bubble bot']);
    });

    it('should keep a reply to one persona out of the thread of another chosen meanwhile', async () => {
      await thread.choose('no-picture');
      await thread.setGraph('slow');
      await thread.type('hello?');
      await open.page.click('.persona[data-key="follower"]');
      await thread.settled();
      expect(await thread.text('#thread-name')).to.equal('Ada Lovelace');
      expect(await open.page.locator('.bubble.user .text').allTextContents()).to.not.include('hello?');
      await thread.choose('no-picture');
      expect(await open.page.locator('.bubble.user .text').allTextContents()).to.deep.equal(['hello?']);
    });
  });

  describe('blocking the business', () => {
    it('should say why a cached profile still greets by name, and forget it on request', async () => {
      await thread.choose('mutual');
      await thread.send('hi');
      expect(await thread.lastBotText()).to.equal('Hi Alan! Always good to hear from a mutual follow. How can we help?');
      await thread.setBlocked(true);
      expect(await open.page.locator('.persona[data-key="mutual"] .badge.blocked').count()).to.equal(1);
      expect(await thread.text('#thread-username')).to.contain('blocked the business');
      expect(await open.page.getAttribute('#cache-card', 'class')).to.contain('warn');
      expect(await thread.text('#cache-text')).to.match(/^Blocked, yet the bot still greets by name: it cached the profile at \d\d:\d\d:\d\d for 1 h \(until about \d\d:\d\d:\d\d\), and Instagram sends no webhook for a block\./);
      expect(await thread.text('#forget-profile')).to.equal('Forget cached profile');
      // The panel scrolls on a laptop-sized window: the picture should show the button the text asks for.
      await open.page.locator('#forget-profile').scrollIntoViewIfNeeded();
      await screenshot(open.page, 'desktop-blocked-cached');

      await thread.forget();
      expect(await thread.text('#cache-text')).to.equal('Nothing cached: the next message makes a Graph call, which Instagram now refuses: the person blocked the business.');
      expect(await open.page.isHidden('#forget-profile')).to.equal(true);
      await thread.send('still there?');
      expect(await thread.lastBotText()).to.equal('Hi there! How can we help?');
      expect(await thread.text('#lookup-status')).to.equal('not-found');
      expect(await thread.text('#calls-persona')).to.equal('2');
    });

    it('should explain the remembered not-found after an unblock, and clear it on request', async () => {
      await thread.choose('verified');
      await thread.setBlocked(true);
      await thread.send('hi');
      expect(await thread.text('#lookup-status')).to.equal('not-found');
      expect(await thread.lastBotText()).to.equal('Hi there! How can we help?');

      await thread.setBlocked(false);
      expect(await thread.text('#cache-text')).to.match(/^Unblocked, yet the bot still answers without a name: it got "not found" at \d\d:\d\d:\d\d and remembers it for 60 s \(until about \d\d:\d\d:\d\d\), and unblocking sends the bot no webhook\./);
      expect(await thread.text('#forget-profile')).to.equal('Forget the remembered "not found"');
      await thread.send('hello again');
      expect(await thread.lastBotText()).to.equal('Hi there! How can we help?');
      expect(await thread.text('#calls-explained')).to.equal('Last action: No Graph call: the bot answered from its remembered "not found".');
      await screenshot(open.page, 'desktop-remembered-not-found');

      await thread.forget();
      await thread.send('and now?');
      expect(await thread.lastBotText()).to.equal('Hi Nova, thanks for reaching out! Our partnerships team handles creator requests and will reply here personally.');
      expect(await thread.text('#lookup-status')).to.equal('profile from the Graph API');
    });
  });

  describe('failing Graph', () => {
    it('should count every retry, and say why one message made several calls', async () => {
      await thread.choose('non-follower');
      await thread.setGraph('failing');
      await thread.send('anyone?');
      expect(await thread.lastBotText()).to.equal('Hi there! How can we help?');
      const calls = Number(await thread.text('#calls-persona'));
      expect(calls, 'the first call, then retries').to.be.greaterThan(1);
      const retries = calls - 1;
      expect(await thread.text('#calls-retries')).to.equal(`of which ${retries} ${retries === 1 ? 'retry' : 'retries'}`);
      // A footnote to the count, not a second count (a lost style once drew it at 22 px).
      const sizes = await open.page.evaluate(() => ['calls-persona', 'calls-retries'].map((id) => parseFloat(getComputedStyle(document.getElementById(id)!).fontSize)));
      expect(sizes[1]).to.be.lessThan(sizes[0]! / 1.5);
      expect(await thread.text('#calls-explained')).to.match(new RegExp(`^Last action: ${calls} Graph calls for one message: 1 request and ${retries} retr(y|ies)\\. The bot retries a transient failure .* up to 2 times, .* within its 2 s deadline\\. Every try failed, so the bot answered without a profile\\.$`));
      await screenshot(open.page, 'desktop-retries');
    });
  });
});
