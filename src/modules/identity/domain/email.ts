/**
 * One spelling per address, so `Ann@Example.com ` and `ann@example.com` are one account:
 * Unicode-normalised, trimmed, lower case.
 */
export function normalizeEmail(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}
