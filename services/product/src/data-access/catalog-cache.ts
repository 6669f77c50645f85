import type { Logger } from '@surge/logger';
import type { Redis } from '@surge/redis';
import type { CacheLookup, CatalogCache, ListPageLookup } from '../domain/ports';
import { GENERATION_KEY, listPageKeyHead, productKey } from '../domain/cache-keys';
import { toPublicProduct, type Product } from '../domain/product';

export interface CatalogCacheOptions {
  productTtlSeconds: number;
  listTtlSeconds: number;
  /** How long the stale copy of each entry is kept, to answer from while the database is down. */
  staleTtlSeconds: number;
  /** A command slower than this counts as an outage for this request. */
  timeoutMs: number;
  logger: Logger;
}

/**
 * Writes a product unless the cache already holds the same or a newer version of it.
 * This closes the classic read-through race: a reader that loaded version 4 before an
 * admin wrote version 5 must not put 4 back over 5 when it finishes.
 */
const PUT_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, cached = pcall(cjson.decode, current)
  if ok and tonumber(cached.version) and tonumber(cached.version) >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;

/**
 * The warm list page in one round trip instead of three (GET gen, GET the page, MGET its
 * products). KEYS[1] is the generation key as the client prefixed it (ARGV[3] unprefixed),
 * so the script derives the client's prefix and reads the page (ARGV[1], its key up to the
 * generation) and its products (ARGV[2], the product key before the id) under it: the
 * layout comes from domain/cache-keys.ts, not from here. Those keys are not declared,
 * which a single Redis (what Surge runs) allows; a Redis Cluster would not.
 * Answers { generation, page JSON or nil, product JSON or nil per id of the page }.
 */
const READ_LIST_PAGE = `
local prefix = string.sub(KEYS[1], 1, #KEYS[1] - #ARGV[3])
local generation = tostring(tonumber(redis.call('GET', KEYS[1])) or 0)
local page = redis.call('GET', prefix .. ARGV[1] .. generation)
if not page then return { generation } end
local ok, decoded = pcall(cjson.decode, page)
if not ok or type(decoded) ~= 'table' or type(decoded.ids) ~= 'table' or #decoded.ids == 0 then
  return { generation, page }
end
local keys = {}
for i, id in ipairs(decoded.ids) do keys[i] = prefix .. ARGV[2] .. tostring(id) end
return { generation, page, unpack(redis.call('MGET', unpack(keys))) }`;

const PRODUCT_KEY_HEAD = productKey('');

/**
 * A product as the cache keeps it: its public JSON text with `version` appended as the last
 * member. A warm list page is then written from the texts as they are (publicTextOf),
 * where it used to parse, copy and stringify every product of the page again (the largest
 * part of the page's own work in its profile). PUT_IF_NEWER and the reads by id parse it as
 * any JSON.
 */
export function cachedProductText(product: Product): string {
  const visible = JSON.stringify(toPublicProduct(product));
  return `${visible.slice(0, -1)},"version":${product.version}}`;
}

const VERSION_MEMBER = ',"version":';

/**
 * The public JSON text of a cached product, cut before its trailing `version` member.
 * No JSON string can hold `,"version":` (its quotes would be escaped), so a text that ends
 * with the member and digits has it as its last member. A text in another layout (written
 * by an older release, during a rolling update) is parsed and written again instead.
 */
export function publicTextOf(cached: string): string {
  const cut = cached.lastIndexOf(VERSION_MEMBER);
  const last = cached.length - 1;
  let digits = cut >= 0 && cached.charCodeAt(last) === 0x7d && last > cut + VERSION_MEMBER.length;
  for (let i = cut + VERSION_MEMBER.length; digits && i < last; i += 1) {
    const code = cached.charCodeAt(i);
    digits = code >= 0x30 && code <= 0x39;
  }
  if (digits) return `${cached.slice(0, cut)}}`;
  return JSON.stringify(toPublicProduct(JSON.parse(cached) as Product));
}

const UNAVAILABLE = { status: 'unavailable' } as const;
const GENERATION_TTL_SECONDS = 7 * 86_400;

/**
 * Keys as domain/cache-keys.ts lays them out. Every call is guarded: while
 * Redis is disconnected it is not even tried, and a slow answer is abandoned after
 * `timeoutMs`, so an outage costs reads nothing but the cache.
 *
 * Every write also keeps a stale copy under `stale:<key>` for `staleTtlSeconds` (a day by
 * default), written with the same rules (a product only by a newer version): the last
 * known answer, read only when the database cannot be reached (domain/read-through.ts).
 * Stale list and category keys carry no generation: any last page beats no page then.
 */
