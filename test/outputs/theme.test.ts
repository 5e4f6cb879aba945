import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { themeFromVariables, themeKindOf } from '../../src/outputs/theme';

describe('theme', () => {
  it('reads the kind from VS Code body classes and data attribute', () => {
    assert.equal(themeKindOf('vscode-dark'), 'dark');
    assert.equal(themeKindOf('foo vscode-high-contrast'), 'high-contrast');
    assert.equal(themeKindOf('', 'vscode-high-contrast-light'), 'high-contrast-light');
    assert.equal(themeKindOf(''), 'light');
  });
  it('takes colours and font from the CSS variables', () => {
    const vars: Record<string, string> = {
      '--vscode-editor-foreground': ' #112233 ',
      '--vscode-charts-red': 'rgb(1, 2, 3)',
      '--vscode-font-size': '15px',
    };
    const t = themeFromVariables('light', (v) => vars[v]);
    assert.equal(t.foreground, '#112233');
    assert.equal(t.negative, 'rgb(1, 2, 3)');
    assert.equal(t.font.size, 15);
  });
  it('ignores a variable that is not a plain colour', () => {
    const t = themeFromVariables('dark', (v) =>
      v === '--vscode-editor-foreground' ? 'red; background: url(http://x)' : undefined,
    );
    assert.equal(t.foreground, '#cccccc');
  });
  it('gives every theme kind ten series colours readable on its background and far apart', () => {
    for (const kind of ['light', 'dark', 'high-contrast', 'high-contrast-light'] as const) {
      const t = themeFromVariables(kind);
      assert.equal(new Set(t.series).size, 10, kind);
      for (const c of t.series)
        assert.ok(contrast(c, t.background) >= 3, `${kind}: ${c} on ${t.background}`);
      t.series.forEach((a, i) =>
        t.series.slice(i + 1).forEach((b) => {
          assert.ok(deltaE(a, b) >= 20, `${kind}: ${a} and ${b} are too alike`);
        }),
      );
    }
  });
  it('draws thicker lines in high contrast', () => {
    assert.ok(themeFromVariables('high-contrast').lineWidth > themeFromVariables('dark').lineWidth);
  });
});

/** WCAG 2 relative luminance and contrast ratio of two #rrggbb colours. */
const channels = (hex: string) =>
  [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map(linear) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
/** CIE76 colour difference (Euclidean distance in CIELAB, D65). */
function deltaE(a: string, b: string): number {
  const lab = (hex: string) => {
    const [r, g, bl] = channels(hex).map(linear) as [number, number, number];
    const x = (0.4124 * r + 0.3576 * g + 0.1805 * bl) / 0.95047;
    const y = 0.2126 * r + 0.7152 * g + 0.0722 * bl;
    const z = (0.0193 * r + 0.1192 * g + 0.9505 * bl) / 1.08883;
    const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
    return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
  };
  const [p, q] = [lab(a), lab(b)];
  return Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!);
}
