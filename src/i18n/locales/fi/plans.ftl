# Development plans and coaches (docs/plans.md).
plan-progress = { $done }/{ $total } vaihetta tehty; { $units ->
    [one] 1 osa saavutettu
   *[other] { $units } osaa saavutettu
}
plan-progress-empty = Suunnitelmassa ei ole vielä vaiheita.
plan-draft-step = Osoita osaamisesi: { $unit }
plan-draft-way = { $criterion } Sen voi osoittaa näin: { $methods }.
