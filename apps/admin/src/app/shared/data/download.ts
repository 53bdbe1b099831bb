import { HttpClient, HttpHeaders, type HttpParams } from '@angular/common/http';
import { DOCUMENT, inject, Injectable, signal, type Signal } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { map, type Observable } from 'rxjs';

import { AuthStore } from '../../core/auth/auth.store';
import { RuntimeConfigStore } from '../../core/config/runtime-config';

export interface DownloadedFile {
  readonly blob: Blob;
  /** As the server named it (Content-Disposition), else a default. */
  readonly fileName: string;
}

/**
 * The API's REST reports (CSV exports) need the bearer token, so a plain link would carry no
 * credentials: they are fetched here and handed to the caller to save (see `saveFile`).
 */
@Injectable({ providedIn: 'root' })
export class AuthenticatedDownloads {
  private readonly http = inject(HttpClient);
  private readonly auth = inject(AuthStore);
  private readonly config = inject(RuntimeConfigStore);

  /** `path` is relative to the GraphQL endpoint: the API serves both. */
  csv(path: string, params: HttpParams, fallbackName: string): Observable<DownloadedFile> {
    return this.file(path, params, fallbackName, 'text/csv');
  }

  /** Any attachment the API serves to the signed-in user (a CSV report, the GDPR export's JSON). */
  file(path: string, params: HttpParams, fallbackName: string, type: string): Observable<DownloadedFile> {
    const token = this.auth.accessToken();
    const url = new URL(path, this.config.config.graphqlUrl).href;
    return this.http
      .get(url, {
        params,
        headers: token ? new HttpHeaders({ Authorization: `Bearer ${token}` }) : undefined,
        responseType: 'blob',
        observe: 'response',
      })
      .pipe(
        map((response) => ({
          blob: response.body ?? new Blob([], { type }),
          fileName: attachmentName(response.headers.get('Content-Disposition')) ?? fallbackName,
        })),
      );
  }
}

/** `attachment; filename="credit-transactions-20260301T120000Z.csv"` → the file name. */
export function attachmentName(header: string | null): string | null {
  const name = header ? /filename="?([^";]+)"?/i.exec(header)?.[1] : undefined;
  // Only the last path segment, whatever the server sent.
  return name?.split(/[\\/]/).pop()?.trim() || null;
}

/**
 * Hands a fetched file to the browser's download manager. Authenticated REST downloads cannot be
 * plain links (a link carries no bearer token), so they are fetched first and saved from memory.
 */
export function saveFile(document: Document, blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked on the next turn: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(url));
}

/** A download button's state and action (see `fileDownload`). */
export interface FileDownload<A extends unknown[]> {
  /** A download is under way: the button waits. */
  readonly busy: Signal<boolean>;
  /** Fetches the file and saves it; ignored while one is under way. */
  start(...args: A): void;
}

/**
 * A download started from a button: fetches the file, hands it to the browser (`saveFile`), and says
 * in a snack bar why it failed (`failure`). Call from an injection context (a component field).
 */
export function fileDownload<A extends unknown[]>(
  fetch: (...args: A) => Observable<DownloadedFile>,
  failure: (error: unknown) => string,
): FileDownload<A> {
  const document = inject(DOCUMENT);
  const snackBar = inject(MatSnackBar);
  const busy = signal(false);
  return {
    busy: busy.asReadonly(),
    start: (...args) => {
      if (busy()) return;
      busy.set(true);
      fetch(...args).subscribe({
        next: ({ blob, fileName }) => {
          busy.set(false);
          saveFile(document, blob, fileName);
        },
        error: (error: unknown) => {
          busy.set(false);
          snackBar.open(failure(error), 'Dismiss', { duration: 8000 });
        },
      });
    },
  };
}
