import { ConflictException, NotFoundException } from '@nestjs/common';
import { InvalidInputException } from '../../../../libs/http';
import { DuplicateSkuError, InvalidProductError, ProductNotFoundError } from '../domain/product.errors';

/** Rethrows a catalog error as its HTTP error (409, 404, 400); any other error unchanged. */
export function rethrowForHttp(error: unknown): never {
  if (error instanceof DuplicateSkuError) throw new ConflictException(error.message);
  if (error instanceof ProductNotFoundError) throw new NotFoundException(error.message);
  if (error instanceof InvalidProductError) throw new InvalidInputException(error.violations);
  throw error;
}
