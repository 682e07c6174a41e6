import { expect } from 'chai';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startPlayground } from '../../playground/start.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Flags for a sandboxed, offline machine: no background networking, no GPU, no first-run UI.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('the playground in a real browser', function () {
  this.timeout(60_000);
  let running: Awaited<ReturnType<typeof startPlayground>>;
  let browser: Browser;
  let page: Page;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      // Never skip in CI: .ci/run installs Chromium, so its absence there is a failure.
      if (process.env.CI) throw new Error(`Chromium is missing at ${CHROMIUM} in CI`);
      console.log(`      (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`);
      this.skip();
    }
    running = await startPlayground({ port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    await page.goto(running.url);
  });

  after(async () => {
    await browser?.close();
    await running?.close();
  });

  const lastBotBubble = () => page.locator('.bubble.bot').last();
  const choose = (key: string) => page.click(`.persona[data-key="${key}"]`);
  const send = async (text: string) => {
    await page.fill('#message-input', text);
    await page.press('#message-input', 'Enter');
  };

  it('should greet the follower by first name after "hi", loading the profile from Graph', async () => {
    await choose('follower');
    await send('hi');
    await expect(await lastBotBubble().textContent({ timeout: 10_000 })).to.equal('Hi Ada! Thanks for following us. How can we help?');
    expect(await page.textContent('#lookup-status')).to.equal('profile from the Graph API');
    expect(await page.textContent('#calls-persona')).to.equal('1');
  });

  it('should answer an ice breaker tap from another persona, by payload', async () => {
    await choose('emoji');
    await page.click('#icebreakers .chip:has-text("What are your opening hours?")');
    await page.waitForFunction(() => document.querySelectorAll('.bubble.bot').length === 1);
    expect(await lastBotBubble().textContent()).to.equal("Hi Mei! We're open Monday to Saturday, 9:00–18:00.");
  });

  it('should take the other branch for a non-follower, and keep one Graph call per persona', async () => {
    await choose('non-follower');
    await send('hello');
    await page.waitForFunction(() => document.querySelectorAll('.bubble.bot').length === 1);
    expect(await lastBotBubble().textContent()).to.equal('Hi Grace! Follow us to hear about new drops first. How can we help?');
    await send('are you there?');
    await page.waitForFunction(() => document.querySelectorAll('.bubble.bot').length === 2);
    expect(await page.textContent('#lookup-status')).to.equal('profile from the cache');
    expect(await page.textContent('#calls-persona')).to.equal('1');
    expect(await page.textContent('#calls-total')).to.equal('3');
  });

  it('should stay polite when the person blocked the business', async () => {
    await choose('mutual');
    await page.check('#hide-profile');
    await send('hi');
    await page.waitForFunction(() => document.querySelectorAll('.bubble.bot').length === 1);
    expect(await lastBotBubble().textContent()).to.equal('Hi there! How can we help?');
    expect(await page.textContent('#lookup-status')).to.equal('not-found');
    mkdirSync('docs/readme', { recursive: true });
    await choose('follower');
    await page.waitForSelector('.bubble.bot');
    await page.screenshot({ path: 'docs/readme/playground.png' });
  });
});
