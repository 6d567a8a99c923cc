# Administratörens sidor.
admin-title = Administration
admin-lead = Här hanterar du organisationens personer och roller, kompetensramverk, signeringsnycklar och utfärdade intyg.
admin-count-users = { $count ->
    [one] { $count } person
   *[other] { $count } personer
}
admin-count-active-users = { $count ->
    [one] { $count } aktiv
   *[other] { $count } aktiva
}
admin-count-frameworks = { $count ->
    [one] { $count } ramverksversion
   *[other] { $count } ramverksversioner
}
admin-count-own-frameworks = { $count ->
    [one] { $count } egen
   *[other] { $count } egna
}
admin-count-keys = { $count ->
    [one] { $count } nyckel
   *[other] { $count } nycklar
}
admin-count-certificates = { $count ->
    [one] { $count } intyg
   *[other] { $count } intyg
}
admin-count-revoked = { $count } återkallade
admin-count-suspended = { $count } tillfälligt spärrade
admin-count-units = { $count ->
    [one] { $count } enhet
   *[other] { $count } enheter
}
admin-count-qualifications = { $count ->
    [one] { $count } kvalifikation
   *[other] { $count } kvalifikationer
}
admin-copy = Kopiera
admin-copied = Kopierat.
admin-years = { $count } år

## Personer
admin-users-title = Personer och roller
admin-user-new-title = Lägg till en person
admin-user-new-lead = Personen får ett engångslösenord som du lämnar över. Vid första inloggningen väljer hen ett eget lösenord.
admin-user-name = Namn
admin-user-email = E-postadress
admin-user-roles = Roller
admin-user-active = Konto
admin-user-is-active = Aktivt
admin-user-is-inactive = Avstängt
admin-user-language = Språk
admin-user-password = Lösenord
admin-user-one-time-password-pending = Har inte bytt engångslösenordet ännu
admin-user-create = Lägg till
admin-user-name-missing = Skriv personens namn.
admin-user-email-invalid = Skriv en giltig e-postadress, till exempel namn@kommun.se.
admin-user-email-taken = Det finns redan ett konto med den här e-postadressen.
admin-user-roles-missing = Välj minst en roll.
admin-user-language-missing = Välj ett språk.
admin-user-not-yourself = Du kan inte ta bort din egen administratörsroll eller stänga av ditt eget konto.
admin-user-invalid = Uppgiften kunde inte sparas.
admin-user-created-title = Personen är tillagd
admin-user-created-text = { $name } har fått ett konto.
admin-user-one-time-password = Engångslösenord
admin-user-one-time-password-hint = Lämna över lösenordet på ett säkert sätt. Det visas bara den här gången och kan inte hämtas igen.
admin-user-open = Öppna { $name }
admin-user-new-another = Lägg till ytterligare en person
admin-user-myself = Det här är ditt eget konto. Du kan inte ta bort din administratörsroll eller stänga av kontot.
admin-user-may-sign-in = Kontot är aktivt (personen kan logga in)
flash-admin-user-saved = Ändringarna är sparade.

