//! Wallet-specific order parameters the merchant server returns to the widget.
//! Real wallets need them signed server-side with the merchant's key; the key never reaches the browser.

use serde_json::{json, Value};

/// Parameters for `wallet` (a `interpay::wallet::WalletId` in snake_case) for this order.
pub fn for_wallet(wallet: &str, order_id: &str, amount: &str, currency: &str) -> Value {
    json!({ "wallet": wallet, "order_id": order_id, "amount": amount, "currency": currency })
}
