// `npm run slips [-- --per-folder N --seed S --folders src/engine,src/data]`: plants typical
// one-line slips in src/, one at a time, and runs the unit tests against each, to find slips no
// test catches (mutation testing on a sample). A slip is what a developer types by mistake: an
// inclusive bound made exclusive (<= to <) or the reverse, a sign (+ to -), a dropped step (a
// statement line removed), an off-by-one dropped (+ 1), a test inverted (=== to !==, && to ||),
// min for max. The sample is seeded, so two runs plant the same slips in the same code.
//
// For each slip: the folder's own tests run first (test/<folder>); when they pass, the rest of
// the unit tests (not the browser ones) run too. A slip is caught when any test fails or the
// run times out. The file is always restored, also on Ctrl-C. Prints caught/planted per folder
// and every survivor (file:line, the line before and after), and writes the same as JSON.
//
// Why not Stryker: it plants every mutant of every operator (thousands here) and would take hours
// per run on this machine; the question asked is the share of a sample of typical slips caught,
// with the survivors named so tests can be written for them.
import { readFileSync, writeFileSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { transformSync } from 'esbuild';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const PER_FOLDER = Number(opt('per-folder', '30'));
const SEED = Number(opt('seed', '13'));
const FOLDERS = opt('folders', 'src/engine,src/notebook,src/data,src/outputs').split(',');
const OUT = opt('out', 'out/slips.json');
const TIMEOUT_MS = Number(opt('timeout', '180000'));
/** A previous run's JSON: plant its survivors again (the same lines, the same slips) and count
 *  its caught slips as caught, to see which survivors new tests now catch. */
const REPLAY = opt('replay', null);
/** With --replay: run only these test files (comma-separated), e.g. the ones added or changed
 *  since the replayed run: the others already let its survivors through. */
const ONLY_TESTS = opt('only-tests', null)?.split(',');

/** mulberry32, as src/engine/synthetic.ts. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const files = (dir, ext) =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p, ext);
    return p.endsWith(ext) ? [p] : [];
  });

/** The line with string literals and comments blanked out (same length), so operators inside
 *  them are not taken for code. */
function codeOnly(line) {
  let out = '';
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') {
        out += '  ';
        i++;
        continue;
      }
      if (c === quote) quote = null;
      out += quote ? ' ' : c;
      continue;
    }
    if (c === '/' && line[i + 1] === '/') return out + ' '.repeat(line.length - i);
    if (c === "'" || c === '"' || c === '`') quote = c;
    out += c;
  }
  return out;
}

