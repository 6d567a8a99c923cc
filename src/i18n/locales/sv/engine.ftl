# The engine's explanations of outcomes. Plain, kind language: nothing says "failed"; a
# criterion is met or not yet met, and every text about a gap says how far along the candidate is.

## How a record bears on a criterion
explain-counts = Visar att kriteriet är uppfyllt.
explain-method-not-accepted = Ramverket godtar inte den här metoden ({ $method }) för kriteriet, så den räknas inte här.
explain-below-pass-mark = Resultatet var { $score } poäng och { $pass-mark } behövs, så kriteriet är ännu inte uppfyllt.
explain-observed-not-yet-met = Observerat vid ett praktiskt prov: ännu inte uppfyllt.
explain-not-current = Underlaget är från { $date } och räknas bara om det är högst { $years } år gammalt.
# $parts: the parts of VASR below, joined with explain-and.
explain-not-accepted = Underlaget uppfyller ännu inte kraven på { $parts }.
explain-future-dated = Daterat { $date }, efter bedömningsdagen, så det räknas inte ännu.

## The judged parts of VASR, as nouns
explain-vasr-valid = giltighet
explain-vasr-authentic = äkthet
explain-vasr-sufficient = tillräcklighet
explain-vasr-reliable = tillförlitlighet
# Joins the last two items of a list: "a, b och c".
explain-and = och

## A unit's status
explain-unit-confirmed = Uppfylld och bekräftad av en intern kvalitetssäkrare.
explain-unit-provisional = Alla kriterier är uppfyllda; väntar på bekräftelse av en intern kvalitetssäkrare.
explain-unit-in-progress = { $met } av { $total } kriterier är uppfyllda hittills.
explain-unit-not-started = Inga kriterier är uppfyllda ännu.

## A qualification's status, followed by one line per shortfall
explain-qualification-awarded = { $title }: alla krav är uppfyllda och bekräftade.
explain-qualification-provisional = { $title }: alla krav är uppfyllda; väntar på bekräftelse av en intern kvalitetssäkrare.
explain-qualification-not-yet = { $title }: några krav är ännu inte uppfyllda.

## Shortfalls; units are named "Title (CODE)"
explain-shortfall-mandatory = Den obligatoriska enheten { $unit } är ännu inte uppfylld.
explain-shortfall-optional-group = { $name }: minst { $need } av enheterna behövs (uppfyllda hittills: { $have }). Välj bland: { $choices }.
# The name of a group of optional units that has no title of its own.
explain-optional-units = Valbara enheter
explain-shortfall-credits = Poäng hittills: { $have } av de { $need } som behövs.
explain-shortfall-credits-at-level = Poäng på { $level } eller högre hittills: { $have } av de { $need } som behövs.

## A gap report aimed at the qualification the assessment targets
# $units: units named "Title (CODE)", joined with explain-and.
explain-need-units-that-count = Enheter som räknas: { $units }.
# $count: how many sets follow, one per line.
explain-closing-intro = { $count ->
        [one] Med de här enheterna uppfylls alla krav för { $title }:
       *[other] Vilken som helst av de här { $count } kombinationerna av enheter uppfyller alla krav för { $title }:
    }
explain-closing-none = Ingen kombination av de enheter som återstår uppfyller alla krav för { $title }.
# One unit of a set; $level from explain-level.
explain-closing-unit = { $title } ({ $code }, { $level }, { $credits } poäng)
explain-closing-set = { $units }: sammanlagt { $credits } poäng.
explain-closing-capped = Det finns för många kombinationer för att pröva alla, så det kan finnas andra lika små vägar.

## Levels, in the nominative
explain-level = nivå { $level }
explain-level-entry = instegsnivå { $level }

## Methods, in lower case, for use inside a sentence
explain-method-practical = praktiskt prov
explain-method-theory = teoriprov
explain-method-employer-reference = referens från arbetsgivare
explain-method-work-certificate = arbetsintyg
explain-method-portfolio = portfolio eller produkt
explain-method-witness-testimony = vittnesintyg
explain-method-professional-discussion = yrkessamtal
explain-vasr-current = aktualitet
explain-warning-method-not-accepted = Kriterium { $criterion } godtar inte { $method }; det godtar { $accepted }. Registreringen är sparad, men den räknas inte för det här kriteriet.
explain-warning-practical-only = Kriterium { $criterion } kan bara visas i ett praktiskt prov, så ett teoriprov räknas inte för det. Registreringen är sparad.
explain-warning-not-current = Underlag från { $date } är äldre än aktualitetsfönstret på { $years } år för enhet { $unit }, så det räknas inte där på egen hand. Registreringen är sparad.
explain-judgement-reason = Bedömarens motivering om { $part }: { $reason }
