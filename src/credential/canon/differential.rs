//! The fast path against the general path, byte for byte, on generated credentials.
//!
//! Each generated document is an Open Badges credential with varied names (å, ä, ö, Sami
//! letters, NFD forms, control characters, quotes), evidence arrays, alignments, lists, numbers
//! of every shape, optional fields, proofs (a `@graph` container) and, in some, one fault:
//! an undefined term or type, a relative IRI, a value object, an inline context, a nested
//! array, a blank node label. Whatever the fast path answers must be exactly what the general
//! path answers; where the general path refuses, the fast path must have declined; and the
//! fast path must answer for nearly every credential without a fault, or it would prove
//! nothing.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

use super::*;

fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "Anna",
        "Åsa",
        "Ärlig",
        "Östen",
        "ö",
        "Máret",
        "Áilu",
        "Biret",
        "čđŋšŧž",
        "ČĐŊŠŦŽ",
        "Ŋ",
        "a\u{30A}",
        "o\u{308}",
        "A\u{308}",
        "\u{0}",
        "\t",
        "\n",
        "\r",
        "\u{7}",
        "\u{8}",
        "\u{C}",
        "\u{1F}",
        "\u{7F}",
        "\"",
        "\\",
        " ",
        "🙂",
        "x<y>",
        "é",
        "Jyväskylä",
        "Niemi-Kallio",
        "'",
        "^^",
        "_:b0",
        "@x",
        "\u{200B}",
    ])
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..5).prop_map(|v| v.concat())
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => prop::sample::select(vec![
            json!(0),
            json!(7),
            json!(-3),
            json!(7.5),
            json!(7.0),
            json!(0.1),
            json!(1e21),
            json!(1e-7),
            json!(-0.0),
            json!(123456.789),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(2.5e-300),
        ]),
        2 => any::<i32>().prop_map(|i| json!(i)),
        2 => (-1.0e6f64..1.0e6).prop_map(|f| json!(f)),
    ]
}

fn iri() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-f0-9]{8}".prop_map(|h| format!("urn:uuid:{h}-4b1a-4c1e-9a55-8d3c5e7b9a10")),
        "[a-z]{1,8}".prop_map(|p| format!("https://validera.example/{p}")),
        "[a-z]{1,8}".prop_map(|p| format!("did:web:validera.example:issuers:{p}")),
        "[a-z]{1,8}".prop_map(|p| format!("mailto:{p}@example.se")),
    ]
}

fn maybe<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    prop::option::weighted(0.6, s).boxed()
}

fn alignment() -> impl Strategy<Value = Value> {
    (text(), iri(), maybe(text()), maybe(prop::sample::select(vec!["CFItem", "CFRubric", "ext:Custom"])))
        .prop_map(|(name, url, code, ty)| {
            let mut a = json!({"type": ["Alignment"], "targetName": name, "targetUrl": url});
            if let Some(c) = code {
                a["targetCode"] = json!(c);
            }
            if let Some(t) = ty {
                a["targetType"] = json!(t);
            }
            a
        })
}

fn evidence() -> impl Strategy<Value = Value> {
    (maybe(iri()), maybe(text()), maybe(text()), maybe(text()), any::<bool>()).prop_map(
        |(id, name, narrative, genre, empty)| {
            if empty {
                return json!({});
            }
            let mut e = json!({"type": ["Evidence"]});
            if let Some(id) = id {
                e["id"] = json!(id);
            }
            if let Some(n) = name {
                e["name"] = json!(n);
            }
            if let Some(n) = narrative {
                e["narrative"] = json!(n);
            }
            if let Some(g) = genre {
                e["genre"] = json!(g);
            }
            e
        },
    )
}

fn result_description() -> impl Strategy<Value = Value> {
    (iri(), text(), prop::collection::vec(text(), 0..3), any::<bool>()).prop_map(
        |(id, name, allowed, with_list)| {
            let mut r =
                json!({"id": id, "type": ["ResultDescription"], "name": name, "resultType": "Status"});
            if with_list {
                r["allowedValue"] = json!(allowed);
            }
            r
        },
    )
}

