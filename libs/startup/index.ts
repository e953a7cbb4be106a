export { isStartupError, StartupError } from './startup-error';
export { compiledSibling } from './compiled-sibling';
export { threadsSizeTheirOwnYoungGeneration } from './thread-young-generation';
