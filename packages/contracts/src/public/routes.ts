import type { z } from 'zod';
import type { ErrorCode } from '@surge/errors';
import { createProductBody, updateProductBody } from './admin';
import type { pageOf } from './common';
import { cart, cartProductIdParam, setCartItemBody } from './cart';
import { listNotificationsQuery, notificationList } from './notifications';
import { healthSummary, liveness, readiness } from './operations';
import { listOrdersQuery, order, orderIdParam, orderList, placeOrderBody } from './orders';
import { listPaymentsQuery, paymentList } from './payments';
import { categoryList, listProductsQuery, product, productIdParam, productList } from './products';
import {
  createdUser,
  jwksAnswer,
  loginBody,
  profile,
  refreshBody,
  registerBody,
  tokenPair,
  updateMeBody,
} from './users';

/**
 * Every operation of the public API, as data: what it takes, what it answers and which
 * error codes each of its statuses may carry. The services validate with the same
 * schemas, and openapi/ turns this table into the document the gateway serves, so the
 * two cannot drift. The statuses the gateway adds to every proxied route (401 for a bad
 * token, 429, 503, 504, and 400/413/415 for bodies) are added there, in one place.
 */
export type Access =
  /** Anybody; a token, when sent, must still be valid. */
  | 'public'
  /** A valid access token. */
  | 'customer'
  /** A valid access token of an admin. */
  | 'admin'
  /** The gateway's own endpoints: not rate limited, no token read. */
  | 'gateway';

export type ResponseHeader = 'Location' | 'ETag' | 'Retry-After';

export interface Link {
  operationId: string;
  /** Runtime expressions, e.g. `$response.body#/id`. */
  parameters: Record<string, string>;
  description: string;
}

export interface Answer {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json. */
  mediaType?: string;
  headers?: readonly ResponseHeader[];
  links?: Record<string, Link>;
}

export interface PathParam {
  schema: z.ZodType;
  description: string;
}

export interface PublicRoute {
  operationId: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** An OpenAPI path template (`/api/orders/{id}`). */
  path: string;
  tag: 'auth' | 'users' | 'catalog' | 'cart' | 'orders' | 'payments' | 'notifications' | 'operations';
  summary: string;
  description?: string;
  access: Access;
  params?: Record<string, PathParam>;
  query?: z.ZodType;
  /** The `Idempotency-Key` header is required. */
  idempotent?: boolean;
  /** `If-None-Match` is honoured (a 304 answer). */
  conditional?: boolean;
  body?: z.ZodType;
  answers: Record<number, Answer>;
  /** Route-specific error statuses and the codes each may carry. */
  errors?: Partial<Record<number, readonly ErrorCode[]>>;
}

const productId: Record<string, PathParam> = {
  id: {
    schema: productIdParam,
    description: 'The product id (a UUID; anything else names no product: 404).',
  },
};
const orderId: Record<string, PathParam> = { id: { schema: orderIdParam, description: 'The order id.' } };
const cartProductId: Record<string, PathParam> = {
  productId: { schema: cartProductIdParam, description: 'The product id of the cart line.' },
};

/** From an order answer to what a client does next with it. */
const orderLinks: Record<string, Link> = {
  GetOrder: {
    operationId: 'getOrder',
    parameters: { id: '$response.body#/id' },
    description: 'Read the order again (its status moves on by itself from PAYMENT_PENDING).',
  },
  CancelOrder: {
    operationId: 'cancelOrder',
    parameters: { id: '$response.body#/id' },
    description: 'Cancel the order: a paid one is refunded and its stock returned.',
  },
  ListOrderPayments: {
    operationId: 'listPayments',
    parameters: { orderId: '$response.body#/id' },
    description: "The order's payments.",
  },
};

const productLinks = (pointer: string): Record<string, Link> => ({
  GetProduct: {
    operationId: 'getProduct',
    parameters: { id: `$response.body#${pointer}` },
    description: 'Read the product.',
  },
  UpdateProduct: {
    operationId: 'updateProduct',
    parameters: { id: `$response.body#${pointer}` },
    description: 'Change the product (admin).',
  },
  PutProductInCart: {
    operationId: 'setCartItem',
    parameters: { productId: `$response.body#${pointer}` },
    description: 'Put the product in the cart.',
  },
});

