/** Escapes text for HTML content and double- or single-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Markup that is safe as it is: built by `html`, or a constant of ours passed to `trusted`. */
export class SafeHtml {
  private constructor(readonly markup: string) {}

  static trusted(markup: string): SafeHtml {
    return new SafeHtml(markup);
  }
}

/** A template tag that escapes every interpolated value unless it is SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: (string | SafeHtml)[]): SafeHtml {
  return SafeHtml.trusted(
    strings.reduce((out, text, i) => {
      const value = values[i - 1];
      return out + (value instanceof SafeHtml ? value.markup : escapeHtml(value)) + text;
    }),
  );
}

// Inline styles are allowed by our CSP (style-src 'unsafe-inline'); inline scripts are not.
const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans Thai", "Leelawadee UI", sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f4f6fb; color: #1b1f29; }
  main { max-width: 34rem; margin: 1.5rem; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 2px 12px rgba(0,0,0,.08); }
  h1 { font-size: 1.4rem; margin: 0 0 1rem; }
  h1 span { display: block; }
  p { line-height: 1.6; }
  .code { display: flex; gap: .5rem; margin: 1.25rem 0 .5rem; }
  .code input { flex: 1; min-width: 0; padding: .6rem .7rem; font: 1rem ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; border: 1px solid #9aa3b5; border-radius: 8px; }
  .code button { padding: .6rem 1rem; font: inherit; font-weight: 600; color: #fff; background: #1a56db; border: 0; border-radius: 8px; cursor: pointer; }
  .status { min-height: 1.6em; font-weight: 600; color: #0f6e3b; }
  .error h1 { color: #b42318; }
  @media (prefers-color-scheme: dark) {
    body { background: #12151c; color: #e6e9ef; } main { background: #1c2130; }
    .code input { background: #12151c; color: inherit; } .status { color: #6ee7a8; }
  }
`;

/** A whole page: Thai first (our users' language), with English alongside. */
export function htmlPage(options: {
  title: string;
  className?: string;
  body: SafeHtml;
  script?: string;
}): string {
  const script = options.script ? html`<script src="${options.script}" defer></script>` : html``;
  return html`<!doctype html>
    <html lang="th">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <link rel="icon" href="data:," />
        <title>${options.title}</title>
        <style>
          ${SafeHtml.trusted(STYLE)}
        </style>
        ${script}
      </head>
      <body>
        <main class="${options.className ?? ''}">${options.body}</main>
      </body>
    </html> `.markup;
}
