/** Completions while typing a cell: the kinds on the first line (with a snippet that fills the
 *  keys a working cell needs), the keys of the cell's kind not yet written, and values: the
 *  words an enum allows, the names other cells declare where a name is expected, the assets of
 *  the loaded dataset where an asset is expected, and files after `file:`. Everything a
 *  completion says comes from the schemas' metadata (docs.ts). Pure but for `listFiles`, which
 *  the caller provides (the editor reads the notebook's folder). */
import type { Range } from '../location';
import type { KeyMeta } from '../meta';
import type { NameKind } from '../names';
import type { CellKind } from '../parse';
import { cursorContext, keysInText, kindOfText, type Position } from './cursor';
import {
  keyDoc,
  keyDocs,
  keyMarkdown,
  kindMarkdown,
  kinds,
  snippetKeys,
  type KeyDoc,
} from './docs';
import { knownAssets, type NotebookModel } from './model';

export type CompletionKind = 'kind' | 'key' | 'value' | 'name' | 'asset' | 'file' | 'folder';

export interface Completion {
  readonly label: string;
  readonly kind: CompletionKind;
  /** One line beside the label. */
  readonly detail: string;
  /** Markdown shown beside the list. */
  readonly documentation?: string;
  /** The text inserted in place of `range`; a snippet (`${1:core}`) when `snippet`. */
  readonly insertText: string;
  readonly snippet: boolean;
  readonly range: Range;
  /** Keeps the list in this order (the editor sorts by it). */
  readonly sortText: string;
  /** After inserting, ask for completions again (a key whose value has choices). */
  readonly retrigger?: boolean;
}

export interface FileEntry {
  readonly name: string;
  readonly directory: boolean;
}

export interface CompletionOptions {
  /** Lists a folder relative to where the notebook's files resolve ('' = that folder itself);
   *  undefined when it does not exist or cannot be read. */
  listFiles?(relativeDir: string): Promise<readonly FileEntry[] | undefined>;
  /** The user's defaults for a settings cell (the editor's hedgebook.default* settings). */
  readonly defaults?: { benchmark?: string; returns?: string; window?: string };
}

const order = (i: number) => String(i).padStart(4, '0');

const escapeSnippet = (s: string) => s.replace(/[$}\\]/g, (c) => `\\${c}`);
const escapeChoice = (s: string) => s.replace(/[$}\\,|]/g, (c) => `\\${c}`);

/** The snippet a kind's completion inserts: its first line and the keys a working cell needs,
 *  each value a placeholder (a choice of the declared names where a name is expected). */
export function kindSnippet(
  kind: CellKind,
  model: NotebookModel | null,
  defaults: CompletionOptions['defaults'] = {},
): string {
  let n = 0;
  const placeholder = (d: KeyMeta & { key: string }) => {
    n++;
    const names = d.names && model ? model.declared(d.names) : [];
    const fromDefaults =
      kind === 'settings'
        ? defaults[d.key as keyof typeof defaults]?.trim() || undefined
        : undefined;
    let choices = [...names, ...(d.values ?? [])];
    if (fromDefaults !== undefined && choices.includes(fromDefaults))
      choices = [fromDefaults, ...choices.filter((c) => c !== fromDefaults)];
    if (choices.length > 1) return `\${${n}|${choices.map(escapeChoice).join(',')}|}`;
    return `\${${n}:${escapeSnippet(choices[0] ?? fromDefaults ?? d.example)}}`;
  };
  const docs = snippetKeys(kind);
  // A settings cell has no first line of its own: it starts with its first setting.
  const head = kind === 'settings' ? undefined : keyDoc(kind, kind);
  const lines: string[] = [];
  if (head) lines.push(`${kind}: ${placeholder(head)}`);
  for (const d of docs) if (d.key !== kind) lines.push(`${d.key}: ${placeholder(d)}`);
  return `${lines.join('\n')}\n$0`;
}

function nameDetail(model: NotebookModel, kind: NameKind, name: string): string {
  const o = model.occurrences.find(
    (x) => x.kind === kind && x.name === name && x.role === 'declaration',
  );
  const cell = o ? model.cell(o.cellId) : undefined;
  return cell ? `${kind} declared in cell ${cell.number}` : kind;
}

function valueItems(
  model: NotebookModel,
  cellId: string,
  d: KeyDoc,
  at: { range: Range; inSequence: boolean },
): Completion[] {
  const items: Completion[] = [];
  const add = (label: string, kind: CompletionKind, detail: string, documentation?: string) =>
    items.push({
      label,
      kind,
      detail,
      ...(documentation ? { documentation } : {}),
      insertText: label,
      snippet: false,
      range: at.range,
      sortText: order(items.length),
    });
  // In a list only assets fit (`betas: [ETH, SOL]`); names and words stand alone.
  if (!at.inSequence) {
    for (const v of d.values ?? []) add(v, 'value', `${d.key}: ${v}`);
    if (d.names)
      for (const name of model.declared(d.names))
        add(name, 'name', nameDetail(model, d.names, name));
    for (const w of d.words ?? []) if (!items.some((i) => i.label === w)) add(w, 'value', d.key);
  }
  const mappingOfAssets = d.example.startsWith('{');
  const listOfAssets = d.example.startsWith('[');
  if (d.assets && !mappingOfAssets && (!listOfAssets || at.inSequence)) {
    const dataset = model.datasetFor(cellId);
    for (const a of knownAssets(model, cellId))
      add(a, 'asset', dataset ? `asset in ${dataset.name}` : 'asset');
  }
  return items;
}

