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
