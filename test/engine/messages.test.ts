import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeProblem } from '../../src/engine/messages';
import { isoTime, statsMessages } from '../../src/engine/stats-messages';

describe('describeProblem for series and beta problems', () => {
  it('words a located price problem with the asset, the time and the count', () => {
    const text = describeProblem({
      code: 'non_positive_price',
      path: ['prices', 'SOL', 16],
      params: { asset: 'SOL', count: 2, index: 16, time: Date.UTC(2024, 0, 5) },
    });
    assert.match(text, /SOL/);
    assert.match(text, /2 prices/);
    assert.match(text, /first at 2024-01-05,/);
    assert.match(text, /point #17/);
  });

  it('has wording for every code the series, beta and rolling modules create', () => {
    const codes = [
      'duplicate_asset',
      'duplicate_time',
      'empty_series',
      'gap',
      'gaps_more',
      'no_interval',
      'no_series',
      'non_finite_price',
      'non_finite_time',
      'non_positive_price',
      'not_shared',
      'missing_times',
      'too_little_overlap',
      'unsorted_times',
      'downside_beta_unavailable',
      'flat_asset',
      'flat_benchmark',
      'flat_cross_section',
      'flat_window',
      'invalid_parameter',
      'invalid_window',
      'mismatched_lengths',
      'non_finite_value',
      'numeric_range',
      'too_few_points',
      'window_too_long',
    ];
    for (const code of codes) assert.ok(code in statsMessages, code);
  });

  it('says which benchmark value never moved for flat_benchmark', () => {
    const text = describeProblem({
      code: 'flat_benchmark',
      path: ['market'],
      params: { n: 30, value: 0 },
    });
    assert.match(text, /constant over all 30 periods/);
  });

  it('writes a time as precisely as it needs, and a non-time value as it is', () => {
    assert.equal(isoTime(Number.NaN), 'NaN');
    assert.equal(isoTime(0), '1970-01-01');
    assert.equal(isoTime(8 * 3_600_000), '1970-01-01 08:00 UTC');
    assert.equal(isoTime(8 * 3_600_000 + 5000), '1970-01-01 08:00:05 UTC');
  });
});
