//! The order store: bills the till issued and orders the shoppers created, in SQLite (embedded, the
//! default: one file in the data directory) or PostgreSQL (`DATABASE_URL=postgres://…`, for several
//! server instances behind a load balancer). One code path for both (sqlx `Any`), portable SQL, the
//! migrations in `sandbox-merchant/migrations/` (embedded in the binary, applied on start).
//!
//! Exactly-once rules live in the schema, so they hold across instances and under races:
//! - a partial unique index allows one open (`created`) order per bill;
//! - a unique index allows one order per `Idempotency-Key`;
//! - every state change is one guarded `UPDATE … WHERE status = 'created'` (created → paid | failed |
//!   cancelled | expired; anything else is final), and paying a bill's order also moves the bill
//!   `open → paid` in the same transaction, so a bill is paid at most once.
//!
//! Durability: an order is acknowledged (201) only after its INSERT committed. SQLite runs in WAL mode
//! with `synchronous = FULL` (a `kill -9` or a power cut loses nothing acknowledged); PostgreSQL commits
//! synchronously by default.

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor, Row};
use std::borrow::Cow;
use std::time::{SystemTime, UNIX_EPOCH};

/// The migrations, embedded (a copied binary needs no source tree).
const MIGRATIONS: &[(i64, &str, &str)] =
    &[(1, "bills and orders", include_str!("../migrations/0001_bills_and_orders.sql"))];

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    pub backend: Backend,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bill {
    pub id: String,
    pub payload: String,
    pub amount: String,
    pub currency: String,
    pub minor_units: i64,
    pub note: Option<String>,
    /// `open` | `paid`.
    pub status: String,
    pub paid_order_id: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderRow {
    pub id: String,
    pub bill_id: Option<String>,
    pub payload: String,
    pub wallet: String,
    pub base_amount: String,
    pub tip: String,
    pub fee: String,
    pub amount: String,
    pub currency: String,
    pub payee_name: Option<String>,
    pub wallet_params: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub idempotency_key: Option<String>,
    pub request_hash: String,
    /// `sandbox` (wallet parameters made up by the sandbox: the sandbox notification may settle it) | `live`.
    pub mode: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub expires_at: i64,
}

/// What an INSERT of an order ran into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Insert {
    Inserted,
    /// A unique index refused it: the bill has an open order, or the Idempotency-Key was used.
    Conflict,
}

/// What a payment notification did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayOutcome {
    Paid,
    /// The order is not `created` (or expired): nothing changed.
    NotOpen,
    /// The order's bill was already paid by another order: nothing changed.
    BillAlreadyPaid,
}

const ORDER_COLS: &str = "id, bill_id, payload, wallet, base_amount, tip, fee, amount, currency, payee_name, \
    wallet_params, status, status_reason, idempotency_key, request_hash, mode, created_at, updated_at, expires_at";
const BILL_COLS: &str = "id, payload, amount, currency, minor_units, note, status, paid_order_id, created_at, expires_at";

fn order_row(r: &AnyRow) -> Result<OrderRow, sqlx::Error> {
    Ok(OrderRow {
        id: r.try_get("id")?,
        bill_id: r.try_get("bill_id")?,
        payload: r.try_get("payload")?,
        wallet: r.try_get("wallet")?,
        base_amount: r.try_get("base_amount")?,
        tip: r.try_get("tip")?,
        fee: r.try_get("fee")?,
        amount: r.try_get("amount")?,
        currency: r.try_get("currency")?,
        payee_name: r.try_get("payee_name")?,
        wallet_params: r.try_get("wallet_params")?,
        status: r.try_get("status")?,
        status_reason: r.try_get("status_reason")?,
        idempotency_key: r.try_get("idempotency_key")?,
        request_hash: r.try_get("request_hash")?,
        mode: r.try_get("mode")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        expires_at: r.try_get("expires_at")?,
    })
}

