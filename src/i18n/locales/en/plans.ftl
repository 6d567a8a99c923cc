# Development plans and coaches (docs/plans.md).
plan-progress = { $done } of { $total } steps done; { $units ->
    [one] 1 unit reached
   *[other] { $units } units reached
}
plan-progress-empty = The plan has no steps yet.
plan-draft-step = Show that you can: { $unit }
plan-draft-way = { $criterion } It could be shown by: { $methods }.
