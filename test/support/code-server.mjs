// A real VS Code for tests on machines that cannot download a desktop build: code-server
// (VS Code 1.100.3 in a browser) installed from npm into a cache outside the repository,
// served on 127.0.0.1, and driven by Debian's Chromium through playwright-core.
// Used by test/integration/run.mjs (the extension's suite) and test/e2e/run.mjs (the dashboard).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const CODE_SERVER_VERSION = '4.100.3';
/** The VS Code release inside code-server 4.100.3. */
export const VSCODE_VERSION = '1.100.3';
const RIPGREP_VERSION = '1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export function cacheRoot() {
  return process.env.PERF_INSIGHTS_CACHE || join(homedir(), '.cache', 'perf-insights');
}

export function codeServerDir() {
  return join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
}

function entryPath(dir = codeServerDir()) {
  return join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function markerPath(dir = codeServerDir()) {
  return join(dir, '.installed');
}

/**
 * Installs code-server into the cache when it is not there yet and returns the path of its
 * Node entry point. The install takes minutes (it builds native modules); later calls return
 * at once. A marker file is written only after the install is verified, so an interrupted
 * install is redone instead of half-used.
 */
export async function ensureCodeServer({ log = console.error } = {}) {
  const dir = codeServerDir();
  if (existsSync(markerPath(dir)) && existsSync(entryPath(dir))) return entryPath(dir);

  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} needs Node 20 exactly; this is Node ${process.versions.node}.`);
  }
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep is missing: install the Debian package `ripgrep` (apt-get install ripgrep).');
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/gssapi/gssapi.h')) {
    throw new Error('code-server builds the `kerberos` module: install the Debian package `libkrb5-dev`.');
  }

  return withLock(`${dir}.lock`, log, () => {
    if (existsSync(markerPath(dir)) && existsSync(entryPath(dir))) return entryPath(dir);
    log(`[code-server] installing code-server@${CODE_SERVER_VERSION} into ${dir} (takes a few minutes, once)`);
    seedRipgrepCache(rg);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'perf-insights-code-server', private: true }));
    const started = Date.now();
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: {
        ...process.env,
        // As root, npm would otherwise drop privileges for the lifecycle scripts and fail to write.
        npm_config_unsafe_perm: 'true',
        npm_config_yes: 'true',
        // npm 11 skips dependency install scripts that are not approved. code-server's
        // postinstall runs nested `npm install`s (lib/vscode, its built-in extensions) that
        // build native modules (node-pty, spdlog, kerberos, watchers): all of them must run,
        // and an env config is the only setting that reaches those nested installs too.
        npm_config_dangerously_allow_all_scripts: 'true',
        npm_config_ignore_scripts: 'false',
      },
    });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    writeFileSync(join(dir, 'install.log'), out);
    if (r.status !== 0) {
      throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status}); log: ${join(dir, 'install.log')}\n${tail(out, 40)}`);
    }
    verifyInstall(dir);
    writeFileSync(markerPath(dir), `${new Date().toISOString()}\n`);
    log(`[code-server] installed in ${Math.round((Date.now() - started) / 1000)} s`);
    return entryPath(dir);
  });
}

