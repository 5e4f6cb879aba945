// Entry of the HTML report's renderer bundle (dist/report-renderer.js, one IIFE with plotly
// inlined): finds the outputs the report page embeds and draws each through the same activate()
// / renderOutputItem() as the notebook renderer, so report and editor charts are identical.
// The page follows the reader's light/dark preference via the body class the renderer watches.
import { activate } from './index';

const OUTPUT_SELECTOR = 'div.hb-output[data-output-id]';

function applyColorScheme(): void {
  const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  document.body.classList.toggle('vscode-dark', dark);
  document.body.classList.toggle('vscode-light', !dark);
}

function start(): void {
  applyColorScheme();
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', applyColorScheme);
  const api = activate({
    workspace: { isTrusted: true },
    setState: () => undefined,
    getState: () => undefined,
    getRenderer: async () => undefined,
  });
  const encoder = new TextEncoder();
  for (const target of document.querySelectorAll<HTMLElement>(OUTPUT_SELECTOR)) {
    const source = target.nextElementSibling;
    if (!(source instanceof HTMLScriptElement) || source.type !== 'application/json') continue;
    const text = source.textContent ?? '';
    const mime = target.dataset.mime ?? '';
    void api.renderOutputItem(
      {
        id: target.dataset.outputId ?? '',
        mime,
        metadata: undefined,
        text: () => text,
        json: () => JSON.parse(text),
        data: () => encoder.encode(text),
        blob: () => new Blob([text], { type: mime }),
      },
      target,
      new AbortController().signal,
    );
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
