# Texts inside issued credentials. They are signed: a change of wording here changes what new
# credentials say, never the ones already issued.
# Before the achievement's name: "Intyg: Lagerarbete".
certificate-name-unit = Intyg
certificate-name-qualification = Kvalifikationsintyg
# One line per method of assessment; $date is the last record's date.
certificate-evidence = { $count ->
    [one] { $count } bedömningskriterium visat, senast { $date }
   *[other] { $count } bedömningskriterier visade, senast { $date }
}
# How one criterion was shown: "Praktiskt prov, 5 december 2026".
certificate-criterion-shown = { $method }, { $date }
# The quality assurance chain: a role, then what it did and when.
certificate-qa-assessor = Bedömare
certificate-qa-assessed = Beslut föreslaget { $date }
certificate-qa-verifier = Intern kvalitetssäkrare
certificate-qa-verified = Bekräftat { $date }
certificate-qa-assurer = Extern kvalitetssäkrare
certificate-qa-agreed = Granskat i stickprov och godkänt { $date }
certificate-qa-role-named = { $role } ({ $name })
