// The Hedgebook notebook renderer (contributes.notebookRenderer): draws a
// application/vnd.hedgebook.result+json output as tables and interactive plotly charts.
// Lifecycle as in microsoft/vscode-notebook-renderers: a map outputId -> view, the old view is
// disposed before a re-render and in disposeOutputItem; plotly is imported lazily (its own
// chunk) so outputs without charts never load it; charts follow theme changes.
//
// Trust: nothing in a payload is ever interpreted as markup or code (DOM text via textContent,
// plotly strings entity-escaped by the figure builders), so results render the same in a
// Restricted Mode workspace; ctx.workspace.isTrusted is recorded on the output element.
import type {
  ActivationFunction,
  OutputItem,
  RendererApi,
  RendererContext,
} from 'vscode-notebook-renderer';
import { CellResult, RESULT_MIME } from '../src/results';
import { themeFromVariables, themeKindOf, type Theme } from '../src/outputs/theme';
import { el, ensureStyle } from './dom';
import type { PlotlyApi } from './plotly';
import { mountView, type View } from './view';

/** The current VS Code theme of the webview: kind from the body's class / data attribute,
 *  colours and font from the CSS variables. */
export function readTheme(doc: Document = document): Theme {
  const body = doc.body;
  const style = getComputedStyle(body);
  return themeFromVariables(
    themeKindOf(body.className, body.getAttribute('data-vscode-theme-kind')),
    (name) => style.getPropertyValue(name) || undefined,
  );
}

function showError(element: HTMLElement, message: string, details: string[] = []): void {
  const box = el('div', 'hb-result hb-error');
  box.append(el('strong', undefined, message));
  if (details.length > 0) {
    const list = el('ul');
    for (const d of details.slice(0, 10)) list.append(el('li', undefined, d));
    box.append(list);
  }
  element.replaceChildren(box);
}

/** An output exported to .ipynb whose charts follow as plotly outputs of their own
 *  (src/outputs/ipynb.ts): its metadata, as VS Code's .ipynb serializer hands it over, says so. */
export function chartsElsewhere(metadata: unknown): boolean {
  const jupyter = (metadata as { metadata?: { hedgebook?: { charts?: unknown } } } | undefined)
    ?.metadata;
  return jupyter?.hedgebook?.charts === 'plotly-outputs';
}

export function activate(ctx: RendererContext<unknown>): RendererApi {
  const views = new Map<string, View>();
  let plotly: Promise<PlotlyApi> | null = null;
  const loadPlotly = () => {
    plotly ??= import('./plotly').then((m) => m.default);
    return plotly;
  };

  // Follow theme changes: VS Code swaps the body class and the CSS variables on the root.
  let pending = 0;
  const onThemeChange = () => {
    if (pending) return;
    pending = window.setTimeout(() => {
      pending = 0;
      const theme = readTheme();
      for (const v of views.values()) void v.setTheme(theme);
    }, 30);
  };
  const observer = new MutationObserver(onThemeChange);
  observer.observe(document.body, {
    attributes: true,
    attributeFilter: ['class', 'data-vscode-theme-kind', 'style'],
  });
  observer.observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['style', 'class'],
  });

  const dispose = (id: string) => {
    views.get(id)?.dispose();
    views.delete(id);
  };

  return {
    async renderOutputItem(item: OutputItem, element: HTMLElement, signal?: AbortSignal) {
      dispose(item.id);
      ensureStyle(element.ownerDocument);
      element.dataset.trusted = String(ctx.workspace.isTrusted);
      if (item.mime !== RESULT_MIME) {
        showError(element, `Hedgebook cannot draw ${item.mime}.`);
        return;
      }
      let payload: unknown;
      try {
        payload = item.json();
      } catch {
        showError(element, 'This Hedgebook output is not valid JSON; run the cell again.');
        return;
      }
      const parsed = CellResult.safeParse(payload);
      if (!parsed.success) {
        showError(
          element,
          'This Hedgebook output was written by another version or is damaged; run the cell again.',
          parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
        );
        return;
      }
      const view = await mountView(
        element,
        parsed.data,
        readTheme(),
        loadPlotly,
        signal ?? new AbortController().signal,
        !chartsElsewhere(item.metadata),
      );
      views.get(item.id)?.dispose(); // a newer render of the same id finished first
      views.set(item.id, view);
    },
    disposeOutputItem(id?: string) {
      if (id !== undefined) dispose(id);
      else for (const key of [...views.keys()]) dispose(key);
    },
  };
}

const _activateIsARendererEntry: ActivationFunction = activate;
