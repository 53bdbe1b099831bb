import type { RouterTestingHarness } from '@angular/router/testing';
import type { ApolloTestingController } from 'apollo-angular/testing';

import { openListPage } from '../../../shared/testing/routed-list-page';
import { routedPage, typeInto } from '../../../shared/testing/routed-page';
import { aModel } from '../testing/ai-fixtures';
import { parseAliases, toCreateModelInput, toModelForm, toUpdateModelInput } from './model-form';
import { ModelsComponent } from './models.component';

describe('model form helpers', () => {
  it('reads aliases separated by commas or spaces, without blanks or repeats', () => {
    expect(parseAliases(' gpt4, gpt-4-latest,,gpt4  turbo ')).toEqual(['gpt4', 'gpt-4-latest', 'turbo']);
    expect(parseAliases('')).toEqual([]);
  });

  it('sends prices and limits as typed, and no fallback as null', () => {
    const form = { ...toModelForm(aModel()), id: ' gpt-x ', inputPricePer1k: '0.125', fallbackModelId: '' };
    expect(toCreateModelInput(form)).toEqual({
      id: 'gpt-x',
      provider: 'openai',
      upstreamModel: 'gpt-4o',
      aliases: ['gpt-4'],
      contextWindow: 128000,
      maxOutputTokens: 16384,
      inputPricePer1k: 0.125,
      outputPricePer1k: 10,
      enabled: true,
      fallbackModelId: null,
    });
  });

  it('updates only what changed, and removes a fallback with null', () => {
    const model = aModel({ fallbackModelId: 'gpt-4o-mini' });
    expect(toUpdateModelInput(model, toModelForm(model))).toEqual({ id: 'gpt-4o' });
    expect(
      toUpdateModelInput(model, { ...toModelForm(model), outputPricePer1k: '12.5', aliases: 'gpt-4, gpt4o', fallbackModelId: '' }),
    ).toEqual({ id: 'gpt-4o', outputPricePer1k: 12.5, aliases: ['gpt-4', 'gpt4o'], fallbackModelId: null });
  });
});

