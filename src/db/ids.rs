//! Row identifiers. Random UUIDs (122 random bits): they appear in URLs and must be unguessable.

use std::fmt;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub String);

        impl $name {
            /// A fresh random id.
            pub fn random() -> Self {
                Self(uuid::Uuid::new_v4().to_string())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}

id_type!(
    /// An organisation.
    OrganisationId,
    /// A user account.
    UserId,
    /// A candidate.
    CandidateId,
    /// An assessment of a candidate against a framework.
    AssessmentId,
    /// A record, stable across its revisions.
    RecordId,
    /// One revision of a record.
    RevisionId,
    /// A decision submitted for verification.
    DecisionId,
    /// An uploaded evidence file.
    FileId,
);
