// The whole story through the pages, in headless Chromium, with axe-core on every page type:
// an assessor (tablet) starts an assessment, records a theory test, practical observations and
// a piece of evidence with a file, and submits; the internal verifier (desktop) confirms; the
// candidate (phone) changes the one-time password, downloads the certificate's PDF and reads
// the verification URL from its QR code; an employer (no session) opens it: genuine; the
// administrator revokes it with a reason; the employer reloads: revoked, with the reason, in
// Finnish and Swedish too. Every page visited is then checked again on the sizes it was not
// seen in, so each page type is checked on a desktop and on a phone.
//
//   node tests/e2e/story.mjs '{"base": "http://127.0.0.1:8080",
//     "framework": "test-skills@2026.1", "qualification": "DBS",
//     "accounts": {
//       "admin": {"email": "…", "password": "…"},
//       "assessor": {"email": "…", "password": "…"},
//       "verifier": {"email": "…", "password": "…"},
//       "candidate": {"id": "<candidate id>", "email": "…", "password": "<one-time password>"}},
//     "report": "/tmp/a11y-story.json"}'
//
// "lang": "sv" (default), "fi" or "en": every role switches the pages to it right after signing
// in (the employer on the first page), and every page checked must be in it. "phone": true runs
// every role on a phone-sized window instead of tablet/desktop.
//
// Staff passwords must be their own already (not one-time). Optional: "theory" (criteria of
// the theory test), "observations" ({unit: [criteria met]}), "evidence" ({kind, criteria}) when
// the framework is not the test framework; "reason" (of the revocation). tests/api/browser.rs
// prepares a fresh app and runs this.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  Run, expect, go, fill, submit, follow, see, attr, flash, signIn, changePassword, signOut,
  switchLanguage, outcome, mainText, qrFromPdf,
} from './lib.mjs';

const today = new Date().toISOString().slice(0, 10);

