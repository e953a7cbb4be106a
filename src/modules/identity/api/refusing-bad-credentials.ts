import { BEARER_CHALLENGE } from '../../../../libs/auth';
import { UnauthenticatedException } from '../../../../libs/http';
import { InvalidClientError, InvalidCredentialsError, InvalidRefreshTokenError, InvalidWalletSignInError } from '../domain/identity.errors';

const BAD_CREDENTIALS = [InvalidCredentialsError, InvalidRefreshTokenError, InvalidClientError, InvalidWalletSignInError];

/**
 * Refusals that are the caller's credentials at fault: 401, with no hint of which account, and
 * the challenge every 401 carries: this API is used with the Bearer tokens these routes issue.
 */
export async function refusingBadCredentials<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (BAD_CREDENTIALS.some((type) => error instanceof type)) throw new UnauthenticatedException((error as Error).message, BEARER_CHALLENGE);
    throw error;
  }
}
