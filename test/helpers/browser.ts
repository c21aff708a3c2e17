// Debian's Chromium driven by playwright-core. Outside CI a missing browser skips the suite
// with a one-line reason; under CI=true it is a failure.
import { existsSync, mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';
export const screenshotDir = 'test-output/screenshots';

export function browserSkipReason(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  if (process.env.CI === 'true') throw new Error(`${chromiumPath} is missing: CI must install Debian's chromium`);
  return `no Chromium at ${chromiumPath} (apt-get install chromium)`;
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** Serves the app on a free loopback port and returns its base URL. */
export async function serveForBrowser(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}