fn proof() -> impl Strategy<Value = Value> {
    (iri(), "[1-9A-HJ-NP-Za-km-z]{20}").prop_map(|(vm, value)| {
        json!({
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "created": "2025-03-01T12:00:00Z",
            "verificationMethod": format!("{vm}#key-1"),
            "proofPurpose": "assertionMethod",
            "proofValue": format!("z{value}"),
        })
    })
}

/// A credential, and whether a fault was put into it.
fn credential() -> impl Strategy<Value = (Value, bool)> {
    let achievement = (
        iri(),
        text(),
        maybe(text()),
        maybe(number()),
        prop::collection::vec(alignment(), 0..3),
        prop::collection::vec(result_description(), 0..2),
        prop::collection::vec(text(), 0..3),
        maybe(prop::sample::select(vec!["Certificate", "Competency", "ext:Thing"])),
    )
        .prop_map(|(id, name, description, credits, alignment, results, tags, kind)| {
            let mut a =
                json!({"id": id, "type": ["Achievement"], "name": name, "criteria": {"narrative": "n"}});
            if let Some(d) = description {
                a["description"] = json!(d);
            }
            if let Some(c) = credits {
                a["creditsAvailable"] = c;
            }
            if !alignment.is_empty() {
                a["alignment"] = json!(alignment);
            }
            if !results.is_empty() {
                a["resultDescription"] = json!(results);
            }
            if !tags.is_empty() {
                a["tag"] = json!(tags);
            }
            if let Some(k) = kind {
                a["achievementType"] = json!(k);
            }
            a
        });
    let parts = (
        achievement,
        maybe(iri()),
        text(),
        prop::collection::vec(evidence(), 0..4),
        prop::collection::vec(proof(), 0..3),
        any::<bool>(),
        any::<bool>(),
        maybe(number()),
        maybe(text()),
    );
    (parts, fault(), any::<u32>()).prop_map(
        |((achievement, id, issuer_name, evidence, proofs, extensions, status, score, valid_until), fault, at)| {
            let mut contexts = vec![json!(contexts::VC_V2), json!(contexts::OB_V3P0_3)];
            if extensions {
                contexts.push(json!(contexts::OB_EXTENSIONS));
            }
            let mut subject = json!({"type": ["AchievementSubject"], "achievement": achievement});
            if let Some(s) = score {
                subject["result"] = json!([{"type": ["Result"], "value": s, "status": "Completed"}]);
            }
            let mut doc = json!({
                "@context": contexts,
                "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "issuer": {"id": "did:web:validera.example:issuers:org1", "type": ["Profile"], "name": issuer_name},
                "validFrom": "2025-01-01T00:00:00Z",
                "name": "Intyg",
                "credentialSubject": subject,
            });
            if let Some(id) = id {
                doc["id"] = json!(id);
            }
            if !evidence.is_empty() {
                doc["evidence"] = json!(evidence);
            }
            match proofs.len() {
                0 => {}
                1 if at % 2 == 0 => doc["proof"] = proofs[0].clone(),
                _ => doc["proof"] = json!(proofs),
            }
            if status {
                doc["credentialStatus"] = json!({
                    "id": "https://validera.example/status/1#7", "type": "BitstringStatusListEntry",
                    "statusPurpose": "revocation", "statusListIndex": "7",
                    "statusListCredential": "https://validera.example/status/1",
                });
            }
            if extensions && at % 3 == 0 {
                doc["credentialSchema"] = json!([{"id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json", "type": "1EdTechJsonSchemaValidator2019"}]);
            }
            if let Some(v) = valid_until {
                doc["validUntil"] = json!(v);
            }
            let faulty = fault.is_some();
            if let Some(f) = fault {
                inject(&mut doc, f, at);
            }
            (doc, faulty)
        },
    )
}

