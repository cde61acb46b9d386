/**
 * Issue 11, part 5: the HTML report in a real browser. Debian's chromium, driven by
 * playwright-core (nothing downloaded), opens a report built by the CLI from real
 * estimates of shared datasets, with every network request blocked and recorded.
 * No request may be attempted, no console error logged, no dialog opened; every
 * chart must be there with marks; an injected dataset name shows as text and as
 * no element. A screenshot goes to test-output/report.png.
 *
 * With CI=true a missing /usr/bin/chromium (or ../shared) is a failure; elsewhere
 * the test is skipped with the reason printed.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { estimate, timeline } from '../src/index.js';
import { DATASETS, haveShared, ROOT, runCli } from './helpers.js';

const CHROMIUM = process.env.SMALLWORLD_TEST_CHROMIUM ?? '/usr/bin/chromium'; // the override only to try the missing-browser path
const OUT = join(ROOT, 'test-output');
const XSS = '<img src=x onerror=alert(1)>';
const CI = process.env.CI === 'true';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !CI) console.warn(`skipping the browser test of the report: ${CHROMIUM} not found (apt-get install chromium; in CI it is required)`);
const run = (haveChromium || CI) && haveShared();

/** What a page did besides rendering: requests other than its own file, console errors, uncaught errors, dialogs. */
interface Watch {
  /** Requests the router aborted. */
  blocked: string[];
  /** Every request the page made but its own file (also those a router would not see). */
  requests: string[];
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
}

