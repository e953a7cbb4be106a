/** See redis-key-space.cjs. */
export function deleteKeySpace(url: string, prefix: string): number;
