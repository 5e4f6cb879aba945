import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../src/cli/args';

const run = (file: string, more: object = {}) => ({
  ok: true,
  value: {
    command: 'run',
    file,
    inPlace: false,
    html: null,
    json: null,
    quiet: false,
    allowPaths: [],
    fullSeries: false,
    ...more,
  },
});
const error = (argv: string[]): string => {
  const r = parseArgs(argv);
  assert.equal(r.ok, false, `expected ${argv.join(' ')} to be refused`);
  return r.ok ? '' : r.message;
};

describe('parseArgs', () => {
  it('reads run FILE with every option, in any order, with = or a space', () => {
    assert.deepEqual(parseArgs(['run', 'a.hedgebook']), run('a.hedgebook'));
    assert.deepEqual(
      parseArgs(['run', '--html', 'out/r.html', 'a.hedgebook', '--json=r.json', '--in-place']),
      run('a.hedgebook', { html: 'out/r.html', json: 'r.json', inPlace: true }),
    );
    assert.deepEqual(
      parseArgs(['run', 'a.hedgebook', '--quiet']),
      run('a.hedgebook', { quiet: true }),
    );
  });

  it('collects every --allow-path, in order', () => {
    assert.deepEqual(
      parseArgs(['run', 'a.hedgebook', '--allow-path', '../data', '--allow-path=~/prices']),
      run('a.hedgebook', { allowPaths: ['../data', '~/prices'] }),
    );
    assert.match(error(['run', 'a', '--allow-path']), /--allow-path needs a folder/);
  });

  it('reads --full-series, and refuses it with --in-place (a notebook saves series reduced)', () => {
    assert.deepEqual(
      parseArgs(['run', 'a.hedgebook', '--json', 'r.json', '--full-series']),
      run('a.hedgebook', { json: 'r.json', fullSeries: true }),
    );
    assert.match(
      error(['run', 'a', '--full-series', '--in-place']),
      /--full-series cannot be used with --in-place/,
    );
    assert.match(error(['run', 'a', '--full-series=yes']), /takes no value/);
  });

  it('answers --help and --version whatever else is given', () => {
    assert.deepEqual(parseArgs(['--help']), { ok: true, value: { command: 'help' } });
    assert.deepEqual(parseArgs(['run', 'x', '-h']), { ok: true, value: { command: 'help' } });
    assert.deepEqual(parseArgs(['-v']), { ok: true, value: { command: 'version' } });
  });

  it('refuses what it does not understand, saying what is wrong', () => {
    assert.match(error([]), /no command/);
    assert.match(error(['exec', 'a']), /unknown command "exec"/);
    assert.match(error(['run']), /no notebook given/);
    assert.match(error(['run', 'a', 'b']), /one notebook at a time/);
    assert.match(error(['run', 'a', '--htm', 'x']), /unknown option "--htm"/);
    assert.match(error(['run', 'a', '--html']), /--html needs an output file/);
    assert.match(error(['run', 'a', '--json', '--in-place']), /--json needs an output file/);
    assert.match(error(['run', 'a', '--in-place=yes']), /takes no value/);
  });

  it('reads check FILE with a tolerance, and refuses a tolerance that is not a number', () => {
    assert.deepEqual(parseArgs(['check', 'a.hedgebook']), {
      ok: true,
      value: {
        command: 'check',
        file: 'a.hedgebook',
        tolerance: 1e-9,
        quiet: false,
        allowPaths: [],
      },
    });
    assert.deepEqual(parseArgs(['check', '--tolerance=1e-6', 'a.hedgebook', '--quiet']), {
      ok: true,
      value: {
        command: 'check',
        file: 'a.hedgebook',
        tolerance: 1e-6,
        quiet: true,
        allowPaths: [],
      },
    });
    assert.match(error(['check', 'a', '--tolerance', 'abc']), /--tolerance needs a number >= 0/);
    assert.match(error(['check', 'a', '--tolerance=-1']), /--tolerance needs a number >= 0/);
    assert.match(error(['check', 'a', '--in-place']), /unknown option "--in-place" for check/);
  });

  it('reads export FILE with --html and --ipynb, and needs at least one of them', () => {
    assert.deepEqual(parseArgs(['export', 'a.hedgebook', '--ipynb', 'a.ipynb']), {
      ok: true,
      value: {
        command: 'export',
        file: 'a.hedgebook',
        html: null,
        ipynb: 'a.ipynb',
        allowPaths: [],
      },
    });
    assert.deepEqual(parseArgs(['export', '--html=r.html', 'a.hedgebook', '--ipynb', 'a.ipynb']), {
      ok: true,
      value: {
        command: 'export',
        file: 'a.hedgebook',
        html: 'r.html',
        ipynb: 'a.ipynb',
        allowPaths: [],
      },
    });
    assert.deepEqual(
      parseArgs(['export', 'a.hedgebook', '--html', 'r.html', '--allow-path', '../data']),
      {
        ok: true,
        value: {
          command: 'export',
          file: 'a.hedgebook',
          html: 'r.html',
          ipynb: null,
          allowPaths: ['../data'],
        },
      },
    );
    assert.match(error(['export', 'a.hedgebook']), /export needs --html OUT and \/ or --ipynb OUT/);
    assert.match(error(['export', 'a', '--ipynb']), /--ipynb needs an output file/);
    assert.match(error(['export']), /no notebook given: hedgebook export FILE/);
  });
});
