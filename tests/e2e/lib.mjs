// Shared helpers of the browser tests: headless Chromium through playwright-core (the system's
// Chromium, no browser download), one browser context per viewport, sign-in and form helpers,
// console/CSP watching, and axe-core checks collected into a JSON report.
//
// Every script takes one argument: a JSON object, or the path of a file holding one. Common keys:
//   base      the app's address, e.g. "http://127.0.0.1:8080"
//   report    where to write the accessibility report (JSON); env E2E_A11Y_REPORT wins
//   artifacts where to put screenshots of failures (default: a temp directory)
// Env CHROMIUM overrides the browser (default /usr/bin/chromium).

import { readFileSync, writeFileSync, mkdtempSync, mkdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  tablet: { viewport: { width: 820, height: 1180 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Reads the script's input: argv[2] is JSON or a path to a JSON file. */
export function input() {
  const arg = process.argv[2];
  if (!arg) {
    console.error(`usage: node ${path.basename(process.argv[1])} '<json>' | <file.json>`);
    process.exit(2);
  }
  const text = arg.trimStart().startsWith('{') ? arg : readFileSync(arg, 'utf8');
  const cfg = JSON.parse(text);
  if (!cfg.base) throw new Error('input: "base" (the app\'s address) is required');
  cfg.base = cfg.base.replace(/\/+$/, '');
  return cfg;
}

/** One run of a script: failures, accessibility results, timing. */
export class Run {
  constructor(name, cfg) {
    this.name = name;
    this.cfg = cfg;
    this.started = Date.now();
    this.failures = [];
    this.a11y = [];
    this.current = '(start)';
    this.reportPath = process.env.E2E_A11Y_REPORT || cfg.report || null;
    this.artifacts = cfg.artifacts || process.env.E2E_ARTIFACTS || mkdtempSync(path.join(tmpdir(), 'validera-e2e-'));
    mkdirSync(this.artifacts, { recursive: true });
    this.pages = new Set();
  }

  elapsed() {
    return ((Date.now() - this.started) / 1000).toFixed(1);
  }

  log(msg) {
    console.log(`[${this.elapsed().padStart(5)}s] ${msg}`);
  }

  /** Records a failure without stopping (for problems found along the way). */
  fail(msg) {
    const line = `${this.current}: ${msg}`;
    this.failures.push(line);
    console.log(`  FAIL ${line}`);
  }

  /** Runs one named step; an exception in it stops the run with the step's name. */
  async step(name, fn) {
    this.current = name;
    this.log(`- ${name}`);
    try {
      return await fn();
    } catch (e) {
      e.step = e.step || name;
      throw e;
    }
  }

  /** Launches Chromium. */
  async launch() {
    const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
    if (!existsSync(executablePath)) {
      throw new Error(`no Chromium at ${executablePath}: run \`bash .ci/run\` (it installs Debian's chromium) or set CHROMIUM`);
    }
    this.browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    return this.browser;
  }

  /**
   * A new browser context (no cookies) of `size` (desktop, tablet, phone). Watches every page
   * in it for console errors, uncaught exceptions, CSP violations and failed subresources.
   */
  async context(size, options = {}) {
    const ctx = await this.browser.newContext({
      ...VIEWPORTS[size],
      ...(options.deviceScaleFactor ? { deviceScaleFactor: options.deviceScaleFactor } : {}),
      locale: options.locale || 'sv-SE',
      acceptDownloads: true,
      ...(options.javaScriptEnabled === false ? { javaScriptEnabled: false } : {}),
    });
    ctx.size = size;
    // Report CSP violations as console messages the listener below sees (an init script is
    // injected by the browser, not by the page, so the CSP does not stop it).
    await ctx.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`[csp] ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || ''}:${e.lineNumber || 0}`);
      });
    });
    ctx.on('page', (page) => this.watch(page, size));
    return ctx;
  }

  /** A new page in `ctx`. */
  async page(ctx) {
    const page = await ctx.newPage();
    page.setDefaultTimeout(Number(process.env.E2E_STEP_TIMEOUT || 15000));
    page.size = ctx.size;
    return page;
  }

  watch(page, size) {
    if (this.pages.has(page)) return;
    this.pages.add(page);
    page.on('console', (msg) => {
      const text = msg.text();
      const isCsp = text.startsWith('[csp]') || text.startsWith('Refused to');
      if (isCsp) {
        this.fail(`CSP violation on ${page.url()} (${size}): ${text}`);
      } else if (msg.type() === 'error') {
        // A page answered with 4xx on purpose (a 404 page, a 422 form) logs this for the
        // document itself; failed subresources are caught by the response listener instead.
        if (/^Failed to load resource: the server responded with a status of/.test(text)) return;
        this.fail(`console error on ${page.url()} (${size}): ${text}`);
      }
    });
    page.on('pageerror', (err) => this.fail(`uncaught exception on ${page.url()} (${size}): ${err.message}`));
    page.on('response', (resp) => {
      const type = resp.request().resourceType();
      if (type !== 'document' && resp.status() >= 400) {
        this.fail(`${type} ${resp.url()} answered ${resp.status()} (on ${page.url()}, ${size})`);
      }
    });
    page.on('requestfailed', (req) => {
      const err = req.failure()?.errorText || '';
      // Downloads end their navigation with net::ERR_ABORTED; that is not a failure.
      if (err.includes('ERR_ABORTED')) return;
      this.fail(`request ${req.url()} failed: ${err}`);
    });
    page.on('dialog', (d) => d.accept());
  }

  /**
   * Runs axe-core (WCAG 2.0/2.1 A and AA) on the page as it is now. Serious and critical
   * violations are failures; moderate and minor ones are listed.
   */
  async checkA11y(page, label) {
    const has = await page.evaluate(() => typeof window.axe !== 'undefined');
    if (!has) await page.evaluate(AXE_SOURCE);
    const res = await page.evaluate(async () => {
      const r = await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations', 'incomplete'],
      });
      const slim = (v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary })),
      });
      return {
        violations: r.violations.map(slim),
        incomplete: r.incomplete.map((v) => ({ id: v.id, impact: v.impact, count: v.nodes.length })),
        passes: r.passes.length,
        lang: document.documentElement.lang,
      };
    });
    const entry = { label, size: page.size, url: page.url(), ...res };
    this.a11y.push(entry);
    const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const other = res.violations.filter((v) => !bad.includes(v));
    for (const v of bad) {
      this.fail(`axe ${v.impact} "${v.id}" on ${label} (${page.size}): ${v.help} at ${v.nodes.map((n) => n.target).join(', ')}`);
    }
    const note = other.length ? `; also ${other.map((v) => `${v.impact} ${v.id}`).join(', ')}` : '';
    this.log(`  axe ${label} (${page.size}, ${res.lang}): ${bad.length} serious/critical${note}`);
    return entry;
  }

  /** Saves a screenshot of `page` to the artifacts directory; returns its path. */
  async shot(page, name) {
    const file = path.join(this.artifacts, `${name.replace(/[^a-z0-9-]+/gi, '_')}.png`);
    await page.screenshot({ path: file });
    return file;
  }

  /** Writes the accessibility report, prints the summary, exits 0 only without failures. */
  async finish(error) {
    if (error) {
      const where = error.step || this.current;
      this.failures.push(`${where}: ${error.message.split('\n').slice(0, 6).join('\n    ')}`);
      for (const page of this.pages) {
        if (page.isClosed()) continue;
        try {
          const file = await this.shot(page, `failure-${page.size}-${this.pages.size}`);
          console.log(`  screenshot of ${page.url()} (${page.size}): ${file}`);
        } catch {
          /* the page is gone */
        }
      }
    }
    if (this.browser) await this.browser.close().catch(() => {});
    if (this.reportPath) {
      writeFileSync(this.reportPath, JSON.stringify({ script: this.name, base: this.cfg.base, pages: this.a11y }, null, 2));
      this.log(`accessibility report: ${this.reportPath}`);
    }
    const moderate = this.a11y.flatMap((e) =>
      e.violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical').map((v) => `${e.label} (${e.size}): ${v.impact} ${v.id}`),
    );
    this.log(`${this.a11y.length} axe checks; moderate/minor findings: ${moderate.length ? '\n    ' + moderate.join('\n    ') : 'none'}`);
    if (this.failures.length) {
      console.log(`\n${this.name} FAILED (${this.failures.length}) after ${this.elapsed()} s:`);
      for (const f of this.failures) console.log(`  - ${f}`);
      process.exitCode = 1;
    } else {
      console.log(`\n${this.name} passed in ${this.elapsed()} s`);
    }
  }

  /** Runs `body(run)` with a browser, then finishes; exit status 1 on any failure. */
  static async main(name, body) {
    let cfg;
    try {
      cfg = input();
    } catch (e) {
      console.error(`${name}: ${e.message}`);
      process.exit(2);
    }
    const run = new Run(name, cfg);
    // A hung browser must not hang the test suite.
    const limit = Number(process.env.E2E_TIMEOUT || cfg.timeout || 300);
    const watchdog = setTimeout(() => {
      console.log(`${name}: FAILED: still running after ${limit} s (at step "${run.current}")`);
      process.exit(1);
    }, limit * 1000);
    watchdog.unref();
    let error = null;
    try {
      await run.launch();
      await body(run, cfg);
    } catch (e) {
      error = e;
    }
    await run.finish(error);
  }
}

