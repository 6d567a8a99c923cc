# The administrator's pages.
admin-title = Administration
admin-lead = Manage the organisation's people and roles, competence frameworks, signing keys and issued certificates.
admin-count-users = { $count ->
    [one] { $count } person
   *[other] { $count } people
}
admin-count-active-users = { $count } active
admin-count-frameworks = { $count ->
    [one] { $count } framework version
   *[other] { $count } framework versions
}
admin-count-own-frameworks = { $count } of your own
admin-count-keys = { $count ->
    [one] { $count } key
   *[other] { $count } keys
}
admin-count-certificates = { $count ->
    [one] { $count } certificate
   *[other] { $count } certificates
}
admin-count-revoked = { $count } revoked
admin-count-suspended = { $count } suspended
admin-count-units = { $count ->
    [one] { $count } unit
   *[other] { $count } units
}
admin-count-qualifications = { $count ->
    [one] { $count } qualification
   *[other] { $count } qualifications
}
admin-copy = Copy
admin-copied = Copied.
admin-years = { $count ->
    [one] { $count } year
   *[other] { $count } years
}

## People
admin-users-title = People and roles
admin-user-new-title = Add a person
admin-user-new-lead = The person gets a one-time password for you to hand over. At their first sign-in they choose a password of their own.
admin-user-name = Name
admin-user-email = E-mail address
admin-user-roles = Roles
admin-user-active = Account
admin-user-is-active = Active
admin-user-is-inactive = Deactivated
admin-user-language = Language
admin-user-password = Password
admin-user-one-time-password-pending = Has not replaced the one-time password yet
admin-user-create = Add
admin-user-name-missing = Write the person's name.
admin-user-email-invalid = Write a valid e-mail address, such as name@municipality.org.
admin-user-email-taken = There is already an account with this e-mail address.
admin-user-roles-missing = Choose at least one role.
admin-user-language-missing = Choose a language.
admin-user-not-yourself = You cannot remove your own administrator role or deactivate your own account.
admin-user-invalid = This could not be saved.
admin-user-created-title = The person has been added
admin-user-created-text = { $name } now has an account.
admin-user-one-time-password = One-time password
admin-user-one-time-password-hint = Hand the password over securely. It is shown only this once and cannot be retrieved again.
admin-user-open = Open { $name }
admin-user-new-another = Add another person
admin-user-myself = This is your own account. You cannot remove your administrator role or deactivate the account.
admin-user-may-sign-in = The account is active (the person can sign in)
flash-admin-user-saved = The changes have been saved.

## Frameworks
admin-frameworks-title = Competence frameworks
admin-frameworks-lead = The framework versions the organisation can assess against: those shipped with validera and those the organisation uploaded itself. A stored version never changes.
admin-framework-title = Framework
admin-framework-id = Id
admin-framework-version = Version
admin-framework-contents = Contents
admin-framework-origin = Origin
admin-framework-shipped = Shipped with validera
admin-framework-own = Your own upload
admin-framework-awarding-body = Awarding body
admin-framework-description = Description
admin-framework-public = Public description
admin-framework-units = Units
admin-framework-qualifications = Qualifications
admin-framework-no-qualifications = The framework has no qualifications, only units.
admin-unit-level = Level
admin-unit-credits = Credits
admin-unit-currency = Evidence counts if it is at most
admin-unit-validity = The certificate is valid for
admin-outcome = Learning outcome { $id }
admin-criterion = Criterion
admin-criterion-text = What is assessed
admin-criterion-methods = Accepted assessment methods
admin-qualification-rules = Rules of combination
admin-rule-mandatory = Mandatory units: { $units }.
admin-rule-group = at least { $need } of { $units }.
admin-rule-credits = At least { $credits } credits in total.
admin-rule-credits-at-level = At least { $credits } credits at { $level } or above.
admin-rule-validity = { $count ->
    [one] The certificate is valid for { $count } year.
   *[other] The certificate is valid for { $count } years.
}
admin-framework-upload-title = Upload a framework version
admin-framework-upload-lead = Choose a TOML file or paste its text. The framework is checked as by the command validera frameworks check, and every error is shown at once with its line and column.
admin-framework-file = Framework file (TOML)
admin-framework-file-hint = If you choose a file, it is used instead of the text below.
admin-framework-source = Or paste the framework as text
admin-framework-source-hint = The same format as the file.
admin-framework-upload-submit = Check and save
admin-framework-nothing = Choose a file or paste the framework.
admin-framework-not-text = The file is not a text file (UTF-8).
admin-framework-id-taken = The id is already used by a framework shipped with validera or by another organisation. Give the framework an id of its own.
admin-framework-version-taken = This version is already stored with different content. A stored version never changes: give the change a new version number.
admin-framework-diagnostics = Errors in the framework
admin-framework-diagnostics-count = { $count ->
    [one] The framework has { $count } error. Nothing has been saved.
   *[other] The framework has { $count } errors. Nothing has been saved.
}
flash-admin-framework-uploaded = The framework version has been saved as a draft. A panel member approves it before anyone can be assessed against it.
flash-admin-framework-unchanged = Exactly this version was already stored; nothing has changed.

