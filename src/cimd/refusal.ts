/** The fetcher's refusals, built in one place. @internal */
import { ClientMetadataDocumentError, type ClientMetadataDocumentErrorCode } from '../errors.js';

export function tooLarge(url: string, maxBytes: number): ClientMetadataDocumentError {
  return refusal('cimd_too_large', url, `the document is larger than ${maxBytes} bytes`);
}

export function networkError(url: string, cause: unknown): ClientMetadataDocumentError {
  return refusal(
    'cimd_network',
    url,
    'the document could not be fetched (connection or TLS failure)',
    undefined,
    cause,
  );
}

export function refusal(
  code: ClientMetadataDocumentErrorCode,
  url: string,
  message: string,
  status?: number,
  cause?: unknown,
): ClientMetadataDocumentError {
  return new ClientMetadataDocumentError(code, url, message, {
    ...(status === undefined ? {} : { status }),
    ...(cause === undefined ? {} : { cause }),
  });
}
