import { InvalidInputException } from '../../../../libs/http';

const ENTITY_TAG = /^\s*"([1-9]\d{0,9})"\s*$/;

/** What If-Match may hold: one ETag as sent, or `*`; for the OpenAPI document. */
export const IF_MATCH_PATTERN = '^\\s*("[1-9]\\d{0,9}"|\\*)\\s*$';

/** The ETag of a product: its version, as a strong entity tag. */
export function entityTagOf(version: number): string {
  return `"${version}"`;
}

/** Whether `If-None-Match` names the current ETag (a list of tags, as sent in ETag). */
export function notModified(ifNoneMatch: string | undefined, entityTag: string): boolean {
  return ifNoneMatch?.split(',').some((tag) => tag.trim() === entityTag) ?? false;
}

/**
 * The version an edit is conditional on, from `If-Match` (the product's ETag, `"<version>"`)
 * or the body's `version`; undefined when unconditional (no header, or `*`).
 */
export function expectedVersionOf(ifMatch: string | undefined, bodyVersion: number | undefined): number | undefined {
  let fromHeader: number | undefined;
  if (ifMatch !== undefined && ifMatch.trim() !== '*') {
    const tag = ENTITY_TAG.exec(ifMatch);
    if (!tag) {
      throw new InvalidInputException([
        { field: 'If-Match', message: 'must be one entity tag as sent in ETag ("<version>"), or *' },
      ]);
    }
    fromHeader = Number(tag[1]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    throw new InvalidInputException([{ field: 'version', message: `disagrees with If-Match (${ifMatch})` }]);
  }
  return fromHeader ?? bodyVersion;
}
