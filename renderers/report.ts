// Entry of the HTML report's renderer bundle (dist/report-renderer.js, one IIFE with plotly
// inlined): finds the outputs the report page embeds and draws each through the same activate()
// / renderOutputItem() as the notebook renderer, so report and editor charts are identical.
// The page follows the reader's light/dark preference via the body class the renderer watches.
// Printing: plotly draws each chart at the screen width of its box; a printed page is narrower,
// so each chart gets a CSS zoom for print (--hb-print-zoom, used by the report's print styles)
// that fits it in PRINT_WIDTH_PX, kept current as charts draw and the window resizes.
import { activate } from './index';

const OUTPUT_SELECTOR = 'div.hb-output[data-output-id]';
/** The printable width of A4 or Letter with the report's margins, in CSS pixels. */
const PRINT_WIDTH_PX = 680;

function fitChartsForPrint(): void {
  // Measured on the screen layout only: in print the zoom itself changes the widths.
  if (window.matchMedia?.('print').matches) return;
  for (const chart of document.querySelectorAll<HTMLElement>('.hb-chart')) {
    const width = chart.offsetWidth;
    if (width > 0)
      chart.style.setProperty('--hb-print-zoom', String(Math.min(1, PRINT_WIDTH_PX / width)));
  }
}

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
  let timer = 0;
  const later = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(fitChartsForPrint, 250);
  };
  window.addEventListener('beforeprint', fitChartsForPrint);
  window.addEventListener('resize', later);
  new MutationObserver(later).observe(document.body, {
    subtree: true,
    childList: true,
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
