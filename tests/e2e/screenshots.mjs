// Screenshots of the main pages (viewport-sized PNGs) for the documentation.
//
// From a test app (what docs/screenshots/ holds; makes a genuine and a revoked certificate
// through the API first). `cargo test` always takes them, into a temporary directory; this
// writes them over the committed ones:
//   VALIDERA_SCREENSHOTS=docs/screenshots cargo test --test api browser::sqlite::the_documentation_screenshots
//
// From a running demo:
//   1. cargo run -- serve --demo --database sqlite:/tmp/demo.sqlite \
//        --frameworks tests/api/fixtures/frameworks
//      prints each demo account's one-time password.
//   2. (for certificates) node tests/e2e/story.mjs with those accounts, or record and confirm an
//      assessment by hand; note a genuine and a revoked certificate's id.
//   3. node tests/e2e/screenshots.mjs '{"base": "http://127.0.0.1:8080", "out": "/tmp/shots",
//        "pages": "all",
//        "certificates": {"genuine": "<id>", "revoked": "<id>"},
//        "accounts": {"admin": {"email": "admin@demo.validera.test", "password": "<one-time>"},
//                     "assessor": {…}, "verifier": {…},
//                     "candidate": {"email": "kandidat1@demo.validera.test", "password": "…"}},
//        "newPassword": "demo password 2026"}'
//      An account still on its one-time password is given "newPassword" (printed) on the way.
//
// "pages": "public" (the default) takes only the pages anyone sees; "all" also each role's.

import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Run, expect, go, follow, fill, submit, see, signIn, changePassword } from './lib.mjs';

// A framework file with three mistakes, for the upload page's screenshot.
const BROKEN_FRAMEWORK = `id = "kommunens-ramverk"
version = "2026.1"
[title]
sv = "Kommunens ramverk"

[[units]]
code = "K-01"
levl = 2
credits = 3
`;

await Run.main('screenshots', async (run, cfg) => {
  const { base } = cfg;
  const out = cfg.out || process.env.VALIDERA_SCREENSHOTS;
  expect(out, 'input: "out" (the directory for the PNGs) is required');
  mkdirSync(out, { recursive: true });
  const certs = cfg.certificates || {};
  const saved = [];

  const shot = async (page, name) => {
    const file = path.join(out, `${name}.png`);
    // Viewport only; fonts settled, no caret.
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: file, caret: 'hide', animations: 'disabled' });
    const kb = Math.round(statSync(file).size / 1024);
    run.log(`  ${file} (${kb} KB)`);
    if (kb > 200) run.fail(`${file} is ${kb} KB; keep screenshots under 200 KB`);
    saved.push(file);
  };
  // Screenshots at CSS pixel size: small files, and what a phone user sees in layout.
  const fresh = async (size, locale = 'sv-SE') => run.page(await run.context(size, { locale, deviceScaleFactor: 1 }));

  await run.step('public pages', async () => {
    const desk = await fresh('desktop');
    await go(desk, base, '/signin?lang=sv', { status: 200 });
    await shot(desk, 'signin-sv-desktop');
    await go(desk, base, '/check?lang=sv', { status: 200 });
    await shot(desk, 'check-sv-desktop');
    if (certs.genuine) {
      await go(desk, base, `/v/${certs.genuine}?lang=sv`, { status: 200 });
      await shot(desk, 'verify-genuine-sv-desktop');
      const phone = await fresh('phone', 'fi-FI');
      await go(phone, base, `/v/${certs.genuine}?lang=fi`, { status: 200 });
      await shot(phone, 'verify-genuine-fi-phone');
    }
    if (certs.revoked) {
      await go(desk, base, `/v/${certs.revoked}?lang=sv`, { status: 200 });
      await shot(desk, 'verify-revoked-sv-desktop');
    }
  });

  if ((cfg.pages || 'public') !== 'all') return;
  const acc = cfg.accounts || {};
  const newPassword = cfg.newPassword || 'demo password 2026';
  const signedIn = async (role, size) => {
    expect(acc[role], `input: accounts.${role} is needed for "pages": "all"`);
    const page = await fresh(size);
    await signIn(page, base, acc[role].email, acc[role].password);
    if (new URL(page.url()).pathname === '/account/password') {
      await changePassword(page, acc[role].password, newPassword);
      acc[role].password = newPassword;
      run.log(`  ${acc[role].email}: one-time password replaced by "${newPassword}"`);
    }
    return page;
  };

  await run.step('assessor: start page, and the checklist on a tablet', async () => {
    const page = await signedIn('assessor', 'desktop');
    await go(page, base, '/assessor', { status: 200 });
    await shot(page, 'assessor-desktop');
    const tab = await signedIn('assessor', 'tablet');
    await go(tab, base, '/assessor', { status: 200 });
    // The first candidate with an assessment.
    const candidates = await tab.locator('a.open-candidate').evaluateAll((as) => as.map((a) => a.href));
    let found = false;
    for (const href of candidates) {
      await go(tab, base, href, { status: 200 });
      if (await tab.locator('a.open-assessment').count()) { found = true; break; }
    }
    expect(found, 'no candidate has an assessment to take the checklist from');
    await follow(tab, 'a.open-assessment');
    await shot(tab, 'assessment-tablet');
    await follow(tab, 'a[data-observe-unit]');
    await shot(tab, 'checklist-tablet');
  });

  await run.step('internal verifier: the queue, and a decision with its evidence trail', async () => {
    const page = await signedIn('verifier', 'desktop');
    await go(page, base, '/verifier', { status: 200 });
    await shot(page, 'verifier-desktop');
    // A decision still waiting, if the input made one.
    const waiting = page.locator('tr[data-decision]:not([data-status]) a.open-decision');
    if (await waiting.count()) {
      await follow(page, 'tr[data-decision]:not([data-status]) a.open-decision');
      await shot(page, 'verifier-decision-desktop');
    }
  });

  await run.step('candidate: progress and certificates on a phone', async () => {
    const page = await signedIn('candidate', 'phone');
    await go(page, base, '/candidate', { status: 200 });
    await shot(page, 'candidate-phone');
    await go(page, base, '/candidate/certificates', { status: 200 });
    await shot(page, 'candidate-certificates-phone');
  });

  await run.step('administrator: start page and certificates', async () => {
    const page = await signedIn('admin', 'desktop');
    await go(page, base, '/admin', { status: 200 });
    await shot(page, 'admin-desktop');
    await go(page, base, '/admin/certificates', { status: 200 });
    await shot(page, 'admin-certificates-desktop');
    // A framework upload with mistakes: every error with its line, the text kept.
    await go(page, base, '/admin/frameworks/upload', { status: 200 });
    await fill(page, { '#source': BROKEN_FRAMEWORK });
    await submit(page, 'main form:has(#source)');
    await see(page, 'pre.diagnostics');
    await shot(page, 'admin-framework-errors-desktop');
  });
  run.log(`${saved.length} screenshots in ${out}`);
});
