//! The pages every role shares: sign-in, the first password change, sign-out, anti-forgery
//! tokens, the language switch, security headers, and the public check of a certificate.

use crate::both_backends;
use crate::certificates::certified;
use crate::helpers::{Backend, spawn_app, spawn_app_with};
use serde_json::json;
use validera::engine::Lang;
use validera::i18n::Tr;

async fn a_one_time_password_leads_to_the_password_page_and_only_there(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Pages Org").await;
    let body = app
        .post("/api/users", &org.admin.token, json!({"email": "new@pages.test", "display_name": "Ny Person", "roles": ["assessor"], "language": "fi"}))
        .await
        .expect(201);
    let otp = body["one_time_password"].as_str().unwrap();
    let b = app.browser();
    assert_eq!(b.sign_in("new@pages.test", otp).await.redirected(), "/account/password");
    // Every other page sends them back to the password form.
    assert_eq!(b.get("/").await.redirected(), "/account/password");
    // The account's language (Finnish) applies without a switch.
    let form = b.get("/account/password").await;
    assert!(form.expect(200).contains("lang=\"fi\""), "{}", form.body);
    assert!(form.body.contains("kertakäyttöisellä"));
    // Too short: refused next to the field, nothing changed.
    let short = b
        .post_form(
            "/account/password",
            &[("current_password", otp), ("new_password", "lyhyt"), ("repeat_password", "lyhyt")],
        )
        .await;
    assert!(short.expect(422).contains("id=\"new_password-error\""));
    // Another browser signed in with the one-time password, as likely as not in the same
    // second as the change: the token generation, not the time, ends its session.
    let other = app.browser();
    assert_eq!(other.sign_in("new@pages.test", otp).await.redirected(), "/account/password");
    let old_token = app.login("new@pages.test", otp).await.expect(200)["token"].as_str().unwrap().to_owned();
    let good = "pitkä ja hyvä salasana";
    let done = b
        .post_form(
            "/account/password",
            &[("current_password", otp), ("new_password", good), ("repeat_password", good)],
        )
        .await;
    assert_eq!(done.redirected(), "/assessor?done=password-changed");
    // This browser goes on with a fresh session; the other one is signed out.
    assert_eq!(b.get("/account/password").await.status, 200);
    assert!(other.get("/account/password").await.redirected().starts_with("/signin"));
    app.get("/api/me", &old_token).await.problem(401, "unauthenticated");
    assert_eq!(app.login("new@pages.test", good).await.status, 200);
}

async fn a_wrong_password_keeps_the_email_and_says_what_is_wrong(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Pages Org").await;
    let b = app.browser();
    let page = b.sign_in(&org.assessor.email, "not the password").await;
    let body = page.expect(401);
    assert!(body.contains(&format!("value=\"{}\"", org.assessor.email)));
    assert!(body.contains("role=\"alert\""));
    assert!(b.cookie("validera_session").is_none());
}

