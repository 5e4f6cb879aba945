/** What "Hedgebook: New Notebook" and "Hedgebook: Open Sample" write, as pure functions: a
 *  starter notebook that runs as it is (prices from a file that exists, settings from the user's
 *  defaults, a portfolio of the dataset's own assets, its betas, an instrument on the benchmark
 *  and a hedge to β = 0), and the data files a sample notebook reads. */
import { validateCell } from './check';
import { parseNotebookFile } from './file-format';
import { parseCell } from './parse';
import { SettingsCell } from './schemas';

export interface StarterCell {
  readonly kind: 'markdown' | 'code';
  readonly text: string;
}

export interface StarterOptions {
  /** The prices file as the cell writes it (relative to the notebook, or absolute). */
  readonly file: string;
  /** The file's assets (its columns), in file order. */
  readonly assets: readonly string[];
  /** The bundled synthetic sample data (the markdown says so). */
  readonly sample: boolean;
  /** The user's defaults for a settings cell (hedgebook.defaultBenchmark/Returns/Window). */
  readonly defaults?: { benchmark?: string; returns?: string; window?: string };
}

/** The settings a starter writes: the user's defaults where they are valid and the benchmark is
 *  in the data, else the language's own defaults (BTC when the data has it, simple, all). */
export function starterSettings(
  assets: readonly string[],
  defaults: StarterOptions['defaults'] = {},
): { benchmark: string; returns: string; window: string } {
  const valid = (key: 'returns' | 'window', v: string | undefined) =>
    v !== undefined &&
    v.trim() !== '' &&
    SettingsCell.safeParse({ [key]: v.trim() }).success &&
    v.trim();
  const wanted = defaults.benchmark?.trim();
  const benchmark =
    wanted && assets.includes(wanted)
      ? wanted
      : assets.includes('BTC')
        ? 'BTC'
        : (assets[0] ?? 'BTC');
  return {
    benchmark,
    returns: valid('returns', defaults.returns) || 'simple',
    window: valid('window', defaults.window) || 'all',
  };
}

/** The cells of a new notebook over a prices file with these assets. */
export function starterCells(o: StarterOptions): StarterCell[] {
  const s = starterSettings(o.assets, o.defaults);
  const held = o.assets.filter((a) => a !== s.benchmark).slice(0, 3);
  const amounts = ['20k usd', '15k usd', '10k usd'];
  const holdings = [
    ...held.map((a, i) => `${a}: ${amounts[i] ?? '10k usd'}`),
    `${s.benchmark}: 10k usd`,
  ].join(', ');
  const instrument = `${s.benchmark}USDT-PERP`;
  const data = o.sample
    ? `the **synthetic** sample prices in \`${o.file}\` (made by a seeded model, not market data)`
    : `the prices in \`${o.file}\``;
  return [
    {
      kind: 'markdown',
      text: [
        '# Hedge notebook',
        '',
        `This notebook reads ${data}, measures each coin's beta to ${s.benchmark}, values a`,
        `portfolio and sizes a short ${instrument} perpetual that takes its beta to 0.`,
        'Run All to see it work, then change the holdings or `target_beta` (0.5 keeps half the upside).',
        '',
        'Each code cell is a small YAML document in the `hedge` language: hover a key to see what it',
        'means, press Ctrl+Space for what can come next, F12 on a name to go to the cell declaring it.',
      ].join('\n'),
    },
    { kind: 'code', text: `prices: daily\nfile: ${o.file}` },
    {
      kind: 'code',
      text: `benchmark: ${s.benchmark}\nreturns: ${s.returns}\nwindow: ${s.window}`,
    },
    { kind: 'code', text: `portfolio: core\nholdings: { ${holdings} }` },
    { kind: 'code', text: 'betas: core' },
    {
      kind: 'code',
      text: `instrument: ${instrument}\ntype: perpetual\nsettlement: linear\nunderlying: ${s.benchmark}\ncontract_size: 0.001`,
    },
    {
      kind: 'code',
      text: `hedge: core\nwith: ${instrument}\ntarget_beta: 0\nleverage: 3`,
    },
  ];
}

/** The relative files a notebook's prices cells read (for copying a sample with its data). */
export function notebookDataFiles(notebookText: string): string[] {
  const parsed = parseNotebookFile(notebookText);
  if (!parsed.ok) return [];
  const files: string[] = [];
  for (const cell of parsed.value.cells) {
    if (cell.kind !== 'code' || cell.language !== 'hedge') continue;
    const spec = validateCell(parseCell(cell.source)).spec;
    if (spec?.kind === 'prices' && spec.file !== null && !files.includes(spec.file))
      files.push(spec.file);
  }
  return files;
}
