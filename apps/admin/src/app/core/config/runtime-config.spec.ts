import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { parseRuntimeConfig, resolveWsUrl, RuntimeConfigStore } from './runtime-config';

describe('runtime config', () => {
  describe('resolveWsUrl', () => {
    it('turns a relative path into a wss URL on an https page', () => {
      expect(resolveWsUrl('/graphql', 'https://hub.example.com/admin/')).toBe(
        'wss://hub.example.com/graphql',
      );
    });

    it('turns a relative path into a ws URL on an http page, keeping the port', () => {
      expect(resolveWsUrl('/graphql', 'http://localhost:4200/admin/')).toBe('ws://localhost:4200/graphql');
    });

    it('keeps an absolute ws(s) URL as given', () => {
      expect(resolveWsUrl('wss://api.example.com/graphql', 'http://localhost/admin/')).toBe(
        'wss://api.example.com/graphql',
      );
    });

    it('rejects schemes that cannot carry a WebSocket', () => {
      expect(() => resolveWsUrl('ftp://example.com/graphql', 'https://hub.example.com/')).toThrow(
        /graphqlWsUrl/,
      );
    });
  });

  describe('parseRuntimeConfig', () => {
    it('resolves both URLs against the page base URL', () => {
      expect(
        parseRuntimeConfig(
          { graphqlUrl: '/graphql', graphqlWsUrl: '/graphql' },
          'https://hub.example.com/admin/',
        ),
      ).toEqual({
        graphqlUrl: 'https://hub.example.com/graphql',
        graphqlWsUrl: 'wss://hub.example.com/graphql',
      });
    });

    it('names the missing field', () => {
      expect(() => parseRuntimeConfig({ graphqlUrl: '/graphql' }, 'https://hub.example.com/')).toThrow(
        'config.json: "graphqlWsUrl" must be a non-empty string',
      );
    });
  });

  describe('RuntimeConfigStore', () => {
    let http: HttpTestingController;
    let store: RuntimeConfigStore;

    beforeEach(() => {
      TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
      http = TestBed.inject(HttpTestingController);
      store = TestBed.inject(RuntimeConfigStore);
    });

    afterEach(() => http.verify());

    it('loads config.json relative to the base href and resolves the ws URL from the page', async () => {
      const loading = store.load();
      const request = http.expectOne('config.json');
      expect(request.request.cache).toBe('no-store');
      request.flush({ graphqlUrl: '/graphql', graphqlWsUrl: '/graphql' });
      await loading;

      const page = new URL(document.baseURI);
      expect(page.protocol).toBe('http:');
      expect(store.config.graphqlWsUrl).toBe(`ws://${page.host}/graphql`);
      expect(store.config.graphqlUrl).toBe(`http://${page.host}/graphql`);
    });

    it('fails start-up with a readable reason when config.json is missing', async () => {
      const loading = store.load();
      http.expectOne('config.json').flush('Not found', { status: 404, statusText: 'Not Found' });

      await expect(loading).rejects.toThrow('Could not load config.json (HTTP 404)');
      expect(() => store.config).toThrow(/before config.json was loaded/);
    });
  });
});
