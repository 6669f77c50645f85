import { z } from 'zod';
import {
  cart,
  categoryList,
  createdUser,
  notificationList,
  order,
  orderList,
  orderStatus,
  paymentList,
  problem,
  product,
  productList,
  profile,
  tokenPair,
} from '@surge/contracts';

/**
 * The public API's answers the pages read, parsed with the contract's own schemas
 * (packages/contracts/src/public, from which the gateway's OpenAPI document is generated):
 * answers are parsed, not cast, and a contract change is one diff that the pages compile
 * against, never a second copy that drifts.
 */
export const productSchema = product;
export type Product = z.infer<typeof productSchema>;
export const productListSchema = productList;
export const categoriesSchema = categoryList;
export const cartSchema = cart;
export type Cart = z.infer<typeof cartSchema>;
export const orderStatusSchema = orderStatus;
export type OrderStatus = z.infer<typeof orderStatusSchema>;
export const orderSchema = order;
export type Order = z.infer<typeof orderSchema>;
export const orderListSchema = orderList;
export const paymentListSchema = paymentList;
export const notificationListSchema = notificationList;
export const tokenPairSchema = tokenPair;
export type TokenPair = z.infer<typeof tokenPairSchema>;
export const profileSchema = profile;
/** What registration answers: the account, without the profile's preferences. */
export const createdUserSchema = createdUser;

/** The contract's problem details, with the `orderId` a declined checkout carries. */
export const problemSchema = problem.extend({ orderId: z.string().optional() });
export type Problem = z.infer<typeof problemSchema>;