#[derive(Debug, Clone, Copy)]
enum Fault {
    UndefinedTerm,
    UndefinedType,
    RelativeId,
    ValueObject,
    InlineContext,
    NestedArray,
    BlankLabel,
    LanguageValue,
    NullValue,
    KeywordKey,
    NumberAsId,
    SchemaWithoutExtensions,
}

fn fault() -> impl Strategy<Value = Option<Fault>> {
    prop::option::weighted(
        0.3,
        prop::sample::select(vec![
            Fault::UndefinedTerm,
            Fault::UndefinedType,
            Fault::RelativeId,
            Fault::ValueObject,
            Fault::InlineContext,
            Fault::NestedArray,
            Fault::BlankLabel,
            Fault::LanguageValue,
            Fault::NullValue,
            Fault::KeywordKey,
            Fault::NumberAsId,
            Fault::SchemaWithoutExtensions,
        ]),
    )
}

fn inject(doc: &mut Value, fault: Fault, at: u32) {
    // The node objects, by path: pick one of them by `at`.
    let paths: Vec<Vec<&str>> = vec![
        vec![],
        vec!["credentialSubject"],
        vec!["credentialSubject", "achievement"],
        vec!["issuer"],
        vec!["credentialSubject", "achievement", "criteria"],
    ];
    let path = &paths[at as usize % paths.len()];
    let mut target = &mut *doc;
    for p in path {
        target = &mut target[*p];
    }
    let Some(node) = target.as_object_mut() else { return };
    match fault {
        Fault::UndefinedTerm => drop(node.insert("undefinedTerm".into(), json!("x"))),
        Fault::UndefinedType => drop(node.insert("type".into(), json!(["NotDefinedAnywhere"]))),
        Fault::RelativeId => drop(node.insert("id".into(), json!("relative/path"))),
        Fault::ValueObject => drop(node.insert("name".into(), json!({"@value": "v", "@language": "sv"}))),
        Fault::InlineContext => {
            drop(node.insert("@context".into(), json!({"extra": "https://example.org/extra"})))
        }
        Fault::NestedArray => drop(node.insert("name".into(), json!([["a"], "b"]))),
        Fault::BlankLabel => drop(node.insert("id".into(), json!("_:b7"))),
        Fault::LanguageValue => {
            drop(node.insert("description".into(), json!({"@value": "d", "@direction": "ltr"})))
        }
        Fault::NullValue => drop(node.insert("name".into(), Value::Null)),
        Fault::KeywordKey => drop(node.insert("@included".into(), json!([]))),
        Fault::NumberAsId => drop(node.insert("id".into(), json!(5))),
        Fault::SchemaWithoutExtensions => {
            doc["@context"] = json!([contexts::VC_V2, contexts::OB_V3P0_3]);
            doc["credentialSchema"] =
                json!([{"id": "https://example.org/schema.json", "type": "1EdTechJsonSchemaValidator2019"}]);
        }
    }
}

/// What a path concluded, comparable across the two: the bytes, or which kind of refusal.
fn conclusion(r: Result<String, CredentialError>) -> Result<String, &'static str> {
    r.map_err(|e| match e {
        CredentialError::TooLarge(_) => "too large",
        CredentialError::UnknownContext(_) => "unknown context",
        _ => "refused",
    })
}

/// The statements only one side has, for a readable failure.
fn difference(fast: &Result<String, &str>, general: &Result<String, &str>) -> String {
    match (fast, general) {
        (Ok(a), Ok(b)) => {
            let only =
                |x: &str, y: &str| x.lines().filter(|l| !y.contains(*l)).collect::<Vec<_>>().join("\n");
            format!("fast only:\n{}\ngeneral only:\n{}", only(a, b), only(b, a))
        }
        (a, b) => format!("fast {:?} / general {:?}", a.as_ref().err(), b.as_ref().err()),
    }
}

