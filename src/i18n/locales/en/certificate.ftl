# Texts inside issued credentials. They are signed: a change of wording here changes what new
# credentials say, never the ones already issued.
# Before the achievement's name: "Certificate: Warehouse work".
certificate-name-unit = Certificate
certificate-name-qualification = Certificate of qualification
# One line per method of assessment; $date is the last record's date.
certificate-evidence = { $count ->
    [one] { $count } assessment criterion shown, last on { $date }
   *[other] { $count } assessment criteria shown, last on { $date }
}
# How one criterion was shown: "Praktiskt prov, 5 december 2026".
certificate-criterion-shown = { $method }, { $date }
# The quality assurance chain: a role, then what it did and when.
certificate-qa-assessor = Assessor
certificate-qa-assessed = Decision proposed on { $date }
certificate-qa-verifier = Internal verifier
certificate-qa-verified = Confirmed on { $date }
certificate-qa-assurer = External quality assurer
certificate-qa-agreed = Sampled and agreed on { $date }
certificate-qa-role-named = { $role } ({ $name })
