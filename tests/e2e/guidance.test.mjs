// Shopper guidance (issue 9): when the camera shows a code that does not read, the widget says what to do,
// from the decoder's own measurements — too far (move closer), out of focus (hold still), in the dark (more
// light) — on screen and in the live region, in the shopper's language. Fake-camera videos of a real code shot
// badly (`xtask y4m --scale / --blur / --gain`). Too far is a code at 2 px per module, slightly soft: on the
// 640×480 fake camera a sharp code still reads at 1.3 px per module, and at 1.6 px and softer shows no finder
// pattern (tests/decode_guidance.rs covers the sizes natively).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newContext, withWidget, fakeCamera, DYNAMIC_UNIONPAY } from './lib/driver.mjs';

const T = { timeout: 90_000 };
const CASES = [
  { name: 'guidance-small', shot: ['--scale', '2', '--blur', '1'], hint: 'too_small', en: 'Move closer: the code is too small to read' },
  { name: 'guidance-blur', shot: ['--blur', '4'], hint: 'too_blurred', en: 'Hold still so the camera can focus' },
  { name: 'guidance-dark', shot: ['--gain', '0.05'], hint: 'too_dark', en: 'Too dark: find more light' },
  { name: 'guidance-dark-fr', shot: ['--gain', '0.05'], hint: 'too_dark', fr: 'Trop sombre : cherchez plus de lumière', locale: 'fr-FR' },
];

for (const c of CASES) {
  test(`${c.hint}${c.fr ? ' (French)' : ''}: the camera screen says what to do, and the live region announces it`, T, async () => {
    const server = await startServer();
    const browser = await launchBrowser({ camera: fakeCamera(DYNAMIC_UNIONPAY, c.name, c.shot) });
    try {
      const context = await newContext(browser, { locale: c.locale || 'en-US' });
      await withWidget(context, server, { name: c.name }, async (w) => {
        if (c.fr) {
          await w.ready();
          await w.page.evaluate(() => document.querySelector('interpay-checkout').setAttribute('locale', 'fr'));
          await w.page.waitForFunction(() => document.querySelector('interpay-checkout').shadowRoot.querySelector('[data-testid="scan-button"]')?.textContent.includes('Scanner'), null, { timeout: 10_000 });
        }
        await w.startScan();
        const hint = w.page.locator(`[data-testid="scan-hint"][data-hint="${c.hint}"]`);
        await hint.waitFor({ state: 'visible', timeout: 30_000 });
        await w.shot('hint');
        const text = (await hint.innerText()).trim();
        assert.equal(text, c.fr || c.en);
        await w.page.waitForFunction((t) => document.querySelector('interpay-checkout').shadowRoot.querySelector('[data-testid="live"]').textContent.includes(t), text, { timeout: 5_000 });
        assert.equal(await w.tid('confirm-sheet').isVisible(), false, 'nothing was read from the bad shot');
      });
    } finally {
      await browser.close().catch(() => {});
      await server.stop();
    }
  });
}
