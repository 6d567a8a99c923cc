# Ylläpitäjän sivut.
admin-title = Ylläpito
admin-lead = Täällä hallinnoit organisaation henkilöitä ja rooleja, osaamiskehyksiä, allekirjoitusavaimia ja myönnettyjä todistuksia.
admin-count-users = { $count ->
    [one] { $count } henkilö
   *[other] { $count } henkilöä
}
admin-count-active-users = { $count } aktiivista
admin-count-frameworks = { $count ->
    [one] { $count } kehysversio
   *[other] { $count } kehysversiota
}
admin-count-own-frameworks = { $count } omaa
admin-count-keys = { $count ->
    [one] { $count } avain
   *[other] { $count } avainta
}
admin-count-certificates = { $count ->
    [one] { $count } todistus
   *[other] { $count } todistusta
}
admin-count-revoked = { $count } peruttua
admin-count-suspended = { $count } väliaikaisesti keskeytettyä
admin-count-units = { $count ->
    [one] { $count } yksikkö
   *[other] { $count } yksikköä
}
admin-count-qualifications = { $count ->
    [one] { $count } tutkinto
   *[other] { $count } tutkintoa
}
admin-copy = Kopioi
admin-copied = Kopioitu.
admin-years = { $count ->
    [one] { $count } vuosi
   *[other] { $count } vuotta
}

## Henkilöt
admin-users-title = Henkilöt ja roolit
admin-user-new-title = Lisää henkilö
admin-user-new-lead = Henkilö saa kertakäyttöisen salasanan, jonka annat hänelle. Ensimmäisellä kirjautumiskerralla hän valitsee oman salasanan.
admin-user-name = Nimi
admin-user-email = Sähköpostiosoite
admin-user-roles = Roolit
admin-user-active = Tili
admin-user-is-active = Käytössä
admin-user-is-inactive = Suljettu
admin-user-language = Kieli
admin-user-password = Salasana
admin-user-one-time-password-pending = Ei ole vielä vaihtanut kertakäyttöistä salasanaa
admin-user-create = Lisää
admin-user-name-missing = Kirjoita henkilön nimi.
admin-user-email-invalid = Kirjoita kelvollinen sähköpostiosoite, esimerkiksi nimi@kunta.fi.
admin-user-email-taken = Tällä sähköpostiosoitteella on jo tili.
admin-user-roles-missing = Valitse vähintään yksi rooli.
admin-user-language-missing = Valitse kieli.
admin-user-not-yourself = Et voi poistaa omaa ylläpitäjän rooliasi etkä sulkea omaa tiliäsi.
admin-user-invalid = Tietoa ei voitu tallentaa.
admin-user-created-title = Henkilö on lisätty
admin-user-created-text = Henkilölle { $name } on luotu tili.
admin-user-one-time-password = Kertakäyttöinen salasana
admin-user-one-time-password-hint = Anna salasana turvallisella tavalla. Se näytetään vain tämän kerran, eikä sitä voi hakea uudelleen.
admin-user-open = Avaa { $name }
admin-user-new-another = Lisää toinen henkilö
admin-user-myself = Tämä on oma tilisi. Et voi poistaa ylläpitäjän rooliasi etkä sulkea tiliä.
admin-user-may-sign-in = Tili on käytössä (henkilö voi kirjautua)
flash-admin-user-saved = Muutokset on tallennettu.