## Ramverk
admin-frameworks-title = Kompetensramverk
admin-frameworks-lead = Ramverksversionerna som organisationen kan bedöma mot: de som följer med validera och de som organisationen har laddat upp själv. En sparad version ändras aldrig.
admin-framework-title = Ramverk
admin-framework-id = Id
admin-framework-version = Version
admin-framework-contents = Innehåll
admin-framework-origin = Ursprung
admin-framework-shipped = Följer med validera
admin-framework-own = Egen uppladdning
admin-framework-awarding-body = Utfärdande organ
admin-framework-description = Beskrivning
admin-framework-public = Offentlig beskrivning
admin-framework-units = Enheter
admin-framework-qualifications = Kvalifikationer
admin-framework-no-qualifications = Ramverket har inga kvalifikationer, bara enheter.
admin-unit-level = Nivå
admin-unit-credits = Poäng
admin-unit-currency = Underlag räknas om det är högst
admin-unit-validity = Intyget gäller i
admin-outcome = Lärandemål { $id }
admin-criterion = Kriterium
admin-criterion-text = Vad som bedöms
admin-criterion-methods = Godtagna bedömningsmetoder
admin-qualification-rules = Regler för sammansättning
admin-rule-mandatory = Obligatoriska enheter: { $units }.
admin-rule-group = minst { $need } av { $units }.
admin-rule-credits = Minst { $credits } poäng totalt.
admin-rule-credits-at-level = Minst { $credits } poäng på { $level } eller högre.
admin-rule-validity = Intyget gäller i { $count } år.
admin-framework-upload-title = Ladda upp en ramverksversion
admin-framework-upload-lead = Välj en TOML-fil eller klistra in texten. Ramverket kontrolleras på samma sätt som med kommandot validera frameworks check, och alla fel visas på en gång med rad och kolumn.
admin-framework-file = Ramverksfil (TOML)
admin-framework-file-hint = Om du väljer en fil används den i stället för texten nedan.
admin-framework-source = Eller klistra in ramverket som text
admin-framework-source-hint = Samma format som i filen.
admin-framework-upload-submit = Kontrollera och spara
admin-framework-nothing = Välj en fil eller klistra in ramverket.
admin-framework-not-text = Filen är inte en textfil (UTF-8).
admin-framework-id-taken = Id:t används redan av ett ramverk som följer med validera eller av en annan organisation. Ge ramverket ett eget id.
admin-framework-version-taken = Den här versionen finns redan med ett annat innehåll. En sparad version ändras aldrig: ge ändringen ett nytt versionsnummer.
admin-framework-diagnostics = Fel i ramverket
admin-framework-diagnostics-count = { $count ->
    [one] Ramverket innehåller { $count } fel. Inget har sparats.
   *[other] Ramverket innehåller { $count } fel. Inget har sparats.
}
flash-admin-framework-uploaded = Ramverksversionen är sparad som utkast. En panelledamot godkänner den innan någon kan bedömas mot den.
flash-admin-framework-unchanged = Exakt den här versionen fanns redan; inget har ändrats.

## Nycklar
admin-keys-title = Signeringsnycklar
admin-keys-lead = Organisationens intyg signeras med den aktiva nyckeln. Äldre nycklar förblir publicerade så att intyg som de har signerat fortfarande kan kontrolleras.
admin-keys-none = Organisationen har ingen nyckel ännu. Den första skapas när det första intyget utfärdas, eller när du byter nyckel.
admin-key-kid = Nyckel-id
admin-key-created = Skapad
admin-key-status = Status
admin-key-compromised-from = Röjd från och med
admin-key-actions = Åtgärd
admin-key-active = Aktiv
admin-key-retired = Ersatt
admin-key-compromised = Röjd
admin-key-retired-at = ersatt { $when }
admin-key-not-compromised = –
admin-key-compromise-link = Markera som röjd
admin-keys-rotate-heading = Byt nyckel
admin-keys-rotate-text = En ny nyckel skapas och blir aktiv. Den gamla slutar signera men förblir publicerad, så redan utfärdade intyg fortsätter att gälla.
admin-keys-rotate = Byt till en ny nyckel
admin-keys-rotate-confirm = Skapa en ny signeringsnyckel? Den nuvarande slutar användas för nya intyg.
admin-keys-published-heading = Publicerade nycklar
admin-keys-published-text = Den som kontrollerar ett intyg hämtar nycklarna här, utan att logga in.
admin-keys-jwks = Alla publicerade nycklar (JWK Set)
admin-keys-did = Organisationens DID-dokument
admin-keys-issuer = Organisationens utfärdarprofil
admin-key-compromise-title = Markera en nyckel som röjd
admin-key-compromise-warning = Intyg som nyckeln har signerat från och med dagen du anger godtas inte längre vid kontroll. Intyg som den signerade före den dagen signeras om med den aktiva nyckeln; deras länkar och QR-koder är desamma, men kopior som hämtats tidigare behöver hämtas på nytt. Är nyckeln den aktiva ersätts den genast av en ny. Det går inte att ångra.
admin-key-from = Röjd från och med (datum)
admin-key-from-hint = Dagen räknas från midnatt UTC.
admin-key-from-missing = Ange ett datum.
admin-key-reason = Varför nyckeln inte längre är pålitlig
admin-key-reason-missing = Skriv varför nyckeln inte längre är pålitlig.
admin-key-compromise-submit = Markera som röjd
admin-key-compromise-confirm = Markera nyckeln som röjd? Det går inte att ångra.
flash-admin-key-rotated = En ny nyckel är aktiv.
flash-admin-key-compromised = Nyckeln är markerad som röjd.

