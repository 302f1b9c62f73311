-- Portable SQL: the same migration runs on SQLite (embedded default) and PostgreSQL.
-- Times are Unix milliseconds (BIGINT); amounts are exact decimal strings in the currency's minor units.

-- Bills issued by the till (POST /api/bills): the server is the authority for what it issued.
CREATE TABLE bills (
    id            TEXT PRIMARY KEY,          -- also the EMVCo 62-01 bill number of its code
    payload       TEXT NOT NULL,             -- the exact code issued (an order must present it unchanged)
    amount        TEXT NOT NULL,
    currency      TEXT NOT NULL,
    minor_units   BIGINT NOT NULL,
    note          TEXT,
    status        TEXT NOT NULL,             -- open | paid
    paid_order_id TEXT,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);

CREATE TABLE orders (
    id              TEXT PRIMARY KEY,        -- ord_ + 128 random bits
    bill_id         TEXT REFERENCES bills (id),
    payload         TEXT NOT NULL,
    wallet          TEXT NOT NULL,
    base_amount     TEXT NOT NULL,
    tip             TEXT NOT NULL,
    fee             TEXT NOT NULL,
    amount          TEXT NOT NULL,           -- total the shopper pays = base_amount + tip + fee
    currency        TEXT NOT NULL,
    payee_name      TEXT,
    wallet_params   TEXT NOT NULL,           -- JSON, as answered (a replay answers the same)
    status          TEXT NOT NULL,           -- created | paid | failed | cancelled | expired
    status_reason   TEXT,
    idempotency_key TEXT,
    request_hash    TEXT NOT NULL,
    mode            TEXT NOT NULL,           -- sandbox (made-up wallet parameters) | live
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);

-- Exactly once: at most one open order per bill, and one order per Idempotency-Key.
CREATE UNIQUE INDEX orders_one_open_per_bill ON orders (bill_id) WHERE status = 'created';
CREATE UNIQUE INDEX orders_idempotency_key ON orders (idempotency_key);
CREATE INDEX orders_open_expiry ON orders (expires_at) WHERE status = 'created';
