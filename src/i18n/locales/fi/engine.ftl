# The engine's explanations of outcomes. Plain, kind language: nothing says "failed"; a
# criterion is met or not yet met, and every text about a gap says how far along the candidate is.

## How a record bears on a criterion
explain-counts = Osoittaa, että kriteeri täyttyy.
explain-method-not-accepted = Tätä menetelmää ({ $method }) ei hyväksytä tämän kriteerin osoittamiseen, joten sitä ei oteta tässä huomioon.
explain-below-pass-mark = Tulos oli { $score ->
    [one] { $score } piste
   *[other] { $score } pistettä
} ja tarvitaan { $pass-mark }, joten kriteeri ei vielä täyty.
explain-observed-not-yet-met = Havainnoitu käytännön näytössä: ei vielä täyty.
explain-not-current = Näyttö on päivätty { $date }, ja se otetaan huomioon vain, jos se on enintään { $years ->
        [one] vuoden
       *[other] { $years } vuotta
    } vanha.
# $parts: the parts of VASR below, joined with explain-and.
explain-not-accepted = Näyttö ei vielä täytä näitä vaatimuksia: { $parts }.
explain-future-dated = Päivätty { $date }, arviointipäivän jälkeen, joten sitä ei vielä oteta huomioon.

## The judged parts of VASR, as nouns
explain-vasr-valid = pätevyys
explain-vasr-authentic = aitous
explain-vasr-sufficient = riittävyys
explain-vasr-reliable = luotettavuus
# Joins the last two items of a list: "a, b ja c".
explain-and = ja

## A unit's status
explain-unit-confirmed = Täyttyy, ja sisäinen varmentaja on vahvistanut sen.
explain-unit-provisional = Kaikki kriteerit täyttyvät; odottaa sisäisen varmentajan vahvistusta.
explain-unit-in-progress = Kriteereistä täyttyy tähän mennessä { $met }/{ $total }.
explain-unit-not-started = Yksikään kriteeri ei vielä täyty.

## A qualification's status, followed by one line per shortfall
explain-qualification-awarded = { $title }: kaikki vaatimukset täyttyvät, ja ne on vahvistettu.
explain-qualification-provisional = { $title }: kaikki vaatimukset täyttyvät; odottaa sisäisen varmentajan vahvistusta.
explain-qualification-not-yet = { $title }: osa vaatimuksista ei vielä täyty.

## Shortfalls; units are named "Title (CODE)"
explain-shortfall-mandatory = Pakollinen yksikkö { $unit } ei vielä täyty.
explain-shortfall-optional-group = { $name }: yksiköistä tarvitaan vähintään { $need } (täyttynyt tähän mennessä: { $have }). Vaihtoehdot: { $choices }.
# The name of a group of optional units that has no title of its own.
explain-optional-units = Valinnaiset yksiköt
explain-shortfall-credits = Osaamispisteet tähän mennessä: { $have }/{ $need }.
explain-shortfall-credits-at-level = Osaamispisteet ({ $level } tai ylempi) tähän mennessä: { $have }/{ $need }.

## A gap report aimed at the qualification the assessment targets
# $units: units named "Title (CODE)", joined with explain-and.
explain-need-units-that-count = Yksiköt, jotka lasketaan mukaan: { $units }.
# $count: how many sets follow, one per line.
explain-closing-intro = { $count ->
        [one] { $title }: kun nämä yksiköt täyttyvät, kaikki vaatimukset täyttyvät:
       *[other] { $title }: mikä tahansa näistä { $count } yksikköyhdistelmästä riittää kaikkien vaatimusten täyttymiseen:
    }
explain-closing-none = { $title }: mikään jäljellä olevien yksiköiden yhdistelmä ei riitä kaikkien vaatimusten täyttymiseen.
# One unit of a set; $level from explain-level.
explain-closing-unit = { $title } ({ $code }, { $level }, { $credits ->
        [one] 1 osaamispiste
       *[other] { $credits } osaamispistettä
    })
explain-closing-set = { $units }: yhteensä { $credits ->
        [one] 1 osaamispiste
       *[other] { $credits } osaamispistettä
    }.
explain-closing-capped = Yhdistelmiä on liian monta kaikkien kokeilemiseen, joten muitakin yhtä pieniä tapoja voi olla.

## Levels, in the nominative
explain-level = taso { $level }
explain-level-entry = lähtötaso { $level }

## Methods, in lower case, for use inside a sentence
explain-method-practical = käytännön näyttö
explain-method-theory = teoriakoe
explain-method-employer-reference = työnantajan suositus
explain-method-work-certificate = työtodistus
explain-method-portfolio = portfolio tai tuotos
explain-method-witness-testimony = todistajan lausunto
explain-method-professional-discussion = ammatillinen keskustelu
explain-vasr-current = ajantasaisuus
explain-warning-method-not-accepted = Kriteeri { $criterion } ei hyväksy menetelmää { $method }; se hyväksyy: { $accepted }. Kirjaus on tallennettu, mutta sitä ei oteta huomioon tämän kriteerin kohdalla.
explain-warning-practical-only = Kriteerin { $criterion } voi osoittaa vain käytännön näytössä, joten teoriakoetta ei oteta sen kohdalla huomioon. Kirjaus on tallennettu.
explain-warning-not-current = Näyttö päivältä { $date } on vanhempi kuin osion { $unit } { $years } vuoden ajantasaisuusraja, joten sitä ei yksinään oteta siellä huomioon. Kirjaus on tallennettu.
explain-judgement-reason = Arvioijan perustelu ({ $part }): { $reason }
