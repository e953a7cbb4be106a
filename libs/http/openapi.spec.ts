import type { OpenAPIObject } from '@nestjs/swagger';
import { forbidUnknownBodyProperties } from './openapi';

function documentWith(schemas: NonNullable<OpenAPIObject['components']>['schemas']): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 'test', version: '1' },
    paths: {
      '/orders': {
        post: {
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
          responses: { 202: { description: '', content: { 'application/json': { schema: { $ref: '#/components/schemas/Accepted' } } } } },
        },
      },
    },
    components: { schemas },
  };
}

describe(forbidUnknownBodyProperties.name, () => {
  it('closes every object a request body reaches, through references and arrays', () => {
    const document = forbidUnknownBodyProperties(
      documentWith({
        Order: {
          type: 'object',
          properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Item' } }, payment: { $ref: '#/components/schemas/Payment' } },
        },
        Item: { type: 'object', properties: { quantity: { type: 'integer' } } },
        Payment: { type: 'object', properties: { token: { type: 'string' } } },
        Accepted: { type: 'object', properties: { id: { type: 'string' } } },
      }),
    );
    const schemas = document.components!.schemas as Record<string, { additionalProperties?: unknown }>;
    expect(schemas.Order.additionalProperties).toBe(false);
    expect(schemas.Item.additionalProperties).toBe(false);
    expect(schemas.Payment.additionalProperties).toBe(false);
    expect(schemas.Accepted.additionalProperties).toBeUndefined();
  });

  it('keeps a map that declares what its keys hold', () => {
    const attributes = { type: 'object', additionalProperties: { type: 'string' } };
    const document = forbidUnknownBodyProperties(
      documentWith({ Order: { type: 'object', properties: { attributes } }, Accepted: { type: 'object' } }),
    );
    const order = document.components!.schemas!.Order as { properties: { attributes: object } };
    expect(order.properties.attributes).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
  });
});