#[test]
fn the_fast_path_gives_the_general_paths_bytes_and_refusals_on_generated_credentials() {
    let options = CanonOptions::default();
    let mut runner = TestRunner::new(Config { cases: 2_000, ..Config::default() });
    let counts = std::cell::RefCell::new((0u32, 0u32, 0u32));
    runner
        .run(&credential(), |(doc, faulty)| {
            let general = conclusion(canonicalize_general(&doc, &options));
            let combined = conclusion(canonicalize_with(&doc, &options));
            prop_assert!(
                combined == general,
                "canonicalize_with differs from the general path: {}",
                difference(&combined, &general)
            );
            let fast = fast::quads(&doc, options.contexts);
            if let Ok(q) = &fast {
                let nquads = q
                    .canonical()
                    .ok_or(())
                    .or_else(|()| conclusion(rdfc(&q.dataset(), &options)).map_err(|_| ()));
                let nquads = nquads.map_err(|()| "refused");
                prop_assert!(
                    nquads.as_ref().ok() == general.as_ref().ok(),
                    "the fast path answered differently: {}",
                    difference(&nquads, &general)
                );
            }
            let mut c = counts.borrow_mut();
            if faulty {
                if general.is_err() {
                    c.2 += 1;
                }
            } else {
                c.0 += 1;
                match &fast {
                    Ok(_) => c.1 += 1,
                    // The one thing a clean credential may carry that the fast path leaves to the
                    // general one: a number beyond ±2^53 (see `fast::Walker::value`).
                    Err(e) => prop_assert_eq!(e.0, "an integer beyond 2^53"),
                }
            }
            Ok(())
        })
        .unwrap();
    let (clean, clean_fast, faulty_refused) = counts.into_inner();
    // Without a fault nearly every credential must take the fast path, or the comparison above
    // would compare the general path with itself.
    assert!(clean > 1_000, "too few clean credentials generated: {clean}");
    assert!(
        clean_fast * 100 >= clean * 90,
        "only {clean_fast} of {clean} clean credentials took the fast path"
    );
    assert!(faulty_refused > 50, "the faults should make the general path refuse: {faulty_refused}");
}

#[test]
fn issued_credentials_take_the_fast_path() {
    let doc = crate::credential::ob::build(&crate::credential::ob::tests::sample());
    let q = fast::quads(&doc, contexts::document).expect("an issued credential is on the fast path");
    assert_eq!(q.canonical(), canonicalize_general(&doc, &CanonOptions::default()).ok());
}

#[test]
fn a_proof_configuration_takes_the_fast_path() {
    // Its `proofPurpose` is expanded under a property-scoped context inside the type-scoped
    // context of DataIntegrityProof: both kinds of scoped context are on the fast path.
    let config = json!({
        "@context": [contexts::VC_V2, contexts::OB_V3P0_3],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2025-03-01T12:00:00Z",
        "verificationMethod": "did:web:validera.example:issuers:org1#key-1",
        "proofPurpose": "assertionMethod",
    });
    let q = fast::quads(&config, contexts::document).expect("a proof configuration is on the fast path");
    let nquads = q.canonical().unwrap();
    assert!(
        nquads
            .contains("<https://w3id.org/security#proofPurpose> <https://w3id.org/security#assertionMethod>"),
        "{nquads}"
    );
    assert_eq!(Some(nquads), canonicalize_general(&config, &CanonOptions::default()).ok());
}

#[test]
fn with_the_context_store_full_a_call_computes_its_own_contexts_and_gives_the_same_bytes() {
    // A store filled by odd documents must not push our credentials onto the general path.
    let doc = crate::credential::ob::build(&crate::credential::ob::tests::sample());
    let own = fast::quads_in(&doc, contexts::document, context::Session::unshared())
        .expect("on the fast path without the shared store");
    let shared = fast::quads(&doc, contexts::document).unwrap();
    assert_eq!(own.canonical(), shared.canonical());
    assert_eq!(own.canonical(), canonicalize_general(&doc, &CanonOptions::default()).ok());
}