/** The install "succeeds" even when postinstall was skipped; check what the server needs. */
function verifyInstall(dir) {
  const vscodeModules = join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  const needed = [entryPath(dir), join(vscodeModules, 'node-pty'), join(vscodeModules, '@vscode', 'spdlog'), join(vscodeModules, '@vscode', 'ripgrep', 'bin', 'rg')];
  const missing = needed.filter((p) => !existsSync(p));
  if (missing.length) {
    throw new Error(`code-server install is incomplete (postinstall did not run?): missing ${missing.join(', ')}; log: ${join(dir, 'install.log')}`);
  }
  // XDG_CONFIG_HOME: code-server writes a default config on first start; keep it out of ~/.config.
  const v = spawnSync(process.execPath, [entryPath(dir), '--version'], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') } });
  if (v.status !== 0 || !v.stdout.includes(CODE_SERVER_VERSION)) {
    throw new Error(`installed code-server does not run: ${v.stdout}${v.stderr}`);
  }
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable here. It first
 * looks in os.tmpdir()/vscode-ripgrep-cache-<version>/<asset>, so put Debian's rg there.
 */
function seedRipgrepCache(rg) {
  const cacheDir = join(tmpdir(), `vscode-ripgrep-cache-${RIPGREP_VERSION}`);
  const asset = join(cacheDir, RIPGREP_ASSET);
  if (existsSync(asset)) return;
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'rg-'));
  writeFileSync(join(staging, 'rg'), readFileSync(rg), { mode: 0o755 });
  const r = spawnSync('tar', ['-C', staging, '-czf', asset, 'rg'], { encoding: 'utf8' });
  rmSync(staging, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`could not seed the ripgrep cache: ${r.stderr}`);
}

