//! One portable schema for both backends; `migrations/sqlite` and `migrations/postgres` create it.

diesel::table! {
    organisations (id) {
        id -> Text,
        name -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        time_zone -> Text,
        awarding_body -> Bool,
        names_in_credentials -> Bool,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        organisation_id -> Text,
        email -> Text,
        display_name -> Text,
        password_hash -> Text,
        roles -> Text,
        must_change_password -> Bool,
        active -> Bool,
        language -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        sessions_valid_after -> Nullable<Timestamp>,
        token_generation -> BigInt,
    }
}

diesel::table! {
    sign_in_failures (id) {
        id -> Text,
        email -> Text,
        seq -> BigInt,
        address -> Text,
        failed_at -> Timestamp,
        cleared -> Bool,
    }
}

diesel::table! {
    frameworks (framework_id, version) {
        framework_id -> Text,
        version -> Text,
        organisation_id -> Nullable<Text>,
        source -> Text,
        sha256 -> Text,
        loaded_at -> Timestamp,
        status -> Text,
        uploaded_by -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decision_comment -> Nullable<Text>,
        review_due -> Nullable<Date>,
    }
}

diesel::table! {
    candidates (id) {
        id -> Text,
        organisation_id -> Text,
        user_id -> Nullable<Text>,
        display_name -> Text,
        email -> Nullable<Text>,
        language -> Text,
        version -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    assessments (id) {
        id -> Text,
        organisation_id -> Text,
        candidate_id -> Text,
        framework_id -> Text,
        framework_version -> Text,
        qualification_code -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    records (id) {
        id -> Text,
        record_id -> Text,
        revision -> Integer,
        assessment_id -> Text,
        kind -> Text,
        body -> Text,
        record_date -> Date,
        author_id -> Text,
        created_at -> Timestamp,
        withdrawn -> Bool,
        reason -> Nullable<Text>,
        judgement_reasons -> Nullable<Text>,
    }
}

diesel::table! {
    evidence_files (id) {
        id -> Text,
        record_id -> Text,
        assessment_id -> Text,
        file_name -> Text,
        content_type -> Text,
        sha256 -> Text,
        size -> BigInt,
        content -> Binary,
        uploaded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    decisions (id) {
        id -> Text,
        assessment_id -> Text,
        status -> Text,
        units -> Text,
        qualification_code -> Nullable<Text>,
        based_on -> Text,
        record_authors -> Text,
        assessment_version -> BigInt,
        submitted_by -> Text,
        submitted_at -> Timestamp,
        submit_comment -> Nullable<Text>,
        verifier_id -> Nullable<Text>,
        verified_at -> Nullable<Timestamp>,
        verifier_comment -> Nullable<Text>,
        version -> BigInt,
    }
}

diesel::table! {
    achievements (id) {
        id -> Text,
        candidate_id -> Text,
        framework_id -> Text,
        kind -> Text,
        code -> Text,
        decision_id -> Text,
        confirmed_at -> Timestamp,
    }
}

diesel::table! {
    signing_keys (id) {
        id -> Text,
        organisation_id -> Text,
        public_key -> Text,
        sealed_private_key -> Text,
        created_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
        compromised_from -> Nullable<Timestamp>,
        compromise_reason -> Nullable<Text>,
    }
}

diesel::table! {
    status_lists (id) {
        id -> Text,
        organisation_id -> Text,
        purpose -> Text,
        size -> BigInt,
        bits -> Binary,
        signed_credential -> Nullable<Text>,
        version -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    credentials (id) {
        id -> Text,
        organisation_id -> Text,
        candidate_id -> Text,
        decision_id -> Text,
        kind -> Text,
        achievement_code -> Text,
        framework_id -> Text,
        framework_version -> Text,
        key_id -> Text,
        status_index -> BigInt,
        document -> Text,
        jwt -> Text,
        issued_at -> Timestamp,
        valid_until -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        revocation_reason -> Nullable<Text>,
        suspended_at -> Nullable<Timestamp>,
        suspension_reason -> Nullable<Text>,
        version -> BigInt,
    }
}

diesel::table! {
    credential_events (id) {
        id -> Text,
        credential_id -> Text,
        action -> Text,
        reason -> Text,
        actor_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    credential_history (id) {
        id -> Text,
        credential_id -> Text,
        key_id -> Text,
        document -> Text,
        jwt -> Text,
        replaced_at -> Timestamp,
        reason -> Text,
    }
}

diesel::table! {
    /// One row, updated by the readiness probe to prove the database takes writes.
    health_probe (id) {
        id -> Integer,
        probes -> BigInt,
    }
}

diesel::table! {
    /// One row, bumped by every write that changes what a verifier concludes (see
    /// `service::trust_cache`).
    trust_generation (id) {
        id -> Integer,
        generation -> BigInt,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        seq -> BigInt,
        at -> Timestamp,
        organisation_id -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        action -> Text,
        subject -> Text,
        details -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    coach_assignments (id) {
        id -> Text,
        organisation_id -> Text,
        coach_id -> Text,
        candidate_id -> Text,
        assigned_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    coach_invitations (id) {
        id -> Text,
        organisation_id -> Text,
        coach_id -> Text,
        candidate_id -> Text,
        invited_by -> Text,
        status -> Text,
        created_at -> Timestamp,
        answered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    coach_start_visits (coach_id) {
        coach_id -> Text,
        organisation_id -> Text,
        since -> Timestamp,
        opened_at -> Timestamp,
    }
}

diesel::table! {
    plans (id) {
        id -> Text,
        organisation_id -> Text,
        candidate_id -> Text,
        body -> Text,
        version -> BigInt,
        updated_by -> Text,
        updated_at -> Timestamp,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    plan_versions (plan_id, version) {
        plan_id -> Text,
        version -> BigInt,
        body -> Text,
        author_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    eqa_plans (organisation_id, framework_id) {
        organisation_id -> Text,
        framework_id -> Text,
        first_n -> BigInt,
        then_percent -> BigInt,
        eqa_required -> Bool,
        updated_by -> Text,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    eqa_samples (decision_id) {
        decision_id -> Text,
        organisation_id -> Text,
        framework_id -> Text,
        assessor_id -> Text,
        position -> BigInt,
        held -> Bool,
        sampled_at -> Timestamp,
        status -> Text,
        assurer_id -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        comment -> Nullable<Text>,
        review -> Nullable<Text>,
        reviewed_by -> Nullable<Text>,
        reviewed_at -> Nullable<Timestamp>,
        review_reason -> Nullable<Text>,
        version -> BigInt,
    }
}

diesel::table! {
    follow_ups (id) {
        id -> Text,
        organisation_id -> Text,
        candidate_id -> Text,
        author_id -> Text,
        meeting_date -> Date,
        notes -> Text,
        next_steps -> Text,
        next_meeting -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    peer_groups (id) {
        id -> Text,
        organisation_id -> Text,
        coach_id -> Text,
        name -> Text,
        theme -> Text,
        seats_given -> BigInt,
        created_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    peer_group_members (group_id, candidate_id) {
        group_id -> Text,
        candidate_id -> Text,
        seat -> BigInt,
        share_name -> Bool,
        share_goal -> Bool,
        joined_at -> Timestamp,
    }
}

diesel::table! {
    peer_group_sessions (id) {
        id -> Text,
        group_id -> Text,
        session_date -> Date,
        topic -> Text,
        notes -> Text,
        assignment -> Text,
        attended -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    eqa_counters (organisation_id, framework_id, assessor_id) {
        organisation_id -> Text,
        framework_id -> Text,
        assessor_id -> Text,
        confirmed -> BigInt,
    }
}

diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(candidates -> organisations (organisation_id));
diesel::joinable!(assessments -> candidates (candidate_id));
diesel::joinable!(records -> assessments (assessment_id));
diesel::joinable!(decisions -> assessments (assessment_id));
diesel::joinable!(eqa_samples -> decisions (decision_id));
diesel::joinable!(evidence_files -> assessments (assessment_id));
diesel::joinable!(signing_keys -> organisations (organisation_id));
diesel::joinable!(credentials -> candidates (candidate_id));
diesel::joinable!(credential_events -> credentials (credential_id));
diesel::joinable!(credential_history -> credentials (credential_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    users,
    frameworks,
    candidates,
    assessments,
    records,
    evidence_files,
    decisions,
    achievements,
    signing_keys,
    status_lists,
    credentials,
    credential_events,
    credential_history,
    health_probe,
    trust_generation,
    audit_events,
    sign_in_failures,
    coach_assignments,
    coach_invitations,
    coach_start_visits,
    plans,
    plan_versions,
    eqa_plans,
    eqa_samples,
    follow_ups,
    peer_groups,
    peer_group_members,
    peer_group_sessions,
    eqa_counters,
);
