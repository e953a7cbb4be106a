export { isStartupError, StartupError } from './startup-error';
export { compiledSibling } from './compiled-sibling';
