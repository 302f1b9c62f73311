// The npm package and the shipped layout (issue 12), checked on the built dist/:
// - dist/npm is a package whose `exports` and `types` resolve, holding the launcher, its types and every
//   hashed asset the launcher names (nothing else: no test exports, no unhashed pkg/);
// - a merchant's TypeScript (tests/types/usage.ts) type-checks against the package as installed, and the
//   mistakes it marks with @ts-expect-error are caught (tsc fails if one of them is not an error);
// - the launcher names each asset with a sha384 integrity that matches the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdirSync, symlinkSync, copyFileSync, writeFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { DIST, ROOT, tmp } from './lib/driver.mjs';

const NPM = path.join(DIST, 'npm');
const TSC = path.join(ROOT, '.tools', 'node_modules', 'typescript', 'bin', 'tsc');

test('dist/npm: exports and types resolve to the launcher, its types and the hashed assets it names', () => {
  const pkg = JSON.parse(readFileSync(path.join(NPM, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'interpay');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.exports['.'].types, './interpay.d.ts');
  assert.equal(pkg.exports['.'].import, './interpay.js');
  for (const f of ['interpay.js', 'interpay.d.ts', 'README.md']) assert.ok(existsSync(path.join(NPM, f)), f);
  const launcher = readFileSync(path.join(NPM, 'interpay.js'), 'utf8');
  // The shipped launcher is minified: its asset table reads `key:{integrity:"…",path:"…"}` (keys in any order).
  const assets = {};
  for (const m of launcher.matchAll(/(\w+):\{((?:"?(?:path|integrity)"?:"[^"]*",?){2})\}/g)) {
    const field = (k) => new RegExp(`"?${k}"?:"([^"]*)"`).exec(m[2])[1];
    assets[m[1]] = { path: field('path'), integrity: field('integrity') };
  }
  assert.ok(Object.keys(assets).length, 'the launcher has its asset table');
  assert.deepEqual(Object.keys(assets).sort(), ['css', 'deep', 'deepWasm', 'reader', 'readerSimd', 'readerSimdWasm', 'readerWasm', 'ui', 'uiWasm', 'worker']);
  for (const [key, a] of Object.entries(assets)) {
    assert.match(a.path, /^assets\/[a-z-]+\.[0-9a-f]{10}\.(js|wasm|css)$/, `${key} is content-hashed`);
    const bytes = readFileSync(path.join(NPM, a.path));
    const sri = 'sha384-' + createHash('sha384').update(bytes).digest('base64');
    assert.equal(a.integrity, sri, `${key}: integrity matches ${a.path}`);
  }
  const shipped = readdirSync(path.join(NPM, 'assets')).sort();
  assert.deepEqual(shipped, Object.values(assets).map((a) => a.path.slice('assets/'.length)).sort(), 'only the named assets');
  const types = readFileSync(path.join(NPM, 'interpay.d.ts'), 'utf8');
  const ui = readFileSync(path.join(NPM, assets.ui.path), 'utf8');
  assert.ok(!/__interpay_test|__mount_component/.test(ui + types), 'no test-only exports in the package');
});

test('a merchant\'s TypeScript type-checks against the installed package, and its marked mistakes are caught', () => {
  assert.ok(existsSync(TSC), `${TSC} (installed by ./dev)`);
  const dir = tmp('ts-usage');
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  if (!existsSync(path.join(dir, 'node_modules', 'interpay'))) symlinkSync(NPM, path.join(dir, 'node_modules', 'interpay'), 'dir');
  copyFileSync(path.join(ROOT, 'tests/types/usage.ts'), path.join(dir, 'usage.ts'));
  const config = {
    compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'es2022', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [] },
    files: ['usage.ts'],
  };
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config));
  try {
    execFileSync(process.execPath, [TSC, '-p', dir], { encoding: 'utf8' });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
  // The check can fail: a use the types forbid, without @ts-expect-error, is an error.
  writeFileSync(path.join(dir, 'usage.ts'), "import { configure } from 'interpay';\nconfigure({ assetsUrl: 42 });\n");
  assert.throws(() => execFileSync(process.execPath, [TSC, '-p', dir], { encoding: 'utf8', stdio: 'pipe' }), 'a wrong option type is refused');
});
