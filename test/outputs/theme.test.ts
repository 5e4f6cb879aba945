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
      '--vscode-charts-orange': 'rgb(1, 2, 3)',
      '--vscode-font-size': '15px',
    };
    const t = themeFromVariables('light', (v) => vars[v]);
    assert.equal(t.foreground, '#112233');
    assert.equal(t.series[1], 'rgb(1, 2, 3)');
    assert.equal(t.font.size, 15);
  });
  it('ignores a variable that is not a plain colour', () => {
    const t = themeFromVariables('dark', (v) =>
      v === '--vscode-editor-foreground' ? 'red; background: url(http://x)' : undefined,
    );
    assert.equal(t.foreground, '#cccccc');
  });
  it('draws thicker lines in high contrast', () => {
    assert.ok(themeFromVariables('high-contrast').lineWidth > themeFromVariables('dark').lineWidth);
  });
});