/** The slips one line admits: [{ col, from, to, kind }] or a whole-line drop. */
const OPERATORS = [
  { re: /(?<![<=!])<=(?!=)/g, to: '<', kind: 'bound' },
  { re: /(?<![<=>-])<(?![<=])/g, to: '<=', kind: 'bound' },
  { re: /(?<![>=])>=(?!=)/g, to: '>', kind: 'bound' },
  { re: /(?<![=>-])>(?![>=])/g, to: '>=', kind: 'bound' },
  { re: / \+ (?!=)/g, to: ' - ', kind: 'sign' },
  { re: / - (?!=)/g, to: ' + ', kind: 'sign' },
  { re: / \+ 1\b/g, to: '', kind: 'off-by-one' },
  { re: / - 1\b/g, to: '', kind: 'off-by-one' },
  { re: /===/g, to: '!==', kind: 'test' },
  { re: /!==/g, to: '===', kind: 'test' },
  { re: /&&/g, to: '||', kind: 'test' },
  { re: /\|\|/g, to: '&&', kind: 'test' },
  { re: /Math\.max\(/g, to: 'Math.min(', kind: 'min/max' },
  { re: /Math\.min\(/g, to: 'Math.max(', kind: 'min/max' },
];

function sitesOf(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out = [];
  let inBlockComment = false;
  let inType = 0; // inside an interface / type body (no behaviour to break)
  lines.forEach((line, i) => {
    const t = line.trim();
    if (inBlockComment) {
      if (t.includes('*/')) inBlockComment = false;
      return;
    }
    if (t.startsWith('/*')) {
      if (!t.includes('*/')) inBlockComment = true;
      return;
    }
    if (t.startsWith('//') || t.startsWith('*') || t.startsWith('import ') || t === '') return;
    if (/^(export )?(interface|type) /.test(t)) inType = t.endsWith('{') || t.endsWith('=') ? 1 : 0;
    if (inType) {
      if (t.startsWith('}') || t.endsWith(';')) inType = t.startsWith('}') ? 0 : inType;
      if (t === '}' || t === '};') inType = 0;
      return;
    }
    const code = codeOnly(line);
    for (const op of OPERATORS) {
      for (const m of code.matchAll(op.re)) {
        // generics and arrows are not comparisons
        if (
          op.kind === 'bound' &&
          /[A-Za-z_]<|<[A-Z]|\)\s*>|=>/.test(code.slice(m.index - 1, m.index + 3))
        )
          continue;
        out.push({ file, line: i, col: m.index, from: m[0], to: op.to, kind: op.kind });
      }
    }
    // A dropped step: a statement that does something (an update or a call), not a declaration.
    if (
      /;\s*$/.test(code) &&
      !/^(return|const|let|var|export|throw|break|continue|case|default|import|type|interface)\b/.test(
        t,
      ) &&
      (/^[\w.[\]]+\s*([+\-*/]?=|\+\+|--)/.test(t) ||
        /^[\w.]+\(.*\);$/.test(t) ||
        /\.push\(/.test(t))
    )
      out.push({ file, line: i, col: 0, from: line, to: '', kind: 'dropped step' });
  });
  return out;
}

function apply(text, s) {
  const lines = text.split('\n');
  const l = lines[s.line];
  lines[s.line] =
    s.kind === 'dropped step' ? '' : l.slice(0, s.col) + s.to + l.slice(s.col + s.from.length);
  return { text: lines.join('\n'), before: l, after: lines[s.line] };
}

const allTests = files('test', '.test.ts')
  .filter((f) => !/test\/(integration|renderer)\//.test(f) && !/report-browser/.test(f))
  .sort();

function runTests(testFiles) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=dot', ...testFiles],
    { encoding: 'utf8', timeout: TIMEOUT_MS, env: { ...process.env, HEDGEBOOK_SLIP: '1' } },
  );
  if (r.error) return { failed: true, why: 'timeout' };
  return { failed: r.status !== 0, why: r.status !== 0 ? 'test failed' : '' };
}

let restore = null;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(signal, () => {
    restore?.();
    process.exit(130);
  });

// The tests must pass before anything is planted, or every slip would look caught.
const baseline = runTests(ONLY_TESTS ?? allTests);
if (baseline.failed) {
  console.error(`the unit tests fail without any slip (${baseline.why}): fix them first`);
  process.exit(1);
}

const report = { seed: SEED, perFolder: PER_FOLDER, folders: {} };
const random = rng(SEED);

/** Runs the tests against one planted slip (the file restored afterwards). */
function tryMutant(file, text, folder) {
  const own = allTests.filter((f) => f.startsWith(join('test', relative('src', folder))));
  const rest = allTests.filter((f) => !own.includes(f));
  const original = readFileSync(file, 'utf8');
  restore = () => writeFileSync(file, original);
  writeFileSync(file, text);
  try {
    let r = runTests(own.length > 0 ? own : rest);
    if (!r.failed && own.length > 0) r = runTests(rest);
    return r;
  } finally {
    restore();
    restore = null;
  }
}

if (REPLAY) {
  const previous = JSON.parse(readFileSync(REPLAY, 'utf8'));
  report.replayOf = REPLAY;
  for (const [folder, f] of Object.entries(previous.folders)) {
    const results = [];
    for (const x of f.results) {
      if (x.caught) {
        results.push(x);
        continue;
      }
      const [file, n] = x.where.split(':');
      let lines;
      try {
        lines = readFileSync(file, 'utf8').split('\n');
      } catch {
        lines = [];
      }
      // the same line, where it is now (the nearest one with the same text: code may have moved)
      let at = -1;
      lines.forEach((l, k) => {
        if (l.trim() === x.before && (at < 0 || Math.abs(k - n + 1) < Math.abs(at - n + 1))) at = k;
      });
      if (at < 0) {
        console.log(`gone     ${x.where}: the line is no longer there; not replayed`);
        results.push({ ...x, why: 'not replayed: the line is gone' });
        continue;
      }
      const l = lines[at];
      lines[at] = x.after ? l.slice(0, l.length - l.trimStart().length) + x.after : '';
      const r = ONLY_TESTS
        ? (() => {
            const original = readFileSync(file, 'utf8');
            restore = () => writeFileSync(file, original);
            writeFileSync(file, lines.join('\n'));
            try {
              return runTests(ONLY_TESTS);
            } finally {
              restore();
              restore = null;
            }
          })()
        : tryMutant(file, lines.join('\n'), folder);
      results.push({ ...x, caught: r.failed, why: r.why });
      process.stdout.write(
        `${r.failed ? 'caught  ' : 'SURVIVED'} ${x.where} [${x.kind}] ${x.after || '(line removed)'}\n`,
      );
    }
    const caught = results.filter((x) => x.caught).length;
    report.folders[folder] = { planted: results.length, caught, results };
  }
}

for (const folder of REPLAY ? [] : FOLDERS) {
  const sources = files(folder, '.ts').sort();
  const sites = sources.flatMap(sitesOf);
  // seeded shuffle, then keep the slips that still parse (a typo that does not parse is no slip)
  for (let i = sites.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [sites[i], sites[j]] = [sites[j], sites[i]];
  }
  const results = [];
  for (const s of sites) {
    if (results.length >= PER_FOLDER) break;
    const m = apply(readFileSync(s.file, 'utf8'), s);
    try {
      transformSync(m.text, { loader: 'ts' });
    } catch {
      continue;
    }
    const r = tryMutant(s.file, m.text, folder);
    const where = `${s.file}:${s.line + 1}`;
    results.push({
      where,
      kind: s.kind,
      before: m.before.trim(),
      after: m.after.trim(),
      caught: r.failed,
      why: r.why,
    });
    process.stdout.write(
      `${r.failed ? 'caught  ' : 'SURVIVED'} ${where} [${s.kind}] ${m.after.trim() || '(line removed)'}\n`,
    );
  }
  const caught = results.filter((x) => x.caught).length;
  report.folders[folder] = { planted: results.length, caught, results };
  console.log(
    `${folder}: ${caught}/${results.length} caught (${Math.round((100 * caught) / Math.max(1, results.length))}%)\n`,
  );
}
let planted = 0;
let caught = 0;
for (const [folder, f] of Object.entries(report.folders)) {
  planted += f.planted;
  caught += f.caught;
  console.log(
    `${folder.padEnd(14)} ${String(f.caught).padStart(3)}/${String(f.planted).padEnd(3)} caught`,
  );
  for (const x of f.results.filter((r) => !r.caught))
    console.log(`  survived ${x.where} [${x.kind}]: ${x.before}  ->  ${x.after || '(removed)'}`);
}
console.log(
  `all            ${caught}/${planted} caught (${Math.round((100 * caught) / Math.max(1, planted))}%)`,
);
mkdirSync(join(OUT, '..'), { recursive: true });
writeFileSync(OUT, JSON.stringify(report, null, 2) + '\n');
console.log(`wrote ${OUT}`);
