// Smoke run of the built example in headless Chromium with a fake camera (see README.md):
//   node examples/leptos-app/smoke.mjs http://127.0.0.1:PORT FILE.y4m   (FILE.y4m: e.g. `xtask y4m` of a dynamic EMVCo code)
// Scans, pays with the sandbox wallet, and checks the app's on_succeeded callback updated #status.
import { createRequire } from 'node:module';
const require = createRequire(new URL('../../.tools/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const [origin, cam] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox','--disable-gpu','--use-fake-ui-for-media-stream','--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${cam}`] });
const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, permissions: ['camera'] });
const page = await ctx.newPage();
const errs = [];
page.on('pageerror', e => errs.push(String(e)));
page.on('console', m => { if (m.type() === 'error') errs.push(m.text()); });
await page.goto(origin + '/');
const t = id => page.locator(`[data-testid="${id}"]`);
await t('scan-button').click({ timeout: 30000 });
await t('confirm-sheet').waitFor({ timeout: 30000 });
await t('wallet-option-sandbox').click();
await t('confirm-pay').click();
await page.locator('#sandbox-wallet-pay').click({ timeout: 15000 });
await t('result-success').waitFor({ timeout: 20000 });
await t('done').click();
await page.waitForFunction(() => /Paid, thank you/.test(document.querySelector('#status').textContent), null, { timeout: 5000 });
console.log('status:', await page.locator('#status').innerText());
await page.screenshot({ path: '/tmp/interpay-leptos-example.png' });
console.log('errors:', JSON.stringify(errs));
await browser.close();
