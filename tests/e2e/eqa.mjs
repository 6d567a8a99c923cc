// External quality assurance in headless Chromium, with axe-core on each page: the assurer's
// queue and a sampled decision (in Swedish on a desktop, Finnish on a phone, English on a
// desktop), a "not agreed" refused for want of a comment, an agreement and a "not agreed" from
// the forms, the assurer's comment on the internal verifier's and the assessor's pages, and the
// administrator's page with the review and the sampling plans (a review refused for want of a
// reason).
//
//   node tests/e2e/eqa.mjs '{"base": "http://127.0.0.1:8080",
//     "accounts": {"eqa": {…}, "admin": {…}, "verifier": {…}, "assessor": {…}},
//     "agree": "decision id", "disagree": "decision id", "assessment": "assessment of `disagree`"}'
//
// Both decisions are sampled and waiting. Staff passwords must be their own already.
// tests/api/browser.rs prepares a fresh app and runs this.

import { Run, expect, go, fill, submit, see, signIn, switchLanguage, mainText } from './lib.mjs';

await Run.main('eqa', async (run, cfg) => {
  const { base } = cfg;
  const acc = cfg.accounts || {};
  for (const role of ['eqa', 'admin', 'verifier', 'assessor']) {
    expect(acc[role]?.email && acc[role]?.password, `input: accounts.${role} {email, password} is required`);
  }
  expect(cfg.agree && cfg.disagree && cfg.assessment, 'input: agree, disagree and assessment are required');
  const check = async (page, lang, label) => {
    const shown = await page.evaluate(() => document.documentElement.lang);
    expect(shown === lang, `${label} (${page.url()}) is in "${shown}", not "${lang}"`);
    await run.checkA11y(page, label);
  };
  const sample = (id) => `/eqa/decisions/${encodeURIComponent(id)}`;

  for (const [lang, size] of [['sv', 'desktop'], ['fi', 'phone'], ['en', 'desktop']]) {
    const ctx = await run.context(size);
    const page = await run.page(ctx);
    await run.step(`the assurer signs in (${lang}, ${size}) and opens the queue`, async () => {
      await signIn(page, base, acc.eqa.email, acc.eqa.password);
      expect(new URL(page.url()).pathname === '/eqa', `the assurer landed on ${page.url()}: ${await mainText(page)}`);
      if (lang !== 'sv') await switchLanguage(page, lang);
      await see(page, `#queue tr[data-decision="${cfg.agree}"]`);
      await see(page, `#queue tr[data-decision="${cfg.disagree}"]`);
      await check(page, lang, `eqa queue ${lang}`);
    });
    await run.step(`the assurer opens a sample (${lang})`, async () => {
      await go(page, base, sample(cfg.agree), { status: 200 });
      await see(page, '#agree');
      await see(page, '#disagree');
      await see(page, '#evidence-trail .trail-record');
      expect((await page.locator('a[href*="/files/"]').count()) === 0, 'the assurer is offered an evidence file');
      await check(page, lang, `eqa sample ${lang}`);
    });
    if (lang === 'fi') {
      await run.step('not agreeing without a comment is refused at the field', async () => {
        const refused = await submit(page, '#disagree', { novalidate: true });
        expect(refused.status() === 422, `a "not agreed" without a comment: expected 422, got ${refused.status()}`);
        await see(page, '.error-summary');
        await see(page, '#comment[aria-invalid="true"]');
        await check(page, lang, 'eqa not agreed refused fi');
      });
    }
    if (lang === 'en') {
      await run.step('the assurer agrees with one sample and not with the other', async () => {
        await submit(page, '#agree');
        expect(new URL(page.url()).pathname === '/eqa', `agreeing led to ${page.url()}: ${await mainText(page)}`);
        await see(page, 'p.flash[role=status]');
        await see(page, `#answered tr[data-decision="${cfg.agree}"][data-status="agreed"]`);
        await go(page, base, sample(cfg.disagree), { status: 200 });
        await fill(page, { '#comment': 'The observation does not show criterion 1.1 with a real customer.' });
        await submit(page, '#disagree');
        await see(page, `#answered tr[data-decision="${cfg.disagree}"][data-status="not-agreed"]`);
        await check(page, lang, 'eqa queue after answers');
        await go(page, base, sample(cfg.disagree), { status: 200 });
        await see(page, '#eqa-comment', 'criterion 1.1');
        await check(page, lang, 'eqa answered sample');
      });
    }
    await ctx.close();
  }

  for (const [role, url, label] of [
    ['verifier', `/verifier/decisions/${encodeURIComponent(cfg.disagree)}`, 'verifier decision with eqa comment'],
    ['assessor', `/assessor/assessments/${encodeURIComponent(cfg.assessment)}`, 'assessor assessment with eqa comment'],
  ]) {
    const ctx = await run.context('phone');
    const page = await run.page(ctx);
    await run.step(`the ${role} reads the assurer's comment`, async () => {
      await signIn(page, base, acc[role].email, acc[role].password);
      await go(page, base, url, { status: 200 });
      await see(page, '#eqa-note[data-eqa="not-agreed"]');
      await see(page, '#eqa-comment', 'criterion 1.1');
      await check(page, 'sv', label);
    });
    await ctx.close();
  }

  const ctx = await run.context('desktop');
  const admin = await run.page(ctx);
  await run.step('the administrator sees the review and the sampling plans', async () => {
    await signIn(admin, base, acc.admin.email, acc.admin.password);
    await go(admin, base, '/admin/eqa', { status: 200 });
    await see(admin, `.review[data-decision="${cfg.disagree}"]`);
    await see(admin, '.plan form');
    await check(admin, 'sv', 'admin eqa');
    const refused = await submit(admin, `.review[data-decision="${cfg.disagree}"] form`, { novalidate: true });
    expect(refused.status() === 422, `a review without a reason: expected 422, got ${refused.status()}`);
    await see(admin, 'textarea[aria-invalid="true"]');
    await check(admin, 'sv', 'admin eqa review refused');
  });
});
