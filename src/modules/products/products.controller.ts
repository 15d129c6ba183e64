import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../auth/public.decorator.js';
import { Roles } from '../../auth/roles.decorator.js';
import { ApiProblems } from '../../http/api-problems.decorator.js';
import { IdParam } from '../../http/resource-id.js';
import { etagFor, expectedVersion } from '../../http/etag.js';
import { CreateProductDto } from './dto/create-product.dto.js';
import { ProductListQuery } from './dto/product-list.query.js';
import { ProductPageResponse } from './dto/product-page.response.js';
import { ProductResponse } from './dto/product.response.js';
import { UpdateProductDto } from './dto/update-product.dto.js';
import type { Product } from './product.entity.js';
import type { ProductSortField } from './products.repository.js';
import { ProductsService } from './products.service.js';

@ApiTags('products')
@Controller('api/v1/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @Public()
  @ApiProblems(400)
  async list(@Query() query: ProductListQuery): Promise<ProductPageResponse> {
    const descending = query.sort.startsWith('-');
    const page = await this.products.list(
      query,
      {
        q: query.q,
        active: query.active,
        minPriceCents: query.minPriceCents,
        maxPriceCents: query.maxPriceCents,
      },
      {
        field: query.sort.replace(/^-/, '') as ProductSortField,
        direction: descending ? 'desc' : 'asc',
      },
    );
    return {
      items: page.items.map((product) => ProductResponse.from(product)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @Public()
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'ETag of a cached copy: 304 if unchanged',
  })
  @ApiProblems(400, 404)
  async get(
    @IdParam() id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponse> {
    return tagged(reply, await this.products.get(id));
  }

  @Post()
  @Roles('admin')
  @ApiBearerAuth('bearer')
  @ApiProblems(400, 401, 403, 409, 413, 415)
  async create(
    @Body() body: CreateProductDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponse> {
    const product = await this.products.create(body);
    reply.header('Location', `/api/v1/products/${product.id}`);
    return tagged(reply, product);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiBearerAuth('bearer')
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag last read: 412 if the product changed since',
  })
  @ApiProblems(400, 401, 403, 404, 409, 412, 413, 415)
  async update(
    @IdParam() id: string,
    @Body() body: UpdateProductDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponse> {
    return tagged(reply, await this.products.update(id, body, expectedVersion(ifMatch)));
  }

  @Delete(':id')
  @Roles('admin')
  @ApiBearerAuth('bearer')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag last read: 412 if the product changed since',
  })
  @ApiProblems(400, 401, 403, 404, 409, 412)
  async remove(
    @IdParam() id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.products.remove(id, expectedVersion(ifMatch));
  }
}

function tagged(reply: FastifyReply, product: Product): ProductResponse {
  reply.header('ETag', etagFor(product.version));
  return ProductResponse.from(product);
}
