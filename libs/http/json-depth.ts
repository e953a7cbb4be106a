/** Deeper than any request body of the API needs (a product's attributes are the deepest, at 3). */
export const MAX_JSON_DEPTH = 32;

/**
 * How deeply arrays and objects nest in a JSON text, found by one scan of its characters, so a
 * hostile body is refused before JSON.parse and the validators recurse through it.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++; // a backslash escapes the next character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x5b || char === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (char === 0x5d || char === 0x7d) {
      depth--;
    }
  }
  return deepest;
}
