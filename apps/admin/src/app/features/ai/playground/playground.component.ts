import { DecimalPipe } from '@angular/common';
import {
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  type ElementRef,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import {
  NonNullableFormBuilder,
  ReactiveFormsModule,
  Validators,
  type AbstractControl,
  type ValidationErrors,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import type { ErrorStateMatcher } from '@angular/material/core';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSliderModule } from '@angular/material/slider';
import { RouterLink } from '@angular/router';
import { catchError, EMPTY, map, merge, of, switchMap, type Observable, type Subscription } from 'rxjs';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { BillingApi } from '../../billing/data-access/billing.api';
import { TeamsApi } from '../../identity/data-access/teams.api';
import { CreditsPipe } from '../../billing/ui/credits.pipe';
import { AiApi } from '../data-access/ai.api';
import type { AiModel, ChatInput } from '../data-access/ai.types';
import { reloadableQuery } from '../../../shared/data/reloadable-query';
import {
  applyChunk,
  applyCompletion,
  conversation,
  startExchange,
  type ChatExchange,
} from './chat-exchange';

/**
 * The message box is emptied after each send; it should turn red only when someone tries to send
 * nothing, not because the form was submitted before.
 */
const UNLESS_CLEARED: ErrorStateMatcher = {
  isErrorState: (control: AbstractControl | null) => Boolean(control?.invalid && control.touched),
};

/** As the API bounds them (ChatCompletionInput). */
export const TEMPERATURE_MIN = 0;
export const TEMPERATURE_MAX = 2;
export const DEFAULT_TEMPERATURE = 1;

/**
 * Try a model through the metered gateway, as any client would: pick a model, set a system prompt
 * and limits, and chat. The answer streams in over graphql-ws (or arrives whole), followed by its
 * tokens and what it cost; the balance beside it follows every charge. A member of a team chooses
 * who pays: themselves, or the team's wallet (within the limits its managers set).
 */
@Component({
  selector: 'sah-playground',
  imports: [
    DecimalPipe,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressSpinnerModule,
    MatSelectModule,
    MatSlideToggleModule,
    MatSliderModule,
    ErrorStateComponent,
    CreditsPipe,
  ],
  templateUrl: './playground.component.html',
  styleUrl: './playground.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PlaygroundComponent {
  private readonly api = inject(AiApi);
  private readonly billing = inject(BillingApi);
  private readonly teamsApi = inject(TeamsApi);

  protected readonly promptErrors = UNLESS_CLEARED;
  protected readonly temperatureMin = TEMPERATURE_MIN;
  protected readonly temperatureMax = TEMPERATURE_MAX;

  private readonly catalogue = reloadableQuery(() => this.api.models());
  protected readonly models = this.catalogue.value;
  protected readonly modelsLoading = this.catalogue.loading;
  protected readonly modelsError = this.catalogue.error;

  protected readonly form = inject(NonNullableFormBuilder).group({
    model: ['', Validators.required],
    system: [''],
    maxTokens: [''],
    temperature: [DEFAULT_TEMPERATURE],
    stream: [true],
    /** '' for your own credits, else the id of a team whose wallet pays. */
    payer: [''],
    prompt: ['', [Validators.required, Validators.pattern(/\S/)]],
  });
  private readonly modelId = toSignal(this.form.controls.model.valueChanges, { initialValue: '' });
  protected readonly selectedModel = computed(
    () => this.models()?.find((model) => model.id === this.modelId()) ?? null,
  );

  /**
   * The teams whose wallet you may spend: those you are a member of (administrators see every team,
   * but only membership lets a call spend one). Without any, the choice is not offered.
   */
  protected readonly payerTeams = toSignal(
    this.teamsApi.myTeams().pipe(
      map((teams) => teams.filter((team) => team.myRole !== null && team.myRole !== undefined)),
      catchError(() => of([])),
    ),
    { initialValue: [] },
  );
  protected readonly payer = toSignal(this.form.controls.payer.valueChanges, { initialValue: '' });
  private readonly walletAttempt = signal(0);
  /** The chosen team's wallet, fetched again after each call: its available credits beside the form. */
  protected readonly teamWallet = toSignal(
    toObservable(computed(() => ({ teamId: this.payer(), attempt: this.walletAttempt() }))).pipe(
      switchMap(({ teamId }) => (teamId ? this.teamsApi.wallet(teamId).pipe(catchError(() => of(null))) : of(null))),
    ),
    { initialValue: null },
  );

  protected readonly exchanges = signal<readonly ChatExchange[]>([]);
  protected readonly busy = computed(() => {
    const last = this.exchanges().at(-1);
    return last?.status === 'waiting' || last?.status === 'streaming';
  });
  private nextId = 1;
  private call: Subscription | null = null;

  private readonly balanceAttempt = signal(0);
  /** False once live balance updates failed; the balance is then fetched again after each call. */
  private balanceLive = true;
  /**
   * The caller's credits: loaded, then kept current by `creditBalanceChanged`, so holds and charges
   * show as they happen. The playground works without it: here the balance is a convenience.
   */
  protected readonly balance = toSignal(
    toObservable(this.balanceAttempt).pipe(
      switchMap(() => {
        this.balanceLive = true;
        return merge(
          this.billing.balance().pipe(catchError(() => of(null))),
          this.billing.balanceChanges().pipe(
            catchError(() => {
              this.balanceLive = false;
              return EMPTY;
            }),
          ),
        );
      }),
    ),
    { initialValue: null },
  );

  private readonly conversationView = viewChild<ElementRef<HTMLElement>>('conversation');

  constructor() {
    // The first model is preselected once the catalogue arrives, and the max-tokens check follows the model.
    toObservable(this.models)
      .pipe(takeUntilDestroyed())
      .subscribe((models) => {
        const control = this.form.controls.model;
        if (models?.length && !models.some((model) => model.id === control.value)) control.setValue(models[0].id);
      });
    this.form.controls.maxTokens.addValidators((control) => maxTokensFits(control, this.selectedModel()));
    this.form.controls.model.valueChanges
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.form.controls.maxTokens.updateValueAndValidity());

    // Keeps the newest text in view while an answer streams in.
    afterRenderEffect(() => {
      this.exchanges();
      const element = this.conversationView()?.nativeElement;
      if (element) element.scrollTop = element.scrollHeight;
    });
    inject(DestroyRef).onDestroy(() => this.call?.unsubscribe());
  }

  protected reloadModels(): void {
    this.catalogue.reload();
  }

  protected send(): void {
    if (this.busy()) return;
    const controls = this.form.controls;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { model, system, maxTokens, temperature, stream, payer, prompt } = this.form.getRawValue();
    const input: ChatInput = {
      model,
      ...(payer ? { teamId: payer } : {}),
      messages: conversation(this.exchanges(), prompt.trim()),
      ...(system.trim() ? { system: system.trim() } : {}),
      ...(maxTokens.trim() ? { maxTokens: Number(maxTokens) } : {}),
      temperature,
    };
    const exchange = startExchange(this.nextId++, prompt.trim(), model);
    this.exchanges.update((all) => [...all, exchange]);
    controls.prompt.reset('');

    const update = (change: (current: ChatExchange) => ChatExchange) =>
      this.exchanges.update((all) => all.map((item) => (item.id === exchange.id ? change(item) : item)));
    const source: Observable<(current: ChatExchange) => ChatExchange> = stream
      ? this.api.chatStream(input).pipe(map((chunk) => (current: ChatExchange) => applyChunk(current, chunk)))
      : this.api.chat(input).pipe(map((completion) => (current: ChatExchange) => applyCompletion(current, completion)));
    this.call = source
      .pipe(
        catchError((error: unknown) => {
          const { code, message } = toAppError(error);
          update((current) => ({ ...current, status: 'error', error: message, errorCode: code }));
          return EMPTY;
        }),
      )
      .subscribe({
        next: (change) => update(change),
        complete: () => {
          // A stream that ends without its last chunk was cut short on the server's side.
          update((current) =>
            current.status === 'waiting' || current.status === 'streaming'
              ? { ...current, status: 'error', error: 'The answer ended before it was complete.', errorCode: null }
              : current,
          );
          this.refreshBalanceIfNotLive();
        },
      });
  }

  /** Unsubscribing stops the call upstream; the gateway charges only the tokens produced so far. */
  protected stop(): void {
    if (!this.busy()) return;
    this.call?.unsubscribe();
    this.call = null;
    this.exchanges.update((all) =>
      all.map((item) =>
        item.status === 'waiting' || item.status === 'streaming' ? { ...item, status: 'stopped' } : item,
      ),
    );
    this.refreshBalanceIfNotLive();
  }

  protected newChat(): void {
    this.stop();
    this.exchanges.set([]);
  }

  /** Ctrl+Enter (⌘+Enter) sends, as in most chat tools; Enter alone starts a new line. */
  protected onPromptKey(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.send();
    }
  }

  protected formatTemperature(value: number): string {
    return value.toFixed(1);
  }

  /** Live updates normally report the charge; without them the balance is fetched again. A team's wallet always is. */
  private refreshBalanceIfNotLive(): void {
    if (!this.balanceLive || this.balance() === null) this.balanceAttempt.update((n) => n + 1);
    if (this.payer()) this.walletAttempt.update((n) => n + 1);
  }
}

/** Empty means the model's default; otherwise a whole number the model can produce. */
function maxTokensFits(control: AbstractControl<string>, model: AiModel | null): ValidationErrors | null {
  const text = (control.value ?? '').trim();
  if (text === '') return null;
  const value = Number(text);
  const limit = model?.maxOutputTokens ?? Number.MAX_SAFE_INTEGER;
  return /^\d+$/.test(text) && value >= 1 && value <= limit ? null : { maxTokens: true };
}
