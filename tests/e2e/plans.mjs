// Development plans through the pages, in headless Chromium, with axe-core on every page type:
// the administrator (desktop) assigns a coach; the coach (desktop, then tablet) opens the
// participant, makes a plan from what is left and writes the goal; the participant (phone, in
// Finnish) reads the goal, the next step and progress, and marks the step under way. The coach
// also writes down a follow-up, starts a peer group with the participant and a session (desktop),
// and opens the groups from the start page (tablet); the participant opens the group on the
// phone and chooses to share their name. The administrator asks the participant whether a second
// coach may work with them; the participant reads the invitation on the plan page (phone,
// Finnish), accepts it, ends that coach's access, and chooses the coach again from the list.
//
//   node tests/e2e/plans.mjs '{"base": "http://127.0.0.1:8080",
//     "accounts": {
//       "admin": {"email": "…", "password": "…"},
//       "coach": {"id": "<user id>", "email": "…", "password": "…"},
//       "participant": {"id": "<candidate id>", "email": "…", "password": "…"},
//       "invited": {"id": "<user id of a second coach>"}},
//     "report": "/tmp/a11y-plans.json"}'
//
// Passwords must be the people's own already. The participant needs an assessment with gaps.
// tests/api/browser.rs prepares all of it on a fresh app.

import { Run, expect, go, fill, submit, follow, see, flash, signIn, switchLanguage, mainText } from './lib.mjs';

