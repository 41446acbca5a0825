/**
 * Fetch, then validate: a client id URL → its valid metadata document, or the
 * {@link ClientMetadataDocumentError} that says why not.
 */
import { ClientMetadataDocumentError, type Issue } from '../errors.js';
import {
  fetchClientMetadataDocument,
  type FetchDocumentOptions,
  type FetchedDocument,
} from './fetch.js';
import {
  validateClientMetadataDocument,
  type ValidatedClientMetadataDocument,
} from './validate.js';

/** A fetched, valid document. */
export interface LoadedClientMetadataDocument {
  /** What the document says, normalised. */
  readonly document: ValidatedClientMetadataDocument;
  /** Members that are ignored. */
  readonly warnings: readonly Issue[];
  /** The response's caching headers. */
  readonly headers: FetchedDocument['headers'];
}

/**
 * Fetches the document at a client id URL ({@link fetchClientMetadataDocument}) and
 * validates it ({@link validateClientMetadataDocument}).
 *
 * @throws {@link ClientMetadataDocumentError}: the fetcher's codes, or
 *   `cimd_invalid_document` with every problem in `issues`.
 * @example
 * ```ts
 * const { document } = await loadClientMetadataDocument('https://app.example.com/client.json');
 * document.metadata.redirect_uris;
 * ```
 */
export async function loadClientMetadataDocument(
  clientId: string,
  options: FetchDocumentOptions = {},
): Promise<LoadedClientMetadataDocument> {
  const fetched = await fetchClientMetadataDocument(clientId, options);
  const result = validateClientMetadataDocument(fetched.document, clientId);
  if (!result.ok) {
    const shown = result.issues.slice(0, 3).map((issue) => issue.message);
    throw new ClientMetadataDocumentError(
      'cimd_invalid_document',
      clientId,
      `the client metadata document is not valid: ${shown.join('; ')}${result.issues.length > 3 ? ` (and ${result.issues.length - 3} more)` : ''}`,
      { issues: result.issues },
    );
  }
  return { document: result.value, warnings: result.warnings, headers: fetched.headers };
}
