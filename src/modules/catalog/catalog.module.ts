import { DynamicModule, Module } from '@nestjs/common';
import { ProductsController } from './api/products.controller';
import { CreateProductHandler } from './application/create-product/create-product.handler';
import { GetProductHandler } from './application/get-product/get-product.handler';
import { ListProductsHandler } from './application/list-products/list-products.handler';
import { DemoCatalogSeeder } from './application/seed-demo-catalog/demo-catalog.seeder';
import { UpdateProductHandler } from './application/update-product/update-product.handler';
import { CATALOG_OPTIONS, CatalogOptions } from './catalog.options';
import { ProductRepository } from './infrastructure/product.repository';

/** The products for sale; announces every change with ProductCreatedV1 / ProductUpdatedV1. */
@Module({})
export class CatalogModule {
  static forRoot(options: CatalogOptions): DynamicModule {
    return {
      module: CatalogModule,
      controllers: [ProductsController],
      providers: [
        { provide: CATALOG_OPTIONS, useValue: options },
        CreateProductHandler,
        UpdateProductHandler,
        GetProductHandler,
        ListProductsHandler,
        DemoCatalogSeeder,
        ProductRepository,
      ],
    };
  }
}
