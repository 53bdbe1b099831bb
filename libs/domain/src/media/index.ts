export * from './media-model';
export * from './media-job';
export * from './ports/media-provider';
export * from './ports/media-store';
