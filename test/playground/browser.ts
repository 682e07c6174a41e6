// Opens the playground in Debian's Chromium (playwright-core brings no browser of its own).
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startPlayground, type PlaygroundOptions } from '../../playground/start.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Flags for a sandboxed, offline machine: no background networking, no GPU, no first-run UI.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

export interface OpenPlayground {
  readonly running: Awaited<ReturnType<typeof startPlayground>>;
  readonly browser: Browser;
  readonly page: Page;
  /** The page helpers of `threadOf`, ready to take apart at suite level: each reads the page when called. */
  readonly thread: Thread;
}

/**
 * Registers mocha hooks: a fresh playground (its own emulator and bot) and a page on it,
 * opened before the suite and closed after it. Its properties can be read once `before`
 * has run. Skips the suite when Chromium is missing outside CI.
 */
export function playgroundForSuite(viewport = DESKTOP, options: Omit<PlaygroundOptions, 'port'> = {}): OpenPlayground {
  let opened: Omit<OpenPlayground, 'thread'> | undefined;
  const current = () => {
    if (!opened) throw new Error('the playground is not open yet (read it inside a test or hook)');
    return opened;
  };
  before(async function () {
    if (!existsSync(CHROMIUM)) {
      // Never skip in CI: .ci/run installs Chromium, so its absence there is a failure.
      if (process.env.CI) throw new Error(`Chromium is missing at ${CHROMIUM} in CI`);
      console.log(`      (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`);
      this.skip();
    }
    const running = await startPlayground({ ...options, port: 0 });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS }).catch(async (error: unknown) => {
      await running.close();
      throw error;
    });
    const page = await browser.newPage({ viewport });
    opened = { running, browser, page };
    await page.goto(running.url);
    await page.waitForSelector('.persona[aria-selected="true"]');
  });
  after(async () => {
    const closing = opened;
    opened = undefined;
    await closing?.browser.close();
    await closing?.running.close();
  });
  return {
    get running() {
      return current().running;
    },
    get browser() {
      return current().browser;
    },
    get page() {
      return current().page;
    },
    thread: threadOf(() => current().page),
  };
}

let folder: string | undefined;

/**
 * Where screenshots go: `PLAYGROUND_SCREENSHOTS` (playground/screenshots.ts sets it), else a
 * new temporary folder, so that a test run never changes the working tree.
 */
export function screenshotFolder(): string {
  if (folder === undefined) {
    folder = process.env.PLAYGROUND_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'playground-screenshots-'));
    mkdirSync(folder, { recursive: true });
    console.log(`      (screenshots in ${folder})`);
  }
  return folder;
}

export async function screenshot(page: Page, name: string, { fullPage = false } = {}): Promise<string> {
  const path = join(screenshotFolder(), `${name}.png`);
  await page.screenshot({ path, fullPage, animations: 'disabled' });
  return path;
}

export type Thread = ReturnType<typeof threadOf>;

/** Page helpers for the thread, on `page` or the page it gives when called. Every action resolves once the page has no request under way. */
export function threadOf(pageOrGetter: Page | (() => Page)) {
  const pageOf = typeof pageOrGetter === 'function' ? pageOrGetter : () => pageOrGetter;
  const settled = (timeout = 15_000) => pageOf().waitForFunction(() => !document.body.hasAttribute('aria-busy'), undefined, { timeout });
  return {
    settled,
    choose: async (key: string) => {
      await pageOf().click(`.persona[data-key="${key}"]`);
      await settled();
    },
    /** Types and presses Enter; does not wait for the bot. */
    type: async (text: string) => {
      await pageOf().fill('#message-input', text);
      await pageOf().press('#message-input', 'Enter');
    },
    send: async (text: string) => {
      await pageOf().fill('#message-input', text);
      await pageOf().press('#message-input', 'Enter');
      await settled();
    },
    lastBotText: () => pageOf().locator('.bubble.bot').last().textContent(),
    botTexts: () => pageOf().locator('.bubble.bot').allTextContents(),
    text: (selector: string) => pageOf().locator(selector).textContent(),
    setGraph: async (mode: 'normal' | 'slow' | 'failing') => {
      await pageOf().check(`input[name="graph"][value="${mode}"]`);
      await settled();
    },
    setBlocked: async (blocked: boolean) => {
      if (blocked) await pageOf().check('#block-business');
      else await pageOf().uncheck('#block-business');
      await settled();
    },
    setFollows: async (follows: boolean) => {
      if (follows) await pageOf().check('#follows-business');
      else await pageOf().uncheck('#follows-business');
      await settled();
    },
    forget: async () => {
      await pageOf().click('#forget-profile');
      await settled();
    },
  };
}
