import { HttpClient, HttpHeaders, type HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
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
          blob: response.body ?? new Blob([], { type: 'text/csv' }),
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
