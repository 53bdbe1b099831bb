import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApolloTestingController, ApolloTestingModule, type TestOperation } from 'apollo-angular/testing';

import { aBalance } from '../../billing/testing/billing-fixtures';
import { aDelta, aLastChunk, aModel } from '../testing/ai-fixtures';
import { conversation, startExchange } from './chat-exchange';
import { PlaygroundComponent } from './playground.component';

describe('conversation', () => {
  it('replays answered exchanges, stopped ones included, before the new prompt', () => {
    const done = { ...startExchange(1, 'Hi', 'gpt-4o'), status: 'done' as const, answer: 'Hello!' };
    const failed = { ...startExchange(2, 'Again', 'gpt-4o'), status: 'error' as const, error: 'No credits' };
    const stopped = { ...startExchange(3, 'Tell a story', 'gpt-4o'), status: 'stopped' as const, answer: 'Once upon' };

    expect(conversation([done, failed, stopped], 'Go on')).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'Tell a story' },
      { role: 'assistant', content: 'Once upon' },
      { role: 'user', content: 'Go on' },
    ]);
  });
});

describe('PlaygroundComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;
  let balanceChanges: TestOperation;

  const root = () => harness.routeNativeElement as HTMLElement;
  const byTestId = <T extends HTMLElement = HTMLElement>(id: string) =>
    root().querySelector<T>(`[data-testid="${id}"]`) as T;
  const exchanges = () => [...root().querySelectorAll<HTMLElement>('[data-testid="playground-exchange"]')];
  const textOf = (id: string) => byTestId(id)?.textContent?.replace(/\s+/g, ' ').trim();

  async function settle(assertion: () => void): Promise<void> {
    await vi.waitFor(async () => {
      await harness.fixture.whenStable();
      assertion();
    });
  }

  function type(element: HTMLInputElement | HTMLTextAreaElement, value: string): void {
    element.value = value;
    element.dispatchEvent(new Event('input'));
  }

  async function open(
    models = [aModel(), aModel({ id: 'claude-sonnet-4-6', provider: 'anthropic', aliases: [], inputPricePer1k: 8, outputPricePer1k: 8 })],
    teams: readonly { id: string; name: string; myRole: string | null }[] = [],
  ) {
    (await vi.waitFor(() => apollo.expectOne('MyTeams'))).flushData({
      teams: teams.map((team) => ({ __typename: 'Team', createdAt: '2026-01-01T00:00:00.000Z', ...team })),
    });
    (await vi.waitFor(() => apollo.expectOne('AiModels'))).flushData({ aiModels: models });
    (await vi.waitFor(() => apollo.expectOne('CreditBalance'))).flushData({ creditBalance: aBalance({ available: 100, reserved: 0 }) });
    balanceChanges = await vi.waitFor(() => apollo.expectOne('CreditBalanceChanged'));
    await settle(() =>
      expect(root().querySelector('[data-testid="playground-form"], [data-testid="playground-no-models"]')).not.toBeNull(),
    );
  }

  async function send(prompt: string): Promise<void> {
    type(byTestId<HTMLTextAreaElement>('playground-message'), prompt);
    byTestId('playground-send').click();
    await harness.fixture.whenStable();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [provideRouter([{ path: 'ai/playground', component: PlaygroundComponent }, { path: 'account', children: [] }])],
    });
    apollo = TestBed.inject(ApolloTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/ai/playground', PlaygroundComponent);
  });

  it('streams an answer through the gateway, then shows its tokens and cost', async () => {
    await open();
    await settle(() => expect(textOf('playground-price')).toBe('10 in / 10 out credits per 1k tokens'));
    expect(textOf('playground-available')).toBe('100');

    type(byTestId<HTMLTextAreaElement>('playground-system'), 'Be brief.');
    type(byTestId<HTMLInputElement>('playground-max-tokens'), '50');
    await send('What is the answer?');

    const stream = await vi.waitFor(() => apollo.expectOne('ChatCompletionStream'));
    expect(stream.operation.variables).toEqual({
      input: {
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'What is the answer?' }],
        system: 'Be brief.',
        maxTokens: 50,
        temperature: 1,
      },
    });
    expect(byTestId<HTMLTextAreaElement>('playground-message').value).toBe('');
    // Emptied for the next message, not flagged as a missing one.
    expect(byTestId('playground-message').closest('mat-form-field')?.classList).not.toContain('mat-form-field-invalid');
    expect(byTestId('playground-stop')).not.toBeNull();

    stream.flushData({ chatCompletionStream: aDelta('The answer ') });
    stream.flushData({ chatCompletionStream: aDelta('is 42.') });
    await settle(() => expect(textOf('playground-answer')).toBe('The answer is 42.'));
    expect(exchanges()[0].dataset['status']).toBe('streaming');

    stream.flushData({ chatCompletionStream: aLastChunk({ usage: { inputTokens: 120, outputTokens: 30 }, credits: 1.5 }) });
    stream.complete();
    await settle(() => expect(exchanges()[0].dataset['status']).toBe('done'));
    expect(textOf('playground-credits')).toBe('1.5 credits');
    expect(textOf('playground-tokens')).toBe('120 in / 30 out tokens');
    expect(byTestId('playground-send')).not.toBeNull();

    // The charge arrives as a balance change.
    balanceChanges.flushData({ creditBalanceChanged: aBalance({ available: 98.5, reserved: 0 }) });
    await settle(() => expect(textOf('playground-available')).toBe('98.5'));

    // The next message carries the conversation so far.
    await send('Why?');
    const next = await vi.waitFor(() => apollo.expectOne('ChatCompletionStream'));
    expect((next.operation.variables['input'] as { messages: unknown }).messages).toEqual([
      { role: 'user', content: 'What is the answer?' },
      { role: 'assistant', content: 'The answer is 42.' },
      { role: 'user', content: 'Why?' },
    ]);
  });

  it('lets a member of a team have the team’s wallet pay, showing what it has left', async () => {
    const teamId = '7f1d3a52-5b8e-4c1e-9a47-2d6f0c9b1e11';
    await open(undefined, [
      { id: teamId, name: 'Research', myRole: 'member' },
      { id: 'a0000000-0000-4000-8000-000000000000', name: 'Not mine', myRole: null },
    ]);
    byTestId('playground-payer').click();
    await harness.fixture.whenStable();
    const options = [...document.querySelectorAll<HTMLElement>('mat-option')];
    expect(options.map((option) => option.textContent?.trim())).toEqual(['You (your own credits)', 'Research (team wallet)']);
    options[1].click();
    const wallet = await vi.waitFor(() => apollo.expectOne('TeamWallet'));
    expect(wallet.operation.variables).toEqual({ teamId });
    wallet.flushData({
      teamWallet: { __typename: 'TeamWallet', teamId, balance: 40, reserved: 0, available: 40, monthlyCap: null, usedThisMonth: 0, members: [] },
    });
    await settle(() => expect(textOf('playground-team-available')).toBe('40'));

    await send('Hi');
    const stream = await vi.waitFor(() => apollo.expectOne('ChatCompletionStream'));
    expect(stream.operation.variables['input']).toMatchObject({ teamId, model: 'gpt-4o' });
  });

  it('asks for the whole answer at once when streaming is off', async () => {
    await open();
    (byTestId('playground-stream').querySelector('button') as HTMLButtonElement).click();
    await send('Hi');

    const chat = await vi.waitFor(() => apollo.expectOne('ChatCompletion'));
    expect(chat.operation.variables).toEqual({
      input: { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], temperature: 1 },
    });
    chat.flushData({
      chatCompletion: {
        __typename: 'ChatCompletion',
        id: 'chatcmpl-1',
        model: 'gpt-4o-mini',
        content: 'Hello!',
        finishReason: 'stop',
        usage: { __typename: 'ChatUsage', inputTokens: 8, outputTokens: 2 },
        credits: 0.01,
      },
    });
    await settle(() => expect(textOf('playground-answer')).toBe('Hello!'));
    expect(textOf('playground-credits')).toBe('0.01 credits');
    expect(textOf('playground-cost')).toContain('gpt-4o-mini (fallback for gpt-4o)');
  });

  it('shows a refused call with its reason, and where to buy credits when they ran out', async () => {
    await open();
    await send('Hi');
    (await vi.waitFor(() => apollo.expectOne('ChatCompletionStream'))).graphqlErrors([
      { message: 'Not enough credits: 0.66 needed, 0.2 available', extensions: { code: 'INSUFFICIENT_CREDITS' } },
    ]);

    await settle(() => expect(textOf('playground-error')).toContain('Not enough credits: 0.66 needed'));
    expect(byTestId('playground-error').querySelector('a')?.getAttribute('href')).toBe('/account');
    expect(byTestId('playground-send')).not.toBeNull();
  });

  it('stops a streaming answer and keeps what was written', async () => {
    await open();
    await send('Tell a long story');
    const stream = await vi.waitFor(() => apollo.expectOne('ChatCompletionStream'));
    stream.flushData({ chatCompletionStream: aDelta('Once upon a time') });
    await settle(() => expect(textOf('playground-answer')).toBe('Once upon a time'));

    byTestId('playground-stop').click();
    await settle(() => expect(exchanges()[0].dataset['status']).toBe('stopped'));
    expect(textOf('playground-stopped')).toContain('Only the tokens produced so far are charged');

    // Nothing more reaches the page once stopped.
    stream.flushData({ chatCompletionStream: aDelta(' there was') });
    await harness.fixture.whenStable();
    expect(textOf('playground-answer')).toBe('Once upon a time');
  });

  it('does not send more max tokens than the model can produce', async () => {
    await open([aModel({ maxOutputTokens: 4096 })]);
    type(byTestId<HTMLInputElement>('playground-max-tokens'), '5000');
    await send('Hi');

    apollo.expectNone('ChatCompletionStream');
    expect(root().textContent).toContain('A whole number from 1 to 4,096');
  });

  it('says when no model is enabled', async () => {
    await open([]);
    await settle(() => expect(textOf('playground-no-models')).toContain('No models are enabled yet'));
  });
});
