// Debian's Chromium driven by playwright-core. Outside CI a missing browser skips the suite
// with a one-line reason; under CI=true it is a failure.
import { existsSync, mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { DocumentRecorder } from './axe.ts';

export const chromiumPath = '/usr/bin/chromium';
/** Git-ignored; CI keeps it as an artifact. */
export const screenshotDir = 'artifacts/screenshots';

export function browserSkipReason(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  if (process.env.CI === 'true') throw new Error(`${chromiumPath} is missing: CI must install Debian's chromium`);
  return `no Chromium at ${chromiumPath} (apt-get install chromium)`;
}

/**
 * Every context of this browser records the HTML documents its pages receive; close() first
 * checks each of them with axe-core (WCAG 2.1 AA, at 360 and 1280 px) and fails the suite on
 * any violation, so no page state a browser test visits escapes the check.
 */
export async function launchBrowser(options: { audit?: boolean } = {}): Promise<Browser> {
  mkdirSync(screenshotDir, { recursive: true });
  mkdirSync('test-output', { recursive: true });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  if (options.audit === false) return browser;
  const recorder = new DocumentRecorder();
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (contextOptions) => {
    const context = await newContext(contextOptions);
    recorder.watch(context);
    return context;
  };
  const close = browser.close.bind(browser);
  browser.close = async (closeOptions) => {
    const failure = await recorder.assertAccessible(browser).then(() => null, (error: unknown) => error);
    await close(closeOptions);
    // Raised after this hook returns, so the suite's own clean-up (its server, its database)
    // still runs: the uncaught error fails the test file, never hangs it.
    if (failure) {
      console.error(String((failure as Error).message));
      setImmediate(() => { throw failure; });
    }
  };
  return browser;
}

/** Serves the app on a free loopback port and returns its base URL. */
export async function serveForBrowser(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}
