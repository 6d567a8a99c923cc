// Digital Bazaar's side of the side-by-side bench (benches/compare/run.sh): how many
// eddsa-rdfc-2022 Data Integrity verifications (or signatures) one Node.js thread does per
// second on the credentials in DIR/credentials.jsonl, whose issuer's DID document is
// DIR/did.json. Usage: node rate.mjs verify|sign DIR SECONDS
// Prints one line, `digital-bazaar OP count=N seconds=S per_second=R`, and exits 1 if any
// credential fails to verify.
//
// The proof alone, as @digitalbazaar/vc does it: jsonld-signatures' verify (sign) with vc's
// CredentialIssuancePurpose and a DataIntegrityProof of the eddsa-rdfc-2022 cryptosuite; jsonld's
// safe mode is on (the cryptosuite's default). Every iteration parses the credential from its
// text and makes a new suite, purpose and document loader, so nothing of ours is reused; the
// loader serves the bundled contexts and the DID document from memory (loader.mjs, no network).
// What jsonld.js keeps per process by design stays: its shared LRU of resolved contexts, each
// with its processed forms, so contexts are neither loaded nor processed again after the
// first credential.
import fs from 'node:fs';
import path from 'node:path';
import jsigs from 'jsonld-signatures';
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {offlineLoader} from './loader.mjs';

const [op, dir, seconds] = process.argv.slice(2);
const didDocument = JSON.parse(fs.readFileSync(path.join(dir, 'did.json'), 'utf8'));
const lines = fs.readFileSync(path.join(dir, 'credentials.jsonl'), 'utf8').split('\n').filter(l => l);

let once;
if(op === 'verify') {
  once = async text => {
    const result = await jsigs.verify(JSON.parse(text), {
      suite: new DataIntegrityProof({cryptosuite}),
      purpose: new vc.CredentialIssuancePurpose(),
      documentLoader: offlineLoader({didDocument}),
    });
    if(!result.verified) {
      console.error(JSON.stringify(result.error?.errors?.map(e => e.message) ?? result.error));
      process.exit(1);
    }
  };
} else if(op === 'sign') {
  // A key of our own under the issuer's verification method: the rate does not depend on it.
  const keyPair = await Ed25519Multikey.generate({controller: didDocument.id});
  keyPair.id = didDocument.assertionMethod[0];
  const signer = keyPair.signer();
  const unsigned = lines.map(text => {
    const credential = JSON.parse(text);
    delete credential.proof;
    return JSON.stringify(credential);
  });
  lines.splice(0, lines.length, ...unsigned);
  const date = JSON.parse(unsigned[0]).validFrom;
  once = async text => {
    await jsigs.sign(JSON.parse(text), {
      suite: new DataIntegrityProof({signer, date, cryptosuite}),
      purpose: new vc.CredentialIssuancePurpose(),
      documentLoader: offlineLoader({didDocument}),
    });
  };
} else {
  throw new Error('usage: node rate.mjs verify|sign DIR SECONDS');
}

const start = performance.now();
const deadline = start + Number(seconds) * 1000;
let n = 0;
while(performance.now() < deadline) {
  await once(lines[n % lines.length]);
  n++;
}
const elapsed = (performance.now() - start) / 1000;
console.log(`digital-bazaar ${op} count=${n} seconds=${elapsed.toFixed(2)} ` +
  `per_second=${(n / elapsed).toFixed(1)}`);