describe('ModelsComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;
  openListPage('ai/models', ModelsComponent, (page) => ({ harness, apollo } = page));

  const { byTestId, rows, settle, inDialog, overlay } = routedPage(() => harness, 'model-row');
  const catalogue = [
    aModel(),
    aModel({ id: 'gpt-4o-mini', aliases: [], inputPricePer1k: 1, outputPricePer1k: 1 }),
    aModel({ id: 'claude-old', provider: 'anthropic', upstreamModel: 'claude-2.1', aliases: [], enabled: false, inputPricePer1k: 8, outputPricePer1k: 8.5 }),
  ];

  async function answer(models = catalogue): Promise<unknown> {
    const query = await vi.waitFor(() => apollo.expectOne('AiModels'));
    query.flushData({ aiModels: models });
    await harness.fixture.whenStable();
    return query.operation.variables;
  }

  it('lists the whole catalogue, disabled models included, with prices per 1,000 tokens', async () => {
    expect(await answer()).toEqual({ includeDisabled: true });

    await settle(() => expect(rows().map((row) => row.dataset['model'])).toEqual(['gpt-4o', 'gpt-4o-mini', 'claude-old']));
    expect(rows()[0].querySelector('[data-testid="model-aliases"]')?.textContent).toContain('gpt-4');
    expect(rows()[2].textContent).toContain('Anthropic');
    expect(rows()[2].textContent).toContain('→ claude-2.1');
    expect(rows()[2].querySelector('[data-testid="model-output-price"]')?.textContent?.trim()).toBe('8.5');
    expect(rows()[2].querySelector('[data-testid="model-status"]')?.textContent?.trim()).toBe('Disabled');
  });

  it("changes how a model's calls choose among its channels", async () => {
    await answer();
    await settle(() => expect(rows()).toHaveLength(3));
    const routing = rows()[0].querySelector('[data-testid="model-routing"]') as HTMLElement;
    expect(routing.getAttribute('aria-label')).toBe('Routing of gpt-4o among its channels');
    expect(routing.textContent).toContain('By priority');

    // Outside a form field, the select opens from its trigger.
    (routing.querySelector('.mat-mdc-select-trigger') as HTMLElement).click();
    await settle(() => expect(overlay().querySelectorAll('mat-option')).toHaveLength(3));
    (Array.from(overlay().querySelectorAll('mat-option')).find((option) => option.textContent?.includes('Cheapest first')) as HTMLElement).click();
    const set = await vi.waitFor(() => apollo.expectOne('SetAiModelRoutingPolicy'));
    expect(set.operation.variables).toEqual({ input: { modelId: 'gpt-4o', policy: 'cost' } });
    set.flushData({ setAiModelRoutingPolicy: aModel({ routingPolicy: 'cost' }) });
    await answer([aModel({ routingPolicy: 'cost' })]);
    await settle(() => expect(overlay().textContent).toContain('gpt-4o: cheapest first among its channels.'));
    expect(rows()[0].querySelector('[data-testid="model-routing"]')?.textContent).toContain('Cheapest first');
  });

  it('edits a model’s price, sending only the change', async () => {
    await answer();
    await settle(() => expect(rows()).toHaveLength(3));

    (rows()[0].querySelector('[data-testid="model-edit"]') as HTMLElement).click();
    await settle(() => expect(inDialog('model-form')).not.toBeNull());
    expect(inDialog<HTMLInputElement>('model-id').disabled).toBe(true);
    typeInto(inDialog<HTMLInputElement>('model-input-price'), '12.3456');
    inDialog('model-submit').click();
    await harness.fixture.whenStable();
    apollo.expectNone('UpdateAiModel');
    expect(overlay().textContent).toContain('at most 3 decimals');

    typeInto(inDialog<HTMLInputElement>('model-input-price'), '12.345');
    inDialog('model-submit').click();
    const update = await vi.waitFor(() => apollo.expectOne('UpdateAiModel'));
    expect(update.operation.variables).toEqual({ input: { id: 'gpt-4o', inputPricePer1k: 12.345 } });
    update.flushData({ updateAiModel: aModel({ inputPricePer1k: 12.345 }) });

    await answer([aModel({ inputPricePer1k: 12.345 })]);
    await settle(() => expect(rows()[0].querySelector('[data-testid="model-input-price"]')?.textContent?.trim()).toBe('12.345'));
    expect(overlay().textContent).toContain('gpt-4o saved.');
  });

  it('creates a model, refusing an output larger than the context window', async () => {
    await answer();
    await settle(() => expect(rows()).toHaveLength(3));

    byTestId('model-new')?.click();
    await settle(() => expect(inDialog('model-form')).not.toBeNull());
    typeInto(inDialog<HTMLInputElement>('model-id'), 'gpt-5');
    typeInto(inDialog<HTMLInputElement>('model-upstream'), 'gpt-5-2026-01-01');
    typeInto(inDialog<HTMLInputElement>('model-aliases'), 'gpt5, latest');
    typeInto(inDialog<HTMLInputElement>('model-context'), '4000');
    typeInto(inDialog<HTMLInputElement>('model-max-output'), '8000');
    typeInto(inDialog<HTMLInputElement>('model-input-price'), '10');
    typeInto(inDialog<HTMLInputElement>('model-output-price'), '30');
    inDialog('model-submit').click();
    await settle(() => expect(inDialog('model-output-error')).not.toBeNull());
    apollo.expectNone('CreateAiModel');

    typeInto(inDialog<HTMLInputElement>('model-context'), '400000');
    inDialog('model-submit').click();
    const create = await vi.waitFor(() => apollo.expectOne('CreateAiModel'));
    expect(create.operation.variables).toEqual({
      input: {
        id: 'gpt-5',
        provider: 'openai',
        upstreamModel: 'gpt-5-2026-01-01',
        aliases: ['gpt5', 'latest'],
        contextWindow: 400000,
        maxOutputTokens: 8000,
        inputPricePer1k: 10,
        outputPricePer1k: 30,
        enabled: true,
        fallbackModelId: null,
      },
    });
    create.graphqlErrors([{ message: "'latest' already names another model", extensions: { code: 'CONFLICT' } }]);
    await settle(() => expect(inDialog('model-error')?.textContent).toContain("'latest' already names another model"));
  });

  it('shows an error state when the catalogue cannot be loaded', async () => {
    (await vi.waitFor(() => apollo.expectOne('AiModels'))).networkError(new Error('Http failure response: 0 Unknown Error'));
    await settle(() => expect(byTestId('error-state')?.textContent).toContain('could not be reached'));
  });
});
