// What a browser test measures on a page that a person would call unreadable: a box that scrolls sideways,
// and text left in the other language. Each finding names the element, so a failure says where to look.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

export interface Finding {
  page?: string;
  what: 'scrolls sideways' | 'untranslated' | 'inaccessible';
  where: string;
  detail: string;
}

/** The document and every box inside it that is wider than it shows (scrollWidth past clientWidth). */
export function findSidewaysScroll(page: Page): Promise<Finding[]> {
  return page.evaluate(() => {
    const out: { what: 'scrolls sideways'; where: string; detail: string }[] = [];
    const root = document.scrollingElement ?? document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) {
      // name the innermost elements that reach past the right edge: those are what to fix
      const past = [...document.body.querySelectorAll<HTMLElement>('*')].filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1);
      const innermost = past.filter((el) => !past.some((other) => other !== el && el.contains(other))).slice(0, 3);
      const names = innermost.map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} in ${el.closest('[data-testid]')?.getAttribute('data-testid') ?? ''}`);
      out.push({ what: 'scrolls sideways', where: 'the page', detail: `${root.scrollWidth} > ${root.clientWidth} px: ${names.join(', ')}` });
    }
    for (const el of document.body.querySelectorAll<HTMLElement>('*')) {
      const overflow = getComputedStyle(el).overflowX;
      if ((overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
        const id = el.closest('[data-testid]')?.getAttribute('data-testid') ?? '';
        out.push({ what: 'scrolls sideways', where: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} in ${id}`, detail: `${el.scrollWidth} > ${el.clientWidth} px` });
      }
    }
    return out;
  });
}

/**
 * Visible text (and titles, labels, placeholders) in the other language: in Chinese a word of English
 * (a letter and at least two lower-case ones: acronyms, symbols and units such as GB, GMT, kPa pass), in
 * English any Chinese character. Text inside translate="no" (ids, point names, what people wrote) or
 * marked with its own lang (the language toggle) is not the page's to translate.
 */
export function findUntranslated(page: Page, lang: 'zh' | 'en'): Promise<Finding[]> {
  return page.evaluate((lang) => {
    const foreign = lang === 'zh' ? /\b[A-Za-z][a-z]{2,}\b/g : /[\u3400-\u9fff\uff01-\uff5e]+/g;
    // the product's name, and the unit symbol the standard's Chinese text writes minutes with
    const allowed = new Set(['ketwin', 'min']);
    const out: { what: 'untranslated'; where: string; detail: string }[] = [];
    const exempt = (el: Element) => el.closest('[translate="no"], script, style, svg') !== null || (el.closest('[lang]')?.getAttribute('lang')?.slice(0, 2) ?? lang) !== lang;
    const visible = (el: Element) => el.tagName === 'OPTION' || el.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions);
    const check = (el: Element, text: string, how: string) => {
      const words = [...text.matchAll(foreign)].map((m) => m[0]).filter((w) => !allowed.has(w));
      if (words.length) {
        const id = el.closest('[data-testid]')?.getAttribute('data-testid') ?? el.tagName.toLowerCase();
        out.push({ what: 'untranslated', where: `${id}${how}`, detail: `${words.join(' ')} — "${text.trim().slice(0, 80)}"` });
      }
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || exempt(el) || !visible(el) || !n.textContent?.trim()) continue;
      check(el, n.textContent, '');
    }
    for (const el of document.body.querySelectorAll('[title], [placeholder], [aria-label]')) {
      if (exempt(el)) continue;
      for (const a of ['title', 'placeholder', 'aria-label']) {
        const v = el.getAttribute(a);
        if (v) check(el, v, ` @${a}`);
      }
    }
    return out;
  }, lang);
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What axe-core finds serious or critical on the page (WCAG 2.1 A and AA rules), one finding per rule and element. */
export async function findInaccessible(page: Page): Promise<Finding[]> {
  // through the debugger, not a <script>: the app's Content-Security-Policy stays as it is
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.slice(0, 5).map((n) => ({ what: 'inaccessible' as const, where: String(n.target.join(' ')), detail: `${v.impact} ${v.id}: ${v.help}` })));
  });
}
