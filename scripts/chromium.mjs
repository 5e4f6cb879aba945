// Where the browser tests find Chromium, and the step of `npm test` that makes sure it is there.
//
// `node scripts/chromium.mjs ensure`: prints nothing and exits 0 when Chromium is found; when it is
// missing and this user may install system packages (root, or sudo without a password) on a
// Debian-like machine, installs Debian's `chromium` with apt-get; otherwise stops at once with
// one line saying exactly what to run. HEDGEBOOK_CHROMIUM names another executable;
// HEDGEBOOK_NO_INSTALL=1 forbids the install (the one line is printed instead).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Chromium executable the tests use: $HEDGEBOOK_CHROMIUM, else Debian's, else null. */
export function chromiumPath() {
  const named = process.env.HEDGEBOOK_CHROMIUM;
  if (named) return executable(named) ? named : null;
  return CANDIDATES.find(executable) ?? null;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] }); // dpkg's progress is noise; errors show
  return r.status === 0;
}

/** How this user could install system packages: 'root', 'sudo' (no password), or null. */
function installer() {
  if (!existsSync('/usr/bin/apt-get') || process.env.HEDGEBOOK_NO_INSTALL === '1') return null;
  if (typeof process.getuid === 'function' && process.getuid() === 0) return 'root';
  const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  return sudo.status === 0 ? 'sudo' : null;
}

function ensure() {
  if (chromiumPath()) return 0;
  if (process.env.HEDGEBOOK_CHROMIUM) {
    console.error(
      `npm test: HEDGEBOOK_CHROMIUM=${process.env.HEDGEBOOK_CHROMIUM} is not an executable; point it at Chromium or unset it.`,
    );
    return 1;
  }
  const how = installer();
  if (how === null) {
    console.error(
      'npm test needs Chromium for its browser tests: run `sudo apt-get install -y chromium` (or set HEDGEBOOK_CHROMIUM=/path/to/chromium), then npm test again.',
    );
    return 1;
  }
  console.log("npm test: Chromium is missing; installing Debian's chromium with apt-get (once).");
  const pre = how === 'sudo' ? ['sudo', '-n'] : [];
  const apt = (...args) =>
    run(pre[0] ?? 'apt-get', pre.length ? [...pre.slice(1), 'apt-get', ...args] : args);
  process.env.DEBIAN_FRONTEND = 'noninteractive';
  const ok =
    apt('update', '-qq') && apt('install', '-y', '-qq', '--no-install-recommends', 'chromium');
  if (!ok || !chromiumPath()) {
    console.error(
      'npm test: installing chromium with apt-get failed (see above); install it by hand (`apt-get install -y chromium`) and run npm test again.',
    );
    return 1;
  }
  console.log(`npm test: Chromium installed at ${chromiumPath()}.`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const verb = process.argv[2];
  if (verb === 'ensure') process.exit(ensure());
  if (verb === 'path') {
    const p = chromiumPath();
    if (p) console.log(p);
    process.exit(p ? 0 : 1);
  }
  console.error('usage: node scripts/chromium.mjs ensure|path');
  process.exit(2);
}
