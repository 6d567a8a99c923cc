-- wrk script: POST the credential in CREDENTIAL_FILE to /api/verify.
local f = assert(io.open(os.getenv("CREDENTIAL_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
