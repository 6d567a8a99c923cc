// Verifies a VC-JWT with `jose` against a JWK Set, offline.
// Usage: node jwt.mjs <token-file> <jwks-file>
// Prints one JSON line, {ok, header, payload} or {ok: false, error}, and exits 0 when it ran:
// the Rust test judges the result.
import fs from 'node:fs';
import {createLocalJWKSet, jwtVerify} from 'jose';

const [tokenFile, jwksFile] = process.argv.slice(2);
const token = fs.readFileSync(tokenFile, 'utf8').trim();
const jwks = createLocalJWKSet(JSON.parse(fs.readFileSync(jwksFile, 'utf8')));
try {
  const {protectedHeader, payload} = await jwtVerify(token, jwks, {algorithms: ['EdDSA']});
  console.log(JSON.stringify({ok: true, header: protectedHeader, payload}));
} catch(e) {
  console.log(JSON.stringify({ok: false, error: `${e.code ?? e.name}: ${e.message}`}));
}