fn bill_row(r: &AnyRow) -> Result<Bill, sqlx::Error> {
    Ok(Bill {
        id: r.try_get("id")?,
        payload: r.try_get("payload")?,
        amount: r.try_get("amount")?,
        currency: r.try_get("currency")?,
        minor_units: r.try_get("minor_units")?,
        note: r.try_get("note")?,
        status: r.try_get("status")?,
        paid_order_id: r.try_get("paid_order_id")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
    })
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

impl Store {
    /// Connect (`sqlite://PATH?mode=rwc` or `postgres://…`) and apply the migrations.
    pub async fn connect(url: &str) -> Result<Store, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(sqlx::Error::Configuration(format!("unsupported database URL {url:?} (sqlite: or postgres:)").into()));
        };
        let sqlite = backend == Backend::Sqlite;
        let pool = AnyPoolOptions::new()
            // SQLite writes one at a time anyway (WAL: readers do not wait); a few connections serve reads.
            .max_connections(if sqlite { 4 } else { 10 })
            .acquire_timeout(std::time::Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if sqlite {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        let migrator = Migrator {
            migrations: Cow::Owned(
                MIGRATIONS
                    .iter()
                    .map(|(v, d, sql)| Migration::new(*v, Cow::Borrowed(*d), MigrationType::Simple, Cow::Borrowed(*sql), false))
                    .collect(),
            ),
            ignore_missing: false,
            // PostgreSQL: an advisory lock, so instances starting together migrate once.
            locking: true,
            no_tx: false,
        };
        migrator.run(&pool).await.map_err(|e| sqlx::Error::Migrate(Box::new(e)))?;
        Ok(Store { pool, backend })
    }

    /// Close the pool (waits for checked-out connections).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub async fn health(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }

    pub async fn insert_bill(&self, b: &Bill) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO bills (id, payload, amount, currency, minor_units, note, status, paid_order_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&b.id)
        .bind(&b.payload)
        .bind(&b.amount)
        .bind(&b.currency)
        .bind(b.minor_units)
        .bind(&b.note)
        .bind(&b.status)
        .bind(&b.paid_order_id)
        .bind(b.created_at)
        .bind(b.expires_at)
        .execute(&self.pool)
        .await
        .map(|_| ())
    }

    pub async fn bill(&self, id: &str) -> Result<Option<Bill>, sqlx::Error> {
        let q = format!("SELECT {BILL_COLS} FROM bills WHERE id = $1");
        sqlx::query(&q).bind(id).fetch_optional(&self.pool).await?.as_ref().map(bill_row).transpose()
    }

    pub async fn order(&self, id: &str) -> Result<Option<OrderRow>, sqlx::Error> {
        let q = format!("SELECT {ORDER_COLS} FROM orders WHERE id = $1");
        sqlx::query(&q).bind(id).fetch_optional(&self.pool).await?.as_ref().map(order_row).transpose()
    }

    pub async fn order_by_idempotency_key(&self, key: &str) -> Result<Option<OrderRow>, sqlx::Error> {
        let q = format!("SELECT {ORDER_COLS} FROM orders WHERE idempotency_key = $1");
        sqlx::query(&q).bind(key).fetch_optional(&self.pool).await?.as_ref().map(order_row).transpose()
    }

    pub async fn open_order_for_bill(&self, bill_id: &str) -> Result<Option<OrderRow>, sqlx::Error> {
        let q = format!("SELECT {ORDER_COLS} FROM orders WHERE bill_id = $1 AND status = 'created'");
        sqlx::query(&q).bind(bill_id).fetch_optional(&self.pool).await?.as_ref().map(order_row).transpose()
    }

    /// The most recent order of a bill (any status).
    pub async fn last_order_for_bill(&self, bill_id: &str) -> Result<Option<OrderRow>, sqlx::Error> {
        let q = format!("SELECT {ORDER_COLS} FROM orders WHERE bill_id = $1 ORDER BY created_at DESC, id LIMIT 1");
        sqlx::query(&q).bind(bill_id).fetch_optional(&self.pool).await?.as_ref().map(order_row).transpose()
    }

    /// INSERT an order; a unique-index refusal (open order of the bill, used key) is [`Insert::Conflict`].
    pub async fn insert_order(&self, o: &OrderRow) -> Result<Insert, sqlx::Error> {
        let q = format!(
            "INSERT INTO orders ({ORDER_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
        );
        let r = sqlx::query(&q)
            .bind(&o.id)
            .bind(&o.bill_id)
            .bind(&o.payload)
            .bind(&o.wallet)
            .bind(&o.base_amount)
            .bind(&o.tip)
            .bind(&o.fee)
            .bind(&o.amount)
            .bind(&o.currency)
            .bind(&o.payee_name)
            .bind(&o.wallet_params)
            .bind(&o.status)
            .bind(&o.status_reason)
            .bind(&o.idempotency_key)
            .bind(&o.request_hash)
            .bind(&o.mode)
            .bind(o.created_at)
            .bind(o.updated_at)
            .bind(o.expires_at)
            .execute(&self.pool)
            .await;
        match r {
            Ok(_) => Ok(Insert::Inserted),
            Err(e) if is_unique_violation(&e) => Ok(Insert::Conflict),
            Err(e) => Err(e),
        }
    }

    /// `created → to` (failed | cancelled | expired), guarded: false when the order was not open.
    pub async fn close_order(&self, id: &str, to: &str, reason: Option<&str>, now: i64) -> Result<bool, sqlx::Error> {
        debug_assert!(matches!(to, "failed" | "cancelled" | "expired"));
        let r = sqlx::query(
            "UPDATE orders SET status = $1, status_reason = $2, updated_at = $3 WHERE id = $4 AND status = 'created'",
        )
        .bind(to)
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// `created → paid` for an order that has not expired; its bill (if any) `open → paid` in the same
    /// transaction, so one bill is never paid twice, whatever the interleaving.
    pub async fn pay_order(&self, order: &OrderRow, now: i64) -> Result<PayOutcome, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        if let Some(bill) = &order.bill_id {
            let r = sqlx::query("UPDATE bills SET status = 'paid', paid_order_id = $1 WHERE id = $2 AND status = 'open'")
                .bind(&order.id)
                .bind(bill)
                .execute(&mut *tx)
                .await?;
            if r.rows_affected() != 1 {
                tx.rollback().await?;
                return Ok(PayOutcome::BillAlreadyPaid);
            }
        }
        let r = sqlx::query(
            "UPDATE orders SET status = 'paid', status_reason = NULL, updated_at = $1 \
             WHERE id = $2 AND status = 'created' AND expires_at > $3",
        )
        .bind(now)
        .bind(&order.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(PayOutcome::NotOpen);
        }
        tx.commit().await?;
        Ok(PayOutcome::Paid)
    }

    /// Every open order past its expiry → `expired`. Returns how many.
    pub async fn expire_stale(&self, now: i64) -> Result<u64, sqlx::Error> {
        let r = sqlx::query(
            "UPDATE orders SET status = 'expired', status_reason = 'timeout', updated_at = $1 \
             WHERE status = 'created' AND expires_at <= $2",
        )
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected())
    }

    /// Number of orders of a bill (tests, diagnostics).
    pub async fn count_orders_for_bill(&self, bill_id: &str) -> Result<i64, sqlx::Error> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM orders WHERE bill_id = $1").bind(bill_id).fetch_one(&self.pool).await?;
        r.try_get("n")
    }

    /// Delete everything (tests against a shared PostgreSQL use their own ids instead; this is for benches).
    pub async fn count_orders(&self) -> Result<i64, sqlx::Error> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM orders").fetch_one(&self.pool).await?;
        r.try_get("n")
    }
}
