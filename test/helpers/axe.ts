// WCAG 2.1 AA checks with axe-core on every page a browser test sees. The tests browse with
// JavaScript off (the pages must work without it), where axe cannot run: so every HTML
// document the browser receives is kept, and checked afterwards in a second, script-enabled
// context at 360 and 1280 px, with the page's own scripts removed and its styles loaded from
// the same server. The newest @axe-core/playwright wants Node 22.12+, hence axe-core itself.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const auditWidths = [360, 1280] as const;

export interface AxeViolation { id: string; impact: string | null; help: string; targets: string[] }

export interface Snapshot { url: string; html: string }

/** The document as the browser got it, runnable on about:blank: a <base> to the server, no scripts. */
function runnable(snapshot: Snapshot): string {
  const origin = new URL(snapshot.url).origin;
  return snapshot.html
    .replace(/<script\b[\s\S]*?<\/script>/gi, '')
    .replace(/<head>/i, `<head><base href="${origin}/">`);
}

const checkers = new WeakMap<Browser, Map<number, Promise<BrowserContext>>>();

async function checkerPage(browser: Browser, width: number): Promise<Page> {
  let byWidth = checkers.get(browser);
  if (!byWidth) checkers.set(browser, (byWidth = new Map()));
  let context = byWidth.get(width);
  if (!context) byWidth.set(width, (context = browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true, javaScriptEnabled: true })));
  return (await context).newPage();
}

/** The document in a script-enabled page of the given width (close it after use). */
export async function openSnapshot(browser: Browser, snapshot: Snapshot, width: number): Promise<Page> {
  const page = await checkerPage(browser, width);
  // On the server's own origin (setContent keeps the address), so its styles load as for the
  // real page: Cross-Origin-Resource-Policy would refuse them to about:blank.
  await page.goto(`${new URL(snapshot.url).origin}/healthz`);
  await page.setContent(runnable(snapshot), { waitUntil: 'load' });
  return page;
}

/** The WCAG 2.1 AA violations of one document at one width. */
export async function axeViolations(browser: Browser, snapshot: Snapshot, width: number): Promise<AxeViolation[]> {
  const page = await openSnapshot(browser, snapshot, width);
  try {
    await page.evaluate(axeSource);
    return await page.evaluate(async (tags) => {
      const axe = (globalThis as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
    }, wcagTags);
  } finally {
    await page.close();
  }
}

/** Human-readable list of what failed, or '' when nothing did. */
export function describeViolations(found: { url: string; width: number; violations: AxeViolation[] }[]): string {
  return found.filter((f) => f.violations.length > 0).map((f) =>
    `${f.url} at ${f.width}px:\n${f.violations.map((v) => `  - ${v.id} (${v.impact}): ${v.help}\n      ${v.targets.slice(0, 5).join('\n      ')}`).join('\n')}`).join('\n');
}

/**
 * Collects every HTML document the pages of a context receive (the page states a test
 * visits). Identical documents (but for CSRF tokens) are kept once.
 */
export class DocumentRecorder {
  readonly snapshots: Snapshot[] = [];
  private readonly seen = new Set<string>();
  private readonly pending: Promise<void>[] = [];

  watch(context: BrowserContext): void {
    context.on('response', (response) => this.pending.push(this.keep(response)));
  }

  private async keep(response: Response): Promise<void> {
    if (response.request().resourceType() !== 'document') return;
    if (!(response.headers()['content-type'] ?? '').startsWith('text/html')) return;
    const html = await response.text().catch(() => '');
    if (!html) return;
    const key = html.replace(/name="_csrf" value="[^"]*"/g, '').replace(/_csrf=[^"&]*/g, '');
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.snapshots.push({ url: response.url(), html });
  }

  /** Checks every kept document at both widths; throws the list of violations. */
  async assertAccessible(browser: Browser): Promise<void> {
    await Promise.all(this.pending);
    const found: { url: string; width: number; violations: AxeViolation[] }[] = [];
    for (const snapshot of this.snapshots) {
      for (const width of auditWidths) found.push({ url: snapshot.url, width, violations: await axeViolations(browser, snapshot, width) });
    }
    const report = describeViolations(found);
    if (report) throw new Error(`WCAG 2.1 AA violations (axe-core):\n${report}`);
  }
}
