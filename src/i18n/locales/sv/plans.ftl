# Development plans and coaches (docs/plans.md).
plan-progress = { $done } av { $total } steg klara; { $units ->
    [one] 1 enhet nådd
   *[other] { $units } enheter nådda
}
plan-progress-empty = Planen har inga steg än.
plan-draft-step = Visa att du kan: { $unit }
plan-draft-way = { $criterion } Det kan visas genom: { $methods }.
