import { IsUuid } from '../../../../libs/http';

export class ProductIdParams {
  @IsUuid()
  productId!: string;
}
