// In the browser the payload engine reads links with the browser's own URL parser (src/web/url.rs) and
// leaves the deep checks to the deep reader module; natively it reads them with the `url` crate and has
// every check built in. Both are WHATWG: on the links that fool people (a backslash before `@`,
// credentials, fullwidth letters, a trailing dot, IP hosts, a Cyrillic letter, punycode) the shipped
// modules in Chromium must give exactly the native engine's reading (the CLI's JSON).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, launchBrowser, newContext, BIN } from './lib/driver.mjs';

const LINKS = [
  'https://evil.com\\@qr.alipay.com/bax01234',
  'https://qr.alipay.com@evil.com/x',
  'https://user:pass@paypal.com.evil.io/x',
  'HTTPS://QR.ALIPAY.COM./bax01234',
  'https://\uff51\uff52.alipay.com/bax01234',
  'https://p\u0430ypal.com/pay?amount=20',
  'https://xn--pypal-4ve.com/',
  'https://secure-paypal.com.evil.io/pay?amount=20',
  'https://paypa1.com/x',
  'www.example.com/menu',
  'https://[::1]/x',
  'http://192.168.0.1/pay',
  'https://0x7f.1/',
  'https://qr.95516.com/00010000/0123456789',
  'https://wx.tenpay.com/f2f?t=AQEAAAAA',
  'https://example.com/a/../b/%7Efoo?x=1&&y=%20#frag',
  'http://paypal.login.com/',
];

test('the shipped reader modules read links in Chromium exactly as the native engine does', { timeout: 60_000 }, async () => {
  const native = LINKS.map((t) => JSON.parse(execFileSync(BIN.interpay, ['parse', '--json', t], { encoding: 'utf8' })));
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const page = await (await newContext(browser)).newPage();
    await page.goto(server.origin + '/');
    const read = await page.evaluate(async (links) => {
      const reader = await import('/interpay/pkg/interpay_reader.js');
      await reader.default();
      const deep = await import('/interpay/pkg/interpay_deep_reader.js');
      await deep.default();
      return links.map((t) => {
        const first = reader.parse_payload(t);
        const needsDeep = first.error && first.error.code === 'deep_check_needed';
        const r = needsDeep ? deep.parse_payload(t) : first;
        return { needsDeep, code: r.ok ?? { error: r.error } };
      });
    }, LINKS);
    LINKS.forEach((t, i) => assert.deepEqual(read[i].code, native[i], t));
    // Not a vacuous comparison: the readings say what matters.
    assert.equal(read[0].code.warnings[0].code, 'lookalike_domain', 'the backslash trick is caught');
    assert.match(read[0].code.warnings[0].message, /goes to evil\.com/);
    assert.equal(read[4].code.kind, 'payment', 'fullwidth qr.alipay.com is the genuine host');
    assert.equal(read[4].code.format, 'alipay');
    assert.match(read[5].code.warnings[0].message, /\(xn--pypal-4ve\.com\) imitates paypal\.com/);
    const deepOnes = LINKS.filter((_, i) => read[i].needsDeep);
    assert.deepEqual(deepOnes, ['https://p\u0430ypal.com/pay?amount=20', 'https://xn--pypal-4ve.com/'], 'only IDN hosts need the deep reader');
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
});
