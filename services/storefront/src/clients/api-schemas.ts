import { z } from 'zod';

/**
 * The parts of the public API's answers (services/gateway/openapi/openapi.json) the pages
 * read. Answers are parsed, not cast: a contract change fails here, loudly, not as an
 * `undefined` on a page.
 */
export const productSchema = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  priceCents: z.number().int(),
  currency: z.string(),
  stock: z.number().int(),
});
export type Product = z.infer<typeof productSchema>;

export const productListSchema = z.object({
  items: z.array(productSchema),
  nextCursor: z.string().nullable(),
});
export const categoriesSchema = z.array(z.object({ name: z.string(), count: z.number().int() }));

export const cartSchema = z.object({
  items: z.array(
    z.object({ productId: z.string(), quantity: z.number().int(), priceCents: z.number().int() }),
  ),
  totalCents: z.number().int(),
  currency: z.string(),
});
export type Cart = z.infer<typeof cartSchema>;

export const orderStatusSchema = z.enum(['PENDING', 'PAYMENT_PENDING', 'PAID', 'CANCELLED']);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

export const orderSchema = z.object({
  id: z.string(),
  status: orderStatusSchema,
  items: z.array(
    z.object({ productId: z.string(), quantity: z.number().int(), priceCents: z.number().int() }),
  ),
  totalCents: z.number().int(),
  currency: z.string(),
  shippingAddress: z.object({
    name: z.string(),
    line1: z.string(),
    city: z.string(),
    postalCode: z.string(),
    country: z.string(),
  }),
  createdAt: z.string(),
  cancelReason: z.string().optional(),
});
export type Order = z.infer<typeof orderSchema>;
export const orderListSchema = z.object({ items: z.array(orderSchema), nextCursor: z.string().nullable() });

export const paymentListSchema = z.array(
  z.object({ id: z.string(), status: z.string(), amountCents: z.number().int(), currency: z.string() }),
);

export const notificationListSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      subject: z.string(),
      sentAt: z.string(),
      channel: z.string(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const tokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int(),
});
export type TokenPair = z.infer<typeof tokenPairSchema>;

export const profileSchema = z.object({ id: z.string(), email: z.string(), name: z.string() });

/** RFC 9457 problem details as the API writes them; only what the pages use. */
export const problemSchema = z.object({
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
  orderId: z.string().optional(),
  errors: z.array(z.object({ path: z.string().optional(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof problemSchema>;