## Intyg
admin-certificates-title = Utfärdade intyg
admin-certificates-lead = Intyg som organisationen har utfärdat. Öppna ett intyg för att återkalla det eller spärra det tillfälligt.
admin-certificates-none = Organisationen har inte utfärdat några intyg ännu.
admin-certificate-holder = Innehavare
admin-certificate-achievement = Avser
admin-certificate-kind-unit = Enhet
admin-certificate-kind-qualification = Kvalifikation
admin-certificate-framework = Ramverk
admin-certificate-issued = Utfärdat
admin-certificate-valid-until = Gäller till
admin-certificate-id = Intygets id
admin-certificate-status = Status
admin-certificate-active = Giltigt
admin-certificate-is-suspended = Tillfälligt spärrat
admin-certificate-is-revoked = Återkallat
admin-certificate-reason-shown = Skäl: { $reason }
admin-certificate-public-page = Intygets offentliga kontrollsida
admin-certificate-history = Statushistorik
admin-certificate-no-history = Statusen har inte ändrats sedan intyget utfärdades.
admin-certificate-when = När
admin-certificate-event = Händelse
admin-certificate-reason = Skäl
admin-certificate-who = Vem
admin-certificate-event-revoke = Återkallat
admin-certificate-event-suspend = Tillfälligt spärrat
admin-certificate-event-reinstate = Spärren hävd
admin-certificate-change = Ändra status
admin-certificate-reason-hint = Skälet visas för alla som kontrollerar intyget.
admin-certificate-reason-missing = Skriv ett skäl. Det visas för den som kontrollerar intyget.
admin-certificate-suspend-heading = Spärra tillfälligt
admin-certificate-suspend-text = Intyget godtas inte vid kontroll förrän spärren hävs.
admin-certificate-suspend = Spärra intyget
admin-certificate-reinstate-heading = Häv spärren
admin-certificate-reinstate-text = Intyget blir giltigt igen.
admin-certificate-reinstate = Häv spärren för intyget
admin-certificate-revoke-heading = Återkalla
admin-certificate-revoke-final = Ett återkallat intyg kan aldrig bli giltigt igen. Det går inte att ångra.
admin-certificate-revoke = Återkalla intyget
admin-certificate-revoke-confirm = Återkalla intyget för gott? Det går inte att ångra.
admin-certificate-revoked-final = Intyget är återkallat. Återkallelsen är slutgiltig.
admin-certificate-state-changed = Intygets status har ändrats sedan du öppnade sidan. Öppna sidan igen.
flash-admin-certificate-revoked = Intyget är återkallat.
flash-admin-certificate-suspended = Intyget är tillfälligt spärrat.
flash-admin-certificate-reinstated = Spärren är hävd; intyget är giltigt igen.

