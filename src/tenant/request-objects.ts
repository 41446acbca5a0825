/**
 * `tenant.requestObjects`: JWT-secured authorization requests (JAR, RFC 9101) of the
 * tenant's clients, verified with the client's credentials for signed requests
 * (`signed_request_object.credentials`), its compliance level's rules, and the single use
 * of each `jti` across instances sharing the store (collection `request_object_jtis`).
 */
import type { Client } from '../client/client.js';
import { complianceRules } from '../client/compliance-levels.js';
import { InvalidRequestObjectError } from '../errors.js';
import {
  REQUEST_OBJECT_CLOCK_TOLERANCE,
  verifyRequestObject,
  type VerifiedRequestObject,
} from '../jar/request-object.js';
import type { CredentialRegistry } from './credentials.js';
import type { TenantContext } from './context.js';
import { JtiCache } from './jti-cache.js';

/** How long the `jti` of a request object without `exp` is remembered (seconds). */
const JTI_WITHOUT_EXP_SECONDS = 3600;

/** Request objects of one tenant. */
export class RequestObjects {
  readonly #context: TenantContext;
  readonly #keys: CredentialRegistry;
  readonly #jtis: JtiCache;

  /** @internal */
  constructor(context: TenantContext, keys: CredentialRegistry) {
    this.#context = context;
    this.#keys = keys;
    this.#jtis = new JtiCache(context.store, context.now, {
      collection: 'request_object_jtis',
      owner: 'client_id',
    });
  }

  /**
   * Why `client` must send signed request objects, or undefined when it need not: its
   * `signed_request_object.required`, or a FAPI 1.0 compliance level.
   */
  requirementFor(client: Client): string | undefined {
    if (complianceRules(client.compliance_level)?.signedRequests) {
      return 'signed request objects (JAR) are required by the configured compliance level';
    }
    const settings = client.signed_request_object as { required?: unknown } | undefined;
    return settings?.required === true
      ? 'signed request objects (JAR) are required for this client (signed_request_object.required)'
      : undefined;
  }

  /**
   * Verifies a request object of `client` and returns its parameters. Its `jti`, when it
   * has one, is then used: a second use is refused until the object expires (an hour
   * after first use for one without `exp`).
   *
   * @throws {@link InvalidRequestObjectError} naming the check that failed (`reason`).
   * @see https://www.rfc-editor.org/rfc/rfc9101#section-6.3
   */
  async verify(client: Client, requestObject: string): Promise<VerifiedRequestObject> {
    const now = Math.floor(this.#context.now() / 1000);
    const verified = await verifyRequestObject(requestObject, {
      clientId: client.client_id,
      issuer: this.#context.issuer,
      keys: await this.#keys.usable(client, 'signed_request_object'),
      now,
      strict: complianceRules(client.compliance_level)?.signedRequests,
    });
    if (verified.jti !== undefined) {
      const until =
        verified.exp === undefined
          ? now + JTI_WITHOUT_EXP_SECONDS
          : Math.ceil(verified.exp) + REQUEST_OBJECT_CLOCK_TOLERANCE;
      if (!(await this.#jtis.consume(client.client_id, verified.jti, until))) {
        throw new InvalidRequestObjectError(
          'replayed',
          'request object: this jti was already used',
        );
      }
    }
    return verified;
  }
}
