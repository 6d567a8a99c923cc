// The pages every visitor meets, in headless Chromium: sign-in (and a refused one), the first
// change of a one-time password, sign-out, signing in with the keyboard alone, the language
// switch (sv/fi/en), the employer's check of a PDF and of a pasted (tampered) credential, the
// verification page /v/{id} in three languages, the 404 pages; on a desktop and on a phone,
// with axe-core on each page type.
//
//   node tests/e2e/public.mjs '{"base": "http://127.0.0.1:8080",
//     "certificate": "<id of a genuine certificate>",
//     "pdf": "/path/to/its/certificate.pdf",
//     "fresh": {"email": "…", "password": "<one-time password>"},
//     "phoneFresh": {"email": "…", "password": "<another one-time password>"},  (optional)
//     "report": "/tmp/a11y-public.json"}'
//
// Instead of "pdf", "candidate": {"email", "password"} (a candidate whose password is their
// own) makes the script download the certificate's PDF through the API. tests/api/browser.rs
// prepares all of it on a fresh app; see there.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Run, expect, go, fill, submit, see, signIn, changePassword, signOut, switchLanguage, outcome, mainText } from './lib.mjs';

/** The certificate's PDF: the given file, or downloaded through the API as its holder. */
async function certificatePdf(cfg) {
  if (cfg.pdf) return cfg.pdf;
  expect(cfg.candidate, 'give "pdf" or "candidate" (to download the PDF through the API)');
  const login = await fetch(`${cfg.base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: cfg.candidate.email, password: cfg.candidate.password }),
  });
  expect(login.ok, `API sign-in of ${cfg.candidate.email}: ${login.status}`);
  const { token } = await login.json();
  const pdf = await fetch(`${cfg.base}/api/certificates/${cfg.certificate}/certificate.pdf`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(pdf.ok, `PDF download: ${pdf.status}`);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'validera-pdf-')), 'certificate.pdf');
  writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
  return file;
}

const H1 = {
  signin: { sv: 'Logga in', fi: 'Kirjaudu sisään', en: 'Sign in' },
};

await Run.main('public', async (run, cfg) => {
  const { base } = cfg;
  const id = cfg.certificate;
  expect(id, 'input: "certificate" (a genuine certificate\'s id) is required');
  expect(cfg.fresh, 'input: "fresh" (an account with a one-time password) is required');
  const pdf = await certificatePdf(cfg);

  // ---- Desktop ----------------------------------------------------------------------------
  const desk = await run.context('desktop');
  const page = await run.page(desk);

  await run.step('sign-in page in Swedish by default; the switch goes to fi, en and back', async () => {
    await go(page, base, '/signin', { status: 200 });
    await see(page, 'h1', H1.signin.sv);
    await run.checkA11y(page, 'sign-in');
    for (const lang of ['fi', 'en', 'sv']) {
      await switchLanguage(page, lang);
      await see(page, 'h1', H1.signin[lang]);
    }
    await switchLanguage(page, 'fi');
    await run.checkA11y(page, 'sign-in fi');
    // The choice sticks on the next page.
    await go(page, base, '/check', { status: 200 });
    expect((await page.evaluate(() => document.documentElement.lang)) === 'fi', 'the language did not stick');
    await switchLanguage(page, 'sv');
  });

  await run.step('a wrong password is refused with the message at the form', async () => {
    const resp = await signIn(page, base, cfg.fresh.email, 'not the password at all');
    expect(resp.status() === 401, `expected 401, got ${resp.status()}`);
    await see(page, '.error-summary[role=alert]');
    expect((await page.inputValue('#email')) === cfg.fresh.email, 'the e-mail address was not kept');
    expect((await page.getAttribute('#password', 'aria-invalid')) === 'true', '#password is not marked invalid');
    await run.checkA11y(page, 'sign-in refused');
  });

  await run.step('a one-time password leads to the password page; a bad new one is refused', async () => {
    await signIn(page, base, cfg.fresh.email, cfg.fresh.password);
    expect(new URL(page.url()).pathname === '/account/password', `sign-in led to ${page.url()}`);
    await run.checkA11y(page, 'password change');
    await fill(page, { '#current_password': cfg.fresh.password, '#new_password': 'short', '#repeat_password': 'short' });
    const resp = await submit(page, 'form[action="/account/password"]', { novalidate: true });
    expect(resp.status() === 422, `a too short password: expected 422, got ${resp.status()}`);
    await see(page, '#new_password-error');
    expect((await page.getAttribute('#new_password', 'aria-invalid')) === 'true', '#new_password is not marked invalid');
    await run.checkA11y(page, 'password change refused');
  });

  await run.step('the new password is saved; signing out and in again works', async () => {
    const mine = cfg.newPassword || 'ett alldeles eget lösenord';
    await changePassword(page, cfg.fresh.password, mine);
    expect(page.url().includes('done=password-changed'), `after the change: ${page.url()}`);
    // The role's start page may not exist yet; the password page does, with the header.
    await go(page, base, '/account/password', { status: 200 });
    await signOut(page);
    await see(page, 'p.flash[role=status]');
    const resp = await signIn(page, base, cfg.fresh.email, mine);
    expect(new URL(page.url()).pathname !== '/signin', `signing in with the new password: ${resp.status()} ${await mainText(page)}`);
    await go(page, base, '/account/password', { status: 200 });
    await signOut(page);
  });

  await run.step('keyboard only: the skip link comes first, then the form, and Enter signs in', async () => {
    const mine = cfg.newPassword || 'ett alldeles eget lösenord';
    await go(page, base, '/signin', { status: 200 });
    const focused = () => page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return {
        id: el.id, cls: el.className, visible: el.matches(':focus-visible'),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        onScreen: box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0,
      };
    });
    await page.keyboard.press('Tab');
    let f = await focused();
    expect(f.cls === 'skip', `the first Tab stop is ${f.id || f.cls}, not the skip link`);
    expect(f.onScreen && f.outline, 'the skip link is not shown with a visible focus ring when focused');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    f = await focused();
    expect(f.id === 'email', `after the skip link, Tab goes to ${f.id || f.cls}, not the e-mail field`);
    expect(f.visible && f.outline, 'the e-mail field shows no visible focus ring');
    await page.keyboard.type(cfg.fresh.email);
    await page.keyboard.press('Tab');
    f = await focused();
    expect(f.id === 'password', `Tab from the e-mail field goes to ${f.id || f.cls}, not the password`);
    await page.keyboard.type(mine);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    expect(!new URL(page.url()).pathname.startsWith('/signin'), `Enter in the password field did not sign in: ${page.url()}`);
    await signOut(page);
  });

  await run.step('the check page: a PDF upload is genuine', async () => {
    await go(page, base, '/check', { status: 200 });
    await run.checkA11y(page, 'check');
    await fill(page, { '#file': { file: pdf } });
    const resp = await submit(page, 'form[action="/check"]');
    expect(resp.status() === 200, `check: ${resp.status()}`);
    const o = await outcome(page);
    expect(o === 'genuine', `the PDF checks as ${o}: ${await mainText(page)}`);
    await run.checkA11y(page, 'check genuine');
  });

  await run.step('the check page: a pasted credential with raised credits is forged', async () => {
    const doc = await (await fetch(`${base}/v/${id}/credential.json`)).text();
    const forged = doc.replace('"creditsAvailable":', '"creditsAvailable":9');
    expect(forged !== doc, 'the credential has no creditsAvailable to tamper with');
    await go(page, base, '/check?lang=en', { status: 200 });
    await fill(page, { '#text': forged });
    await submit(page, 'form[action="/check"]');
    const o = await outcome(page);
    expect(o === 'forged', `a tampered credential checks as ${o}`);
    await run.checkA11y(page, 'check forged');
  });

  await run.step('the check page: nothing given is an error at the field', async () => {
    await go(page, base, '/check?lang=sv', { status: 200 });
    const resp = await submit(page, 'form[action="/check"]');
    expect(resp.status() === 422, `empty check: expected 422, got ${resp.status()}`);
    await see(page, '#file-error');
    await run.checkA11y(page, 'check error');
  });

  // Every page works without JavaScript; the script only adds copy buttons and confirmations.
  await run.step('without JavaScript: sign in, check a PDF, sign out', async () => {
    const mine = cfg.newPassword || 'ett alldeles eget lösenord';
    const plain = await run.page(await run.context('desktop', { javaScriptEnabled: false }));
    await signIn(plain, base, cfg.fresh.email, mine);
    expect(!new URL(plain.url()).pathname.startsWith('/signin'), `no-JS sign-in stayed at ${plain.url()}`);
    await go(plain, base, '/check', { status: 200 });
    await fill(plain, { '#file': { file: pdf } });
    await submit(plain, 'form[action="/check"]');
    expect((await outcome(plain)) === 'genuine', `without JavaScript the PDF checks as ${await outcome(plain)}`);
    await go(plain, base, '/account/password', { status: 200 });
    await signOut(plain);
    expect(new URL(plain.url()).pathname === '/signin', `no-JS sign-out led to ${plain.url()}`);
  });

  // An employer with nothing but the address: a fresh context.
  const employer = await run.context('desktop', { locale: 'en-GB' });
  const emp = await run.page(employer);
  await run.step('the verification page is genuine in English (browser language), Finnish and Swedish', async () => {
    await go(emp, base, `/v/${id}`, { status: 200 });
    expect((await emp.evaluate(() => document.documentElement.lang)) === 'en', 'Accept-Language en was not followed');
    expect((await outcome(emp)) === 'genuine', `outcome ${await outcome(emp)}`);
    await see(emp, '#verdict', 'genuine');
    await run.checkA11y(emp, 'verification');
    await switchLanguage(emp, 'fi');
    expect((await outcome(emp)) === 'genuine', 'not genuine in Finnish');
    await see(emp, '#verdict', 'aito');
    await switchLanguage(emp, 'sv');
    await see(emp, '#verdict', 'äkta');
    await run.checkA11y(emp, 'verification sv');
    // The checks' table fits its frame (a long did:web identifier once made it scroll).
    const over = await emp.evaluate(() => [...document.querySelectorAll('.table-wrap')].map((w) => w.scrollWidth - w.clientWidth));
    if (over.some((d) => d > 1)) run.fail(`a table is wider than its frame by ${over.join(', ')} px`);
  });

  await run.step('unknown pages and certificates answer 404 pages', async () => {
    await go(emp, base, '/no-such-page', { status: 404 });
    await see(emp, 'h1');
    await run.checkA11y(emp, 'error 404');
    await go(emp, base, '/v/00000000-0000-0000-0000-000000000000', { status: 404 });
    await run.checkA11y(emp, 'certificate missing');
  });

  // ---- Phone --------------------------------------------------------------------------------
  const phoneCtx = await run.context('phone', { locale: 'fi-FI' });
  const phone = await run.page(phoneCtx);
  await run.step('on a phone: sign-in, check, verification and 404 pages', async () => {
    await go(phone, base, '/signin', { status: 200 });
    await see(phone, 'h1', H1.signin.fi);
    await run.checkA11y(phone, 'sign-in');
    await go(phone, base, '/check', { status: 200 });
    await fill(phone, { '#file': { file: pdf } });
    await submit(phone, 'form[action="/check"]');
    expect((await outcome(phone)) === 'genuine', 'the PDF is not genuine on the phone');
    await run.checkA11y(phone, 'check genuine');
    await go(phone, base, `/v/${id}`, { status: 200 });
    expect((await outcome(phone)) === 'genuine', 'not genuine on the phone');
    await run.checkA11y(phone, 'verification');
    // Nothing sticks out sideways on a phone.
    const wide = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (wide > 1) run.fail(`the verification page scrolls sideways on a phone by ${wide}px`);
    await go(phone, base, '/no-such-page', { status: 404 });
    await run.checkA11y(phone, 'error 404');
  });

  await run.step('on a phone: a used one-time password is refused; a fresh one leads to the password page', async () => {
    const resp = await signIn(phone, base, cfg.fresh.email, cfg.fresh.password);
    expect(resp.status() === 401, `the used one-time password: expected 401, got ${resp.status()}`);
    await run.checkA11y(phone, 'sign-in refused');
    if (cfg.phoneFresh) {
      await signIn(phone, base, cfg.phoneFresh.email, cfg.phoneFresh.password);
      await run.checkA11y(phone, 'password change');
      await changePassword(phone, cfg.phoneFresh.password, 'puhelimella vaihdettu salasana');
      await go(phone, base, '/account/password', { status: 200 });
      await signOut(phone);
    }
  });
});