// ---- page helpers -------------------------------------------------------------------------

/** Throws `msg` unless `cond`. */
export function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** Goes to `url` (absolute or a path under `base`); returns the response. */
export async function go(page, base, url, { status } = {}) {
  const resp = await page.goto(url.startsWith('http') ? url : base + url, { waitUntil: 'load' });
  if (status !== undefined) {
    expect(resp && resp.status() === status, `GET ${url}: expected ${status}, got ${resp && resp.status()}`);
  }
  return resp;
}

/**
 * Fills fields: `{selector: value}`. Strings go into inputs/textareas/selects; `true`/`false`
 * check or uncheck checkboxes and radios; an object `{file: path}` sets a file input.
 */
export async function fill(page, fields) {
  for (const [sel, value] of Object.entries(fields)) {
    const loc = page.locator(sel);
    const n = await loc.count();
    expect(n === 1, `expected one element ${sel} on ${page.url()}, found ${n}`);
    if (value && typeof value === 'object' && value.file) {
      await loc.setInputFiles(value.file);
      continue;
    }
    if (typeof value === 'boolean') {
      if (value) await loc.check();
      else await loc.uncheck();
      continue;
    }
    const tag = await loc.evaluate((el) => el.tagName.toLowerCase());
    if (tag === 'select') await loc.selectOption(String(value));
    else await loc.fill(String(value));
  }
}

