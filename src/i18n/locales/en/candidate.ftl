# The candidate's pages.
candidate-title = My progress
candidate-lead = Here you can see what you have already shown, what is left, and how you could show it.
candidate-have-certificates = { $count ->
    [one] You have one certificate.
   *[other] You have { $count } certificates.
}
candidate-see-certificates = See and download your certificates
candidate-no-assessments = You have no assessment yet. Your assessor will start one.
candidate-unit-confirmed = Done
candidate-unit-provisional = Done, waiting for confirmation
candidate-unit-in-progress = { $met } of { $total } parts done
candidate-unit-not-started = Not started yet
candidate-qualification-awarded = you have the whole qualification.
candidate-qualification-provisional = everything is done and waiting for confirmation.
candidate-qualification-not-yet = some of it is still left.
candidate-shown = What you have shown
candidate-left = What is left
candidate-how = You could show it by: { $methods }.
candidate-unit-code = Unit code: { $code }
candidate-certificates-title = My certificates
candidate-certificates-lead = Download your certificates, share the link with an employer, or add a certificate to your LinkedIn profile.
candidate-no-certificates = You have no certificates yet. When a unit is confirmed, its certificate appears here.
candidate-back-to-progress = Back to my progress
candidate-reason = Reason
candidate-kind = Covers
candidate-kind-unit = Unit
candidate-kind-qualification = Qualification
candidate-framework = Framework
candidate-issued = Issued
candidate-valid-until = Valid until
candidate-status-valid = Valid
candidate-status-suspended = Suspended for now
candidate-status-revoked = Revoked
candidate-status-expired = Expired
candidate-download = Download
candidate-download-pdf = The certificate as a PDF
candidate-download-json = The signed credential (JSON-LD)
candidate-download-jwt = The signed credential (VC-JWT)
candidate-share = Share
candidate-share-link = Link to the certificate
candidate-share-hint = Whoever gets the link can see that the certificate is genuine. It shows only what the certificate says.
candidate-copy = Copy the link
candidate-copied = The link is copied.
candidate-linkedin = Add to LinkedIn
candidate-new-window = opens in a new window
candidate-linkedin-hint = LinkedIn opens its own form with the details filled in. We send nothing to LinkedIn.
candidate-qr-alt = QR code leading to the verification page of the certificate { $title }