## Osaamiskehykset
admin-frameworks-title = Osaamiskehykset
admin-frameworks-lead = Kehysversiot, joita vasten organisaatio voi arvioida: validera-palvelun mukana tulevat ja organisaation itse lataamat. Tallennettu versio ei koskaan muutu.
admin-framework-title = Kehys
admin-framework-id = Tunnus
admin-framework-version = Versio
admin-framework-contents = Sisältö
admin-framework-origin = Alkuperä
admin-framework-shipped = Tulee validera-palvelun mukana
admin-framework-own = Oma lataus
admin-framework-awarding-body = Myöntävä taho
admin-framework-description = Kuvaus
admin-framework-public = Julkinen kuvaus
admin-framework-units = Yksiköt
admin-framework-qualifications = Tutkinnot
admin-framework-no-qualifications = Kehyksessä ei ole tutkintoja, vain yksiköitä.
admin-unit-level = Taso
admin-unit-credits = Osaamispisteet
admin-unit-currency = Näyttö otetaan huomioon, jos se on enintään
admin-unit-validity = Todistus on voimassa
admin-outcome = Oppimistavoite { $id }
admin-criterion = Kriteeri
admin-criterion-text = Mitä arvioidaan
admin-criterion-methods = Hyväksytyt arviointimenetelmät
admin-qualification-rules = Kokoamissäännöt
admin-rule-mandatory = Pakolliset yksiköt: { $units }.
admin-rule-group = vähintään { $need } seuraavista: { $units }.
admin-rule-credits = Yhteensä vähintään { $credits } osaamispistettä.
admin-rule-credits-at-level = Vähintään { $credits } osaamispistettä tasolta { $level } tai ylempää.
admin-rule-validity = { $count ->
    [one] Todistus on voimassa { $count } vuoden.
   *[other] Todistus on voimassa { $count } vuotta.
}
admin-framework-upload-title = Lataa kehysversio
admin-framework-upload-lead = Valitse TOML-tiedosto tai liitä teksti. Kehys tarkistetaan samoin kuin komennolla validera frameworks check, ja kaikki virheet näytetään kerralla rivin ja sarakkeen kanssa.
admin-framework-file = Kehystiedosto (TOML)
admin-framework-file-hint = Jos valitset tiedoston, sitä käytetään alla olevan tekstin sijaan.
admin-framework-source = Tai liitä kehys tekstinä
admin-framework-source-hint = Sama muoto kuin tiedostossa.
admin-framework-upload-submit = Tarkista ja tallenna
admin-framework-nothing = Valitse tiedosto tai liitä kehys.
admin-framework-not-text = Tiedosto ei ole tekstitiedosto (UTF-8).
admin-framework-id-taken = Tunnus on jo validera-palvelun mukana tulevan kehyksen tai toisen organisaation käytössä. Anna kehykselle oma tunnus.
admin-framework-version-taken = Tämä versio on jo tallennettu eri sisällöllä. Tallennettu versio ei koskaan muutu: anna muutokselle uusi versionumero.
admin-framework-diagnostics = Virheet kehyksessä
admin-framework-diagnostics-count = { $count ->
    [one] Kehyksessä on { $count } virhe. Mitään ei tallennettu.
   *[other] Kehyksessä on { $count } virhettä. Mitään ei tallennettu.
}
flash-admin-framework-uploaded = Kehysversio on tallennettu luonnoksena. Paneelin jäsen hyväksyy sen ennen kuin sitä vasten voidaan arvioida.
flash-admin-framework-unchanged = Täsmälleen tämä versio oli jo tallennettu; mitään ei muutettu.

## Avaimet
admin-keys-title = Allekirjoitusavaimet
admin-keys-lead = Organisaation todistukset allekirjoitetaan käytössä olevalla avaimella. Vanhemmat avaimet pysyvät julkaistuina, jotta niillä allekirjoitetut todistukset voidaan yhä tarkistaa.
admin-keys-none = Organisaatiolla ei ole vielä avainta. Ensimmäinen luodaan, kun ensimmäinen todistus myönnetään tai kun vaihdat avaimen.
admin-key-kid = Avaimen tunnus
admin-key-created = Luotu
admin-key-status = Tila
admin-key-compromised-from = Vaarantunut alkaen
admin-key-actions = Toiminto
admin-key-active = Käytössä
admin-key-retired = Korvattu
admin-key-compromised = Vaarantunut
admin-key-retired-at = korvattu { $when }
admin-key-not-compromised = –
admin-key-compromise-link = Merkitse vaarantuneeksi
admin-keys-rotate-heading = Vaihda avain
admin-keys-rotate-text = Uusi avain luodaan ja otetaan käyttöön. Vanha lakkaa allekirjoittamasta mutta pysyy julkaistuna, joten jo myönnetyt todistukset pysyvät voimassa.
admin-keys-rotate = Vaihda uuteen avaimeen
admin-keys-rotate-confirm = Luodaanko uusi allekirjoitusavain? Nykyistä ei enää käytetä uusiin todistuksiin.
admin-keys-published-heading = Julkaistut avaimet
admin-keys-published-text = Todistuksen tarkistaja hakee avaimet näistä osoitteista kirjautumatta.
admin-keys-jwks = Kaikki julkaistut avaimet (JWK Set)
admin-keys-did = Organisaation DID-dokumentti
admin-keys-issuer = Organisaation myöntäjäprofiili
admin-key-compromise-title = Merkitse avain vaarantuneeksi
admin-key-compromise-warning = Todistuksia, jotka avain on allekirjoittanut antamastasi päivästä alkaen, ei enää hyväksytä tarkistuksessa. Ennen sitä päivää allekirjoitetut todistukset allekirjoitetaan uudelleen käytössä olevalla avaimella; niiden linkit ja QR-koodit pysyvät samoina, mutta aiemmin ladatut kopiot on ladattava uudelleen. Jos avain on käytössä oleva avain, se korvataan heti uudella. Tätä ei voi perua.
admin-key-from = Vaarantunut alkaen (päivämäärä)
admin-key-from-hint = Päivä lasketaan keskiyöstä UTC-aikaa.
admin-key-from-missing = Anna päivämäärä.
admin-key-reason = Miksi avaimeen ei enää voi luottaa
admin-key-reason-missing = Kirjoita, miksi avaimeen ei enää voi luottaa.
admin-key-compromise-submit = Merkitse vaarantuneeksi
admin-key-compromise-confirm = Merkitäänkö avain vaarantuneeksi? Tätä ei voi perua.
flash-admin-key-rotated = Uusi avain on käytössä.
flash-admin-key-compromised = Avain on merkitty vaarantuneeksi.

