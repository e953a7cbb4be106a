import { BadRequestException } from '@nestjs/common';

/** One invalid input, named by its path in the request (`items[1].productId`, `limit`). */
export interface FieldError {
  field: string;
  message: string;
}

/** 400 with the offending fields listed; rendered as `application/problem+json`. */
export class InvalidInputException extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super({ message: errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors });
  }
}
