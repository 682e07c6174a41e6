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
  running: Awaited<ReturnType<typeof startPlayground>>;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** A fresh playground (its own emulator and bot) and a page on it; skips when Chromium is missing outside CI. */
export async function openPlayground(context: Mocha.Context, viewport = DESKTOP, options: Omit<PlaygroundOptions, 'port'> = {}): Promise<OpenPlayground> {
  if (!existsSync(CHROMIUM)) {
    // Never skip in CI: .ci/run installs Chromium, so its absence there is a failure.
    if (process.env.CI) throw new Error(`Chromium is missing at ${CHROMIUM} in CI`);
    console.log(`      (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`);
    context.skip();
  }
  const running = await startPlayground({ ...options, port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const page = await browser.newPage({ viewport });
  await page.goto(running.url);
  await page.waitForSelector('.persona[aria-selected="true"]');
  return {
    running,
    browser,
    page,
    async close() {
      await browser.close();
      await running.close();
    },
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

/** Page helpers for the thread. Every action resolves once the page has no request under way. */
export function threadOf(page: Page) {
  const settled = (timeout = 15_000) => page.waitForFunction(() => !document.body.hasAttribute('aria-busy'), undefined, { timeout });
  return {
    settled,
    choose: async (key: string) => {
      await page.click(`.persona[data-key="${key}"]`);
      await settled();
    },
    /** Types and presses Enter; does not wait for the bot. */
    type: async (text: string) => {
      await page.fill('#message-input', text);
      await page.press('#message-input', 'Enter');
    },
    send: async (text: string) => {
      await page.fill('#message-input', text);
      await page.press('#message-input', 'Enter');
      await settled();
    },
    lastBotText: () => page.locator('.bubble.bot').last().textContent(),
    botTexts: () => page.locator('.bubble.bot').allTextContents(),
    text: (selector: string) => page.locator(selector).textContent(),
    setGraph: async (mode: 'normal' | 'slow' | 'failing') => {
      await page.check(`input[name="graph"][value="${mode}"]`);
      await settled();
    },
    setBlocked: async (blocked: boolean) => {
      if (blocked) await page.check('#block-business');
      else await page.uncheck('#block-business');
      await settled();
    },
    setFollows: async (follows: boolean) => {
      if (follows) await page.check('#follows-business');
      else await page.uncheck('#follows-business');
      await settled();
    },
    forget: async () => {
      await page.click('#forget-profile');
      await settled();
    },
  };
}