admin-audit-title = Granskningslogg
admin-audit-lead = Organisationens säkerhetshändelser, de senaste först: inloggningar, ändringar av användare och roller, beslut, intyg, signeringsnycklar och ramverk. Varje händelse är kedjad till den föregående med en hashsumma, så en händelse som ändras eller tas bort i efterhand upptäcks av driftansvarigas kontroll (validera audit verify).
admin-audit-card = Vem gjorde vad, och när.
admin-audit-seq = Nr
admin-audit-at = Tidpunkt
admin-audit-action = Händelse
admin-audit-actor = Utförd av
admin-audit-subject = Gäller
admin-audit-details = Detaljer
admin-audit-none = Inga händelser ännu.
admin-audit-older = Äldre händelser
admin-audit-newest = Senaste händelserna
admin-audit-nobody = Systemet eller okänd
audit-action-sign-in = Inloggning
audit-action-sign-in-failed = Misslyckad inloggning
audit-action-user-created = Användare skapad
audit-action-user-changed = Användare ändrad
audit-action-password-changed = Lösenord bytt
audit-action-decision-submitted = Beslut inskickat
audit-action-decision-confirmed = Beslut bekräftat
audit-action-decision-returned = Beslut återsänt
audit-action-certificate-issued = Intyg utfärdat
audit-action-certificate-revoked = Intyg återkallat
audit-action-certificate-suspended = Intyg tillfälligt spärrat
audit-action-certificate-reinstated = Spärr av intyg hävd
audit-action-key-rotated = Signeringsnyckel bytt
audit-action-key-compromised = Signeringsnyckel markerad som röjd
audit-action-framework-uploaded = Ramverk uppladdat
audit-action-coach-assigned = Handledare tilldelad
audit-action-coach-unassigned = Handledare borttagen
audit-action-coach-invited = Handledare inbjuden
audit-action-coach-invitation-accepted = Inbjudan från handledare godtagen
audit-action-coach-invitation-declined = Inbjudan från handledare avböjd
audit-action-coach-access-ended = Deltagaren avslutade handledarens åtkomst
audit-action-organisation-time-zone-changed = Organisationens tidszon ändrad
audit-action-plan-read = Plan läst
audit-action-eqa-plan-set = Urvalsplan för extern kvalitetssäkring satt
audit-action-eqa-agreed = Extern kvalitetssäkrare instämde
audit-action-eqa-not-agreed = Extern kvalitetssäkrare instämde inte
audit-action-eqa-review-kept = Granskning: intygen behålls
audit-action-eqa-review-suspended = Granskning: intygen spärras
audit-action-retention-deleted = Gamla planer och anteckningar raderade

admin-organisation-title = Organisation
admin-organisation-name = Organisationens namn
admin-organisation-name-invalid = Ge organisationen ett namn utan styrtecken.
admin-organisation-time-zone = Tidszon
admin-organisation-time-zone-hint = En tidszon ur IANA:s databas, till exempel Europe/Stockholm eller Europe/Helsinki. Dess kalender avgör vilket datum som är "i dag": det senaste datum en registrering får ha, var aktualitetsfönster slutar och datumet på intyg.
admin-organisation-time-zone-unknown = Det här är ingen tidszon i IANA:s databas. Skriv till exempel Europe/Stockholm eller Europe/Helsinki.
admin-organisation-names = Namnge personerna i intygens kvalitetskedja
admin-organisation-names-hint = Av: intygen anger bara roll och datum för bedömare, intern kvalitetssäkrare och extern kvalitetssäkrare. På: de anger också personens namn. Gäller intyg som utfärdas från och med nu; fråga personerna först.
admin-organisation-awarding-body = Organisationen är instansens examinerande organ: dess externa kvalitetssäkrare granskar alla organisationers beslut enligt de ramverk den äger.
flash-admin-organisation-saved = Organisationens inställningar är sparade.
admin-eqa-body-plan = Det examinerande organets plan gäller alla organisationer: varje bedömares { $first } första beslut, sedan { $percent } % av resten. Er egen plan nedan kan bara lägga till stickprov.
admin-eqa-body-plan-held = Intygen väntar på den externa kvalitetssäkraren.
