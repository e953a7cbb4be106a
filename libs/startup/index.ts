export { isStartupError, StartupError } from './startup-error';
