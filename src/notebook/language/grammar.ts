/** The TextMate grammar of `hedge` cells (syntaxes/hedge.tmLanguage.json, written by
 *  `npm run docs`): YAML (VS Code's own grammar, `source.yaml`) with the language's tokens
 *  injected over it: the kind on a cell's first key, the keys each kind accepts (a misspelt key
 *  stays plain), declared names after the keys that take one, enum words, assets, USD amounts
 *  (`10k usd`), percentages (`25%`), dates and windows (`180d`). The word lists come from the
 *  schemas' metadata, so a new kind or key is highlighted once the grammar is rewritten. Pure. */
import { DECLARING_KINDS, keyDocs, kinds } from './docs';
import { SETTINGS_KEYS } from '../parse';

const alt = (words: Iterable<string>) =>
  [...new Set(words)]
    .sort((a, b) => b.length - a.length || a.localeCompare(b))
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');

export const GRAMMAR_SCOPES = {
  kind: 'keyword.control.kind.hedge',
  key: 'support.type.property-name.hedge',
  name: 'entity.name.type.hedge',
  word: 'support.constant.hedge',
  asset: 'constant.language.asset.hedge',
  amount: 'constant.numeric.amount.hedge',
  percent: 'constant.numeric.percent.hedge',
  date: 'constant.other.date.hedge',
  window: 'constant.numeric.window.hedge',
  colon: 'punctuation.separator.key-value.hedge',
} as const;

export function hedgeGrammar(): Record<string, unknown> {
  const S = GRAMMAR_SCOPES;
  // Settings keys (`benchmark:`) are keys: a settings cell has no kind word of its own.
  const kindWords: string[] = kinds().filter(
    (k) => !(SETTINGS_KEYS as readonly string[]).includes(k),
  );
  const all = kinds().flatMap((k) => keyDocs(k));
  const keys = all.map((d) => d.key);
  const nameKeys = all.filter((d) => d.names).map((d) => d.key);
  const kindNameKeys = nameKeys.filter((k) => kindWords.includes(k));
  const bodyNameKeys = nameKeys.filter((k) => !kindWords.includes(k));
  const declaring = DECLARING_KINDS.filter((k) => kindWords.includes(k));
  const enumKeys = all.filter((d) => d.values);
  const enumWords = enumKeys.flatMap((d) => d.values ?? []);
  const kindKeyCapture = { '1': { name: S.kind }, '3': { name: S.colon } };
  const NAME = '[A-Za-z0-9_][A-Za-z0-9._/-]*';
  const END = '(?=\\s*(?:#.*)?$)';
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'Hedge',
    scopeName: 'source.hedge',
    comment:
      'Generated from the cell schemas by npm run docs (src/notebook/language/grammar.ts): do not edit.',
    patterns: [{ include: 'source.yaml' }],
    injections: {
      'L:source.hedge -comment -string.quoted': {
        patterns: [
          { include: '#declaration' },
          { include: '#kind-reference' },
          { include: '#reference' },
          { include: '#enum' },
          { include: '#kind-key' },
          { include: '#key' },
          { include: '#amount' },
          { include: '#percent' },
          { include: '#date' },
          { include: '#window' },
          { include: '#asset' },
        ],
      },
    },
    repository: {
      declaration: {
        comment: 'The first line of a cell that declares a name: portfolio: core',
        match: `^(${alt(declaring)})(\\s*)(:)\\s+(${NAME})${END}`,
        captures: { ...kindKeyCapture, '4': { name: S.name } },
      },
      'kind-reference': {
        comment: 'The first line of a cell about a declared name: hedge: core',
        match: `^(${alt(kindNameKeys)})(\\s*)(:)\\s+(?!all\\b)(${NAME})${END}`,
        captures: { ...kindKeyCapture, '4': { name: S.name } },
      },
      reference: {
        comment: 'A key whose value is a declared name: with: BTCUSDT-PERP, data: daily',
        match: `^(${alt(bodyNameKeys)})(\\s*)(:)\\s+(?!all\\b)(${NAME})${END}`,
        captures: {
          '1': { name: S.key },
          '3': { name: S.colon },
          '4': { name: S.name },
        },
      },
      enum: {
        comment: 'A key whose value is one of a few words: returns: log',
        match: `^(${alt(enumKeys.map((d) => d.key))})(\\s*)(:)\\s+(${alt(enumWords)})${END}`,
        captures: { '1': { name: S.key }, '3': { name: S.colon }, '4': { name: S.word } },
      },
      'kind-key': {
        comment: 'The key that says what a cell is',
        match: `^(${alt(kindWords)})(\\s*)(:)(?=\\s|$)`,
        captures: kindKeyCapture,
      },
      key: {
        comment: 'A key of the language (a misspelt key is left plain)',
        match: `^(\\s*)(${alt(keys)})(\\s*)(:)(?=\\s|$)`,
        captures: { '2': { name: S.key }, '4': { name: S.colon } },
      },
      amount: {
        comment: 'A USD amount: 10000usd, 10,000 USD, $10000, 10k usd, 1.5m usd',
        match:
          '(?<![\\w.$])(?:\\$\\s*\\d(?:[\\d_]|,(?=\\d))*(?:\\.\\d+)?\\s*[kKmM]?|\\d(?:[\\d_]|,(?=\\d))*(?:\\.\\d+)?\\s*[kKmM]?\\s*(?:[uU][sS][dD][tTcC]?|\\$))(?![\\w$])',
        name: S.amount,
      },
      percent: {
        match: '(?<![\\w.])[+-]?\\d+(?:\\.\\d+)?\\s*%',
        name: S.percent,
      },
      date: {
        match:
          '(?<![\\w.-])\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?(?![\\w.-])',
        name: S.date,
      },
      window: {
        comment: 'A length of time or bar: 180d, 720h, 4w, 1y, 30min, 4h',
        match: '(?<![\\w.])\\d+(?:\\.\\d+)?(?:min|[mhdwy])(?![\\w.])',
        name: S.window,
      },
      asset: {
        comment: 'An asset symbol: capitals and digits (BTC, ETH, 1INCH)',
        match: '(?<![\\w./-])(?=[A-Z0-9]*[A-Z])[A-Z0-9]{2,16}(?![\\w./-])',
        name: S.asset,
      },
    },
  };
}