/** A list's answer schema: `{items, nextCursor}` (common.ts's pageOf, named). */
type PageSchema = ReturnType<typeof pageOf<z.ZodType>>;

/**
 * The answer of a paged list route, written once: 200 with one page of its items, and
 * links from the page's first item when a client can act on it. Typed to take a page
 * schema only, so a list route cannot answer a bare array by accident.
 */
function listAnswers(page: PageSchema, things: string, links?: Record<string, Link>): Record<number, Answer> {
  return { 200: { description: `One page of ${things}.`, schema: page, ...(links ? { links } : {}) } };
}

const WRITES = new Set(['post', 'put', 'patch']);

/**
 * Every error status a route may answer and the codes each may carry: its own, and the
 * ones the gateway adds to every proxied route (401 for a bad token, also on public routes;
 * 403 on admin routes; 400 for a bad query or body; 413 and 415 for bodies; 429 for rate
 * limits; 503 for an unavailable service or load shedding; 504 for a slow one).
 */
export function errorsOf(route: PublicRoute): Map<number, Set<ErrorCode>> {
  const errors = new Map<number, Set<ErrorCode>>();
  const add = (status: number, ...codes: ErrorCode[]) => {
    const set = errors.get(status) ?? new Set<ErrorCode>();
    for (const code of codes) set.add(code);
    errors.set(status, set);
  };
  if (route.access === 'gateway') return errors;
  add(401, 'INVALID_TOKEN', 'TOKEN_EXPIRED');
  if (route.access !== 'public') add(401, 'UNAUTHORIZED');
  if (route.access === 'admin') add(403, 'FORBIDDEN');
  if (route.query) add(400, 'VALIDATION_FAILED');
  // A path value the gateway will not route (an encoded slash or backslash, a dot segment):
  // 404 before any service sees it.
  if (route.params) add(404, 'ROUTE_NOT_FOUND');
  if (WRITES.has(route.method)) {
    add(400, 'MALFORMED_JSON', 'VALIDATION_FAILED');
    add(413, 'PAYLOAD_TOO_LARGE');
    add(415, 'UNSUPPORTED_MEDIA_TYPE');
  }
  add(429, 'RATE_LIMITED');
  add(503, 'OVERLOADED', 'DEPENDENCY_UNAVAILABLE');
  add(504, 'DEPENDENCY_TIMEOUT');
  for (const [status, codes] of Object.entries(route.errors ?? {})) add(Number(status), ...(codes ?? []));
  return errors;
}

