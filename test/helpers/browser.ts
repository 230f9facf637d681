import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureDebianPackage } from './debian.js';

const CHROMIUM = '/usr/bin/chromium';

/**
 * A real headless Chromium (Debian's, installed by the test when missing),
 * driven by playwright-core, with a fresh profile of its own. The flags keep it off the network: this
 * machine's network is closed, and a report must need none.
 */
export async function launchChromium(): Promise<Browser> {
  ensureDebianPackage('chromium', 'chromium', 'the browser tests of report.html');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Opens a file in a new page and collects every console error and uncaught exception. */
export async function openPage(browser: Browser, file: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => void errors.push(String(e)));
  // A request for anything but the file itself would mean the page is not self-contained.
  page.on('request', (r) => void (r.url() !== `file://${file}` && errors.push(`fetched ${r.url()}`)));
  await page.goto(`file://${file}`);
  return { page, errors };
}
