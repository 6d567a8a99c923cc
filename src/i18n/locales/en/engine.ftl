# The engine's explanations of outcomes. Plain, kind language: nothing says "failed"; a
# criterion is met or not yet met, and every text about a gap says how far along the candidate is.

## How a record bears on a criterion
explain-counts = Shows that the criterion is met.
explain-method-not-accepted = The framework does not accept this method ({ $method }) for the criterion, so it does not count here.
explain-below-pass-mark = The score was { $score ->
    [one] { $score } point
   *[other] { $score } points
} and { $pass-mark ->
    [one] { $pass-mark } is
   *[other] { $pass-mark } are
} needed, so the criterion is not yet met.
explain-observed-not-yet-met = Observed in a practical test: not yet met.
explain-not-current = The evidence is from { $date }; it counts only if it is at most { $years ->
        [one] { $years } year
       *[other] { $years } years
    } old.
# $parts: the parts of VASR below, joined with explain-and.
explain-not-accepted = The evidence does not yet meet the requirements of { $parts }.
explain-future-dated = Dated { $date }, after the assessment date, so it does not count yet.

## The judged parts of VASR, as nouns
explain-vasr-valid = validity
explain-vasr-authentic = authenticity
explain-vasr-sufficient = sufficiency
explain-vasr-reliable = reliability
# Joins the last two items of a list: "a, b and c".
explain-and = and

## A unit's status
explain-unit-confirmed = Met and confirmed by an internal verifier.
explain-unit-provisional = All criteria met; awaiting confirmation by an internal verifier.
explain-unit-in-progress = { $met } of { $total } criteria met so far.
explain-unit-not-started = No criteria met yet.

## A qualification's status, followed by one line per shortfall
explain-qualification-awarded = { $title }: all requirements met and confirmed.
explain-qualification-provisional = { $title }: all requirements met; awaiting confirmation by an internal verifier.
explain-qualification-not-yet = { $title }: some requirements are not yet met.

## Shortfalls; units are named "Title (CODE)"
explain-shortfall-mandatory = The mandatory unit { $unit } is not yet met.
explain-shortfall-optional-group = { $name }: at least { $need } of the units { $need ->
        [one] is
       *[other] are
    } needed (met so far: { $have }). Choose from: { $choices }.
# The name of a group of optional units that has no title of its own.
explain-optional-units = Optional units
explain-shortfall-credits = Credits so far: { $have } of the { $need } needed.
explain-shortfall-credits-at-level = Credits at { $level } or above so far: { $have } of the { $need } needed.

## A gap report aimed at the qualification the assessment targets
# $units: units named "Title (CODE)", joined with explain-and.
explain-need-units-that-count = Units that count toward it: { $units }.
# $count: how many sets follow, one per line.
explain-closing-intro = { $count ->
        [one] Achieving these units would complete { $title }:
       *[other] Any one of these { $count } sets of units would complete { $title }:
    }
explain-closing-none = No combination of units not yet met can complete { $title }.
# One unit of a set; $level from explain-level.
explain-closing-unit = { $title } ({ $code }, { $level }, { $credits ->
        [one] 1 credit
       *[other] { $credits } credits
    })
explain-closing-set = { $units }: { $credits ->
        [one] 1 credit
       *[other] { $credits } credits
    } in all.
explain-closing-capped = There are too many combinations to try them all, so there may be other ways as small as these.

## Levels, in the nominative
explain-level = Level { $level }
explain-level-entry = Entry { $level }

## Methods, in lower case, for use inside a sentence
explain-method-practical = practical test
explain-method-theory = theory test
explain-method-employer-reference = employer reference
explain-method-work-certificate = work certificate
explain-method-portfolio = portfolio or product
explain-method-witness-testimony = witness testimony
explain-method-professional-discussion = professional discussion
explain-vasr-current = currency
explain-warning-method-not-accepted = Criterion { $criterion } does not accept { $method }; it accepts { $accepted }. The record is saved, but it does not count for this criterion.
explain-warning-practical-only = Criterion { $criterion } can only be shown in a practical test, so a theory test does not count for it. The record is saved.
explain-warning-not-current = Evidence from { $date } is older than the { $years }-year currency window of unit { $unit }, so it does not count there on its own. The record is saved.
explain-judgement-reason = The assessor's reason about { $part }: { $reason }
