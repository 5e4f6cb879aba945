/** Chart theme taken from VS Code's CSS variables, with defaults for light, dark and the two
 *  high-contrast kinds (used when a variable is missing, e.g. in the HTML report). Pure: the
 *  renderer passes a function that reads a variable; nothing here touches the DOM. */

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface Theme {
  readonly kind: ThemeKind;
  readonly foreground: string;
  readonly background: string;
  /** Secondary text: axis titles' notes, annotations. */
  readonly muted: string;
  readonly grid: string;
  /** Series colours, in order: SERIES_PALETTES of the theme's kind. Ten colours, each at least
   *  3:1 against the kind's background and well apart from the others (CIE76 ΔE ≥ 20); series
   *  beyond ten repeat them with a dashed line / another marker (seriesStyle). */
  readonly series: readonly string[];
  readonly positive: string;
  readonly negative: string;
  readonly lineWidth: number;
  readonly font: { readonly family: string; readonly size: number };
}

/** Series colours per theme kind. Not VS Code's six chart colours: on light themes their orange
 *  and yellow are nearly the same (ΔE 10), and six repeat too soon for a chart of 20 assets.
 *  Order: blue, orange, green, purple, red, teal, magenta, brown, gold, slate. */
export const SERIES_PALETTES: Record<ThemeKind, readonly string[]> = {
  light: [
    '#1a73e8',
    '#d35400',
    '#2e7d32',
    '#7b1fa2',
    '#c62828',
    '#00838f',
    '#c2185b',
    '#6d4c41',
    '#9e7c0c',
    '#546e7a',
  ],
  dark: [
    '#4da3ff',
    '#ff9f43',
    '#7bd17b',
    '#c39bd3',
    '#ff6b6b',
    '#4dd0e1',
    '#f48fb1',
    '#d7b98e',
    '#ffe066',
    '#b0bec5',
  ],
  'high-contrast': [
    '#3794ff',
    '#ff9a00',
    '#89d185',
    '#d18fff',
    '#f48771',
    '#40e0d0',
    '#ff69b4',
    '#d2b48c',
    '#ffd700',
    '#e0e0e0',
  ],
  'high-contrast-light': [
    '#0f4a85',
    '#b5200d',
    '#2d6a26',
    '#5e2b97',
    '#8a1538',
    '#00695c',
    '#c2185b',
    '#5d4037',
    '#7a5c00',
    '#37474f',
  ],
};

/** The CSS variables a theme is read from (VS Code sets them on the webview's root). */
export const THEME_VARIABLES = {
  foreground: '--vscode-editor-foreground',
  background: '--vscode-editor-background',
  muted: '--vscode-descriptionForeground',
  grid: '--vscode-charts-lines',
  green: '--vscode-charts-green',
  red: '--vscode-charts-red',
  fontFamily: '--vscode-font-family',
  fontSize: '--vscode-font-size',
} as const;

type Palette = Record<keyof typeof THEME_VARIABLES, string>;

const FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Ubuntu, "Helvetica Neue", sans-serif';

const DEFAULTS: Record<ThemeKind, Palette> = {
  light: {
    foreground: '#3b3b3b',
    background: '#ffffff',
    muted: '#717171',
    grid: 'rgba(97, 97, 97, 0.25)',
    green: '#388a34',
    red: '#e51400',
    fontFamily: FONT,
    fontSize: '13px',
  },
  dark: {
    foreground: '#cccccc',
    background: '#1f1f1f',
    muted: '#9d9d9d',
    grid: 'rgba(204, 204, 204, 0.2)',
    green: '#89d185',
    red: '#f14c4c',
    fontFamily: FONT,
    fontSize: '13px',
  },
  'high-contrast': {
    foreground: '#ffffff',
    background: '#000000',
    muted: '#ffffff',
    grid: 'rgba(255, 255, 255, 0.45)',
    green: '#89d185',
    red: '#f48771',
    fontFamily: FONT,
    fontSize: '13px',
  },
  'high-contrast-light': {
    foreground: '#292929',
    background: '#ffffff',
    muted: '#292929',
    grid: 'rgba(41, 41, 41, 0.5)',
    green: '#2d6a26',
    red: '#b5200d',
    fontFamily: FONT,
    fontSize: '13px',
  },
};

/** Accepts only plain colour syntax (hex, rgb[a], hsl[a], a named colour), so a variable's
 *  value can never carry anything else into a style attribute. */
function safeColor(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^#[0-9a-f]{3,8}$/i.test(v)) return v;
  if (/^(rgb|rgba|hsl|hsla)\([0-9.,%\s/]+\)$/i.test(v)) return v;
  if (/^[a-z]{3,20}$/i.test(v)) return v;
  return undefined;
}

function safeFont(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v && /^[\w\s"',.-]+$/.test(v) ? v : undefined;
}

/** The theme kind from the body's class list / data attribute as VS Code sets them
 *  (`vscode-light`, `vscode-dark`, `vscode-high-contrast`, `vscode-high-contrast-light`). */
export function themeKindOf(classes: string, dataKind?: string | null): ThemeKind {
  const tokens = `${dataKind ?? ''} ${classes}`.split(/\s+/);
  if (tokens.includes('vscode-high-contrast-light')) return 'high-contrast-light';
  if (tokens.includes('vscode-high-contrast')) return 'high-contrast';
  if (tokens.includes('vscode-dark')) return 'dark';
  if (tokens.includes('vscode-light')) return 'light';
  return 'light';
}

/** A theme for a kind, each colour read from its CSS variable when set and valid. */
export function themeFromVariables(
  kind: ThemeKind,
  read: (variable: string) => string | undefined = () => undefined,
): Theme {
  const d = DEFAULTS[kind];
  const color = (key: keyof typeof THEME_VARIABLES) =>
    safeColor(read(THEME_VARIABLES[key])) ?? d[key];
  const size = Number.parseFloat(read(THEME_VARIABLES.fontSize) ?? '');
  const highContrast = kind === 'high-contrast' || kind === 'high-contrast-light';
  return {
    kind,
    foreground: color('foreground'),
    background: color('background'),
    muted: color('muted'),
    grid: color('grid'),
    series: SERIES_PALETTES[kind],
    positive: color('green'),
    negative: color('red'),
    lineWidth: highContrast ? 2.5 : 1.5,
    font: {
      family: safeFont(read(THEME_VARIABLES.fontFamily)) ?? d.fontFamily,
      size: Number.isFinite(size) && size >= 8 && size <= 32 ? size : 13,
    },
  };
}

/** The default theme of a kind (no CSS variables available). */
export function defaultTheme(kind: ThemeKind = 'light'): Theme {
  return themeFromVariables(kind);
}
