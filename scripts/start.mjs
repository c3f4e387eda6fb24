#!/usr/bin/env node
// npm start: builds what the demo needs and serves it with pave-proxy in fixtures mode (no PAVE key,
// no network), the way a dealer's site would: the page under /, the widget under
// /vendor/pave-hotspots/, PAVE's answers under /pave/hotspots/{session_key}.
//
// Usage: node scripts/start.mjs [--port N] [--no-build] [-- extra pave-proxy flags]
//   --port N     port on 127.0.0.1 (default $PORT, else 8080; 0 picks a free one). A port that is
//                taken falls back to a free one.
//   --no-build   don't rebuild the widget (dist/ must exist) nor redraw existing pictures. The
//                proxy is still built, which is quick when it is up to date.
//   -- …         passed to pave-proxy, e.g. `-- --pending-ttl-s 0 --quiet`.
// Ctrl-C (or SIGTERM) stops the proxy, which finishes requests in flight, and then this script.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, PATH: `${process.env.HOME}/.cargo/bin:${join(root, 'node_modules', '.bin')}:${process.env.PATH}` };

/** The demo pages, printed after the proxy is up. */
const PAGES = [
  ['Dealer page (360° spin)', '/'],
  ['Inline JSON over a cropped photo', '/inline.html'],
  ['Photo viewer (no spin)', '/viewer.html'],
  ['Loading, inspecting, no damage, not found', '/states.html'],
  ['The proxy answering for the sample', '/pave/hotspots/UDB-512D3TASIY'],
];

function parseArgs(argv) {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const options = { port: process.env.PORT || '8080', build: true, proxyArgs: dash === -1 ? [] : argv.slice(dash + 1) };
  for (let i = 0; i < own.length; i++) {
    const arg = own[i];
    if (arg === '--no-build') options.build = false;
    else if (arg === '--port') options.port = own[++i];
    else if (arg.startsWith('--port=')) options.port = arg.slice('--port='.length);
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: node scripts/start.mjs [--port N] [--no-build] [-- pave-proxy flags]');
      process.exit(0);
    } else {
      console.error(`start: unknown argument ${arg}`);
      process.exit(2);
    }
  }
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`start: not a port: ${options.port}`);
    process.exit(2);
  }
  return { ...options, port };
}

function run(command, args, { quiet = false } = {}) {
  execFileSync(command, args, { cwd: root, env, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] });
}

/** Whether 127.0.0.1:port can be bound now (port 0 always can). */
function portFree(port) {
  if (port === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Builds the widget, the pictures and the proxy. */
function prepare({ build }) {
  if (build) {
    console.log('start: building the widget (dist/)');
    run('node', ['scripts/build.mjs', '--quiet']);
  } else if (!existsSync(join(root, 'dist', 'pave-hotspots.js'))) {
    console.error('start: dist/ is missing; run without --no-build (or `npm run build`) first');
    process.exit(1);
  }
  // With --no-build, existing pictures are left alone (tests read them while this runs).
  if (build || !existsSync(join(root, 'www', 'generated', 'photos', 'frame-16.svg'))) {
    run('node', ['scripts/gen-photos.mjs', 'www/generated/photos'], { quiet: true });
  }
  // The page loads the widget exactly as a dealer's site would: from its own /vendor/ folder.
  const vendor = join(root, 'www', 'vendor', 'pave-hotspots');
  rmSync(vendor, { recursive: true, force: true });
  cpSync(join(root, 'dist'), vendor, { recursive: true });
  console.log('start: building pave-proxy (quick when up to date)');
  run('cargo', ['build', '--release', '--quiet', '-p', 'pave-proxy']);
}

/** Starts the proxy and resolves with it and its URL once it says it is listening. */
function startProxy(port, extra) {
  const bin = join(root, 'target', 'release', 'pave-proxy');
  const args = ['--fixtures', join(root, 'www', 'fixtures'), '--static', join(root, 'www'), '--listen', `127.0.0.1:${port}`, ...extra];
  // Its own process group: a terminal's Ctrl-C reaches it once, through us.
  const proxy = spawn(bin, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proxy.stdout });
    lines.on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve({ proxy, url: m[1].replace(/\/$/, '') });
      else console.log(line);
    });
    proxy.once('error', reject);
    proxy.once('exit', (code) => reject(new Error(`pave-proxy exited with ${code} before listening`)));
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  prepare(options);
  let port = options.port;
  if (!(await portFree(port))) {
    console.log(`start: port ${port} is taken; using a free one`);
    port = 0;
  }
  const { proxy, url } = await startProxy(port, options.proxyArgs);

  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      proxy.kill(signal);
    });
  }
  proxy.removeAllListeners('exit');
  proxy.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

  console.log(`\nDemo: ${url}/`);
  for (const [what, path] of PAGES.slice(1)) console.log(`  ${(what + ':').padEnd(44)} ${url}${path}`);
  console.log('\nPress Ctrl-C to stop.');
}

main().catch((error) => {
  console.error(`start: ${error.message}`);
  process.exit(1);
});