await Run.main('plans', async (run, cfg) => {
  const { base } = cfg;
  const acc = cfg.accounts || {};
  for (const role of ['admin', 'coach', 'participant']) {
    expect(acc[role]?.email && acc[role]?.password, `input: accounts.${role} {email, password} is required`);
  }
  const cand = acc.participant.id;
  const coachId = acc.coach.id;

  const desk = await run.context('desktop');
  const admin = await run.page(desk);
  await run.step('the administrator assigns the coach', async () => {
    await signIn(admin, base, acc.admin.email, acc.admin.password);
    await go(admin, base, '/admin', { status: 200 });
    await follow(admin, '#to-coaches');
    await run.checkA11y(admin, 'admin coaches');
    await fill(admin, { [`#coach-${cand}`]: coachId });
    await submit(admin, `section[data-candidate="${cand}"] form.assign-coach`);
    await flash(admin);
    await see(admin, `section[data-candidate="${cand}"] li[data-coach="${coachId}"]`);
    await run.checkA11y(admin, 'admin coaches, assigned');
    // The second coach: the administrator asks the participant first, on the coach's behalf.
    await fill(admin, { [`#coach-${cand}`]: acc.invited.id });
    await follow(admin, `section[data-candidate="${cand}"] button.invite-coach`);
    await flash(admin);
    expect((await admin.locator(`section[data-candidate="${cand}"] li[data-coach="${acc.invited.id}"]`).count()) === 0,
      'asking the participant assigned the coach at once');
  });

  for (const size of ['desktop', 'tablet']) {
    const ctx = await run.context(size);
    const coach = await run.page(ctx);
    await run.step(`the coach (${size}) opens the participant and works on the plan`, async () => {
      await signIn(coach, base, acc.coach.email, acc.coach.password);
      expect(new URL(coach.url()).pathname === '/coach', `the coach landed on ${coach.url()}`);
      await run.checkA11y(coach, 'coach participants');
      await follow(coach, `tr[data-participant="${cand}"] a.open-participant`);
      await run.checkA11y(coach, 'coach participant');
      if (size === 'desktop') {
        await submit(coach, '#draft-plan');
        await flash(coach);
        const n = await coach.locator('li.plan-step').count();
        expect(n >= 1, `no steps after drafting: ${await mainText(coach)}`);
        await run.checkA11y(coach, 'coach participant with a plan');
      }
      await follow(coach, '#edit-plan');
      await run.checkA11y(coach, 'plan edit');
      if (size === 'desktop') {
        await fill(coach, { '#goal': 'Työ toimistossa, jossa käytän tietokonetta', '#step-0-date': '2027-01-15', '#step-0-support-kind': 'study-circle', '#step-0-support-name': 'Opintokeskus' });
        await submit(coach, '#plan-form');
        await flash(coach);
        await see(coach, '#goal', 'Työ toimistossa');
        await go(coach, base, `/coach/participants/${cand}`, { status: 200 });
        await fill(coach, { '#notes': 'Vi pratade om praktiken.', '#next_steps': 'Ring kaféet', '#next_meeting': '2099-01-15' });
        await submit(coach, '#follow-up-form');
        await flash(coach);
        await see(coach, 'article.follow-up', 'Vi pratade om praktiken.');
        await run.checkA11y(coach, 'coach participant with a follow-up');
        await go(coach, base, '/coach/groups', { status: 200 });
        await run.checkA11y(coach, 'coach groups');
        await fill(coach, { '#name': 'Digital vardag', '#theme': 'Datorn hemma' });
        await submit(coach, '#new-group');
        await flash(coach);
        await run.checkA11y(coach, 'coach group');
        await fill(coach, { '#candidate': cand });
        await submit(coach, '#add-member');
        await flash(coach);
        await fill(coach, { '#topic': 'E-post', '#assignment': 'Skicka ett mejl', [`#attended-${cand}`]: true });
        await submit(coach, '#new-session');
        await flash(coach);
        await see(coach, 'article.group-session', 'E-post');
        await run.checkA11y(coach, 'coach group with a session');
      } else {
        await go(coach, base, '/coach', { status: 200 });
        await see(coach, '#attention');
        await follow(coach, '#to-groups');
        await run.checkA11y(coach, 'coach groups (tablet)');
      }
    });
  }

  const phone = await run.context('phone', { locale: 'fi-FI' });
  const me = await run.page(phone);
  await run.step('the participant (phone, Finnish) reads the goal, the next step and progress', async () => {
    await signIn(me, base, acc.participant.email, acc.participant.password);
    await switchLanguage(me, 'fi');
    await go(me, base, '/candidate/plan', { status: 200 });
    const lang = await me.evaluate(() => document.documentElement.lang);
    expect(lang === 'fi', `the plan page is in ${lang}`);
    await see(me, '#goal', 'Työ toimistossa');
    await see(me, '#next-step');
    await see(me, '#plan-progress', 'vaihetta tehty');
    await run.checkA11y(me, 'participant plan');
    await follow(me, '#edit-plan');
    await run.checkA11y(me, 'participant plan edit');
    await fill(me, { '#step-0-status': 'doing' });
    await submit(me, '#plan-form');
    await flash(me);
    await see(me, 'li.plan-step[data-status="doing"]');
    await run.checkA11y(me, 'participant plan, saved');
  });

  await run.step('the participant (phone, Finnish) accepts a coach\'s invitation, then ends it', async () => {
    const invited = acc.invited?.id;
    expect(invited, 'input: accounts.invited {id} is required');
    await go(me, base, '/candidate/plan', { status: 200 });
    await see(me, 'section.coach-invitation', 'ei koskaan näe');
    await run.checkA11y(me, 'participant coach invitation');
    await submit(me, 'section.coach-invitation form.accept-invitation');
    await flash(me);
    expect((await me.locator('section.coach-invitation').count()) === 0, 'the invitation is still shown after accepting');
    await see(me, `#my-coaches li[data-coach="${invited}"]`);
    await run.checkA11y(me, 'participant coaches');
    await submit(me, `#my-coaches li[data-coach="${invited}"] form.end-coach`);
    await flash(me);
    expect((await me.locator(`li[data-coach="${invited}"]`).count()) === 0, 'the coach is still listed after ending the access');
    await run.checkA11y(me, 'participant choosing a coach');
    await fill(me, { '#choose-coach-select': invited });
    await submit(me, '#choose-coach-form');
    await flash(me);
    await see(me, `#my-coaches li[data-coach="${invited}"]`);
  });

  await run.step('the participant (phone, Finnish) sees their group and chooses to share their name', async () => {
    await go(me, base, '/candidate/groups', { status: 200 });
    await see(me, 'section.my-group', 'Digital vardag');
    await see(me, 'section.my-group', 'Skicka ett mejl');
    await run.checkA11y(me, 'participant groups');
    await fill(me, { 'input[name="share_name"]': true });
    await submit(me, 'form.sharing');
    await flash(me);
    const checked = await me.locator('input[name="share_name"]').isChecked();
    expect(checked, 'the choice to share the name was not kept');
    await run.checkA11y(me, 'participant groups, shared');
  });
});
