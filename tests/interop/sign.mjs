// Signs an Open Badges 3.0 credential as another issuer would, with Digital Bazaar's tools: a
// fresh did:key becomes the issuer (`issuer.id`), and @digitalbazaar/vc adds a Data Integrity
// proof of the given cryptosuite. Contexts come from the bundled npm packages (offline loader).
// Usage: node sign.mjs <unsigned-credential-file> <eddsa-rdfc-2022|eddsa-jcs-2022> [did:web:…]
// Prints the signed credential as one JSON line; given a did:web, that DID is the issuer (key
// `#key-1`) and the line is {credential, didDocument}, the document to serve for it.
import fs from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {offlineLoader} from './loader.mjs';

const [credentialFile, suiteName, didWeb] = process.argv.slice(2);
const credential = JSON.parse(fs.readFileSync(credentialFile, 'utf8'));

// A did:key is its own DID document: one Multikey method, `did:key:X#X`, controlled by the DID.
const keyPair = await Ed25519Multikey.generate();
const did = didWeb ?? `did:key:${keyPair.publicKeyMultibase}`;
keyPair.controller = did;
keyPair.id = didWeb ? `${did}#key-1` : `${did}#${keyPair.publicKeyMultibase}`;
const didDocument = {
  '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
  id: did,
  verificationMethod: [await keyPair.export({publicKey: true, includeContext: false})],
  assertionMethod: [keyPair.id],
};

let cryptosuite;
if(suiteName === 'eddsa-rdfc-2022') {
  ({cryptosuite} = await import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite'));
} else if(suiteName === 'eddsa-jcs-2022') {
  // Listed in package.json; installed only where the interop node_modules have it.
  const {createSignCryptosuite} = await import('@digitalbazaar/eddsa-jcs-2022-cryptosuite');
  cryptosuite = createSignCryptosuite();
} else {
  throw new Error(`unknown cryptosuite ${suiteName}`);
}

if(typeof credential.issuer === 'object') {
  credential.issuer.id = did;
} else {
  credential.issuer = did;
}
const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite});
const signed = await vc.issue({credential, suite, documentLoader: offlineLoader({didDocument})});
console.log(JSON.stringify(didWeb ? {credential: signed, didDocument} : signed));