## Todistukset
admin-certificates-title = Myönnetyt todistukset
admin-certificates-lead = Organisaation myöntämät todistukset. Avaa todistus, jos haluat perua sen tai keskeyttää sen väliaikaisesti.
admin-certificates-none = Organisaatio ei ole vielä myöntänyt todistuksia.
admin-certificate-holder = Haltija
admin-certificate-achievement = Koskee
admin-certificate-kind-unit = Yksikkö
admin-certificate-kind-qualification = Tutkinto
admin-certificate-framework = Kehys
admin-certificate-issued = Myönnetty
admin-certificate-valid-until = Voimassa asti
admin-certificate-id = Todistuksen tunnus
admin-certificate-status = Tila
admin-certificate-active = Voimassa
admin-certificate-is-suspended = Väliaikaisesti keskeytetty
admin-certificate-is-revoked = Peruttu
admin-certificate-reason-shown = Syy: { $reason }
admin-certificate-public-page = Todistuksen julkinen tarkistussivu
admin-certificate-history = Tilahistoria
admin-certificate-no-history = Tila ei ole muuttunut todistuksen myöntämisen jälkeen.
admin-certificate-when = Milloin
admin-certificate-event = Tapahtuma
admin-certificate-reason = Syy
admin-certificate-who = Kuka
admin-certificate-event-revoke = Peruttu
admin-certificate-event-suspend = Väliaikaisesti keskeytetty
admin-certificate-event-reinstate = Palautettu voimaan
admin-certificate-change = Muuta tilaa
admin-certificate-reason-hint = Syy näytetään kaikille, jotka tarkistavat todistuksen.
admin-certificate-reason-missing = Kirjoita syy. Se näytetään todistuksen tarkistajalle.
admin-certificate-suspend-heading = Keskeytä väliaikaisesti
admin-certificate-suspend-text = Todistusta ei hyväksytä tarkistuksessa, ennen kuin se palautetaan voimaan.
admin-certificate-suspend = Keskeytä todistus
admin-certificate-reinstate-heading = Palauta voimaan
admin-certificate-reinstate-text = Todistus on jälleen voimassa.
admin-certificate-reinstate = Palauta todistus voimaan
admin-certificate-revoke-heading = Peru
admin-certificate-revoke-final = Peruttu todistus ei voi enää koskaan tulla voimaan. Tätä ei voi perua.
admin-certificate-revoke = Peru todistus
admin-certificate-revoke-confirm = Perutaanko todistus lopullisesti? Tätä ei voi perua.
admin-certificate-revoked-final = Todistus on peruttu. Peruminen on lopullinen.
admin-certificate-state-changed = Todistuksen tila on muuttunut sen jälkeen, kun avasit sivun. Avaa sivu uudelleen.
flash-admin-certificate-revoked = Todistus on peruttu.
flash-admin-certificate-suspended = Todistus on keskeytetty väliaikaisesti.
flash-admin-certificate-reinstated = Todistus on palautettu voimaan.

