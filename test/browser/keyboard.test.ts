// Keyboard use: the skip link comes first and lands in main; every link, button and field is reachable with Tab
// and shows a visible focus outline.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { ADMIN, seedDirectory, seeded } from './fixtures.js';
import { useBrowser } from './support.js';

interface Focused {
  id: string | null;
  href: string | null;
  inMain: boolean;
  outline: string;
  outlineWidth: number;
  left: number;
}

const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const cs = getComputedStyle(el);
    return {
      id: el.id || null, href: el.getAttribute('href'), inMain: Boolean(el.closest('main')),
      outline: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) || 0, left: el.getBoundingClientRect().left,
    };
  });

describe('keyboard', function () {
  const h = useBrowser({ seed: async (s) => void (await seedDirectory(s)) });

  h.it('Tab from page load focuses the visible skip link first; Enter moves focus to main', async () => {
    const page = await h.newPage({ user: ADMIN.email });
    await h.goto(page, '/people');
    await page.keyboard.press('Tab');
    const skip = await focused(page);
    expect(skip.href).to.equal('#main');
    expect(skip.left, 'the skip link is on screen when focused').to.be.at.least(0);
    expect(skip.outline).to.not.equal('none');
    expect(skip.outlineWidth).to.be.greaterThan(0);
    await page.keyboard.press('Enter');
    expect((await focused(page)).id).to.equal('main');
    await page.keyboard.press('Tab');
    expect((await focused(page)).inMain, 'the next Tab stays in main, past the navigation').to.equal(true);
  });

  for (const [name, pathOf] of [
    ['people list', () => '/people'],
    ['a person', () => `/people/${seeded().people.clara}`],
    ['the person form', () => '/people/new'],
    ['skills', () => '/skills'],
    ['users', () => '/users'],
    ['an organisation', () => `/organisations/${seeded().organisationId}`],
    ['a project', () => `/projects/${seeded().projectId}`],
    ["a project's suggested helpers", () => `/projects/${seeded().openProjectId}/suggestions`],
    ['the engagement form', () => `/projects/${seeded().openProjectId}/engagements/new`],
    ['insights', () => '/insights'],
    ['the stale-record review', () => '/privacy/review'],
  ] as [string, () => string][]) {
    h.it(`${name}: every link, button and field is reached by Tab and shows a focus outline`, async () => {
      const page = await h.sharedPage({ user: ADMIN.email });
      await h.goto(page, pathOf());
      // number the focusable, rendered elements in document order
      const expected = await page.evaluate(() => {
        // content of a closed <details> is not rendered (only its summary is reachable)
        const hiddenInDetails = (el: HTMLElement) => {
          const d = el.closest('details');
          return Boolean(d && !d.open && !(el.tagName === 'SUMMARY' && el.parentElement === d));
        };
        const els = Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]'))
          .filter((el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0 && !hiddenInDetails(el));
        els.forEach((el, i) => el.setAttribute('data-kb', String(i)));
        return els.length;
      });
      const reached = new Set<string>();
      const unstyled: string[] = [];
      for (let i = 0; i < expected + 8; i++) {
        await page.keyboard.press('Tab');
        const f = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const cs = getComputedStyle(el);
          // WCAG relative luminance of an rgb()/rgba() colour, and the first opaque background behind the element
          const lum = (c: string) => {
            const [r, g, b] = (c.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((x) => {
              const v = Number(x) / 255;
              return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
            });
            return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
          };
          let bg = 'rgb(255, 255, 255)';
          for (let p: HTMLElement | null = el.parentElement; p; p = p.parentElement) {
            const c = getComputedStyle(p).backgroundColor;
            if (c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c)) { bg = c; break; }
          }
          const [hi, lo] = [lum(cs.outlineColor), lum(bg)].sort((a, b) => b - a);
          return {
            kb: el.getAttribute('data-kb'), desc: el.outerHTML.slice(0, 80),
            visible: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
            contrast: (hi! + 0.05) / (lo! + 0.05),
          };
        });
        if (f.kb === null) continue;
        reached.add(f.kb);
        if (!f.visible) unstyled.push(f.desc);
        else if (f.contrast < 3) unstyled.push(`${f.desc} (outline contrast ${f.contrast.toFixed(2)}:1)`);
      }
      expect(reached.size, 'elements reached by Tab').to.equal(expected);
      expect(unstyled, 'focused without a visible outline of at least 2 px and 3:1 contrast').to.deep.equal([]);
    });
  }
});