/**
 * Submits the form `formSel` (or the form the selector is inside) by clicking its submit
 * button, waits for the next page and returns its response (after redirects).
 */
export async function submit(page, formSel = 'main form', { novalidate = false } = {}) {
  const form = page.locator(formSel).first();
  expect((await form.count()) === 1, `no form ${formSel} on ${page.url()}`);
  if (novalidate) {
    // To see the server's own validation, skip the browser's (required, minlength, …).
    await form.evaluate((f) => { f.noValidate = true; });
  } else {
    const invalid = await form.evaluate((f) =>
      f.checkValidity() ? null : [...f.elements].filter((e) => e.willValidate && !e.checkValidity()).map((e) => `${e.name}: ${e.validationMessage}`).join('; '));
    expect(!invalid, `the browser will not submit ${formSel} on ${page.url()}: ${invalid}`);
  }
  const button = form.locator('button[type=submit], button:not([type]), input[type=submit]').first();
  expect((await button.count()) === 1, `form ${formSel} on ${page.url()} has no submit button`);
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return resp;
}

/** Clicks `sel` (a link) and waits for the page it leads to. */
export async function follow(page, sel) {
  const link = page.locator(sel).first();
  expect((await link.count()) >= 1, `no link ${sel} on ${page.url()}`);
  const [resp] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
  return resp;
}

/** The one element `sel`'s attribute `name`, failing clearly when it is missing. */
export async function attr(page, sel, name) {
  const loc = page.locator(sel);
  const n = await loc.count();
  expect(n >= 1, `no ${sel} on ${page.url()}`);
  return loc.first().getAttribute(name);
}

/** Asserts that `sel` exists (and, with `text`, contains it). */
export async function see(page, sel, text) {
  const loc = page.locator(sel);
  const n = await loc.count();
  expect(n >= 1, `expected ${sel} on ${page.url()}; the page says: ${(await mainText(page)).slice(0, 400)}`);
  if (text !== undefined) {
    const t = await loc.first().innerText();
    expect(t.includes(text), `expected ${sel} on ${page.url()} to contain "${text}", it says "${t}"`);
  }
}

/** The text of `main`, for messages. */
export async function mainText(page) {
  try {
    return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
  } catch {
    return '';
  }
}

/** Asserts the flash message of a successful action. */
export async function flash(page) {
  await see(page, 'p.flash[role=status]');
}

/** Signs in through the form; returns the response of the page it led to. */
export async function signIn(page, base, email, password) {
  await go(page, base, '/signin', { status: 200 });
  await fill(page, { '#email': email, '#password': password });
  return submit(page, 'form[action="/signin"]');
}

/** On the one-time-password page: sets `next` (after one refused attempt, when `tryBad`). */
export async function changePassword(page, current, next) {
  expect(new URL(page.url()).pathname === '/account/password', `expected the password page, at ${page.url()}`);
  await fill(page, { '#current_password': current, '#new_password': next, '#repeat_password': next });
  const resp = await submit(page, 'form[action="/account/password"]');
  expect(!new URL(page.url()).pathname.startsWith('/account/password') || page.url().includes('done='),
    `the password change did not go through: ${await mainText(page)}`);
  return resp;
}

/** Signs out with the button in the header. */
export async function signOut(page) {
  await submit(page, 'form[action="/signout"]');
  expect(new URL(page.url()).pathname === '/signin', `signing out led to ${page.url()}`);
}

/** Switches the language with the switch in the header; checks `<html lang>`. */
export async function switchLanguage(page, lang) {
  await follow(page, `nav.langs a[hreflang=${lang}]`);
  const got = await page.evaluate(() => document.documentElement.lang);
  expect(got === lang, `after switching to ${lang} the page is in ${got}`);
}

/** The `#verdict`'s outcome. */
export async function outcome(page) {
  return attr(page, '#verdict', 'data-outcome');
}

/** Renders page 1 of `pdf` at 150 dpi and decodes its QR code; returns the text. */
export function qrFromPdf(pdf, workdir) {
  const prefix = path.join(workdir, 'qr');
  execFileSync('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', pdf, prefix]);
  const png = [`${prefix}-1.png`, `${prefix}-01.png`].find((p) => existsSync(p));
  expect(png, `pdftoppm wrote no page image for ${pdf}`);
  let out;
  try {
    out = execFileSync('zbarimg', ['-q', '--raw', png], { encoding: 'utf8' });
  } catch (e) {
    throw new Error(`zbarimg found no QR code in ${png} (${e.message})`);
  }
  return out.trim().split('\n')[0];
}
