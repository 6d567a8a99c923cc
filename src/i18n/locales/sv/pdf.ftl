# The fixed wording of the PDF certificate; everything else on it comes from the credential,
# already in the reader's language. Terms follow the engine's explanations: "intern kvalitetssäkrare",
# "enhet", "poäng".
pdf-title-units = Intyg
pdf-title-qualification = Kvalifikationsintyg
pdf-lead = Härmed intygas att
pdf-after-name-units = har visat den kompetens som beskrivs i enheterna nedan.
pdf-after-name-qualification = har uppnått kvalifikationen
pdf-framework = Ramverk
pdf-qualification = Kvalifikation
pdf-code = Kod
pdf-unit = Enhet
pdf-level = Nivå
pdf-credits = Poäng
pdf-total = Summa poäng
pdf-issued = Utfärdat
pdf-valid-until = Giltigt till
pdf-assessor = Bedömare
pdf-verifier = Intern kvalitetssäkrare
pdf-number = Intygsnummer
pdf-verify = Kontrollera äktheten:
pdf-signed-note = Intyget är digitalt signerat. Den maskinläsbara versionen är bifogad i PDF-filen.
# After the running head on the second and later pages.
pdf-continued = fortsättning
pdf-results = Hur varje kriterium visades
pdf-quality = Kvalitetssäkring
pdf-page-of = Sida { $page } av { $pages }
