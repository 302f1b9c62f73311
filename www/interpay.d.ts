// TypeScript types of Interpay's public surface: the <interpay-checkout> element, its attributes, its
// events and their `detail`, and the module's exports. Shipped as `interpay.d.ts` beside `interpay.js`
// (dist/, the npm package). The shapes are those of docs/ARCHITECTURE.md ("Events") and
// docs/merchant-contract.md; the Rust types they come from are named in each comment.

/** A decimal amount in major units, as a string ("23.72"): never a float. */
export type DecimalString = string;

/** `payload::Scheme`. */
export interface Scheme {
  /** "unionpay", "pix", "promptpay", "paynow", "wechat_pay", "alipay", "upi", "sepa", "bitcoin", "lightning", … */
  id: string;
  name: string;
}

/** `payload::Account`. */
export interface Account {
  scheme: string;
  /** "pix_key", "phone", "iban", "vpa", "address", "merchant_id", … */
  kind: string;
  value: string;
}

/** `payload::Payee`. */
export interface Payee {
  name: string | null;
  city: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
  postal_code: string | null;
  name_alt: string | null;
  city_alt: string | null;
  language_alt: string | null;
  mcc: string | null;
  accounts: Account[];
}

/** `payload::Currency`. */
export interface Currency {
  /** ISO 4217 alpha code ("CNY"), or a ticker ("BTC"). */
  code: string;
  numeric: string | null;
  minor_units: number;
}

/** `payload::TipRule` (EMVCo tags 55–57). */
export type TipRule =
  | { rule: 'prompt' }
  | { rule: 'fixed'; amount: DecimalString }
  | { rule: 'percentage'; percent: DecimalString };

/** `payload::Warning`: the code is valid, but the shopper should know this. */
export interface Warning {
  /** Stable code: "amount_zero_dynamic", "country_currency_mismatch", "lookalike_domain", … */
  code: string;
  message: string;
  tag: string | null;
}

/** `payload::References` (every field optional). */
export interface References {
  bill_number?: string | null;
  reference?: string | null;
  order?: string | null;
  txid?: string | null;
  terminal?: string | null;
  purpose?: string | null;
  url?: string | null;
  mobile?: string | null;
  store?: string | null;
  loyalty?: string | null;
  customer?: string | null;
  consumer_data_request?: string | null;
  merchant_tax_id?: string | null;
  merchant_channel?: string | null;
  expires?: string | null;
  recurrence_url?: string | null;
  message?: string | null;
}

/** `payload::Tlv` (EMVCo codes only). */
export interface Tlv {
  tag: string;
  length: number;
  value: string;
  children: Tlv[] | null;
}

/** `payload::Payment`: a normalised payment request. */
export interface Payment {
  /** "emv_mpm", "wechat_pay", "alipay", "unionpay_url", "upi", "epc", "swiss_qr", "bip21", "bolt11", "eip681". */
  format: string;
  schemes: Scheme[];
  payee: Payee;
  amount: DecimalString | null;
  currency: Currency | null;
  initiation: 'static' | 'dynamic';
  references: References;
  tip: TipRule | null;
  warnings: Warning[];
  tlv: Tlv[] | null;
  network: string | null;
}

/** `payload::NotPayment`: a scanned text that is not a payment code. */
export interface NotPayment {
  /** "url", "text", "contact", "wifi", "email", "phone", "sms", "geo", … */
  what: string;
  text: string;
  [key: string]: unknown;
}

/** `payload::Code`. */
export type Code = ({ kind: 'payment' } & Payment) | ({ kind: 'not_payment' } & NotPayment);

/** `payload::ParseError`: why a payment code is invalid. */
export interface ParseError {
  /** Stable code: "bad_crc", "truncated", "unknown_currency", "duplicate_tag", … */
  code: string;
  /** Character position where the rule is broken. */
  position: number;
  tag: string | null;
  message: string;
}

/** `checkout::contract::ConfirmedPayee`: whom the merchant's server says the code pays. */
export interface ConfirmedPayee {
  name: string;
  city?: string | null;
  source?: string | null;
  verified?: boolean;
  [key: string]: unknown;
}

