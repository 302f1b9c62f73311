// Steps of the checkout flow shared by the e2e tests (test ids from docs/ARCHITECTURE.md).
import assert from 'node:assert/strict';
import { tid, screenshot } from './harness.mjs';

export const SCAN_TIMEOUT = 30_000;

/** Wait until the widget has rendered its launch button. */
export async function widgetReady(page) {
  await tid(page, 'scan-button').waitFor({ state: 'visible', timeout: 20_000 });
}

/** Tap "Scan to pay" and wait for the confirm sheet of the scanned payment. */
export async function scanToConfirm(page, name) {
  await widgetReady(page);
  await screenshot(page, `${name}-1-ready`);
  await tid(page, 'scan-button').click();
  await tid(page, 'camera-view').waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {});
  await screenshot(page, `${name}-2-camera`);
  await tid(page, 'confirm-sheet').waitFor({ state: 'visible', timeout: SCAN_TIMEOUT });
  await screenshot(page, `${name}-3-confirm`);
}

/** Choose the sandbox wallet, confirm, and answer the sandbox wallet sheet with `button` (Pay|Cancel|Decline). */
export async function payWithSandbox(page, button, name) {
  const option = tid(page, 'wallet-option-sandbox');
  await option.waitFor({ state: 'visible', timeout: 10_000 });
  await option.click();
  const pay = tid(page, 'confirm-pay');
  await pay.waitFor({ state: 'visible', timeout: 5_000 });
  assert.equal(await pay.isEnabled(), true, 'confirm-pay is enabled once the sandbox wallet is chosen');
  await pay.click();
  const sheet = page.locator('#sandbox-wallet');
  await sheet.waitFor({ state: 'visible', timeout: 15_000 });
  await screenshot(page, `${name}-4-wallet`);
  const id = { Pay: '#sandbox-wallet-pay', Cancel: '#sandbox-wallet-cancel', Decline: '#sandbox-wallet-decline' }[button];
  await page.locator(id).click();
  await sheet.waitFor({ state: 'detached', timeout: 10_000 });
}

/** Visible, trimmed text of a test id. */
export async function text(page, id) {
  return ((await tid(page, id).first().innerText()) || '').trim();
}
