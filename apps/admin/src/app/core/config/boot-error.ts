/**
 * Last-resort screen for a failed bootstrap (most often an unreachable or invalid config.json),
 * so operators see what went wrong instead of a blank page. Plain DOM: Angular is not running.
 */
export function showBootError(error: unknown): void {
  const host = document.querySelector('sah-root') ?? document.body;
  const main = document.createElement('main');
  main.className = 'boot-error';
  main.setAttribute('role', 'alert');

  const title = document.createElement('h1');
  title.textContent = 'Smart AI Hub could not start';
  const detail = document.createElement('p');
  const code = document.createElement('code');
  code.textContent = error instanceof Error ? error.message : String(error);
  detail.append(code);
  const hint = document.createElement('p');
  hint.textContent = 'Check that the API is running and serves config.json next to this page, then reload.';
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.textContent = 'Reload';
  reload.addEventListener('click', () => location.reload());

  main.append(title, detail, hint, reload);
  host.replaceChildren(main);
}