/** Opens `file` with every other request aborted and recorded. */
async function open(browser: Browser, file: string): Promise<{ page: Page; watch: Watch }> {
  const url = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const watch: Watch = { blocked: [], requests: [], consoleErrors: [], pageErrors: [], dialogs: [] };
  await page.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    watch.blocked.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  page.on('request', (req) => {
    if (req.url() !== url) watch.requests.push(req.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error') watch.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => watch.pageErrors.push(e.message));
  page.on('dialog', (d) => {
    watch.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, watch };
}

describe.runIf(run)('report in a real browser (Debian chromium through playwright-core)', () => {
  let browser: Browser;
  let page: Page;
  let watch: Watch;
  const report = join(OUT, 'report.html');
  const screenshot = join(OUT, 'report.png');
  let okDatasets = 0;
  let timelines = 0;

  beforeAll(async () => {
    if (!haveChromium) return; // CI without the browser: the first test fails, and the others with it
    rmSync(join(OUT, 'fixture'), { recursive: true, force: true });
    mkdirSync(join(OUT, 'fixture'), { recursive: true });
    // The fixture: real estimates of three shared datasets (one under an injected file name
    // and dataset name), plus a real failure, as batch's results.jsonl lines.
    const injectedFile = join(OUT, 'fixture', `${XSS}.tsv`);
    copyFileSync(join(DATASETS, 'karate.txt.gz'), injectedFile); // gzip is read by its magic bytes, whatever the name
    const runs: [string, string, Parameters<typeof estimate>[1]][] = [
      ['karate', join(DATASETS, 'karate.txt.gz'), { exact: true }],
      [XSS, injectedFile, { samples: 20, seed: 3 }],
      ['email-Eu-core', join(DATASETS, 'email-Eu-core.txt.gz'), { samples: 300, seed: 1 }],
      ['facebook_combined', join(DATASETS, 'facebook_combined.txt.gz'), { samples: 300, seed: 1 }],
    ];
    const lines: string[] = [];
    for (const [name, file, options] of runs) {
      const r = await estimate(file, { ...options, threads: 1, diameterBudgetSeconds: 10 });
      lines.push(JSON.stringify({ name, fingerprint: `test:${name}`, options, ...r }));
    }
    okDatasets = runs.length;
    // And a timeline (timeline --json's object as a results.jsonl line): its section draws 3 trend charts.
    const t = await timeline(join(DATASETS, 'CollegeMsg.txt.gz'), { timeColumn: '3', snapshots: 5, samples: 100, threads: 1 });
    lines.push(JSON.stringify(t));
    timelines = 1;
    const broken = join(OUT, 'fixture', 'broken & "quoted".tsv');
    writeFileSync(broken, '1\t2\n3\n');
    const error = await estimate(broken, { threads: 1 }).then(
      () => 'no error?',
      (e: Error) => e.message,
    );
    lines.push(JSON.stringify({ name: `broken ${XSS}`, file: broken, status: 'error', error, fingerprint: 'test:broken', options: {} }));
    const results = join(OUT, 'fixture', 'results.jsonl');
    writeFileSync(results, lines.join('\n') + '\n');

    const cli = runCli(['report', results, '-o', report]);
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    ({ page, watch } = await open(browser, report));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it(`has Debian's chromium at ${CHROMIUM}`, () => {
    expect(haveChromium, `${CHROMIUM} is missing: .ci/run installs it with apt-get install chromium`).toBe(true);
  });

  it('attempts no network request, logs no console error, runs no script', () => {
    expect(watch.blocked).toEqual([]);
    expect(watch.requests).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    expect(watch.dialogs).toEqual([]);
  });

  it('the blocking would have seen a request: a page with a remote image records one', async () => {
    const control = join(OUT, 'fixture', 'control.html');
    writeFileSync(control, '<!doctype html><title>control</title><img src="https://example.invalid/x.png">');
    const { page: p, watch: w } = await open(browser, control);
    expect(w.blocked).toEqual(['https://example.invalid/x.png']);
    expect(w.requests).toEqual(['https://example.invalid/x.png']);
    expect(w.consoleErrors).toHaveLength(1); // the aborted image: a console error would be noticed too
    await p.close();
  });

  it('shows every chart (3 per dataset, 2 across datasets, 3 per timeline), each with marks and text', async () => {
    const charts = page.locator('figure.chart svg');
    expect(await charts.count()).toBe(3 * okDatasets + 2 + 3 * timelines);
    expect(await page.locator('svg').count()).toBe(3 * okDatasets + 2 + 3 * timelines);
    expect(await page.locator('section.timeline figure.chart svg').count()).toBe(3 * timelines);
    expect(await page.locator('section.timeline table.timeline tbody tr').count()).toBe(5);
    const perChart = await charts.evaluateAll((svgs) =>
      svgs.map((svg) => ({
        marks: svg.querySelectorAll('g.role-mark > path, g.role-mark > line, g.role-mark > rect, g.role-mark > circle').length,
        texts: svg.querySelectorAll('text').length,
        width: svg.getBoundingClientRect().width,
      })),
    );
    for (const c of perChart) {
      expect(c.marks).toBeGreaterThan(0);
      expect(c.texts).toBeGreaterThan(2); // axis labels and titles
      expect(c.width).toBeGreaterThan(100);
    }
    // Each chart's Vega-Lite spec is beside it and parses.
    const specs = await page.locator('script.vega-lite-spec').allTextContents();
    expect(specs).toHaveLength(3 * okDatasets + 2 + 3 * timelines);
    for (const s of specs) expect(JSON.parse(s).$schema).toMatch(/vega-lite/);
  });

  it('shows the injected name as text, never as an element', async () => {
    expect(await page.getByRole('heading', { name: XSS, exact: true }).count()).toBe(1);
    expect(await page.getByText(XSS, { exact: true }).count()).toBeGreaterThan(1);
    await expect(page.getByText(`${XSS}.tsv`).first().isVisible()).resolves.toBe(true);
    expect(await page.$('img')).toBeNull();
    expect(await page.$('[onerror]')).toBeNull();
    expect(await page.$('script:not([type="application/json"])')).toBeNull();
    // The failure is listed with its message.
    const failed = await page.locator('#failed li').allTextContents();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/^broken <img src=x onerror=alert\(1\)> \(.*broken & "quoted"\.tsv\): .*broken & "quoted"\.tsv:2: /);
  });

  it('saves a screenshot', async () => {
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(existsSync(screenshot)).toBe(true);
    console.log(`report screenshot: ${screenshot} (report: ${report})`);
  });
});