export function createCatalogCache(redis: Redis, options: CatalogCacheOptions): CatalogCache {
  const guard = createGuard(redis, options);
  const staleKey = (key: string) => `stale:${key}`;
  const parseAll = (raws: Array<string | null>) =>
    new Map(
      raws
        .flatMap((raw) => (raw ? [JSON.parse(raw) as Product] : []))
        .map((product) => [product.id, product]),
    );
  const lookup = async <T>(key: string): Promise<CacheLookup<T>> => {
    const raw = await redis.get(key);
    return raw ? { status: 'hit', value: JSON.parse(raw) as T } : { status: 'miss' };
  };
  return {
    getProduct: (id) => guard(() => lookup<Product>(productKey(id)), UNAVAILABLE),
    getJson: <T>(key: string) => guard(() => lookup<T>(key), UNAVAILABLE),
    getProducts: (ids) =>
      guard<CacheLookup<Map<string, Product>>>(async () => {
        const raws = ids.length > 0 ? await redis.mget(ids.map(productKey)) : [];
        return { status: 'hit', value: parseAll(raws) };
      }, UNAVAILABLE),
    getStaleProducts: (ids) =>
      guard(async () => {
        const raws = ids.length > 0 ? await redis.mget(ids.map((id) => staleKey(productKey(id)))) : [];
        return parseAll(raws);
      }, new Map<string, Product>()),
    getStaleJson: <T>(key: string) =>
      guard(async () => {
        const raw = await redis.get(staleKey(key));
        return raw ? (JSON.parse(raw) as T) : undefined;
      }, undefined),
    putProducts: (products) =>
      guard(async () => {
        if (products.length === 0) return;
        const batch = redis.pipeline();
        for (const product of products) {
          const json = cachedProductText(product);
          const key = productKey(product.id);
          batch.eval(PUT_IF_NEWER, 1, key, product.version, json, options.productTtlSeconds);
          batch.eval(PUT_IF_NEWER, 1, staleKey(key), product.version, json, options.staleTtlSeconds);
        }
        const failed = (await batch.exec())?.find(([error]) => error);
        if (failed) throw failed[0];
      }, undefined),
    getListPage: <P>(pageHash: string) =>
      guard<ListPageLookup<P>>(async () => {
        const [generation, page, ...raws] = (await redis.eval(
          READ_LIST_PAGE,
          1,
          GENERATION_KEY,
          listPageKeyHead(pageHash),
          PRODUCT_KEY_HEAD,
          GENERATION_KEY,
        )) as Array<string | null>;
        return {
          status: 'found',
          generation: Number(generation) || 0,
          ...(page ? { page: JSON.parse(page) as P } : {}),
          productTexts: raws.map((raw) => (raw ? publicTextOf(raw) : undefined)),
        };
      }, UNAVAILABLE),
    generation: () => guard(async () => Number(await redis.get(GENERATION_KEY)) || 0, undefined),
    bumpGeneration: () =>
      guard(async () => {
        // The expiry only cleans up after idle instances: it is far longer than any page's
        // TTL, so a generation that restarts from 0 finds no page of the old 0 left.
        await redis.multi().incr(GENERATION_KEY).expire(GENERATION_KEY, GENERATION_TTL_SECONDS).exec();
      }, undefined),
    putJson: (key, value, staleName) =>
      guard(async () => {
        const json = JSON.stringify(value);
        if (staleName === undefined) {
          await redis.set(key, json, 'EX', options.listTtlSeconds);
          return;
        }
        await redis
          .multi()
          .set(key, json, 'EX', options.listTtlSeconds)
          .set(staleKey(staleName), json, 'EX', options.staleTtlSeconds)
          .exec();
      }, undefined),
  };
}

type Guard = <T>(work: () => Promise<T>, fallback: T) => Promise<T>;

/** Runs a cache call only while connected, with a deadline; a failure answers `fallback`. */
function createGuard(redis: Redis, options: CatalogCacheOptions): Guard {
  let lastWarning = 0;
  const warn = (error: unknown) => {
    // An outage fails every request; one line every 10 s says so without flooding the log.
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    options.logger.warn({ err: error }, 'product cache unavailable; reading from the database');
  };
  return async (work, fallback) => {
    if (redis.status !== 'ready') {
      warn(new Error(`redis connection is ${redis.status}`));
      return fallback;
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`cache call exceeded ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
    });
    try {
      return await Promise.race([work(), deadline]);
    } catch (error) {
      warn(error);
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  };
}
