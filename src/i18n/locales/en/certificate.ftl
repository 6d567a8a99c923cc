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
