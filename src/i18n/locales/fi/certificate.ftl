# Texts inside issued credentials. They are signed: a change of wording here changes what new
# credentials say, never the ones already issued.
# Before the achievement's name: "Todistus: Varastotyö".
certificate-name-unit = Todistus
certificate-name-qualification = Tutkintotodistus
# One line per method of assessment; $date is the last record's date.
certificate-evidence = { $count ->
    [one] { $count } arviointikriteeri osoitettu, viimeksi { $date }
   *[other] { $count } arviointikriteeriä osoitettu, viimeksi { $date }
}
# How one criterion was shown: "Praktiskt prov, 5 december 2026".
certificate-criterion-shown = { $method }, { $date }
# The quality assurance chain: a role, then what it did and when.
certificate-qa-assessor = Arvioija
certificate-qa-assessed = Päätös ehdotettu { $date }
certificate-qa-verifier = Sisäinen laadunvarmistaja
certificate-qa-verified = Vahvistettu { $date }
certificate-qa-assurer = Ulkoinen laadunvarmistaja
certificate-qa-agreed = Tarkastettu otoksena ja hyväksytty { $date }
certificate-qa-role-named = { $role } ({ $name })