function assetKeyItems(
  model: NotebookModel,
  cellId: string,
  range: Range,
  keyWritten: boolean,
): Completion[] {
  const dataset = model.datasetFor(cellId);
  return knownAssets(model, cellId).map((a, i) => ({
    label: a,
    kind: 'asset' as const,
    detail: dataset ? `asset in ${dataset.name}` : 'asset',
    insertText: keyWritten ? a : `${a}: `,
    snippet: false,
    range,
    sortText: order(i),
  }));
}

async function fileItems(
  word: string,
  range: Range,
  options: CompletionOptions,
): Promise<Completion[]> {
  if (!options.listFiles) return [];
  const slash = Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\'));
  const dir = slash >= 0 ? word.slice(0, slash + 1) : '';
  const entries = await options.listFiles(dir);
  if (!entries) return [];
  const dataFile = /\.(csv|tsv|txt|json)$/i;
  const shown = entries
    .filter((e) => !e.name.startsWith('.') && (e.directory || dataFile.test(e.name)))
    .sort((a, b) =>
      a.directory !== b.directory ? (a.directory ? 1 : -1) : a.name.localeCompare(b.name),
    );
  return shown.map((e, i) => ({
    label: e.directory ? `${e.name}/` : e.name,
    kind: e.directory ? ('folder' as const) : ('file' as const),
    detail: e.directory ? 'folder' : 'price file',
    insertText: `${dir}${e.name}${e.directory ? '/' : ''}`,
    snippet: false,
    range,
    sortText: order(i),
    ...(e.directory ? { retrigger: true } : {}),
  }));
}

/** The completions at `pos` in cell `cellId` of the notebook. */
export async function completions(
  model: NotebookModel,
  cellId: string,
  pos: Position,
  options: CompletionOptions = {},
): Promise<Completion[]> {
  const cell = model.cell(cellId);
  if (!cell) return [];
  const ctx = cursorContext(cell.text, pos);
  if (ctx.inComment) return [];

  if (ctx.at === 'key' && ctx.path.length === 0 && ctx.firstKey) {
    return kinds().map((k, i) => ({
      label: k,
      kind: 'kind' as const,
      detail: 'cell kind',
      documentation: kindMarkdown(k),
      insertText: ctx.keyWritten ? k : kindSnippet(k, model, options.defaults),
      snippet: !ctx.keyWritten,
      range: ctx.range,
      sortText: order(i),
    }));
  }

  const { kind, kindKey } = kindOfText(cell.text);
  if (!kind) return [];
  // The inline body of `pair: { long: …, short: … }` holds the cell's own keys.
  let path = [...ctx.path];
  if (kindKey !== null && path[0] === kindKey && (path.length > 1 || ctx.at === 'key'))
    path = path.slice(1);

  if (ctx.at === 'key' && path.length === 0) {
    const used = new Set(keysInText(cell.text));
    return keyDocs(kind)
      .filter((d) => d.key !== kindKey && d.key !== kind && !used.has(d.key))
      .map((d, i) => {
        const choices = Boolean(d.values || d.names || d.words || d.assets || d.file);
        return {
          label: d.key,
          kind: 'key' as const,
          detail: d.default === 'required' ? 'required' : `default: ${d.default.replace(/`/g, '')}`,
          documentation: keyMarkdown(kind, d),
          insertText: ctx.keyWritten ? d.key : `${d.key}: `,
          snippet: false,
          range: ctx.range,
          sortText: order(i),
          ...(choices && !ctx.keyWritten ? { retrigger: true } : {}),
        };
      });
  }

  const d = path[0] !== undefined ? keyDoc(kind, path[0]) : undefined;
  if (!d) return [];
  if (ctx.at === 'key' && path.length === 1) {
    if (!d.assets) return [];
    // Assets the mapping already holds are not offered again (when the cell parses).
    const written = cell.checked?.parsed.value[d.key];
    const used =
      written && typeof written === 'object' && !Array.isArray(written)
        ? Object.keys(written).filter((a) => a !== ctx.word)
        : [];
    return assetKeyItems(model, cellId, ctx.range, ctx.keyWritten).filter(
      (i) => !used.includes(i.label),
    );
  }
  if (ctx.at !== 'value' || path.length !== 1) return [];
  if (d.file) return fileItems(ctx.word, ctx.range, options);
  return valueItems(model, cellId, d, { range: ctx.range, inSequence: ctx.inSequence });
}
