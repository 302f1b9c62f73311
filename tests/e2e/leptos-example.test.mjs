// The Leptos example app (examples/leptos-app, built by `cargo xtask example`): a Rust shop page embedding
// the checkout as a component pays end to end, and its typed on_succeeded callback updates the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, newContext, withWidget, fakeCamera, ROOT, DYNAMIC_UNIONPAY } from './lib/driver.mjs';

const WWW = path.join(ROOT, 'examples/leptos-app/www');

test("Leptos example app: scan, pay with the sandbox wallet, the app's callback says paid", { timeout: 120_000 }, async () => {
  assert.ok(existsSync(path.join(WWW, 'demo/pkg/app.js')), 'built by `cargo xtask example` (./dev test runs it)');
  const server = await startServer({ www: WWW });
  const browser = await launchBrowser({ camera: fakeCamera(DYNAMIC_UNIONPAY, 'leptos-example') });
  try {
    const context = await newContext(browser);
    const missing = [];
    context.on('response', (r) => r.status() === 404 && missing.push(new URL(r.url()).pathname));
    await withWidget(context, server, { name: 'leptos-example' }, async (w) => {
      await w.scanToConfirm();
      await w.payWithSandbox('Pay');
      await w.result('result-success');
      await w.tid('done').click();
      await w.page.waitForFunction(() => /Paid, thank you! \(order ord_/.test(document.querySelector('#status').textContent), null, { timeout: 10_000 });
      assert.deepEqual(missing.filter((p) => p !== '/favicon.ico'), [], 'every file the app asks for is served');
      assert.deepEqual(w.errors([/favicon/, /status of 404/]), [], 'no page error');
    });
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
});
