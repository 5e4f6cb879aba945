import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleDataFiles, SAMPLE_ASSETS, DAILY, HOURLY } from '../../scripts/samples-data';
import { loadFundingFile, loadPricesFile } from '../../src/data/files';

const root = join(__dirname, '..', '..');

describe('bundled sample data', () => {
  it('is exactly what the seeded generator makes (npm run samples)', () => {
    for (const [path, text] of Object.entries(sampleDataFiles())) {
      assert.equal(
        readFileSync(join(root, path), 'utf8'),
        text,
        `${path} is stale: npm run samples`,
      );
    }
  });

  it('says it is synthetic and lists the true betas in every file', () => {
    for (const [path, text] of Object.entries(sampleDataFiles())) {
      assert.match(text, /synthetic/i, path);
      if (path.endsWith('daily.csv') || path.endsWith('README.md'))
        for (const a of SAMPLE_ASSETS)
          assert.ok(
            text.includes(`${a.asset} ${a.beta.toFixed(2)}`) ||
              text.includes(`| ${a.asset} | ${a.beta.toFixed(2)} |`),
            `${path}: ${a.asset}`,
          );
    }
  });

  it('loads cleanly with the file loaders', async () => {
    for (const [file, spec] of [
      ['daily.csv', DAILY],
      ['hourly.csv', HOURLY],
    ] as const) {
      const r = await loadPricesFile(join(root, 'samples/data', file));
      assert.ok(r.ok && r.warnings.length === 0, JSON.stringify(r));
      assert.deepEqual(
        r.value.series.map((s) => s.asset),
        ['BTC', ...SAMPLE_ASSETS.map((a) => a.asset)],
      );
      assert.ok(r.value.series.every((s) => s.times.length === spec.periods));
      assert.equal(r.value.series[0]!.times[1]! - r.value.series[0]!.times[0]!, spec.intervalMs);
    }
    const f = await loadFundingFile(join(root, 'samples/data/funding.csv'));
    assert.ok(f.ok && f.value.rates.length > 1000);
  });
});
