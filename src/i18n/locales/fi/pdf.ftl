# The fixed wording of the PDF certificate; everything else on it comes from the credential,
# already in the reader's language. Terms follow the engine's explanations: "sisäinen
# varmentaja", "yksikkö", "osaamispisteet".
pdf-title-units = Todistus
pdf-title-qualification = Tutkintotodistus
pdf-lead = Täten todistetaan, että
pdf-after-name-units = on osoittanut alla lueteltujen yksiköiden kuvaaman osaamisen.
pdf-after-name-qualification = on suorittanut tutkinnon
pdf-framework = Osaamiskehys
pdf-qualification = Tutkinto
pdf-code = Koodi
pdf-unit = Yksikkö
pdf-level = Taso
pdf-credits = Osaamispisteet
pdf-total = Osaamispisteet yhteensä
pdf-issued = Myönnetty
pdf-valid-until = Voimassaolo päättyy
pdf-assessor = Arvioija
pdf-verifier = Sisäinen varmentaja
pdf-number = Todistuksen numero
pdf-verify = Tarkista aitous:
pdf-signed-note = Todistus on sähköisesti allekirjoitettu. Koneluettava versio on liitetty PDF-tiedostoon.
# After the running head on the second and later pages.
pdf-continued = jatkoa
pdf-results = Miten kukin kriteeri osoitettiin
pdf-quality = Laadunvarmistus
pdf-page-of = Sivu { $page }/{ $pages }