async fn a_form_without_the_right_token_is_refused_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Pages Org").await;
    // Sign-in with a forged token: refused before the password is even looked at.
    let b = app.browser();
    b.get("/signin").await.expect(200);
    let forged = b
        .post_form(
            "/signin",
            &[
                ("csrf", "forged-token-forged-token-forged-token"),
                ("email", &org.assessor.email),
                ("password", &org.assessor.password),
            ],
        )
        .await;
    assert!(forged.expect(403).contains("<h1>Formuläret har gått ut</h1>"));
    assert!(b.cookie("validera_session").is_none());
    // A signed-in password change with another session's token: refused.
    let b = app.browser_as(&org.assessor).await;
    let other = app.browser_as(&org.verifier).await;
    other.get("/account/password").await.expect(200);
    b.get("/account/password").await.expect(200);
    let new = "ett helt nytt lösenord";
    let r = b
        .post_form(
            "/account/password",
            &[
                ("csrf", &other.csrf().unwrap()),
                ("current_password", &org.assessor.password),
                ("new_password", new),
                ("repeat_password", new),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(app.login(&org.assessor.email, &org.assessor.password).await.status, 200);
    // A post from another site is refused even with the right token.
    let resp = app
        .client
        .post(format!("{}/signout", app.address))
        .header("Origin", "https://evil.example")
        .header("Cookie", format!("validera_session={}", b.cookie("validera_session").unwrap()))
        .form(&[("csrf", b.csrf().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
}

async fn signing_out_ends_the_session_in_the_browser_and_everywhere(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Pages Org").await;
    let b = app.browser_as(&org.verifier).await;
    let elsewhere = app.browser_as(&org.verifier).await;
    let stolen = b.cookie("validera_session").unwrap();
    // Tokens carry whole seconds; sign out in a later second than the sign-ins.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(b.get("/").await.redirected(), "/verifier");
    b.get("/account/password").await.expect(200);
    assert_eq!(b.post_form("/signout", &[]).await.redirected(), "/signin?done=signed-out");
    assert!(b.cookie("validera_session").is_none());
    assert_eq!(b.get("/account/password").await.redirected(), "/signin?next=/account/password");
    assert!(b.open("/account/password").await.expect(200).contains("<h1>Logga in</h1>"));
    // The cookie, replayed, no longer works; nor does the session in the other browser. API
    // tokens are not page sessions: they live out their own short lifetime.
    let replay = app
        .client
        .get(format!("{}/account/password", app.address))
        .header("Cookie", format!("validera_session={stolen}"))
        .send()
        .await
        .unwrap();
    assert!(replay.url().path().starts_with("/signin"), "{}", replay.url());
    assert_eq!(elsewhere.get("/verifier").await.status, 303);
    assert_eq!(app.get("/api/me", &org.verifier.token).await.status, 200);
    // Signing in again works at once.
    let again = app.browser_as(&org.verifier).await;
    assert_eq!(again.get("/verifier").await.status, 200);
}

async fn session_cookies_are_http_only_secure_and_same_site(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Pages Org").await;
    let b = app.browser();
    b.get("/signin").await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let resp = client
        .post(format!("{}/signin", app.address))
        .header("Cookie", format!("validera_csrf={}", b.cookie("validera_csrf").unwrap()))
        .form(&[
            ("csrf", b.csrf().unwrap().as_str()),
            ("email", &org.admin.email),
            ("password", &org.admin.password),
        ])
        .send()
        .await
        .unwrap();
    let set = resp.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(set.starts_with("validera_session="), "{set}");
    for attr in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(set.contains(attr), "{attr} missing: {set}");
    }
    // An API token is not a session: it carries no anti-forgery token.
    let resp = app
        .client
        .get(format!("{}/account/password", app.address))
        .header("Cookie", format!("validera_session={}", org.admin.token))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "redirects are followed by this client");
    assert!(resp.url().path().starts_with("/signin"));
}

async fn pages_have_a_strict_content_security_policy_and_their_own_assets(backend: Backend) {
    let app = spawn_app(backend).await;
    let resp = app.client.get(format!("{}/signin", app.address)).send().await.unwrap();
    let csp = resp.headers().get("content-security-policy").unwrap().to_str().unwrap().to_owned();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let header = |name: &str| resp.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(header("x-frame-options").as_deref(), Some("DENY"));
    assert_eq!(header("cross-origin-opener-policy").as_deref(), Some("same-origin"));
    assert!(header("permissions-policy").unwrap().contains("camera=()"));
    // Plain HTTP on localhost: no HSTS, which would pin the host to HTTPS.
    assert_eq!(header("strict-transport-security"), None);
    let body = resp.text().await.unwrap();
    assert!(!body.contains("<style") && !body.contains("style=\"") && !body.contains("<script>"));
    let css_href = body.split("href=\"").find(|s| s.starts_with("/assets/app.css")).unwrap();
    let css_href = &css_href[..css_href.find('"').unwrap()];
    let css = app.client.get(format!("{}{css_href}", app.address)).send().await.unwrap();
    assert_eq!(css.status(), 200);
    assert!(css.headers().get("cache-control").unwrap().to_str().unwrap().contains("immutable"));
    // Everything the page links to is on this origin.
    for attr in ["src=\"http", "href=\"http"] {
        assert!(!body.contains(attr), "an outside asset: {attr}");
    }
}

async fn the_language_switch_sticks_and_unknown_pages_answer_in_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let b = app.browser();
    let fi = b.get("/signin?lang=fi").await;
    assert!(fi.expect(200).contains("<h1>Kirjaudu sisään</h1>"));
    assert_eq!(b.cookie("validera_lang").as_deref(), Some("fi"));
    assert!(b.get("/check").await.body.contains("<h1>Tarkista todistus</h1>"));
    let missing = b.get("/no-such-page").await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<h1>Sivua ei löydy</h1>"), "{}", missing.body);
    // Default without any choice: Swedish; Accept-Language with a region counts.
    let resp = app
        .client
        .get(format!("{}/signin", app.address))
        .header("Accept-Language", "en-GB,en;q=0.8")
        .send()
        .await
        .unwrap();
    assert!(resp.text().await.unwrap().contains("<h1>Sign in</h1>"));
    assert!(app.browser().get("/signin").await.body.contains("<h1>Logga in</h1>"));
}

async fn an_employer_checks_a_pdf_or_a_pasted_credential(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Pages Org").await;
    let (token, certs) = certified(&app, &org).await;
    let id = certs[0]["id"].as_str().unwrap();
    let pdf = app.bytes(&format!("/api/certificates/{id}/certificate.pdf"), Some(&token)).await;
    assert!(pdf.starts_with(b"%PDF"));
    let b = app.browser();
    b.get("/check?lang=en").await.expect(200);
    let page = b
        .post_multipart("/check", |f| {
            f.part(
                "file",
                reqwest::multipart::Part::bytes(pdf)
                    .file_name("certificate.pdf")
                    .mime_str("application/pdf")
                    .unwrap(),
            )
        })
        .await;
    let body = page.expect(200);
    assert!(body.contains("data-outcome=\"genuine\""), "{body}");
    assert!(body.contains("The certificate is genuine"));
    // A pasted credential whose credits were raised: not genuine.
    let doc = String::from_utf8(app.bytes(&format!("/v/{id}/credential.json"), None).await).unwrap();
    let forged = doc.replacen("\"creditsAvailable\":", "\"creditsAvailable\":9", 1);
    assert_ne!(forged, doc);
    let page = b.post_multipart("/check", |f| f.text("text", forged)).await;
    assert!(page.expect(200).contains("data-outcome=\"forged\""), "{}", page.body);
    // Nothing given: said next to the field, 422.
    let page = b.post_multipart("/check", |f| f.text("text", "  ")).await;
    assert!(page.expect(422).contains("id=\"file-error\""));
    // The verification page from the certificate's URL, in Finnish.
    let v = app.browser().get(&format!("/v/{id}?lang=fi")).await;
    assert!(v.expect(200).contains("Todistus on aito"));
    // A language chosen earlier with the switch (the cookie) words the verdict too, not only
    // the page around it.
    let earlier = app.browser();
    earlier.get("/check?lang=fi").await.expect(200);
    let v = earlier.get(&format!("/v/{id}")).await;
    assert!(v.expect(200).contains("lang=\"fi\""), "{}", v.body);
    assert!(v.body.contains("Todistus on aito") && v.body.contains("kunnossa"), "{}", v.body);
}

async fn a_session_is_renewed_while_in_use_and_ends_when_left(backend: Backend) {
    // Tokens count whole seconds: with 6 s, a session is renewed once fewer than 3 s are left,
    // which is certain 4.2 s after sign-in and impossible right after it.
    let (app, _) = spawn_app_with(backend, |s| s.token_ttl = chrono::Duration::seconds(6)).await;
    let org = app.org("Pages Org").await;
    let b = app.browser_as(&org.assessor).await;
    let first = b.cookie("validera_session").unwrap();
    // Early in its life the session is used as it is.
    b.get("/account/password").await.expect(200);
    assert_eq!(b.cookie("validera_session").unwrap(), first);
    // Past half its life, a page renews it.
    tokio::time::sleep(std::time::Duration::from_millis(4200)).await;
    b.get("/account/password").await.expect(200);
    let renewed = b.cookie("validera_session").unwrap();
    assert_ne!(renewed, first);
    // When the first one has expired, the renewed one still works; the first one leads to the
    // sign-in page, which brings the person back to where they were.
    tokio::time::sleep(std::time::Duration::from_millis(3000)).await;
    b.get("/account/password").await.expect(200);
    let resp = app
        .client
        .get(format!("{}/assessor", app.address))
        .header("Cookie", format!("validera_session={first}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.url().path(), "/signin");
    assert_eq!(resp.url().query(), Some("next=/assessor"));
}

/// What the API refuses with a field and a code, the pages refuse next to that field, in the
/// reader's language: sign-in (in each of sv, fi, en), an account form and a record form.
async fn refused_input_is_named_next_to_its_field_in_the_readers_language(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = app.org("Sidkommun").await;
    for lang in [Lang::Sv, Lang::Fi, Lang::En] {
        let b = app.browser();
        b.get(&format!("/signin?lang={}", lang.tag())).await.expect(200);
        let page = b
            .post_form("/signin", &[("email", "a\u{0}@sidkommun.test"), ("password", "x"), ("next", "/")])
            .await;
        let body = page.expect(422);
        let message = Tr::new(lang).t("input-error-control-character");
        assert!(body.contains(&message), "{lang:?}: {body}");
        assert!(body.contains(&format!("lang=\"{}\"", lang.tag())), "{body}");
    }

    let sv = Tr::new(Lang::Sv);
    let admin = app.browser_as(&org.admin).await;
    admin.get("/admin/users/new").await.expect(200);
    let page = admin
        .post_form(
            "/admin/users/new",
            &[
                ("email", "ny@sidkommun.test"),
                ("display_name", "\u{200b}\u{200b}"),
                ("roles", "assessor"),
                ("language", "sv"),
            ],
        )
        .await;
    let body = page.expect(422);
    let at_name = body.split("id=\"display_name-error\">").nth(1).expect("an error at the name");
    assert!(at_name.starts_with(&sv.t("input-error-blank")), "{body}");
    assert_eq!(app.login("ny@sidkommun.test", "x").await.status, 401, "nothing was created");

    let (cand, _, _) = app.candidate(&org, "Sigrid Sida").await;
    let a = app.assessment(&org, &cand).await;
    let assessor = app.browser_as(&org.assessor).await;
    let path = format!("/assessor/assessments/{a}/observation?unit=DBS-04");
    assessor.get(&path).await.expect(200);
    let page = assessor
        .post_form(&path, &[("date", "1800-01-01"), ("context", "Prov"), ("met-DBS-04/1.1", "yes")])
        .await;
    let body = page.expect(422);
    let at_date = body.split("id=\"date-error\">").nth(1).expect("an error at the date");
    assert!(at_date.starts_with(&sv.t("input-error-date-out-of-range")), "{body}");
    assert!(
        app.get(&format!("/api/assessments/{a}"), &org.assessor.token).await.expect(200)["records"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

both_backends!(
    refused_input_is_named_next_to_its_field_in_the_readers_language,
    a_session_is_renewed_while_in_use_and_ends_when_left,
    a_one_time_password_leads_to_the_password_page_and_only_there,
    a_wrong_password_keeps_the_email_and_says_what_is_wrong,
    a_form_without_the_right_token_is_refused_and_changes_nothing,
    signing_out_ends_the_session_in_the_browser_and_everywhere,
    session_cookies_are_http_only_secure_and_same_site,
    pages_have_a_strict_content_security_policy_and_their_own_assets,
    the_language_switch_sticks_and_unknown_pages_answer_in_it,
    an_employer_checks_a_pdf_or_a_pasted_credential,
);
