export interface ConsoleOptions {
  /** False (CONSOLE_AUTH=off, development only): the console gets a staff token without a login. */
  loginRequired: boolean;
}
export const CONSOLE_OPTIONS = Symbol('CONSOLE_OPTIONS');
