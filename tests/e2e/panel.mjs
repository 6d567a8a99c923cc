// The panel member's pages in headless Chromium, with axe-core on each: the queue of drafts,
// a draft with its content and forms (in Swedish on a desktop, Finnish on a phone, English on a
// desktop), a return refused for want of a comment, an approval from the form, the approved
// version with its review-date form, an uploader's own draft (four-eyes notice), and the
// administrator's list of frameworks with an overdue review flagged.
//
//   node tests/e2e/panel.mjs '{"base": "http://127.0.0.1:8080",
//     "accounts": {"panel": {"email": "…", "password": "…"}, "admin": {"email": "…", "password": "…"},
//                  "uploader": {"email": "…", "password": "…"}},
//     "drafts": ["id@version", "id@version"], "own": "id@version", "overdue": "id@version"}'
//
// `drafts` are waiting and uploaded by someone else (the first is approved here), `own` is a
// draft `uploader` (also a panel member) uploaded, `overdue` an approved version whose review
// date has passed.
// Staff passwords must be their own already. tests/api/browser.rs prepares a fresh app and
// runs this.

import { Run, expect, go, fill, submit, see, signIn, switchLanguage, mainText } from './lib.mjs';

const path = (v) => {
  const [id, version] = v.split('@');
  return `/panel/frameworks/${encodeURIComponent(id)}/${encodeURIComponent(version)}`;
};

await Run.main('panel', async (run, cfg) => {
  const { base } = cfg;
  const acc = cfg.accounts || {};
  for (const role of ['panel', 'admin']) {
    expect(acc[role]?.email && acc[role]?.password, `input: accounts.${role} {email, password} is required`);
  }
  expect(Array.isArray(cfg.drafts) && cfg.drafts.length >= 1, 'input: drafts (at least one) is required');
  const check = async (page, lang, label) => {
    const shown = await page.evaluate(() => document.documentElement.lang);
    expect(shown === lang, `${label} (${page.url()}) is in "${shown}", not "${lang}"`);
    await run.checkA11y(page, label);
  };

  for (const [lang, size] of [['sv', 'desktop'], ['fi', 'phone'], ['en', 'desktop']]) {
    const ctx = await run.context(size);
    const page = await run.page(ctx);
    await run.step(`panel member signs in (${lang}, ${size}) and opens the queue`, async () => {
      await signIn(page, base, acc.panel.email, acc.panel.password);
      expect(new URL(page.url()).pathname === '/panel', `the panel member landed on ${page.url()}: ${await mainText(page)}`);
      if (lang !== 'sv') await switchLanguage(page, lang);
      for (const d of cfg.drafts) await see(page, `#drafts tr[data-framework="${d}"]`);
      await check(page, lang, `panel queue ${lang}`);
    });
    await run.step(`panel member opens a draft (${lang})`, async () => {
      await go(page, base, path(cfg.drafts[cfg.drafts.length - 1]), { status: 200 });
      await see(page, '#approve-framework');
      await see(page, '#return-framework');
      await see(page, '#units');
      await check(page, lang, `panel draft ${lang}`);
    });
    await run.step(`returning without a comment is refused at the field (${lang})`, async () => {
      const refused = await submit(page, '#return-framework', { novalidate: true });
      expect(refused.status() === 422, `a return without a comment: expected 422, got ${refused.status()}`);
      await see(page, '.error-summary');
      await see(page, '#comment[aria-invalid="true"]');
      await check(page, lang, `panel return refused ${lang}`);
    });
    if (lang === 'en') {
      await run.step('panel member approves a draft from the form', async () => {
        await go(page, base, path(cfg.drafts[0]), { status: 200 });
        await fill(page, { '#approve-comment': 'Well balanced; review with the employers in two years.' });
        await submit(page, '#approve-framework');
        expect(new URL(page.url()).pathname === '/panel', `approving led to ${page.url()}: ${await mainText(page)}`);
        await see(page, 'p.flash[role=status]');
        await see(page, `#decided tr[data-framework="${cfg.drafts[0]}"][data-status="approved"]`);
        await check(page, lang, 'panel queue after approval');
      });
      await run.step('the approved version offers its review date', async () => {
        await go(page, base, path(cfg.drafts[0]), { status: 200 });
        await see(page, '#set-review-date');
        await see(page, '#approval-status[data-status="approved"]');
        await check(page, lang, 'panel approved version');
      });
    }
    await ctx.close();
  }

  if (cfg.own) {
    expect(acc.uploader?.email && acc.uploader?.password, 'input: accounts.uploader is required with "own"');
    const ctx = await run.context('phone');
    const page = await run.page(ctx);
    await run.step('the uploader\'s own draft says why they cannot approve it', async () => {
      await signIn(page, base, acc.uploader.email, acc.uploader.password);
      await go(page, base, path(cfg.own), { status: 200 });
      await see(page, '#four-eyes');
      expect((await page.locator('#approve-framework').count()) === 0, 'the uploader is offered the approve form');
      await see(page, '#return-framework');
      await check(page, 'sv', 'panel own draft');
    });
    await ctx.close();
  }

  const ctx = await run.context('desktop');
  const admin = await run.page(ctx);
  await run.step('the administrator sees each version\'s approval and an overdue review', async () => {
    await signIn(admin, base, acc.admin.email, acc.admin.password);
    await go(admin, base, '/admin/frameworks', { status: 200 });
    await see(admin, `tr[data-framework="${cfg.drafts[0]}"][data-status="approved"]`);
    if (cfg.overdue) await see(admin, `tr[data-framework="${cfg.overdue}"] .review-overdue`);
    await check(admin, 'sv', 'admin frameworks with approval');
    const [id, version] = (cfg.overdue || cfg.drafts[0]).split('@');
    await go(admin, base, `/admin/frameworks/${encodeURIComponent(id)}/${encodeURIComponent(version)}`, { status: 200 });
    await see(admin, '#approval-status');
    await check(admin, 'sv', 'admin framework with approval');
  });
});