## Keys
admin-keys-title = Signing keys
admin-keys-lead = The organisation's certificates are signed with the active key. Older keys stay published, so that certificates they signed can still be checked.
admin-keys-none = The organisation has no key yet. The first is made when the first certificate is issued, or when you rotate the key.
admin-key-kid = Key id
admin-key-created = Created
admin-key-status = Status
admin-key-compromised-from = Compromised from
admin-key-actions = Action
admin-key-active = Active
admin-key-retired = Replaced
admin-key-compromised = Compromised
admin-key-retired-at = replaced { $when }
admin-key-not-compromised = –
admin-key-compromise-link = Mark as compromised
admin-keys-rotate-heading = Rotate the key
admin-keys-rotate-text = A new key is made and becomes active. The old one stops signing but stays published, so certificates already issued stay valid.
admin-keys-rotate = Rotate to a new key
admin-keys-rotate-confirm = Make a new signing key? The current one will no longer be used for new certificates.
admin-keys-published-heading = Published keys
admin-keys-published-text = Whoever checks a certificate fetches the keys from these addresses, without signing in.
admin-keys-jwks = All published keys (JWK Set)
admin-keys-did = The organisation's DID document
admin-keys-issuer = The organisation's issuer profile
admin-key-compromise-title = Mark a key as compromised
admin-key-compromise-warning = Certificates the key signed from the day you give are no longer accepted when checked. Certificates it signed before that day are signed again with the active key; their links and QR codes stay the same, but copies downloaded earlier must be downloaded again. If it is the active key, a new one replaces it at once. This cannot be undone.
admin-key-from = Compromised from (date)
admin-key-from-hint = The day counts from midnight UTC.
admin-key-from-missing = Give a date.
admin-key-reason = Why the key can no longer be trusted
admin-key-reason-missing = Write why the key can no longer be trusted.
admin-key-compromise-submit = Mark as compromised
admin-key-compromise-confirm = Mark the key as compromised? This cannot be undone.
flash-admin-key-rotated = A new key is active.
flash-admin-key-compromised = The key has been marked as compromised.

## Certificates
admin-certificates-title = Issued certificates
admin-certificates-lead = Certificates the organisation has issued. Open one to revoke or suspend it.
admin-certificates-none = The organisation has not issued any certificates yet.
admin-certificate-holder = Holder
admin-certificate-achievement = For
admin-certificate-kind-unit = Unit
admin-certificate-kind-qualification = Qualification
admin-certificate-framework = Framework
admin-certificate-issued = Issued
admin-certificate-valid-until = Valid until
admin-certificate-id = Certificate id
admin-certificate-status = Status
admin-certificate-active = Valid
admin-certificate-is-suspended = Suspended
admin-certificate-is-revoked = Revoked
admin-certificate-reason-shown = Reason: { $reason }
admin-certificate-public-page = The certificate's public verification page
admin-certificate-history = Status history
admin-certificate-no-history = The status has not changed since the certificate was issued.
admin-certificate-when = When
admin-certificate-event = Event
admin-certificate-reason = Reason
admin-certificate-who = Who
admin-certificate-event-revoke = Revoked
admin-certificate-event-suspend = Suspended
admin-certificate-event-reinstate = Reinstated
admin-certificate-change = Change the status
admin-certificate-reason-hint = The reason is shown to everyone who checks the certificate.
admin-certificate-reason-missing = Write a reason. It is shown to whoever checks the certificate.
admin-certificate-suspend-heading = Suspend
admin-certificate-suspend-text = The certificate is not accepted when checked until it is reinstated.
admin-certificate-suspend = Suspend the certificate
admin-certificate-reinstate-heading = Reinstate
admin-certificate-reinstate-text = The certificate becomes valid again.
admin-certificate-reinstate = Reinstate the certificate
admin-certificate-revoke-heading = Revoke
admin-certificate-revoke-final = A revoked certificate can never become valid again. This cannot be undone.
admin-certificate-revoke = Revoke the certificate
admin-certificate-revoke-confirm = Revoke the certificate for good? This cannot be undone.
admin-certificate-revoked-final = The certificate is revoked. Revocation is final.
admin-certificate-state-changed = The certificate's status has changed since you opened the page. Open the page again.
flash-admin-certificate-revoked = The certificate has been revoked.
flash-admin-certificate-suspended = The certificate has been suspended.
flash-admin-certificate-reinstated = The certificate has been reinstated and is valid again.

