import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../../auth/actor.js';
import { OptionalActor } from '../../auth/optional-actor.decorator.js';
import { Public } from '../../auth/public.decorator.js';
import { Roles } from '../../auth/roles.decorator.js';
import { ApiProblems } from '../../http/api-problems.decorator.js';
import { IdParam } from '../../http/resource-id.js';
import { ApiIfMatch, ApiIfNoneMatch, IfMatchVersion, tagged } from '../../http/resource-version.js';
import { renderPage } from '../../pagination/page.js';
import { CreateProductDto } from './dto/create-product.dto.js';
import { ProductListQuery } from './dto/product-list.query.js';
import { ProductPageResponse } from './dto/product-page.response.js';
import { ProductResponse } from './dto/product.response.js';
import { UpdateProductDto } from './dto/update-product.dto.js';
import type { ProductSortField } from './products.repository.js';
import { ProductsService } from './products.service.js';

@ApiTags('products')
@Controller('api/v1/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @Public('token-optional')
  @ApiProblems(400, 401, 503)
  async list(
    @OptionalActor() viewer: Actor | undefined,
    @Query() query: ProductListQuery,
  ): Promise<ProductPageResponse> {
    const descending = query.sort.startsWith('-');
    const page = await this.products.list(
      viewer,
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
    return renderPage(page, ProductResponse.from);
  }

  @Get(':id')
  @Public('token-optional')
  @ApiIfNoneMatch()
  @ApiProblems(400, 401, 404)
  async get(
    @OptionalActor() viewer: Actor | undefined,
    @IdParam() id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponse> {
    return tagged(reply, await this.products.read(viewer, id), ProductResponse.from);
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
    return tagged(reply, product, ProductResponse.from);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiBearerAuth('bearer')
  @ApiIfMatch('product')
  @ApiProblems(400, 401, 403, 404, 409, 412, 413, 415)
  async update(
    @IdParam() id: string,
    @Body() body: UpdateProductDto,
    @IfMatchVersion() version: number | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductResponse> {
    const product = await this.products.update(id, body, version);
    return tagged(reply, product, ProductResponse.from);
  }

  @Delete(':id')
  @Roles('admin')
  @ApiBearerAuth('bearer')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiIfMatch('product')
  @ApiProblems(400, 401, 403, 404, 409, 412)
  async remove(
    @IdParam() id: string,
    @IfMatchVersion() version: number | undefined,
  ): Promise<void> {
    await this.products.remove(id, version);
  }
}
