import { HttpParams } from '@angular/common/http';
import { inject, Injectable, Injector } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import {
  type DataExportFieldsFragment,
  ExportMyDataDocument,
  MyDataExportDocument,
} from '../../../core/graphql/operations.generated';
import { requireData } from '../../../core/graphql/require-data';
import { AuthenticatedDownloads, type DownloadedFile } from '../../../shared/data/download';

export type DataExport = DataExportFieldsFragment;

const EXPORT_PATH = 'api/v1/me/export';

/** The caller's GDPR export: ask for one, follow it while it is prepared, download the file. */
@Injectable({ providedIn: 'root' })
export class DataExportApi {
  private readonly apollo = inject(Apollo);
  // Resolved on the first download: the account page shows this card beside others, and only the
  // download needs HttpClient (the account page's spec provides none).
  private readonly injector = inject(Injector);

  /** The latest export, or null when there has never been one. */
  latest(): Observable<DataExport | null> {
    return this.apollo.query({ query: MyDataExportDocument, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.myDataExport),
    );
  }

  /** Starts an export, or answers the one already being prepared. */
  request(): Observable<DataExport> {
    return this.apollo.mutate({ mutation: ExportMyDataDocument }).pipe(
      requireData(),
      map((data) => data.exportMyData),
    );
  }

  /** The newest ready export as a JSON file (an authenticated REST download). */
  download(): Observable<DownloadedFile> {
    return this.injector.get(AuthenticatedDownloads).file(EXPORT_PATH, new HttpParams(), 'smart-ai-hub-export.json', 'application/json');
  }
}
