# The fixed wording of the PDF certificate; everything else on it comes from the credential,
# already in the reader's language. Terms follow the engine's explanations: "internal
# verifier", "unit", "credits".
pdf-title-units = Certificate
pdf-title-qualification = Certificate of Qualification
pdf-lead = This is to certify that
pdf-after-name-units = has demonstrated the competence described by the units below.
pdf-after-name-qualification = has achieved the qualification
pdf-framework = Framework
pdf-qualification = Qualification
pdf-code = Code
pdf-unit = Unit
pdf-level = Level
pdf-credits = Credits
pdf-total = Total credits
pdf-issued = Issued
pdf-valid-until = Valid until
pdf-assessor = Assessor
pdf-verifier = Internal verifier
pdf-number = Certificate number
pdf-verify = Verify authenticity:
pdf-signed-note = This certificate is digitally signed. The machine-readable credential is attached to this PDF file.
# After the running head on the second and later pages.
pdf-continued = continued
pdf-results = How each criterion was shown
pdf-quality = Quality assurance
pdf-page-of = Page { $page } of { $pages }