/** `checkout::contract::Order`: the merchant server's answer to `POST {order-url}`. */
export interface Order {
  order_id: string;
  amount: DecimalString;
  currency: string;
  wallet: string | null;
  wallet_params: Record<string, unknown>;
  status_url: string;
  payee?: ConfirmedPayee;
  /** Whatever else the server sends (`base_amount`, `tip`, `fee`, `bill_id`, `expires_at`, …). */
  [key: string]: unknown;
}

/** `wallet::Outcome`. Success is final only once the merchant's server has confirmed it. */
export type Outcome =
  | { status: 'succeeded' }
  | { status: 'cancelled' }
  | { status: 'pending' }
  | { status: 'failed'; code: string; message: string };

export interface ScannedDetail {
  text: string;
  /** The reading of the text; `null` for an invalid payment code (then `error` says why). */
  code: Code | null;
  error?: ParseError;
}

export interface OrderCreatedDetail {
  payment: Payment;
  order: Order;
}

export interface ResultDetail<O extends Outcome = Outcome> {
  payment: Payment;
  /** `null` when no order was created (the merchant's server refused or could not be reached). */
  order: Order | null;
  outcome: O;
}

export type ErrorCode =
  | 'camera_denied'
  | 'no_camera'
  | 'camera_in_use'
  | 'insecure_context'
  | 'camera_error'
  | 'decoder_crash'
  | 'load_failed';

export interface ErrorDetail {
  code: ErrorCode;
  /** A sentence in the widget's language. */
  message: string;
  /** `decoder_crash` only: the worker was replaced and scanning goes on. */
  recovered?: boolean;
  restarts?: number;
}

/** Every event the element dispatches (bubbling, composed). */
export interface InterpayEventMap {
  'interpay:scanned': CustomEvent<ScannedDetail>;
  'interpay:order-created': CustomEvent<OrderCreatedDetail>;
  'interpay:succeeded': CustomEvent<ResultDetail<{ status: 'succeeded' }>>;
  'interpay:cancelled': CustomEvent<ResultDetail<{ status: 'cancelled' }>>;
  'interpay:failed': CustomEvent<ResultDetail<{ status: 'failed'; code: string; message: string }>>;
  'interpay:pending': CustomEvent<ResultDetail<{ status: 'pending' }>>;
  'interpay:error': CustomEvent<ErrorDetail>;
}

/** The element's attributes (all strings in HTML). */
export interface InterpayCheckoutAttributes {
  /** Required: the merchant endpoint that creates an order (POST, docs/merchant-contract.md). */
  'order-url': string;
  /** "en", "fr", "zh-CN", "zh-TW"…; default: the page's `<html lang>`, then the browser. */
  locale?: string;
  /** Text of the launch button (default "Scan to pay", localized). */
  label?: string;
  /** Fraction of the shorter side of the camera picture that is read (0.2–1, default 0.7). */
  'scan-region'?: string;
  /** The merchant endpoint that names the payee of a code that names nobody. */
  'resolve-url'?: string;
}

/** `<interpay-checkout>`. */
export declare class InterpayCheckout extends HTMLElement {
  /** Open the scan sheet, as a tap on the launch button does (once the UI module has loaded). */
  open(): void;
  addEventListener<K extends keyof InterpayEventMap>(
    type: K,
    listener: (this: InterpayCheckout, ev: InterpayEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof InterpayEventMap>(
    type: K,
    listener: (this: InterpayCheckout, ev: InterpayEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

export interface ConfigureOptions {
  /**
   * Where the package's files are served when a bundler has moved `interpay.js` into its own chunk: the URL
   * whose `assets/` folder holds the package's `assets/` (e.g. `'/interpay/'`). Default: next to `interpay.js`.
   */
  assetsUrl?: string;
}

/** Call before the first `<interpay-checkout>` connects. */
export declare function configure(options: ConfigureOptions): void;

declare global {
  interface HTMLElementTagNameMap {
    'interpay-checkout': InterpayCheckout;
  }
  interface HTMLElementEventMap extends InterpayEventMap {}
}
