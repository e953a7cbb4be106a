/** How access tokens are told apart from any other JWT: who issued them, for whom (RFC 8725 §3.8–3.9). */
export interface AuthOptions {
  issuer: string;
  audience: string;
  /** Where a process that does not host identity fetches its keys; unset where identity runs. */
  jwksUrl?: string;
  /** PEM of the ES256 signing key, where identity runs; made at start when unset. */
  privateKeyPem?: string;
  /** False puts /metrics behind the `metrics:read` permission. */
  publicMetrics: boolean;
}
export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');