export const PUBLIC_ROUTES: readonly PublicRoute[] = [
  {
    operationId: 'register',
    method: 'post',
    path: '/api/auth/register',
    tag: 'auth',
    summary: 'Register a customer account',
    access: 'public',
    body: registerBody,
    answers: {
      201: { description: 'Registered.', schema: createdUser, headers: ['Location'] },
    },
    errors: { 409: ['EMAIL_TAKEN'] },
  },
  {
    operationId: 'login',
    method: 'post',
    path: '/api/auth/login',
    tag: 'auth',
    summary: 'Sign in',
    description:
      'Trades an email and password for an access token and a refresh token. Failed sign-ins are limited per account and per address (429).',
    access: 'public',
    body: loginBody,
    answers: { 200: { description: 'Signed in.', schema: tokenPair } },
    errors: { 401: ['INVALID_CREDENTIALS'] },
  },
  {
    operationId: 'refresh',
    method: 'post',
    path: '/api/auth/refresh',
    tag: 'auth',
    summary: 'Renew the tokens',
    description:
      'Refresh tokens rotate: each is good once. Reusing a rotated one is 401 and revokes its whole family.',
    access: 'public',
    body: refreshBody,
    answers: { 200: { description: 'A new token pair.', schema: tokenPair } },
    errors: { 401: ['INVALID_REFRESH_TOKEN'] },
  },
  {
    operationId: 'logout',
    method: 'post',
    path: '/api/auth/logout',
    tag: 'auth',
    summary: 'Sign out',
    description: 'Revokes the refresh token; an unknown or revoked one is fine (204).',
    access: 'public',
    body: refreshBody,
    answers: { 204: { description: 'Signed out.' } },
  },
  {
    operationId: 'getJwks',
    method: 'get',
    path: '/api/auth/jwks',
    tag: 'auth',
    summary: 'The keys that verify access tokens',
    access: 'public',
    answers: { 200: { description: 'The JSON Web Key Set.', schema: jwksAnswer } },
  },
  {
    operationId: 'getMe',
    method: 'get',
    path: '/api/users/me',
    tag: 'users',
    summary: 'Your profile',
    access: 'customer',
    answers: { 200: { description: 'The profile.', schema: profile } },
  },
  {
    operationId: 'updateMe',
    method: 'patch',
    path: '/api/users/me',
    tag: 'users',
    summary: 'Change your name or preferences',
    access: 'customer',
    body: updateMeBody,
    answers: { 200: { description: 'The changed profile.', schema: profile } },
  },
  {
    operationId: 'listProducts',
    method: 'get',
    path: '/api/products',
    tag: 'catalog',
    summary: 'Find products',
    description:
      'Public. While the catalog database is unreachable, a recent copy may answer (`x-cache: stale`).',
    access: 'public',
    query: listProductsQuery,
    answers: listAnswers(productList, 'products', productLinks('/items/0/id')),
  },
  {
    operationId: 'createProduct',
    method: 'post',
    path: '/api/products',
    tag: 'catalog',
    summary: 'Add a product (admin)',
    access: 'admin',
    body: createProductBody,
    answers: {
      201: {
        description: 'Created.',
        schema: product,
        headers: ['Location', 'ETag'],
        links: productLinks('/id'),
      },
    },
    errors: { 409: ['DUPLICATE_SKU'] },
  },
  {
    operationId: 'getProduct',
    method: 'get',
    path: '/api/products/{id}',
    tag: 'catalog',
    summary: 'A product',
    access: 'public',
    params: productId,
    conditional: true,
    answers: {
      200: { description: 'The product.', schema: product, headers: ['ETag'], links: productLinks('/id') },
      304: { description: 'Not modified: the `If-None-Match` tag is current.', headers: ['ETag'] },
    },
    errors: { 404: ['NOT_FOUND'] },
  },
  {
    operationId: 'updateProduct',
    method: 'patch',
    path: '/api/products/{id}',
    tag: 'catalog',
    summary: 'Change a product (admin)',
    access: 'admin',
    params: productId,
    body: updateProductBody,
    answers: { 200: { description: 'The changed product.', schema: product, headers: ['ETag'] } },
    errors: { 404: ['NOT_FOUND'], 409: ['DUPLICATE_SKU', 'CONFLICT'] },
  },
  {
    operationId: 'listCategories',
    method: 'get',
    path: '/api/categories',
    tag: 'catalog',
    summary: 'Every category',
    access: 'public',
    answers: { 200: { description: 'Categories by name, with their product counts.', schema: categoryList } },
  },
  {
    operationId: 'getCart',
    method: 'get',
    path: '/api/cart',
    tag: 'cart',
    summary: 'Your cart',
    access: 'customer',
    answers: { 200: { description: "The cart at today's prices.", schema: cart } },
  },
  {
    operationId: 'clearCart',
    method: 'delete',
    path: '/api/cart',
    tag: 'cart',
    summary: 'Empty your cart',
    access: 'customer',
    answers: { 204: { description: 'Emptied.' } },
  },
  {
    operationId: 'setCartItem',
    method: 'put',
    path: '/api/cart/items/{productId}',
    tag: 'cart',
    summary: 'Set how many of a product the cart holds',
    access: 'customer',
    params: cartProductId,
    body: setCartItemBody,
    answers: { 200: { description: 'The cart.', schema: cart } },
    errors: { 400: ['VALIDATION_FAILED'], 404: ['NOT_FOUND'], 409: ['CURRENCY_MISMATCH'] },
  },
  {
    operationId: 'removeCartItem',
    method: 'delete',
    path: '/api/cart/items/{productId}',
    tag: 'cart',
    summary: 'Take a product out of the cart',
    access: 'customer',
    params: cartProductId,
    answers: { 200: { description: 'The cart (unchanged when the product was not in it).', schema: cart } },
    errors: { 400: ['VALIDATION_FAILED'] },
  },
  {
    operationId: 'placeOrder',
    method: 'post',
    path: '/api/orders',
    tag: 'orders',
    summary: 'Check out',
    description:
      'Places an order, reserves its stock and charges it. Replaying the same `Idempotency-Key` with the same body answers the first answer (same status, same order); the same key with another body is 422; while the first is still running, 409 with `Retry-After`.',
    access: 'customer',
    idempotent: true,
    body: placeOrderBody,
    answers: {
      201: {
        description: 'PAID: stock committed, exactly one captured payment.',
        schema: order,
        headers: ['Location'],
        links: orderLinks,
      },
      202: {
        description:
          'PAYMENT_PENDING: the payment outcome is not known yet; the order completes by itself, to PAID or to CANCELLED with its stock returned.',
        schema: order,
        headers: ['Location'],
        links: orderLinks,
      },
      200: {
        description: 'A replay of a checkout whose order has since been cancelled: the order as it is now.',
        schema: order,
        headers: ['Location'],
        links: orderLinks,
      },
    },
    errors: {
      400: ['VALIDATION_FAILED'],
      402: ['PAYMENT_DECLINED'],
      404: ['NOT_FOUND'],
      409: ['INSUFFICIENT_STOCK', 'CURRENCY_MISMATCH', 'REQUEST_IN_PROGRESS', 'CONFLICT'],
      422: ['IDEMPOTENCY_KEY_REUSED'],
    },
  },
  {
    operationId: 'listOrders',
    method: 'get',
    path: '/api/orders',
    tag: 'orders',
    summary: 'Your orders, newest first',
    access: 'customer',
    query: listOrdersQuery,
    answers: listAnswers(orderList, 'orders'),
  },
  {
    operationId: 'getOrder',
    method: 'get',
    path: '/api/orders/{id}',
    tag: 'orders',
    summary: 'An order',
    description: "Your own orders (an admin: anybody's); another user's order is 404.",
    access: 'customer',
    params: orderId,
    answers: { 200: { description: 'The order.', schema: order, links: orderLinks } },
    errors: { 400: ['VALIDATION_FAILED'], 404: ['NOT_FOUND'] },
  },
  {
    operationId: 'cancelOrder',
    method: 'post',
    path: '/api/orders/{id}/cancel',
    tag: 'orders',
    summary: 'Cancel an order',
    description:
      'A PAID order is refunded and its stock returned; a PAYMENT_PENDING one will never be charged. Cancelling a cancelled order answers it as it is.',
    access: 'customer',
    params: orderId,
    answers: { 200: { description: 'The order.', schema: order, links: orderLinks } },
    errors: { 404: ['NOT_FOUND'], 409: ['CONFLICT'] },
  },
  {
    operationId: 'listPayments',
    method: 'get',
    path: '/api/payments',
    tag: 'payments',
    summary: 'Your payments',
    access: 'customer',
    query: listPaymentsQuery,
    answers: listAnswers(paymentList, 'payments'),
  },
  {
    operationId: 'listNotifications',
    method: 'get',
    path: '/api/notifications',
    tag: 'notifications',
    summary: 'Messages sent to you, newest first',
    access: 'customer',
    query: listNotificationsQuery,
    answers: listAnswers(notificationList, 'notifications'),
  },
  {
    operationId: 'getHealthSummary',
    method: 'get',
    path: '/health',
    tag: 'operations',
    summary: "The gateway's upstreams",
    access: 'gateway',
    answers: {
      200: { description: 'Every configured upstream has a healthy instance.', schema: healthSummary },
      503: { description: 'An upstream has no healthy instance.', schema: healthSummary },
    },
  },
  {
    operationId: 'getLiveness',
    method: 'get',
    path: '/health/live',
    tag: 'operations',
    summary: 'Liveness',
    access: 'gateway',
    answers: { 200: { description: 'The process runs.', schema: liveness } },
  },
  {
    operationId: 'getReadiness',
    method: 'get',
    path: '/health/ready',
    tag: 'operations',
    summary: 'Readiness',
    access: 'gateway',
    answers: {
      200: { description: 'Takes traffic.', schema: readiness },
      503: { description: 'Shutting down: send traffic elsewhere.', schema: readiness },
    },
  },
  {
    operationId: 'getApiReference',
    method: 'get',
    path: '/docs',
    tag: 'operations',
    summary: 'This reference, as a page',
    access: 'gateway',
    answers: { 200: { description: 'An interactive reference of this document.', mediaType: 'text/html' } },
  },
  {
    operationId: 'getOpenApiDocument',
    method: 'get',
    path: '/docs/openapi.json',
    tag: 'operations',
    summary: 'This document',
    access: 'gateway',
    answers: { 200: { description: 'The OpenAPI 3.1 document of the public API.' } },
  },
];
