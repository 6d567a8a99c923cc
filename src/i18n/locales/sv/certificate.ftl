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