/** A directory lock, so two test runners starting at once do not install into one folder. */
async function withLock(lockDir, log, fn) {
  mkdirSync(resolve(lockDir, '..'), { recursive: true });
  for (let waited = 0; ; waited += 2) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const pid = Number(safeRead(join(lockDir, 'pid')));
      if (!pid || !alive(pid)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (waited % 30 === 0) log(`[code-server] waiting for install by process ${pid}`);
      await sleep(2000);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * Starts code-server on 127.0.0.1 with its own user-data and extensions folders.
 * `settings` become the user settings.json; `env` reaches the extension host (it inherits the
 * server's environment). Returns once the server answers /healthz.
 */
export async function startCodeServer({
  workspace,
  userDataDir,
  extensionsDir,
  settings = {},
  env = {},
  args = [],
  log = () => {},
  timeoutMs = 60_000,
} = {}) {
  if (!workspace) throw new Error('startCodeServer: `workspace` (a folder to open) is required');
  const entry = await ensureCodeServer();
  const owned = [];
  if (!userDataDir) owned.push((userDataDir = mkdtempSync(join(tmpdir(), 'pi-cs-user-'))));
  if (!extensionsDir) owned.push((extensionsDir = mkdtempSync(join(tmpdir(), 'pi-cs-ext-'))));
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(defaultSettings(settings), null, 2));
  // Our own config file, so a developer's ~/.config/code-server/config.yaml (password, cert) is not used.
  const configFile = join(userDataDir, 'code-server.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');

  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      entry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--ignore-last-opened',
      '--config', configFile,
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      ...args,
      resolve(workspace),
    ],
    {
      // No extension gallery: it is unreachable offline, and every lookup logs an error that
      // would drown the errors a test is looking for.
      env: { ...process.env, EXTENSIONS_GALLERY: '{}', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  const collect = (chunk) => {
    const text = chunk.toString();
    output += text;
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
    log(text);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = null;
  let stopping = false;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  const url = `http://127.0.0.1:${port}`;
  const server = {
    url,
    port,
    userDataDir,
    extensionsDir,
    workspace: resolve(workspace),
    process: child,
    /** Everything code-server printed so far. */
    output: () => output,
    /** The server's log files (extension host, remote agent) under the user-data folder. */
    logFiles: () => listFiles(join(userDataDir, 'logs')),
    /** URL that opens `folder` with an extension under development and, optionally, a test module. */
    workbenchUrl: (opts = {}) => workbenchUrl(url, port, { folder: resolve(workspace), ...opts }),
    stop: async () => {
      stopping = true;
      if (!exited) {
        killGroup(child.pid, 'SIGTERM');
        for (let i = 0; i < 50 && !exited; i++) await sleep(100);
        if (!exited) killGroup(child.pid, 'SIGKILL');
      }
      for (const d of owned) rmSync(d, { recursive: true, force: true });
      forget(); // its pid may be reused once it is gone: never signal it again
    },
  };
  const forget = stopOnExit(server.stop, child.pid);

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) throw new Error('code-server was stopped during startup');
    if (exited) throw new Error(`code-server exited during startup (${JSON.stringify(exited)}):\n${tail(output, 30)}`);
    try {
      const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return server;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  await server.stop();
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms:\n${tail(output, 30)}`);
}

/**
 * Installs a packaged extension (.vsix) into an extensions folder with code-server's own
 * `--install-extension`, as a user would; pass the same folder as `extensionsDir` to
 * startCodeServer. Returns the installer's output.
 */
export async function installExtension(vsix, { extensionsDir, userDataDir }) {
  const entry = await ensureCodeServer();
  const r = spawnSync(
    process.execPath,
    [entry, '--install-extension', resolve(vsix), '--force', '--extensions-dir', extensionsDir, ...(userDataDir ? ['--user-data-dir', userDataDir] : [])],
    { encoding: 'utf8', env: { ...process.env, EXTENSIONS_GALLERY: '{}' }, timeout: 120_000 },
  );
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) throw new Error(`installing ${vsix} into code-server failed (exit ${r.status}):\n${out}`);
  return out;
}

/** Settings every test run wants: no welcome page, no network, predictable layout. */
function defaultSettings(settings) {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.enabled': false,
    ...settings,
  };
}

/**
 * The workbench reads `payload` from the query: extensionDevelopmentPath and
 * extensionTestsPath must be vscode-remote URIs of paths on the server.
 */
export function workbenchUrl(base, port, { folder, extensionDevelopmentPath, extensionTestsPath, payload = [] }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${resolve(p)}`;
  const items = [...payload];
  if (extensionDevelopmentPath) items.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) items.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const q = new URLSearchParams({ folder });
  if (items.length) q.set('payload', JSON.stringify(items));
  return `${base}/?${q}`;
}

/**
 * Debian's Chromium (or PERF_INSIGHTS_CHROMIUM) through playwright-core, headless, with a fresh
 * profile. playwright-core ships no browser and must not download one.
 */
export async function launchBrowser({ headless = true, args = [] } = {}) {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.PERF_INSIGHTS_CHROMIUM || which('chromium') || which('chromium-browser');
  if (!executablePath) throw new Error('Chromium is missing: install the Debian package `chromium` (apt-get install chromium).');
  const browser = await chromium.launch({
    executablePath,
    headless,
    // Our signal handlers close the browser with everything else (playwright's would exit the
    // process on Ctrl-C before a caller's own cleanup, e.g. a private Postgres, has run).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', ...args],
  });
  const forget = stopOnExit(() => browser.close().catch(() => {}));
  browser.on('disconnected', forget);
  return browser;
}

// ---- small helpers ----

export async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function tail(text, lines) {
  return text.split('\n').slice(-lines).join('\n');
}

function safeRead(p) {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** code-server forks its own children (extension host, pty host): stop the whole group. */
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    let entries = [];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

const cleanups = new Set();
let hooked = false;
/**
 * Make sure servers and browsers die with the runner, also on Ctrl-C or a crash. On a signal,
 * exit only when nobody else listens for it: a caller with its own handler (the demo stops
 * Postgres and Redis too) decides when the process ends.
 */
function stopOnExit(fn, pid) {
  const entry = { fn, pid };
  cleanups.add(entry);
  const forget = () => cleanups.delete(entry);
  if (hooked) return forget;
  hooked = true;
  // On a plain exit only synchronous work runs: kill the process groups directly.
  process.on('exit', () => {
    for (const c of cleanups) if (c.pid) killGroup(c.pid, 'SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, async () => {
      const othersHandle = process.listenerCount(sig) > 0; // ours, a `once`, is already removed
      console.error(`\n${sig}: stopping code-server and the browser`);
      await Promise.allSettled([...cleanups].map((c) => c.fn()));
      if (!othersHandle) process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
  return forget;
}