admin-audit-title = Tarkastusloki
admin-audit-lead = Organisaation tietoturvatapahtumat uusimmasta alkaen: kirjautumiset, käyttäjien ja roolien muutokset, päätökset, todistukset, allekirjoitusavaimet ja viitekehykset. Jokainen tapahtuma on ketjutettu edelliseen tiivisteellä, joten jälkikäteen muutettu tai poistettu tapahtuma paljastuu ylläpidon tarkistuksessa (validera audit verify).
admin-audit-card = Kuka teki mitä ja milloin.
admin-audit-seq = Nro
admin-audit-at = Aika
admin-audit-action = Tapahtuma
admin-audit-actor = Tekijä
admin-audit-subject = Kohde
admin-audit-details = Tiedot
admin-audit-none = Ei vielä tapahtumia.
admin-audit-older = Vanhemmat tapahtumat
admin-audit-newest = Uusimmat tapahtumat
admin-audit-nobody = Järjestelmä tai tuntematon
audit-action-sign-in = Kirjautuminen
audit-action-sign-in-failed = Epäonnistunut kirjautuminen
audit-action-user-created = Käyttäjä luotu
audit-action-user-changed = Käyttäjää muutettu
audit-action-password-changed = Salasana vaihdettu
audit-action-decision-submitted = Päätös lähetetty
audit-action-decision-confirmed = Päätös vahvistettu
audit-action-decision-returned = Päätös palautettu
audit-action-certificate-issued = Todistus myönnetty
audit-action-certificate-revoked = Todistus peruttu
audit-action-certificate-suspended = Todistus jäädytetty
audit-action-certificate-reinstated = Todistuksen jäädytys purettu
audit-action-key-rotated = Allekirjoitusavain vaihdettu
audit-action-key-compromised = Allekirjoitusavain merkitty vaarantuneeksi
audit-action-framework-uploaded = Viitekehys ladattu
audit-action-coach-assigned = Valmentaja määrätty
audit-action-coach-unassigned = Valmentaja poistettu
audit-action-coach-invited = Valmentaja kutsuttu
audit-action-coach-invitation-accepted = Valmentajan kutsu hyväksytty
audit-action-coach-invitation-declined = Valmentajan kutsu hylätty
audit-action-coach-access-ended = Osallistuja lopetti valmentajan pääsyn
audit-action-organisation-time-zone-changed = Organisaation aikavyöhyke muutettu
audit-action-plan-read = Suunnitelma luettu
audit-action-eqa-plan-set = Ulkoisen laadunvarmistuksen otantasuunnitelma asetettu
audit-action-eqa-agreed = Ulkoinen laadunvarmistaja hyväksyi
audit-action-eqa-not-agreed = Ulkoinen laadunvarmistaja ei hyväksynyt
audit-action-eqa-review-kept = Tarkistus: todistukset pidetään voimassa
audit-action-eqa-review-suspended = Tarkistus: todistukset jäädytetään
audit-action-retention-deleted = Vanhat suunnitelmat ja muistiinpanot poistettu

admin-organisation-title = Organisaatio
admin-organisation-name = Organisaation nimi
admin-organisation-name-invalid = Anna organisaatiolle nimi ilman ohjausmerkkejä.
admin-organisation-time-zone = Aikavyöhyke
admin-organisation-time-zone-hint = IANA-tietokannan aikavyöhyke, esimerkiksi Europe/Helsinki tai Europe/Stockholm. Sen kalenteri ratkaisee, mikä päivä on "tänään": viimeisin päivämäärä, joka kirjauksella voi olla, mihin ajantasaisuuden aikaraja päättyy ja todistusten päivämäärä.
admin-organisation-time-zone-unknown = Tämä ei ole IANA-tietokannan aikavyöhyke. Kirjoita esimerkiksi Europe/Helsinki tai Europe/Stockholm.
admin-organisation-names = Nimeä todistusten laadunvarmistusketjun henkilöt
admin-organisation-names-hint = Pois: todistuksissa on vain arvioijan, sisäisen ja ulkoisen laadunvarmistajan rooli ja päivämäärä. Päällä: niissä on myös henkilön nimi. Koskee tästä lähtien annettavia todistuksia; kysy henkilöiltä ensin.
admin-organisation-awarding-body = Organisaatio on tämän palvelun tutkinnon myöntäjä: sen ulkoiset laadunvarmistajat tarkastavat kaikkien organisaatioiden päätöksiä sen omistamien viitekehysten mukaan.
flash-admin-organisation-saved = Organisaation asetukset on tallennettu.
admin-eqa-body-plan = Tutkinnon myöntäjän suunnitelma koskee kaikkia organisaatioita: kunkin arvioijan { $first } ensimmäistä päätöstä, sitten { $percent } % lopuista. Oma suunnitelmanne alla voi vain lisätä otoksia.
admin-eqa-body-plan-held = Todistukset odottavat ulkoista laadunvarmistajaa.
