// Geometry checks on a page snapshot (script-enabled checker page, like axe): nothing in the
// header is cut or covered, and no label, legend, field or message of a form sits on another.
import type { Browser } from 'playwright-core';
import { openSnapshot, type Snapshot } from './axe.ts';

// Plain JavaScript run in the page (a string, so the test transpiler adds nothing to it).
const layoutScript = `(() => {
      const problems = [];
      const name = (el) => \`\${el.tagName.toLowerCase()}\${el.id ? \`#\${el.id}\` : ''}.\${[...el.classList].join('.')} "\${(el.textContent ?? '').trim().slice(0, 30)}"\`;
      const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el); return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
      // Header: each piece of text is inside the viewport and is what is drawn at its centre.
      for (const el of document.querySelectorAll('header .varco-administration, header .varco-languages li, header .varco-signout, header .it-brand-title, header .it-brand-tagline')) {
        if (!visible(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.left < 0 || r.right > window.innerWidth + 0.5) problems.push(\`header: \${name(el)} is outside the screen\`);
        for (const [x, y] of [[r.left + 4, r.top + 4], [r.right - 4, r.bottom - 4], [(r.left + r.right) / 2, (r.top + r.bottom) / 2]]) {
          const hit = document.elementFromPoint(x, y);
          if (hit && !el.contains(hit) && !hit.contains(el)) { problems.push(\`header: \${name(el)} is covered by \${name(hit)}\`); break; }
        }
      }
      // Forms: labels, legends, fields, hints and errors never overlap one another.
      const parts = [...document.querySelectorAll('main label, main legend, main input:not([type=hidden]):not([type=radio]):not([type=checkbox]), main textarea, main select, main .form-text, main .invalid-feedback, main button')].filter(visible);
      for (let i = 0; i < parts.length; i++) {
        for (let j = i + 1; j < parts.length; j++) {
          const a = parts[i], b = parts[j];
          if (a.contains(b) || b.contains(a)) continue;
          const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
          const overlap = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left) > 1 && Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top) > 1;
          if (overlap) problems.push(\`form: \${name(a)} overlaps \${name(b)}\`);
        }
      }
      return problems;
})()`;

export async function layoutProblems(browser: Browser, snapshot: Snapshot, width: number): Promise<string[]> {
  const page = await openSnapshot(browser, snapshot, width);
  try {
    return (await page.evaluate(layoutScript)) as string[];
  } finally {
    await page.close();
  }
}
