// Runs the Digital Credentials Consortium's verifier (@digitalcredentials/verifier-core, the
// one in their wallet) offline. It takes no document loader: it builds its own at import time
// and reaches the web through `globalThis.fetch` (did:web resolution, status lists, schemas),
// so fetch is replaced before it is imported. The stub serves exactly three documents at the
// URLs a verifier would use, and refuses everything else:
// - the issuer's DID document at the https URL its did:web DID resolves to (did:web spec);
// - the status list credential at its `id`;
// - the JSON Schema at its `$id`.
// Usage: node vcore.mjs <credential-file> <did-doc-file> <status-list-file> <schema-file>
// Prints one JSON line, {result, fetched, refused}, and exits 0 when it ran: the Rust test
// judges the result.
import fs from 'node:fs';

const read = file => JSON.parse(fs.readFileSync(file, 'utf8'));
const [credentialFile, didFile, statusFile, schemaFile] = process.argv.slice(2);
const credential = read(credentialFile);
const didDocument = read(didFile);
const statusList = read(statusFile);
const schema = read(schemaFile);

// did:web:HOST[:PATH...] → https://HOST/PATH.../did.json, or /.well-known/did.json without a
// path; a port's colon is percent-encoded in HOST.
function didWebUrl(did) {
  const [host, ...path] = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  return `https://${host}/${path.length ? path.join('/') : '.well-known'}/did.json`;
}

const served = new Map([
  [didWebUrl(didDocument.id), {body: didDocument, type: 'application/did+json'}],
  [statusList.id, {body: statusList, type: 'application/vc+ld+json'}],
  [schema.$id, {body: schema, type: 'application/schema+json'}],
]);
const fetched = [];
const refused = [];
globalThis.fetch = async input => {
  const url = typeof input === 'string' ? input : input.url ?? String(input);
  const doc = served.get(url);
  if(!doc) {
    refused.push(url);
    throw new TypeError(`offline: refused fetch ${url}`);
  }
  fetched.push(url);
  return new Response(JSON.stringify(doc.body), {status: 200, headers: {'content-type': doc.type}});
};

const {verifyCredential} = await import('@digitalcredentials/verifier-core');
const result = await verifyCredential({credential, knownDIDRegistries: []});
delete result.credential; // the input, echoed back
console.log(JSON.stringify({result, fetched, refused}, (k, v) =>
  k === 'stackTrace' ? String(v?.stack ?? v).slice(0, 300) : v));
