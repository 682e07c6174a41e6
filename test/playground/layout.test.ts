import { expect } from 'chai';
import { DESKTOP, type OpenPlayground, PHONE, playgroundForSuite, screenshot } from './browser.js';

/** How far the page reaches past the window's right edge, in CSS pixels (0: no sideways scrolling). */
const overflow = (open: OpenPlayground) => open.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('the playground in a real browser: layout', function () {
  this.timeout(60_000);

  describe(`on a desktop (${DESKTOP.width} px)`, () => {
    const open = playgroundForSuite(DESKTOP);

    it('should link a favicon that the server serves as SVG, also at /favicon.ico', async () => {
      const href = await open.page.getAttribute('link[rel="icon"]', 'href');
      expect(href).to.equal('favicon.svg');
      for (const path of ['/favicon.svg', '/favicon.ico']) {
        const response = await fetch(new URL(path, open.running.url));
        expect(response.status, path).to.equal(200);
        expect(response.headers.get('content-type'), path).to.equal('image/svg+xml');
        expect(await response.text(), path).to.match(/^<svg /);
      }
    });

    it('should show personas, thread and panel side by side, with nothing off the right edge', async () => {
      const { thread } = open;
      await thread.choose('follower');
      await thread.send('hi');
      expect(await thread.lastBotText()).to.equal('Hi Ada! Thanks for following us. How can we help?');
      const [personas, messages, panel] = await Promise.all(['.personas', '.thread', '.knowledge'].map((s) => open.page.locator(s).boundingBox()));
      expect(personas!.x + personas!.width).to.be.lessThan(messages!.x);
      expect(messages!.x + messages!.width).to.be.lessThan(panel!.x);
      expect(await overflow(open)).to.equal(0);
      await screenshot(open.page, 'desktop');
    });
  });

  describe(`on a phone (${PHONE.width} px)`, () => {
    const open = playgroundForSuite(PHONE);

    it('should stack personas, thread and panel in one column, with nothing off the right edge', async () => {
      const { thread } = open;
      await thread.choose('emoji');
      await thread.send('hi');
      expect(await thread.lastBotText()).to.equal('Hi Mei! Thanks for following us. How can we help?');
      const [personas, messages, panel] = await Promise.all(['.personas', '.thread', '.knowledge'].map((s) => open.page.locator(s).boundingBox()));
      expect(personas!.y + personas!.height).to.be.at.most(messages!.y);
      expect(messages!.y + messages!.height).to.be.at.most(panel!.y);
      expect(await overflow(open)).to.equal(0);
      await screenshot(open.page, 'phone', { fullPage: true });
    });

    it('should keep the composer and its Send button inside the screen', async () => {
      const send = await open.page.locator('#composer .send').boundingBox();
      const input = await open.page.locator('#message-input').boundingBox();
      expect(send!.x + send!.width).to.be.at.most(PHONE.width);
      expect(input!.width).to.be.at.least(200);
    });

    it('should show the pending bubble and the typing indicator on a phone too', async () => {
      const { thread } = open;
      await thread.choose('no-name');
      await thread.setGraph('slow');
      await thread.type('hi');
      await open.page.locator('.typing').waitFor({ timeout: 1_000 });
      expect(await open.page.locator('.bubble.user.pending .text').textContent()).to.equal('hi');
      await open.page.locator('.typing').scrollIntoViewIfNeeded();
      await screenshot(open.page, 'phone-slow-pending');
      await thread.settled();
      await thread.setGraph('normal');
      expect(await open.page.locator('.typing').count()).to.equal(0);
    });
  });
});
