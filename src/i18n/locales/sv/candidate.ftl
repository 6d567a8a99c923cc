# The candidate's pages.
candidate-title = Mina resultat
candidate-lead = Här ser du vad du redan har visat, vad som återstår och hur du kan visa det.
candidate-have-certificates = { $count ->
    [one] Du har ett intyg.
   *[other] Du har { $count } intyg.
}
candidate-see-certificates = Se och ladda ner dina intyg
candidate-no-assessments = Du har ingen pågående bedömning ännu. Din bedömare lägger upp den.
candidate-unit-confirmed = Klar
candidate-unit-provisional = Klar, väntar på bekräftelse
candidate-unit-in-progress = { $met } av { $total } delar klara
candidate-unit-not-started = Inte påbörjad ännu
candidate-qualification-awarded = du har hela kvalifikationen.
candidate-qualification-provisional = allt är klart och väntar på bekräftelse.
candidate-qualification-not-yet = en del återstår.
candidate-shown = Det här har du visat
candidate-left = Det här återstår
candidate-how = Du kan visa det med: { $methods }.
candidate-unit-code = Enhetens kod: { $code }
candidate-certificates-title = Mina intyg
candidate-certificates-lead = Ladda ner dina intyg, dela länken med en arbetsgivare eller lägg till intyget på din LinkedIn-profil.
candidate-no-certificates = Du har inga intyg ännu. När en enhet är bekräftad kommer intyget hit.
candidate-back-to-progress = Tillbaka till mina resultat
candidate-reason = Anledning
candidate-kind = Gäller
candidate-kind-unit = Enhet
candidate-kind-qualification = Kvalifikation
candidate-framework = Ramverk
candidate-issued = Utfärdat
candidate-valid-until = Giltigt till
candidate-status-valid = Giltigt
candidate-status-suspended = Tillfälligt spärrat
candidate-status-revoked = Återkallat
candidate-status-expired = Har gått ut
candidate-download = Ladda ner
candidate-download-pdf = Intyget som PDF
candidate-download-json = Det signerade intyget (JSON-LD)
candidate-download-jwt = Det signerade intyget (VC-JWT)
candidate-share = Dela
candidate-share-link = Länk till intyget
candidate-share-hint = Den som får länken kan se att intyget är äkta. Den visar bara det som står på intyget.
candidate-copy = Kopiera länken
candidate-copied = Länken är kopierad.
candidate-linkedin = Lägg till på LinkedIn
candidate-new-window = öppnas i ett nytt fönster
candidate-linkedin-hint = LinkedIn öppnar sitt eget formulär med uppgifterna ifyllda. Vi skickar ingenting till LinkedIn.
candidate-qr-alt = QR-kod som leder till kontrollsidan för intyget { $title }
