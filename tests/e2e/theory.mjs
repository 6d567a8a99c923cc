// Theory tests defined in the framework, through the pages, in headless Chromium with axe-core:
// the assessor (tablet, then phone in Finnish) opens the theory form of an assessment whose
// framework defines tests, sees each test with its maximum and pass mark, is refused a score
// above the maximum at the field, records a score against a test, and sees the pass mark with
// its percent on the assessment.
//
//   node tests/e2e/theory.mjs '{"base": "http://127.0.0.1:8080",
//     "accounts": {"assessor": {"email": "…", "password": "…"}},
//     "assessment": "<id>", "test": "T24", "score": "15", "max": "24",
//     "report": "/tmp/a11y-theory.json"}'
//
// The assessment's framework must define test `test` with maximum `max`; tests/api/browser.rs
// prepares it on a fresh app.

import { Run, expect, go, fill, submit, see, flash, signIn, switchLanguage, mainText } from './lib.mjs';

await Run.main('theory', async (run, cfg) => {
  const { base, assessment, test, score, max } = cfg;
  const acc = cfg.accounts || {};
  expect(acc.assessor?.email && acc.assessor?.password, 'input: accounts.assessor {email, password} is required');
  expect(assessment && test && score && max, 'input: assessment, test, score and max are required');
  const form = `/assessor/assessments/${assessment}/theory`;

  const tablet = await run.page(await run.context('tablet'));
  await run.step('the assessor (tablet) sees the framework\'s tests on the theory form', async () => {
    await signIn(tablet, base, acc.assessor.email, acc.assessor.password);
    await go(tablet, base, form, { status: 200 });
    await see(tablet, `#test option[value="${test}"]`, `${max}`);
    await run.checkA11y(tablet, 'theory form with defined tests');
  });
  await run.step('a score above the test\'s maximum is refused at the field', async () => {
    await fill(tablet, { '#test': test, '#score': String(Number(max) + 1) });
    const refused = await submit(tablet, 'main form:has(#score)', { novalidate: true });
    expect(refused.status() === 422, `a score above the maximum: expected 422, got ${refused.status()}`);
    await see(tablet, '.error-summary');
    await see(tablet, '#score[aria-invalid="true"]');
    const chosen = await tablet.locator('#test').inputValue();
    expect(chosen === test, `the chosen test is kept after the refusal, got "${chosen}"`);
    await run.checkA11y(tablet, 'theory form with defined tests, refused');
  });
  await run.step('the assessor records the score against the test', async () => {
    await fill(tablet, { '#score': score });
    await submit(tablet, 'main form:has(#score)');
    const at = new URL(tablet.url()).pathname;
    expect(at === `/assessor/assessments/${assessment}`, `after saving the assessor is at ${tablet.url()}: ${await mainText(tablet)}`);
    await flash(tablet);
    await see(tablet, 'main', '%');
    await run.checkA11y(tablet, 'assessment with a defined test\'s result');
  });

  const phone = await run.page(await run.context('phone', { locale: 'fi-FI' }));
  await run.step('the form in Finnish on a phone', async () => {
    await signIn(phone, base, acc.assessor.email, acc.assessor.password);
    await switchLanguage(phone, 'fi');
    await go(phone, base, form, { status: 200 });
    const lang = await phone.evaluate(() => document.documentElement.lang);
    expect(lang === 'fi', `the theory form is in ${lang}`);
    await see(phone, `#test option[value="${test}"]`, 'enintään');
    await run.checkA11y(phone, 'theory form with defined tests, Finnish phone');
  });
});