admin-audit-title = Audit trail
admin-audit-lead = Security events of the organisation, newest first: sign-ins, changes to users and roles, decisions, certificates, signing keys and frameworks. Each event is chained to the one before it with a hash, so an event changed or removed afterwards is found by the operator's check (validera audit verify).
admin-audit-card = Who did what, and when.
admin-audit-seq = No.
admin-audit-at = Time
admin-audit-action = Event
admin-audit-actor = By
admin-audit-subject = Concerns
admin-audit-details = Details
admin-audit-none = No events yet.
admin-audit-older = Older events
admin-audit-newest = Newest events
admin-audit-nobody = System or unknown
audit-action-sign-in = Signed in
audit-action-sign-in-failed = Failed sign-in
audit-action-user-created = User created
audit-action-user-changed = User changed
audit-action-password-changed = Password changed
audit-action-decision-submitted = Decision submitted
audit-action-decision-confirmed = Decision confirmed
audit-action-decision-returned = Decision returned
audit-action-certificate-issued = Certificate issued
audit-action-certificate-revoked = Certificate revoked
audit-action-certificate-suspended = Certificate suspended
audit-action-certificate-reinstated = Certificate reinstated
audit-action-key-rotated = Signing key rotated
audit-action-key-compromised = Signing key marked compromised
audit-action-framework-uploaded = Framework uploaded
audit-action-coach-assigned = Coach assigned
audit-action-coach-unassigned = Coach unassigned
audit-action-coach-invited = Coach invited
audit-action-coach-invitation-accepted = Coach's invitation accepted
audit-action-coach-invitation-declined = Coach's invitation declined
audit-action-coach-access-ended = Participant ended the coach's access
audit-action-organisation-time-zone-changed = Organisation's time zone changed
audit-action-plan-read = Plan read
audit-action-eqa-plan-set = Sampling plan for external quality assurance set
audit-action-eqa-agreed = External quality assurer agreed
audit-action-eqa-not-agreed = External quality assurer did not agree
audit-action-eqa-review-kept = Review: certificates kept
audit-action-eqa-review-suspended = Review: certificates suspended
audit-action-retention-deleted = Old plans and notes deleted

admin-organisation-title = Organisation
admin-organisation-name = Name of the organisation
admin-organisation-name-invalid = Give the organisation a name without control characters.
admin-organisation-time-zone = Time zone
admin-organisation-time-zone-hint = An IANA time zone, such as Europe/Stockholm or Europe/Helsinki. Its calendar decides the date of "today": the latest date a record may carry, where currency windows end, and the date on certificates.
admin-organisation-time-zone-unknown = This is not a time zone of the IANA database. Write it as Europe/Stockholm or Europe/Helsinki.
admin-organisation-names = Name the people in the certificates' quality assurance chain
admin-organisation-names-hint = Off: certificates state only the role and date of the assessor, the internal verifier and the external quality assurer. On: they state the person's name as well. Applies to certificates issued from now on; ask the people first.
admin-organisation-awarding-body = This organisation is the instance's awarding body: its external quality assurers sample every organisation's decisions on the frameworks it owns.
flash-admin-organisation-saved = The organisation's settings have been saved.
admin-eqa-body-plan = The awarding body's plan applies to every organisation: each assessor's first { $first } decisions, then { $percent } % of the rest. Your own plan below can only add samples.
admin-eqa-body-plan-held = Certificates wait for the external quality assurer.