await Run.main('story', async (run, cfg) => {
  const { base } = cfg;
  const acc = cfg.accounts || {};
  for (const role of ['admin', 'assessor', 'verifier', 'candidate']) {
    expect(acc[role]?.email && acc[role]?.password, `input: accounts.${role} {email, password} is required`);
  }
  expect(acc.candidate.id, 'input: accounts.candidate.id is required');
  const framework = cfg.framework || 'test-skills@2026.1';
  const qualification = cfg.qualification ?? 'DBS';
  const theory = cfg.theory || ['DBS-01/1.2'];
  const observations = cfg.observations || { 'DBS-01': ['DBS-01/1.1'], 'DBS-02': ['DBS-02/1.1'], 'DBS-04': ['DBS-04/1.1'] };
  const evidence = cfg.evidence || { kind: 'work-certificate', criteria: ['DBS-02/1.1'] };
  const reason = cfg.reason || 'Utfärdat av misstag – fel kandidat (test)';
  const candidatePassword = cfg.candidateNewPassword || 'kandidatens alldeles egna lösenord';
  const work = mkdtempSync(path.join(tmpdir(), 'validera-story-'));
  const lang = cfg.lang || 'sv';
  const sized = (size) => run.context(cfg.phone ? 'phone' : size);
  // Signs in and, unless the story runs in Swedish (the default), switches the pages' language.
  const enter = async (page, who) => {
    const landed = await signIn(page, base, who.email, who.password);
    if (lang !== 'sv') await switchLanguage(page, lang);
    return landed;
  };

  // Pages each role saw, to check them again on the other sizes at the end.
  const seen = { assessor: [], verifier: [], candidate: [], admin: [], employer: [] };
  // `again: false` for a page that only a POST shows (a refused form).
  const check = async (role, page, label, { again = true } = {}) => {
    const shown = await page.evaluate(() => document.documentElement.lang);
    expect(shown === lang, `${label} (${page.url()}) is in "${shown}", not "${lang}"`);
    await run.checkA11y(page, label);
    if (again) seen[role].push({ label, url: page.url(), size: page.size });
  };

  // ---- Assessor, on a tablet -----------------------------------------------------------------
  const tablet = await sized('tablet');
  const as = await run.page(tablet);
  let assessment;
  await run.step('assessor signs in and opens the candidate', async () => {
    const landed = await enter(as, acc.assessor);
    expect(landed.status() === 200, `the assessor's start page ${as.url()} answered ${landed.status()}: ${await mainText(as)}`);
    expect(new URL(as.url()).pathname === '/assessor', `the assessor landed on ${as.url()}: ${await mainText(as)}`);
    await check('assessor', as, 'assessor home');
    await see(as, `tr[data-candidate="${acc.candidate.id}"]`);
    await follow(as, `tr[data-candidate="${acc.candidate.id}"] a.open-candidate`);
    expect(as.url().includes(`/assessor/candidates/${acc.candidate.id}`), `the candidate link led to ${as.url()}`);
    await check('assessor', as, 'assessor candidate');
  });

  await run.step(`assessor starts an assessment against ${framework} ${qualification}`, async () => {
    await fill(as, { 'select#framework': framework, 'select#qualification': qualification });
    await submit(as, '#start-assessment');
    const m = new URL(as.url()).pathname.match(/^\/assessor\/assessments\/([^/]+)$/);
    expect(m, `starting the assessment led to ${as.url()}: ${await mainText(as)}`);
    assessment = m[1];
    await see(as, '#units');
    await see(as, '#gap-report');
    expect((await attr(as, '#decision-state', 'data-state')) === 'none', 'a new assessment already has a decision');
    await check('assessor', as, 'assessment');
  });
  const assessmentPath = () => `/assessor/assessments/${assessment}`;
  const backOnAssessment = async (what) => {
    expect(new URL(as.url()).pathname === assessmentPath(), `after ${what} the assessor is at ${as.url()}: ${await mainText(as)}`);
    await flash(as);
  };

  await run.step('assessor writes mapping notes', async () => {
    await follow(as, '#record-mapping');
    await check('assessor', as, 'mapping form');
    // #self_assessment is a group of per-criterion answers on the page; the notes suffice.
    await fill(as, { '#notes': 'Kandidaten har arbetat tre år på kontor.' });
    await submit(as, 'main form:has(#notes)');
    await backOnAssessment('the mapping notes');
  });

  await run.step(`assessor records a theory test (18 of 20, pass mark 14) for ${theory.join(', ')}`, async () => {
    await follow(as, '#record-theory');
    await check('assessor', as, 'theory form');
    // The server's own validation, past the browser's: an empty form is refused at the fields.
    const refused = await submit(as, 'main form:has(#score)', { novalidate: true });
    expect(refused.status() === 422, `an empty theory test: expected 422, got ${refused.status()}`);
    await see(as, '.error-summary');
    await see(as, '[aria-invalid="true"]');
    await check('assessor', as, 'theory form refused', { again: false });
    const fields = { '#date': today, '#title': 'Teoriprov: filer och mappar', '#score': '18', '#max': '20', '#pass_mark': '14' };
    for (const c of theory) fields[`input[name=criteria][value="${c}"]`] = true;
    await fill(as, fields);
    await submit(as, 'main form:has(#score)');
    await backOnAssessment('the theory test');
  });

  let first = true;
  for (const [unit, met] of Object.entries(observations)) {
    await run.step(`assessor records the practical observation of ${unit}: ${met.join(', ')} met`, async () => {
      await go(as, base, assessmentPath(), { status: 200 });
      await follow(as, `a[data-observe-unit="${unit}"]`);
      if (first) await check('assessor', as, 'observation checklist');
      first = false;
      const fields = { '#date': today, '#context': `Arbetsprov på kontoret (${unit})` };
      for (const c of met) {
        fields[`input[name="met-${c}"][value=yes]`] = true;
        fields[`textarea[name="comment-${c}"]`] = 'Gjorde det utan hjälp.';
      }
      await fill(as, fields);
      await submit(as, 'main form:has(#context)');
      await backOnAssessment(`the observation of ${unit}`);
    });
  }

  await run.step(`assessor adds ${evidence.kind} evidence with a file`, async () => {
    const file = path.join(work, 'arbetsintyg.txt');
    writeFileSync(file, 'Arbetsintyg: kandidaten har skött e-post med bilagor sedan 2023.\n');
    await follow(as, '#record-evidence');
    await check('assessor', as, 'evidence form');
    const fields = { '#kind': evidence.kind, '#date': today, '#description': 'Arbetsintyg från arbetsgivaren', '#file': { file } };
    // The assessor's judgement of the evidence; nothing is presumed.
    for (const j of ['valid', 'authentic', 'sufficient', 'reliable']) fields[`input[name=${j}]`] = true;
    for (const c of evidence.criteria) fields[`input[name=criteria][value="${c}"]`] = true;
    await fill(as, fields);
    await submit(as, 'main form:has(#description)');
    await backOnAssessment('the evidence');
  });

  await run.step('the units are complete; the assessor submits for verification', async () => {
    for (const unit of Object.keys(observations)) {
      const status = await attr(as, `#units [data-unit="${unit}"]`, 'data-status');
      expect(status === 'provisional', `unit ${unit} is "${status}" after its records, expected "provisional"`);
    }
    await check('assessor', as, 'assessment complete');
    await submit(as, '#submit-for-verification');
    await flash(as);
    expect((await attr(as, '#decision-state', 'data-state')) === 'submitted', 'the decision is not "submitted"');
    await signOut(as);
  });

  // ---- Internal verifier, on a desktop --------------------------------------------------------
  const desk = await sized('desktop');
  const iv = await run.page(desk);
  await run.step('the internal verifier confirms the decision', async () => {
    await enter(iv, acc.verifier);
    expect(new URL(iv.url()).pathname === '/verifier', `the verifier landed on ${iv.url()}`);
    await check('verifier', iv, 'verifier queue');
    await follow(iv, 'tr[data-decision] a.open-decision');
    expect(/^\/verifier\/decisions\/[^/]+$/.test(new URL(iv.url()).pathname), `the decision link led to ${iv.url()}`);
    await see(iv, 'form#confirm-decision');
    await see(iv, 'form#return-decision textarea#comment');
    await check('verifier', iv, 'verifier decision');
    await submit(iv, 'form#confirm-decision');
    await flash(iv);
    await check('verifier', iv, 'verifier after confirming');
    await signOut(iv);
  });

  // ---- Candidate, on a phone ------------------------------------------------------------------
  const phone = await run.context('phone');
  const cand = await run.page(phone);
  let certificate, verifyUrl;
  await run.step('the candidate signs in with the one-time password and sets their own', async () => {
    await enter(cand, acc.candidate);
    await check('candidate', cand, 'password change', { again: false });
    await changePassword(cand, acc.candidate.password, candidatePassword);
    expect(new URL(cand.url()).pathname === '/candidate', `after the password change the candidate is at ${cand.url()}`);
    await flash(cand);
    await check('candidate', cand, 'candidate home');
  });

  await run.step('the candidate downloads the certificate PDF; its QR code holds the verification URL', async () => {
    await go(cand, base, '/candidate/certificates', { status: 200 });
    await check('candidate', cand, 'candidate certificates');
    const n = await cand.locator('[data-certificate]').count();
    expect(n >= 1, `no certificates on the candidate's page: ${await mainText(cand)}`);
    // The qualification's certificate if the page marks kinds, else the first.
    const q = cand.locator('[data-certificate][data-kind=qualification]');
    const item = (await q.count()) ? q.first() : cand.locator('[data-certificate]').first();
    certificate = await item.getAttribute('data-certificate');
    for (const sel of ['a.download-json', 'a.download-jwt', 'a.linkedin', 'input.share-link']) {
      expect((await item.locator(sel).count()) === 1, `certificate ${certificate} has no ${sel}`);
    }
    const share = await item.locator('input.share-link').inputValue();
    expect(share.endsWith(`/v/${certificate}`), `the share link ${share} does not point at /v/${certificate}`);
    const [download] = await Promise.all([cand.waitForEvent('download'), item.locator('a.download-pdf').click()]);
    const pdf = path.join(work, 'certificate.pdf');
    await download.saveAs(pdf);
    verifyUrl = qrFromPdf(pdf, work);
    expect(verifyUrl === share, `the QR code says ${verifyUrl}, the share link ${share}`);
    expect(verifyUrl.startsWith(base), `the QR code's URL ${verifyUrl} is not on ${base}`);
    const wide = await cand.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (wide > 1) run.fail(`the certificates page scrolls sideways on a phone by ${wide}px`);
    await signOut(cand);
  });

  // ---- Employer: no session -------------------------------------------------------------------
  const employerCtx = await sized('desktop');
  const emp = await run.page(employerCtx);
  await run.step('an employer opens the QR code\'s URL: genuine', async () => {
    await go(emp, base, verifyUrl, { status: 200 });
    if (lang !== 'sv') await switchLanguage(emp, lang);
    expect((await outcome(emp)) === 'genuine', `the verification page says ${await outcome(emp)}`);
    await check('employer', emp, 'verification genuine');
  });

  // ---- Administrator, on a desktop -------------------------------------------------------------
  const admin = await run.page(await sized('desktop'));
  await run.step('the administrator revokes the certificate with a reason', async () => {
    await enter(admin, acc.admin);
    await check('admin', admin, 'admin home');
    await go(admin, base, '/admin/certificates', { status: 200 });
    await check('admin', admin, 'admin certificates');
    await follow(admin, `tr[data-certificate="${certificate}"] a.open-certificate`);
    expect(new URL(admin.url()).pathname === `/admin/certificates/${certificate}`, `the certificate link led to ${admin.url()}`);
    expect((await attr(admin, '#certificate-status', 'data-status')) === 'active', 'the certificate is not active');
    await check('admin', admin, 'admin certificate');
    await fill(admin, { '#revoke-reason': reason });
    await submit(admin, 'form#revoke');
    await flash(admin);
    expect((await attr(admin, '#certificate-status', 'data-status')) === 'revoked', 'the certificate is not revoked after revoking');
    await check('admin', admin, 'admin certificate revoked');
  });

  await run.step('the administrator\'s other pages', async () => {
    for (const [p, label] of [['/admin/users', 'admin users'], ['/admin/users/new', 'admin new user'],
      ['/admin/frameworks', 'admin frameworks'], ['/admin/frameworks/upload', 'admin framework upload'], ['/admin/keys', 'admin keys'],
      ['/admin/organisation', 'admin organisation']]) {
      await go(admin, base, p, { status: 200 });
      await check('admin', admin, label);
    }
    await signOut(admin);
  });

  // ---- Employer again -------------------------------------------------------------------------
  await run.step('the employer reloads: revoked with the reason, in Swedish, Finnish and English', async () => {
    await emp.reload({ waitUntil: 'load' });
    for (const other of [null, 'fi', 'sv', 'en', lang]) {
      if (other) await switchLanguage(emp, other);
      const o = await outcome(emp);
      expect(o === 'revoked', `after revocation the page${other ? ` in ${other}` : ''} says ${o}`);
      await see(emp, '#status-reason', reason);
    }
    await check('employer', emp, 'verification revoked');
    await go(emp, base, '/check', { status: 200 });
    await check('employer', emp, 'check');
    await go(emp, base, '/no-such-page', { status: 404 });
    await check('employer', emp, 'error 404');
  });

  // ---- Every page type on the sizes it was not seen in ------------------------------------------
  const passwords = {
    assessor: acc.assessor.password, verifier: acc.verifier.password, admin: acc.admin.password, candidate: candidatePassword,
  };
  for (const [role, pages] of Object.entries(seen)) {
    const unique = [...new Map(pages.map((p) => [p.label, p])).values()];
    for (const size of ['desktop', 'phone']) {
      const todo = unique.filter((p) => p.size !== size);
      if (!todo.length) continue;
      await run.step(`${role}'s pages on a ${size}`, async () => {
        const ctx = await run.context(size);
        const page = await run.page(ctx);
        if (role !== 'employer') await enter(page, { email: acc[role].email, password: passwords[role] });
        for (const p of todo) {
          const resp = await go(page, base, p.url);
          const want = p.label === 'error 404' ? 404 : 200;
          expect(resp.status() === want, `${p.label} (${p.url}) on a ${size}: ${resp.status()}`);
          await run.checkA11y(page, p.label);
          const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (size === 'phone' && wide > 1) run.fail(`${p.label} scrolls sideways on a phone by ${wide}px`);
        }
        await ctx.close();
      });
    }
  }
  run.log(`certificate ${certificate} revoked through the pages`);
});
