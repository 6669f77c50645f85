-- Up Migration
CREATE TABLE products (
  id             uuid PRIMARY KEY,
  sku            text NOT NULL,
  name           text NOT NULL,
  description    text NOT NULL,
  category       text NOT NULL,
  price_cents    integer NOT NULL CHECK (price_cents >= 0),
  currency       text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- Inventory (docs/internal-apis.md). `stock` is what can still be bought; reserved
  -- units wait for payment; sold units are gone. An admin setting the stock records the
  -- difference in `adjustments`, so the auditor's equation holds at every commit.
  stock          integer NOT NULL CHECK (stock >= 0),
  reserved       integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  sold           integer NOT NULL DEFAULT 0 CHECK (sold >= 0),
  initial_stock  integer NOT NULL CHECK (initial_stock >= 0),
  adjustments    integer NOT NULL DEFAULT 0,
  -- Counter per aggregate: bumped by every change a reader can see, carried in
  -- product.updated and the ETag, and used to keep stale cache fills from winning.
  version        integer NOT NULL DEFAULT 1 CHECK (version > 0),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  -- Full-text search: the name matters most, then the description, then the category.
  search         tsvector GENERATED ALWAYS AS (
                   setweight(to_tsvector('english', name), 'A') ||
                   setweight(to_tsvector('english', description), 'B') ||
                   setweight(to_tsvector('english', category), 'C')
                 ) STORED,
  CONSTRAINT products_sku_key UNIQUE (sku),
  -- The auditor's invariant, enforced by the database as well: a bug that loses or
  -- invents a unit fails its transaction instead of committing.
  CONSTRAINT products_inventory_balance
    CHECK (stock + reserved + sold = initial_stock + adjustments)
);

-- Browsing order is (name, id) and search order (rank, id); see product-search.ts.
-- Each index serves one filter/order combination of GET /api/products as a keyset seek:
--   no filter, or a price range only:   (name, id)
--   a category (with or without price): (category, name, id); also GROUP BY category
--   a text query:                       GIN on the tsvector (ranking sorts the matches)
CREATE INDEX products_name_id ON products (name, id);
CREATE INDEX products_category_name_id ON products (category, name, id);
CREATE INDEX products_search ON products USING gin (search);

-- One reservation per order (its id is the idempotency key); lines keep the prices
-- charged at reservation time. RELEASED rows without lines are tombstones: a release
-- that arrived before its reservation, so a late reserve cannot hold stock forever.
CREATE TABLE reservations (
  order_id    uuid PRIMARY KEY,
  status      text NOT NULL CHECK (status IN ('RESERVED', 'COMMITTED', 'RELEASED', 'RETURNED')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reservation_lines (
  order_id     uuid NOT NULL REFERENCES reservations (order_id) ON DELETE CASCADE,
  line_no      smallint NOT NULL,
  product_id   uuid NOT NULL REFERENCES products (id),
  quantity     integer NOT NULL CHECK (quantity > 0),
  price_cents  integer NOT NULL CHECK (price_cents >= 0),
  currency     text NOT NULL,
  PRIMARY KEY (order_id, line_no),
  UNIQUE (order_id, product_id)
);
CREATE INDEX reservation_lines_product ON reservation_lines (product_id);

-- Down Migration
DROP TABLE reservation_lines;
DROP TABLE reservations;
DROP TABLE products;
