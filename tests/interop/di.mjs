// Verifies a Data Integrity (eddsa-rdfc-2022) credential with Digital Bazaar's
// @digitalbazaar/vc, offline, and reads its revocation bit with
// @digitalbazaar/vc-bitstring-status-list (which also verifies the list's own proof).
// Usage: node di.mjs <credential-file> <did-doc-file> <status-list-file>
// Prints one JSON line, {verified, errors, statusRevoked, statusVerified, requested}, and
// exits 0 when it ran: the Rust test judges the result.
import fs from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {offlineLoader} from './loader.mjs';

const read = file => JSON.parse(fs.readFileSync(file, 'utf8'));
const [credentialFile, didFile, statusFile] = process.argv.slice(2);
const credential = read(credentialFile);
const documentLoader = offlineLoader({didDocument: read(didFile), documents: [read(statusFile)]});
// The cryptosuite canonizes with jsonld's safe mode on (its default): an undefined term fails.
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

const messages = error => {
  if(!error) {
    return [];
  }
  const nested = error.errors ?? (Array.isArray(error) ? error : null);
  return nested ? nested.flatMap(messages) : [String(error.message ?? error)]
    .concat(error.cause ? messages(error.cause) : []);
};

try {
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
  const statuses = result.statusResult?.results ?? [];
  console.log(JSON.stringify({
    verified: result.verified,
    errors: [...new Set([...messages(result.error),
      ...(result.results ?? []).flatMap(r => messages(r.error)), ...messages(result.statusResult?.error)])],
    statusVerified: result.statusResult?.verified ?? null,
    statusRevoked: statuses.length ? statuses.some(s => s.credentialStatus.statusPurpose === 'revocation' &&
      s.status === true) : null,
    requested: documentLoader.requested,
  }));
} catch(e) {
  console.log(JSON.stringify({verified: false, errors: messages(e), statusRevoked: null,
    requested: documentLoader.requested}));
}
