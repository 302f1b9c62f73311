// Compiled by tests/e2e/package.test.mjs with `tsc --noEmit` against the built npm package (dist/npm):
// what a merchant's TypeScript code writes must type-check, and the mistakes below must not.
import { configure, type InterpayEventMap, type Payment, type Outcome, type InterpayCheckoutAttributes } from 'interpay';

configure({ assetsUrl: '/interpay/' });

const el = document.querySelector('interpay-checkout');
if (el) {
  el.open();
  el.addEventListener('interpay:scanned', (e) => {
    const text: string = e.detail.text;
    if (e.detail.code && e.detail.code.kind === 'payment') {
      const payee: string | null = e.detail.code.payee.name;
      const amount: string | null = e.detail.code.amount;
      console.log(text, payee, amount);
    } else if (e.detail.error) {
      console.log(e.detail.error.code, e.detail.error.position);
    }
  });
  el.addEventListener('interpay:succeeded', (e) => {
    const id: string | undefined = e.detail.order?.order_id;
    const status: 'succeeded' = e.detail.outcome.status;
    console.log(id, status);
  });
  el.addEventListener('interpay:failed', (e) => {
    const why: string = e.detail.outcome.code + e.detail.outcome.message;
    console.log(why);
  });
  el.addEventListener('interpay:error', (e) => {
    if (e.detail.code === 'decoder_crash') console.log(e.detail.recovered, e.detail.restarts);
  });

  // @ts-expect-error: amounts are decimal strings, never numbers
  el.addEventListener('interpay:order-created', (e) => { const n: number = e.detail.order.amount; console.log(n); });
  // @ts-expect-error: not an event of the widget's
  el.addEventListener('interpay:paid', (e: InterpayEventMap['interpay:succeeded']) => console.log(e));
  // @ts-expect-error: outcome statuses are a closed set
  const bad: Outcome = { status: 'ok' };
  console.log(bad);
}

const attrs: InterpayCheckoutAttributes = { 'order-url': '/api/orders', locale: 'fr' };
// @ts-expect-error: order-url is required
const missing: InterpayCheckoutAttributes = { locale: 'fr' };
const p = null as unknown as Payment;
console.log(attrs, missing, p?.schemes.map((s) => s.id));
