# The candidate's pages.
candidate-title = Omat tulokset
candidate-lead = Tässä näet, mitä olet jo osoittanut, mitä on vielä jäljellä ja miten voit osoittaa sen.
candidate-have-certificates = { $count ->
    [one] Sinulla on yksi todistus.
   *[other] Sinulla on { $count } todistusta.
}
candidate-see-certificates = Katso ja lataa todistuksesi
candidate-no-assessments = Sinulla ei ole vielä arviointia. Arvioijasi aloittaa sen.
candidate-unit-confirmed = Valmis
candidate-unit-provisional = Valmis, odottaa vahvistusta
candidate-unit-in-progress = { $met }/{ $total } osaa valmiina
candidate-unit-not-started = Ei vielä aloitettu
candidate-qualification-awarded = olet suorittanut koko tutkinnon.
candidate-qualification-provisional = kaikki on valmista ja odottaa vahvistusta.
candidate-qualification-not-yet = osa on vielä jäljellä.
candidate-shown = Tämän olet osoittanut
candidate-left = Tämä on vielä jäljellä
candidate-how = Voit osoittaa sen näin: { $methods }.
candidate-unit-code = Yksikön tunnus: { $code }
candidate-certificates-title = Omat todistukset
candidate-certificates-lead = Lataa todistuksesi, jaa linkki työnantajalle tai lisää todistus LinkedIn-profiiliisi.
candidate-no-certificates = Sinulla ei ole vielä todistuksia. Kun yksikkö on vahvistettu, todistus tulee tänne.
candidate-back-to-progress = Takaisin omiin tuloksiin
candidate-reason = Syy
candidate-kind = Koskee
candidate-kind-unit = Yksikkö
candidate-kind-qualification = Tutkinto
candidate-framework = Osaamiskehys
candidate-issued = Annettu
candidate-valid-until = Voimassa asti
candidate-status-valid = Voimassa
candidate-status-suspended = Väliaikaisesti keskeytetty
candidate-status-revoked = Peruttu
candidate-status-expired = Vanhentunut
candidate-download = Lataa
candidate-download-pdf = Todistus PDF-tiedostona
candidate-download-json = Allekirjoitettu todistus (JSON-LD)
candidate-download-jwt = Allekirjoitettu todistus (VC-JWT)
candidate-share = Jaa
candidate-share-link = Linkki todistukseen
candidate-share-hint = Linkin saanut näkee, että todistus on aito. Se näyttää vain sen, mitä todistuksessa lukee.
candidate-copy = Kopioi linkki
candidate-copied = Linkki on kopioitu.
candidate-linkedin = Lisää LinkedIniin
candidate-new-window = avautuu uuteen ikkunaan
candidate-linkedin-hint = LinkedIn avaa oman lomakkeensa tiedot valmiiksi täytettyinä. Emme lähetä mitään LinkedIniin.
candidate-qr-alt = QR-koodi, joka vie todistuksen { $title } tarkistussivulle
