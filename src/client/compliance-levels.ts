/**
 * Auth0's FAPI compliance levels (`compliance_level`), as one table: what each level makes
 * Auth0 enforce for the client. `createProvider` enforces what concerns a request (PAR,
 * PKCE S256, signed request objects and their algorithm and times); `lintClient` reports
 * what concerns the settings (client authentication, wildcard callbacks, OIDC conformance,
 * a key to sign request objects with, and the mTLS parts, which clientele does not serve).
 *
 * @see https://auth0.com/docs/get-started/applications/configure-fapi-compliance
 */

/** A `compliance_level` other than `none`. */
export type ComplianceLevel =
  'fapi1_adv_pkj_par' | 'fapi1_adv_mtls_par' | 'fapi2_sp_pkj_mtls' | 'fapi2_sp_mtls_mtls';

/** What one level requires. */
export interface ComplianceRules {
  /** The profile's name, for messages. */
  readonly profile: string;
  /** Pushed Authorization Requests, whatever `require_pushed_authorization_requests` says. */
  readonly par: true;
  /** PKCE with S256 in every authorization request. */
  readonly pkceS256: true;
  /** No wildcard in Allowed Callback URLs. */
  readonly exactCallbacks: true;
  /** `oidc_conformant` must be true. */
  readonly oidcConformant: true;
  /** How the client authenticates: private_key_jwt, or mTLS (not served here). */
  readonly clientAuthentication: 'private_key_jwt' | 'mtls';
  /** Access tokens sender-constrained with mTLS (not served here). */
  readonly mtlsSenderConstraining: boolean;
  /**
   * Signed request objects (JAR): required, signed with these algorithms only, with `nbf`
   * no more than `maxAgeSeconds` old and `exp` at most that long after `nbf`.
   */
  readonly signedRequests?: {
    /** The algorithms a request object may be signed with. */
    readonly algorithms: readonly string[];
    /** How old `nbf` may be, and how long after it `exp` may be, in seconds. */
    readonly maxAgeSeconds: number;
  };
}

const FAPI1_JAR = Object.freeze({ algorithms: Object.freeze(['PS256']), maxAgeSeconds: 3600 });

/** The levels, as Auth0 documents them. */
export const COMPLIANCE_LEVELS: Readonly<Record<ComplianceLevel, ComplianceRules>> = {
  fapi1_adv_pkj_par: {
    profile: 'FAPI 1.0 Advanced with private_key_jwt and PAR',
    par: true,
    pkceS256: true,
    exactCallbacks: true,
    oidcConformant: true,
    clientAuthentication: 'private_key_jwt',
    mtlsSenderConstraining: false,
    signedRequests: FAPI1_JAR,
  },
  fapi1_adv_mtls_par: {
    profile: 'FAPI 1.0 Advanced with mTLS and PAR',
    par: true,
    pkceS256: true,
    exactCallbacks: true,
    oidcConformant: true,
    clientAuthentication: 'mtls',
    mtlsSenderConstraining: false,
    signedRequests: FAPI1_JAR,
  },
  fapi2_sp_pkj_mtls: {
    profile: 'FAPI 2.0 Security Profile with private_key_jwt and mTLS sender-constraining',
    par: true,
    pkceS256: true,
    exactCallbacks: true,
    oidcConformant: true,
    clientAuthentication: 'private_key_jwt',
    mtlsSenderConstraining: true,
  },
  fapi2_sp_mtls_mtls: {
    profile: 'FAPI 2.0 Security Profile with mTLS client authentication and sender-constraining',
    par: true,
    pkceS256: true,
    exactCallbacks: true,
    oidcConformant: true,
    clientAuthentication: 'mtls',
    mtlsSenderConstraining: true,
  },
};

/** Auth0's words when an authorization request was not pushed for such a client. */
export const PAR_REQUIRED_BY_COMPLIANCE =
  'Pushed Authorization Requests are required by the configured compliance level';

/** The rules of a client's `compliance_level`, or undefined for `none` or no level. */
export function complianceRules(level: unknown): ComplianceRules | undefined {
  return typeof level === 'string' && Object.hasOwn(COMPLIANCE_LEVELS, level)
    ? COMPLIANCE_LEVELS[level as ComplianceLevel]
    : undefined;
}
