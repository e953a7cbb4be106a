/**
 * Where an HTTP API lives: a URL, or a function that finds it when asked, for a server the
 * process starts on first use and starts again, on a new port, after it died.
 */
export type BaseUrl = string | (() => Promise<string>);

/**
 * The folder URL that a client's relative routes resolve against, looked up at each call when
 * `base` is a function. As a folder (a trailing slash), so `prefix` and the routes are added to
 * the base's path rather than replacing its last segment. A fixed URL is parsed once, here.
 */
export function folderOf(base: BaseUrl, prefix = ''): () => Promise<URL> {
  const folder = (url: string) => new URL(prefix, url.endsWith('/') ? url : `${url}/`);
  if (typeof base !== 'string') return async () => folder(await base());
  const fixed = Promise.resolve(folder(base));
  return () => fixed;
}
